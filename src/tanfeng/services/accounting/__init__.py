"""Use cases of accounting: run the engine on imported data, store the run, list, recompute and explain it.

A stored run keeps the inputs exactly as the engine received them (the balance in long form after import,
the enterprise report after validation, every option), the engine's result as JSON, its headline totals and
one line per figure (activity × factor = tCO2 / tCO2e / tce). :func:`recompute` runs the engine again on
the stored inputs and says whether the result is the same; :func:`explain` shows one line's factor, its
source and the arithmetic.

Writes go through the store's atomic, audited path: one ``accounting_runs`` row with its lines, one audit
entry and one import-batch row, in one transaction; a bad file raises before anything is written. A write
commits when the session has no transaction open (the API and CLI case); inside a caller's transaction it
becomes a savepoint and the caller commits.

One module per use case:

===================  ==========================================================================
``schemas``          requests, options and what the use cases give back
``calculators``      standard coal, combustion and electricity CO2, the factor library (nothing stored)
``inventory``        a regional inventory from an energy balance: stored as a run, or previewed
``enterprise``       an enterprise report (205-1 workbook or JSON): stored as a run, or previewed
``runs``             storing a run (one audited write), listing and reading runs and their lines
``explain``          recomputing a run from its inputs, explaining one line
``uploads``          uploaded files, read under their own name from a temporary folder
===================  ==========================================================================

Callers write ``from tanfeng.services import accounting as service``.
"""

from tanfeng.services.accounting.calculators import (
    combustion,
    combustion_result,
    conversion_detail,
    convert,
    electricity,
    electricity_result,
    list_factors,
)
from tanfeng.services.accounting.enterprise import EnterprisePreview, preview_enterprise, run_enterprise
from tanfeng.services.accounting.explain import explain, recompute
from tanfeng.services.accounting.inventory import InventoryPreview, preview_inventory, run_inventory
from tanfeng.services.accounting.runs import get_run, list_lines, list_runs, run_combustion, run_electricity
from tanfeng.services.accounting.schemas import (
    CombustionRequest,
    ConversionOut,
    ElectricityConversion,
    ElectricityRequest,
    Explanation,
    InventoryOptions,
    RecomputeResult,
    RunDetail,
    RunInfo,
    RunKind,
    RunLine,
)
from tanfeng.services.accounting.uploads import run_enterprise_upload, run_inventory_upload

__all__ = [
    "CombustionRequest",
    "ConversionOut",
    "ElectricityConversion",
    "ElectricityRequest",
    "EnterprisePreview",
    "Explanation",
    "InventoryOptions",
    "InventoryPreview",
    "RecomputeResult",
    "RunDetail",
    "RunInfo",
    "RunKind",
    "RunLine",
    "combustion",
    "combustion_result",
    "conversion_detail",
    "convert",
    "electricity",
    "electricity_result",
    "explain",
    "get_run",
    "list_factors",
    "list_lines",
    "list_runs",
    "preview_enterprise",
    "preview_inventory",
    "recompute",
    "run_combustion",
    "run_electricity",
    "run_enterprise",
    "run_enterprise_upload",
    "run_inventory",
    "run_inventory_upload",
]
