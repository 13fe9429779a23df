"""Use cases of key energy-consuming units (重点用能单位), one module each.

=================  ====================================================================================
module             use case
=================  ====================================================================================
``registry``       register or replace a unit with its facilities and meters; list and show units
``sample``         store the sample population (示例数据) at a small scale
``reports``        annual reports: create, edit under optimistic locking, workflow, versions and diffs
``templates``      the annual report as an Excel workbook: download pre-filled, upload filled
``budgets``        energy budgets (用能预算) and their use by reported and monitored energy
``responsibility`` the yearly responsibility score from the rules file, with reasons
``coverage``       bottom-up (units' GHG reports) against top-down (the stored inventory)
``views``          a unit's page, and the units of a league or county as one principal sees them
``schemas``        what these answer
=================  ====================================================================================

Callers write ``from tanfeng.services import key_units as service``. The calculations are the domain's
(:mod:`tanfeng.enterprises`), the queries the store's (:mod:`tanfeng.store.repository_key_units`); every
write runs in :func:`tanfeng.store.transaction.atomic` with its audit entry.
"""

from __future__ import annotations

from tanfeng.enterprises.annual_report import KIND_ZH, STATE_ZH, ReportContent, ReportKind, WorkflowAction
from tanfeng.enterprises.figures import compute_figures
from tanfeng.enterprises.sample import SAMPLE_NOTICE
from tanfeng.services.key_units.budgets import budget_use, set_budget
from tanfeng.services.key_units.coverage import bottom_up_vs_top_down
from tanfeng.services.key_units.registry import get_unit, list_meters, list_units, upsert_unit
from tanfeng.services.key_units.reports import (
    create_report,
    diff_versions,
    get_report,
    list_reports,
    list_versions,
    transition,
    update_report,
)
from tanfeng.services.key_units.responsibility import RULES_FILE, assess, load_rules
from tanfeng.services.key_units.sample import load_sample
from tanfeng.services.key_units.schemas import (
    Assessment,
    BudgetOut,
    MeterInfo,
    RegionUnits,
    ReportOut,
    SampleLoaded,
    UnitDetail,
    UnitInfo,
    UnitOverview,
    VersionDiff,
    VersionOut,
)
from tanfeng.services.key_units.templates import parse_template, report_template, upload_report
from tanfeng.services.key_units.views import (
    may_list_units,
    unit_data,
    unit_overview,
    unit_resource,
    units_in_region,
    visible_to,
    visible_units,
)

Action = WorkflowAction
"""A workflow action (``submit``, ``review``, ``approve``, ``return``)."""

__all__ = [
    "KIND_ZH",
    "RULES_FILE",
    "SAMPLE_NOTICE",
    "STATE_ZH",
    "Action",
    "Assessment",
    "BudgetOut",
    "MeterInfo",
    "RegionUnits",
    "ReportContent",
    "ReportKind",
    "ReportOut",
    "SampleLoaded",
    "UnitDetail",
    "UnitInfo",
    "UnitOverview",
    "VersionDiff",
    "VersionOut",
    "WorkflowAction",
    "assess",
    "bottom_up_vs_top_down",
    "budget_use",
    "compute_figures",
    "create_report",
    "diff_versions",
    "get_report",
    "get_unit",
    "list_meters",
    "list_reports",
    "list_units",
    "list_versions",
    "load_rules",
    "load_sample",
    "may_list_units",
    "parse_template",
    "report_template",
    "set_budget",
    "transition",
    "unit_data",
    "unit_overview",
    "unit_resource",
    "units_in_region",
    "update_report",
    "upload_report",
    "upsert_unit",
    "visible_to",
    "visible_units",
]
