"""Scenario use cases: list, show, store (versioned, audited), run, compare and export the peak path.

Callers write ``from tanfeng.services import scenarios as service``.
"""

from tanfeng.services.scenarios.catalogue import (
    PLAN_ID,
    base_inventory,
    calibration_report,
    list_scenarios,
    plan_targets,
    scenario_texts,
    scenario_versions,
    show_scenario,
)
from tanfeng.services.scenarios.export import IAMC_COLUMNS, iamc_csv, iamc_rows, workbook_bytes, write_export
from tanfeng.services.scenarios.runs import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    MAX_DRAWS,
    compare_scenarios,
    history,
    run_detail,
    run_scenario,
)
from tanfeng.services.scenarios.save import load_builtin, save_scenario

__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "IAMC_COLUMNS",
    "MAX_DRAWS",
    "PLAN_ID",
    "base_inventory",
    "calibration_report",
    "compare_scenarios",
    "history",
    "iamc_csv",
    "iamc_rows",
    "list_scenarios",
    "load_builtin",
    "plan_targets",
    "run_detail",
    "run_scenario",
    "save_scenario",
    "scenario_texts",
    "scenario_versions",
    "show_scenario",
    "workbook_bytes",
    "write_export",
]
