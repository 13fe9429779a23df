"""Read stored readings back (set semantics, only committed batches) and the meter and unit tables.

Different batches that overlap are merged with set semantics when read (:func:`tanfeng.monitoring.ingest.merge`'s
rule: a reading is the tuple ``(meter_id, ts, value, kind)``; the same tuple twice counts once).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import ibis
import ibis.expr.types as ir
import polars as pl
from ibis.backends import BaseBackend
from sqlalchemy.orm import Session

from tanfeng.analytics import connect
from tanfeng.config import Settings
from tanfeng.monitoring.ingest import SCHEMA
from tanfeng.store import repository_metering as repo

__all__ = ["batch_paths", "load_readings", "meters_frame", "product_units_frame", "reading_counts", "units_frame"]

_METER_SCHEMA: dict[str, pl.DataType] = {
    "meter_id": pl.String(), "unit_code": pl.String(), "product": pl.String(), "unit": pl.String(),
    "multiplier": pl.Float64(), "kind": pl.String(), "rollover_max": pl.Float64(), "sample": pl.Boolean(),
}
_FEW_METERS = 2000
"""Above this many meter ids a batch's units are looked up by reading the whole meter table."""
_UNIT_SCHEMA: dict[str, pl.DataType] = {
    "unit_code": pl.String(), "name": pl.String(), "league": pl.String(), "county": pl.String(),
    "industry": pl.String(), "level": pl.String(), "sample": pl.Boolean(),
}


def batch_paths(session: Session, data_dir: Path, *, start: datetime | None = None,
                end: datetime | None = None) -> list[str]:
    """Absolute paths of the files of committed batches overlapping ``[start, end]`` (UTC instants)."""
    return [str(Path(data_dir) / p) for p in repo.batch_paths(session, start=start, end=end)]


def _is_spark(backend: BaseBackend) -> bool:
    return str(backend.name) == "pyspark"


def _stored(con: BaseBackend, paths: list[str]) -> ir.Table:
    if _is_spark(con):
        parts = [con.read_parquet(p) for p in paths]
        return parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)
    return con.read_parquet(paths)


def reading_counts(session: Session, settings: Settings, *, backend: BaseBackend | None = None) -> pl.DataFrame:
    """``meter_id, n``: how many stored rows each meter has (re-sent overlaps counted twice), without loading them."""
    paths = batch_paths(session, settings.data_dir)
    if not paths:
        return pl.DataFrame(schema={"meter_id": pl.String, "n": pl.Int64})
    con = backend or connect(settings)
    t = _stored(con, paths)
    out = pl.from_arrow(con.to_pyarrow(t.group_by("meter_id").aggregate(n=t.count())))
    assert isinstance(out, pl.DataFrame)
    return out.cast({"meter_id": pl.String, "n": pl.Int64})


def load_readings(session: Session, settings: Settings, *, start: datetime | None = None,
                  end: datetime | None = None, backend: BaseBackend | None = None,
                  meter_ids: Sequence[str] | None = None) -> pl.DataFrame:
    """The stored readings (set semantics: each distinct reading once) in ``[start, end]``, via Ibis.

    Only files of committed ledger rows are read. ``backend`` defaults to :func:`tanfeng.analytics.connect`.
    ``meter_ids`` keeps those meters' readings (the filter is pushed into the scan).
    """
    paths = batch_paths(session, settings.data_dir, start=start, end=end)
    if not paths:
        return pl.DataFrame(schema=SCHEMA)
    con = backend or connect(settings)
    table = _stored(con, paths)
    if meter_ids is not None:
        table = table.filter(table.meter_id.isin(list(meter_ids)))
    if start is not None:
        table = table.filter(table.ts >= start)
    if end is not None:
        table = table.filter(table.ts <= end)
    frame = pl.from_arrow(con.to_pyarrow(table.select(*SCHEMA).distinct()))
    assert isinstance(frame, pl.DataFrame)
    return frame.with_columns(pl.col("ts").dt.convert_time_zone("UTC").dt.cast_time_unit("us")).cast(
        SCHEMA).sort("meter_id", "ts", "value", "kind")  # type: ignore[arg-type]


def meters_frame(session: Session, *, unit_code: str | None = None,
                 sharing_a_unit_with: Sequence[str] | None = None) -> pl.DataFrame:
    """The stored meter table (the shape :mod:`tanfeng.monitoring` expects, plus ``sample``).

    ``unit_code`` keeps one unit's meters; ``sharing_a_unit_with`` keeps every meter of the units of the
    given meter ids (what validating a batch of those meters needs).
    """
    few = sharing_a_unit_with is not None and len(sharing_a_unit_with) <= _FEW_METERS
    found = (repo.meters_of_units_of(session, meter_ids=list(sharing_a_unit_with or [])) if few
             else repo.meters(session, unit_code=unit_code))
    rows = [{k: getattr(m, k) for k in _METER_SCHEMA} for m in found]
    return pl.DataFrame(rows, schema=_METER_SCHEMA)


def units_frame(session: Session) -> pl.DataFrame:
    """The stored unit table ``unit_code, name, league, county, industry, level, sample``."""
    return pl.DataFrame(repo.unit_table(session), schema=_UNIT_SCHEMA, orient="row")


def product_units_frame(session: Session) -> pl.DataFrame:
    """``meter_id, product, unit``: each pair the meters measure in, with one of its meters (for the factors)."""
    return pl.DataFrame(repo.product_units(session), schema={"product": pl.String, "unit": pl.String,
                                                             "meter_id": pl.String}, orient="row")
