"""Use cases of online metering, one module each.

============== ======================================================================================
module         use case
============== ======================================================================================
``ingest``     parse, check and durably store a batch (Parquet file + ledger row); the ledger; cleanup
``derive``     flag landed batches into the derived store (tiles per unit and day, rollups); rebuild it
``background`` the server's thread that derives landed batches right after they are answered
``read``       read the committed readings back (set semantics), the meter and unit tables
``figures``    energy and CO2 per period and group, data quality, monitored against reported energy
``schemas``    what these answer
============== ======================================================================================

Callers write ``from tanfeng.services import metering as service``. Durability: see
:mod:`tanfeng.services.metering.ingest` and docs/monitoring.md, "Durability".
"""

from __future__ import annotations

from tanfeng.enterprises.figures import GRID_REGION
from tanfeng.enterprises.sample import SAMPLE_NOTICE
from tanfeng.services.metering.background import Deriver
from tanfeng.services.metering.derive import DeriveResult, catch_up, derive, mark_stale, rebuild
from tanfeng.services.metering.figures import (
    TZ,
    Period,
    aggregate,
    as_rows,
    conversion_factors,
    monitored_vs_reported,
    quality,
)
from tanfeng.services.metering.ingest import (
    ORPHAN_GRACE,
    READINGS_FOLDER,
    cleanup_orphans,
    count_batches,
    format_for,
    ingest,
    ingest_frame,
    list_batches,
)
from tanfeng.services.metering.read import batch_paths, load_readings, meters_frame, units_frame
from tanfeng.services.metering.schemas import AggregateRow, BatchInfo, IngestResult, QualityReport

__all__ = [
    "GRID_REGION",
    "ORPHAN_GRACE",
    "READINGS_FOLDER",
    "SAMPLE_NOTICE",
    "TZ",
    "AggregateRow",
    "BatchInfo",
    "DeriveResult",
    "Deriver",
    "IngestResult",
    "Period",
    "QualityReport",
    "aggregate",
    "as_rows",
    "batch_paths",
    "catch_up",
    "cleanup_orphans",
    "conversion_factors",
    "count_batches",
    "derive",
    "format_for",
    "ingest",
    "ingest_frame",
    "list_batches",
    "load_readings",
    "mark_stale",
    "meters_frame",
    "monitored_vs_reported",
    "quality",
    "rebuild",
    "units_frame",
]
