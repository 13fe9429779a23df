"""Hourly, daily and monthly rollups per meter of flagged readings, and the signed change between two versions.

A rollup row is ``meter_id, unit_code, product, unit, period`` (the meter, its unit and what it measures, the
local start of the hour, day or month, naive) with
``energy`` (sum of the energy of the *valid* readings, the meter's unit after its multiplier), ``readings``
(rows), ``valid`` (valid rows) and one count per ``q_*`` flag. Every column but the key is a sum, so rollups
add up: the rollup of a union of days is the sum of the days' rollups, and replacing the flagged rows of a day
changes the rollups by ``rollup(new) − rollup(old)`` (:func:`rollup_delta`). A coarser grain is the sum of a
finer one (a day of hours, a month of days).

Valid readings are unique per meter and timestamp (duplicates and conflicts are never valid), so ``valid`` per
meter and day is the count of valid 15-minute intervals that completeness needs.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from tanfeng.errors import InputError
from tanfeng.monitoring.validate import FLAGS

__all__ = ["COUNTS", "GRAINS", "KEY", "ROLLUP_SCHEMA", "RollupGrain", "coarser", "empty_rollup", "rollup",
           "rollup_delta", "sum_rollups"]

RollupGrain = Literal["hour", "day", "month"]
GRAINS: tuple[RollupGrain, ...] = ("hour", "day", "month")
KEY = ("meter_id", "unit_code", "product", "unit", "period")
COUNTS = ("readings", "valid", *FLAGS)
ROLLUP_SCHEMA: dict[str, pl.DataType] = {
    "meter_id": pl.String(), "unit_code": pl.String(), "product": pl.String(), "unit": pl.String(),
    "period": pl.Datetime("us"), "energy": pl.Float64(),
    **{c: pl.Int64() for c in COUNTS},
}
_EVERY = {"hour": "1h", "day": "1d", "month": "1mo"}


def empty_rollup() -> pl.DataFrame:
    """A rollup with no rows."""
    return pl.DataFrame(schema=ROLLUP_SCHEMA)


def rollup(flagged: pl.DataFrame, grain: RollupGrain, meters: pl.DataFrame | None = None) -> pl.DataFrame:
    """Sum flagged readings (:func:`tanfeng.monitoring.validate.validate_readings`) per meter and period.

    ``meters`` (``meter_id, product, unit``) names what each meter measures; without it (or for meters not in
    it) ``product`` and ``unit`` are empty.

    Raises
    ------
    InputError
        ``grain`` is not hour, day or month.
    """
    if grain not in _EVERY:
        msg = f"grain '{grain}' is not one of {list(_EVERY)}"
        raise InputError(msg)
    if flagged.height == 0:
        return empty_rollup()
    valid = pl.col("valid")
    lf = flagged.lazy().drop("product", "unit", strict=False)
    if meters is not None and meters.height:
        lf = lf.join(meters.lazy().select("meter_id", "product", "unit"), on="meter_id", how="left")
    else:
        lf = lf.with_columns(product=pl.lit(None, pl.String), unit=pl.lit(None, pl.String))
    return (lf
            .group_by("meter_id", "unit_code", "product", "unit",
                      period=pl.col("interval_start_local").dt.truncate(_EVERY[grain]))
            .agg(energy=pl.col("energy").filter(valid).sum().cast(pl.Float64), readings=pl.len().cast(pl.Int64),
                 valid=valid.sum().cast(pl.Int64), **{f: pl.col(f).sum().cast(pl.Int64) for f in FLAGS})
            .select(list(ROLLUP_SCHEMA)).cast(ROLLUP_SCHEMA).collect())  # type: ignore[arg-type]


def sum_rollups(*parts: pl.DataFrame) -> pl.DataFrame:
    """Rows of the same meter and period added up; rows left with no readings dropped."""
    frames = [p.select(list(ROLLUP_SCHEMA)) for p in parts if p.height]
    if not frames:
        return empty_rollup()
    return (pl.concat(frames).group_by(*KEY).agg(pl.col("energy").sum(), *[pl.col(c).sum() for c in COUNTS])
            .filter(pl.col("readings") != 0)
            .select(list(ROLLUP_SCHEMA)).sort(*KEY, nulls_last=True))


def coarser(rows: pl.DataFrame, grain: RollupGrain) -> pl.DataFrame:
    """The same rollup (or delta) summed to a coarser ``grain`` (a day of hours, a month of days)."""
    if rows.height == 0:
        return empty_rollup()
    return (rows.with_columns(pl.col("period").dt.truncate(_EVERY[grain]))
            .group_by(*KEY).agg(pl.col("energy").sum(), *[pl.col(c).sum() for c in COUNTS])
            .select(list(ROLLUP_SCHEMA)).sort(*KEY, nulls_last=True))


def rollup_delta(old: pl.DataFrame, new: pl.DataFrame) -> pl.DataFrame:
    """``new − old``, keeping only the rows that change (both in the same grain)."""
    negated = old.select(*KEY, *[(-pl.col(c)).alias(c) for c in ("energy", *COUNTS)])
    frames = [f.select(list(ROLLUP_SCHEMA)) for f in (new, negated) if f.height]
    if not frames:
        return empty_rollup()
    summed = pl.concat(frames).group_by(*KEY).agg(pl.col("energy").sum(), *[pl.col(c).sum() for c in COUNTS])
    changed = pl.any_horizontal(*[pl.col(c) != 0 for c in COUNTS]) | (pl.col("energy") != 0)
    return summed.filter(changed).select(list(ROLLUP_SCHEMA)).sort(*KEY, nulls_last=True)
