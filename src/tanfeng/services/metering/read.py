"""Read stored readings back (set semantics, only committed batches) and the meter and unit tables.

Different batches that overlap are merged with set semantics when read (:func:`tanfeng.monitoring.ingest.merge`'s
rule: a reading is the tuple ``(meter_id, ts, value, kind)``; the same tuple twice counts once).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import ibis
import polars as pl
from ibis.backends import BaseBackend
from sqlalchemy.orm import Session

from tanfeng.analytics import connect
from tanfeng.config import Settings
from tanfeng.monitoring.ingest import SCHEMA
from tanfeng.store import repository_metering as repo

__all__ = ["batch_paths", "load_readings", "meters_frame", "units_frame"]

_METER_SCHEMA: dict[str, pl.DataType] = {
    "meter_id": pl.String(), "unit_code": pl.String(), "product": pl.String(), "unit": pl.String(),
    "multiplier": pl.Float64(), "kind": pl.String(), "rollover_max": pl.Float64(), "sample": pl.Boolean(),
}
_UNIT_SCHEMA: dict[str, pl.DataType] = {
    "unit_code": pl.String(), "name": pl.String(), "league": pl.String(), "county": pl.String(),
    "industry": pl.String(), "level": pl.String(), "sample": pl.Boolean(),
}


def batch_paths(session: Session, data_dir: Path, *, start: datetime | None = None,
                end: datetime | None = None, unit_code: str | None = None) -> list[str]:
    """Absolute paths of the files of committed batches overlapping ``[start, end]`` (UTC instants), of the
    batches that may hold unit ``unit_code``'s meters when given."""
    return [str(Path(data_dir) / p) for p in repo.batch_paths(session, start=start, end=end, unit_code=unit_code)]


def _is_spark(backend: BaseBackend) -> bool:
    return str(backend.name) == "pyspark"


def load_readings(session: Session, settings: Settings, *, start: datetime | None = None,
                  end: datetime | None = None, backend: BaseBackend | None = None,
                  meter_ids: Sequence[str] | None = None, unit_code: str | None = None) -> pl.DataFrame:
    """The stored readings (set semantics: each distinct reading once) in ``[start, end]``, via Ibis.

    Only files of committed ledger rows are read. ``backend`` defaults to :func:`tanfeng.analytics.connect`.
    ``meter_ids`` keeps only those meters' readings (the filter runs in the engine, before anything is copied
    out); ``unit_code`` reads only the files of batches that may hold that unit's meters (one unit's page reads
    its own batches, not the population's).
    """
    paths = batch_paths(session, settings.data_dir, start=start, end=end, unit_code=unit_code)
    if not paths:
        return pl.DataFrame(schema=SCHEMA)
    con = backend or connect(settings)
    if _is_spark(con):
        parts = [con.read_parquet(p) for p in paths]
        table = parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)
    else:
        table = con.read_parquet(paths)
    if start is not None:
        table = table.filter(table.ts >= start)
    if end is not None:
        table = table.filter(table.ts <= end)
    if meter_ids is not None:
        table = table.filter(table.meter_id.isin(list(meter_ids)))
    frame = pl.from_arrow(con.to_pyarrow(table.select(*SCHEMA).distinct()))
    assert isinstance(frame, pl.DataFrame)
    return frame.with_columns(pl.col("ts").dt.convert_time_zone("UTC").dt.cast_time_unit("us")).cast(
        SCHEMA).sort("meter_id", "ts", "value", "kind")  # type: ignore[arg-type]


def meters_frame(session: Session, *, unit_code: str | None = None) -> pl.DataFrame:
    """The stored meter table (the shape :mod:`tanfeng.monitoring` expects, plus ``sample``)."""
    rows = [{k: getattr(m, k) for k in _METER_SCHEMA} for m in repo.meters(session, unit_code=unit_code)]
    return pl.DataFrame(rows, schema=_METER_SCHEMA)


def units_frame(session: Session, *, unit_code: str | None = None) -> pl.DataFrame:
    """The stored unit table ``unit_code, name, league, county, industry, level, sample`` (one unit's row when
    ``unit_code`` is given)."""
    rows = [{"unit_code": u.code, "name": u.name, "league": u.league, "county": u.county, "industry": u.industry,
             "level": u.level, "sample": u.sample} for u in repo.units(session, code=unit_code)]
    return pl.DataFrame(rows, schema=_UNIT_SCHEMA)
