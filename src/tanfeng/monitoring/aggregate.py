"""Aggregate validated meter energy to hour, day or month per meter, unit, league or industry (Ibis).

The functions build Ibis expressions from input tables and never execute them, so the same
pipeline runs on DuckDB (default) or Spark (``ibis.pyspark``) — the choice of backend belongs to
:mod:`tanfeng.analytics`.

Inputs
------
readings
    Validated readings (:func:`tanfeng.monitoring.validate.validate_readings`), at least
    ``meter_id, interval_start_local (naive local timestamp), energy, valid``.
meters
    ``meter_id, unit_code, product, unit`` (``unit`` = the unit of ``energy``).
units
    ``unit_code, league, industry``.
factors
    Conversion coefficients keyed by ``(product, unit)``: ``kgce_per_unit`` (standard coal per
    unit of energy) and ``tco2_per_unit``, each with its source in the caller's table (e.g. GB/T
    2589 for kgce). Meters whose ``(product, unit)`` has no factor are refused by
    :func:`missing_factors` — call it first; the inner join here would silently leave them out.

Output columns: ``period`` (start of the hour/day/month, local time), the group key under the
``by`` name (``meter``, ``unit``, ``league`` or ``industry``), ``energy_tce`` and ``tco2``.
"""

from __future__ import annotations

from typing import Literal

import ibis
import ibis.expr.types as ir
import polars as pl

from tanfeng.errors import InputError

__all__ = ["By", "Grain", "aggregate", "missing_factors", "table_from_polars"]

Grain = Literal["hour", "day", "month"]
By = Literal["meter", "unit", "league", "industry"]

_TRUNC: dict[str, str] = {"hour": "h", "day": "D", "month": "M"}
_KEY: dict[str, str] = {"meter": "meter_id", "unit": "unit_code", "league": "league", "industry": "industry"}


def missing_factors(meters: pl.DataFrame, factors: pl.DataFrame) -> None:
    """Refuse meters whose ``(product, unit)`` has no conversion factor.

    Raises
    ------
    InputError
        Listing up to five such meters and the pairs missing.
    """
    lost = meters.join(factors.select("product", "unit"), on=["product", "unit"], how="anti")
    if lost.height:
        pairs = sorted({(r["product"], r["unit"]) for r in lost.iter_rows(named=True)})
        msg = (f"{lost.height} meter(s) have no conversion factor for (product, unit) {pairs[:5]}; "
               f"e.g. meter {lost['meter_id'][0]}")
        raise InputError(msg, hint="add the pair to the factor table with its source")


def aggregate(readings: ir.Table, meters: ir.Table, units: ir.Table, factors: ir.Table, *,
              grain: Grain, by: By) -> ir.Table:
    """Energy (tce) and emissions (tCO2) of valid readings per period and group.

    The readings are first summed per meter and period (the big step), then converted with the
    meter's factor and summed per group, so the joins touch one row per meter and period.

    Parameters
    ----------
    readings, meters, units, factors
        Ibis tables as described in the module docstring.
    grain
        ``hour``, ``day`` or ``month`` (local time).
    by
        ``meter``, ``unit``, ``league`` or ``industry``.

    Returns
    -------
    ibis.expr.types.Table
        ``period, <by>, energy_tce, tco2``, ordered by period and key.
    """
    if grain not in _TRUNC:
        msg = f"grain '{grain}' is not one of {list(_TRUNC)}"
        raise InputError(msg)
    if by not in _KEY:
        msg = f"by '{by}' is not one of {list(_KEY)}"
        raise InputError(msg)
    valid = readings.filter(readings.valid)
    per_meter = valid.group_by(
        meter_id=valid.meter_id, period=valid.interval_start_local.truncate(_TRUNC[grain]),
    ).aggregate(energy=valid.energy.sum())
    m = meters.select("meter_id", "unit_code", "product", "unit")
    f = factors.select("product", "unit", "kgce_per_unit", "tco2_per_unit")
    u = units.select("unit_code", "league", "industry")
    joined = (per_meter.join(m, "meter_id")
              .join(f, ["product", "unit"])
              .join(u, "unit_code"))
    key = joined[_KEY[by]]
    out = joined.group_by(period=joined.period, **{by: key}).aggregate(
        energy_tce=(joined.energy * joined.kgce_per_unit).sum() / 1000.0,
        tco2=(joined.energy * joined.tco2_per_unit).sum(),
    )
    return out.order_by([out.period, out[by]])


def table_from_polars(frame: pl.DataFrame) -> ir.Table:
    """An in-memory Ibis table from a polars frame (for small tables such as meters or factors)."""
    return ibis.memtable(frame.to_arrow())
