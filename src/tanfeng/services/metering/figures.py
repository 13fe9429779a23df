"""Figures of the stored readings: energy (tce) and CO2 (t) per period and group, data quality, and the
monitored energy beside the reported one.

Quality flags are derived on read from the whole set of stored readings (never stored per batch), so they
do not depend on the order batches arrived in; raw values are never changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo

import polars as pl
from ibis.backends import BaseBackend
from sqlalchemy.orm import Session

from tanfeng.accounting import combustion_co2, electricity_co2, to_standard_coal
from tanfeng.analytics import connect
from tanfeng.config import Settings
from tanfeng.enterprises.benchmarks import GAP_TOLERANCE
from tanfeng.enterprises.benchmarks import monitored_vs_reported as compare_monitored
from tanfeng.enterprises.figures import GRID_REGION
from tanfeng.enterprises.sample import SAMPLE_NOTICE
from tanfeng.errors import InputError, TanfengError, at
from tanfeng.monitoring.aggregate import By, Grain, missing_factors, table_from_polars
from tanfeng.monitoring.aggregate import aggregate as aggregate_expr
from tanfeng.monitoring.validate import COMPLETENESS_THRESHOLD, FLAGS, completeness, validate_readings
from tanfeng.services.metering.read import load_readings, meters_frame, units_frame
from tanfeng.services.metering.schemas import QualityReport
from tanfeng.store import repository_metering as repo
from tanfeng.store.models import utcnow

__all__ = ["TZ", "Period", "aggregate", "as_rows", "conversion_factors", "monitored_vs_reported", "quality",
           "unit_figures"]

TZ = ZoneInfo("Asia/Shanghai")
Period = Literal["hour", "day", "month"]


@lru_cache(maxsize=8)
def _grid_factor(unit: str) -> tuple[float, str]:
    """tCO2 per ``unit`` of electricity: the newest year of the engine's grid factors for :data:`GRID_REGION`."""
    last: TanfengError | None = None
    for year in range(date.today().year, 2009, -1):
        try:
            res = electricity_co2(1.0, unit, GRID_REGION, year)
        except TanfengError as exc:
            last = exc
            continue
        return res.tco2, f"{res.source} ({GRID_REGION}, {year})"
    msg = f"no grid factor for region {GRID_REGION} in the factor library"
    raise InputError(msg) from last


@lru_cache(maxsize=64)
def _factor(product: str, unit: str) -> tuple[float, float, str]:
    coal = to_standard_coal(1.0, unit, product)
    if product == "electricity":
        tco2, src = _grid_factor(unit)
    else:
        res = combustion_co2(1.0, unit, product)
        tco2, src = res.tco2, res.source
    return coal.value * 1000.0, tco2, f"{coal.source}; {src}"


def conversion_factors(meters: pl.DataFrame) -> pl.DataFrame:
    """``product, unit, kgce_per_unit, tco2_per_unit, source`` for the meters' pairs, from the accounting engine.

    kgce: GB/T 2589 coefficients (electricity at its equivalent value); tCO2: the China default combustion
    factors, and for electricity the Inner Mongolia grid factor of the newest year in the library.
    """
    pairs = meters.select("product", "unit").unique().sort("product", "unit")
    rows = []
    for product, unit in pairs.iter_rows():
        kgce, tco2, source = _factor(product, unit)
        rows.append({"product": product, "unit": unit, "kgce_per_unit": kgce, "tco2_per_unit": tco2,
                     "source": source})
    out = pl.DataFrame(rows, schema={"product": pl.String, "unit": pl.String, "kgce_per_unit": pl.Float64,
                                     "tco2_per_unit": pl.Float64, "source": pl.String})
    missing_factors(meters, out)
    return out


_FIRST_DAY, _LAST_DAY = date(1990, 1, 1), date(2100, 12, 31)
"""Readings outside these days are refused as input (no meter data exists there)."""


def _local_bounds(first_day: date | None, last_day: date | None) -> tuple[datetime | None, datetime | None]:
    """UTC instants covering local days ``first_day … last_day`` plus the reading before (cumulative baseline)."""
    for name, day in (("from", first_day), ("to", last_day)):
        if day is not None and not (_FIRST_DAY <= day <= _LAST_DAY):
            msg = f"'{name}' must be a day between {_FIRST_DAY} and {_LAST_DAY}, not {day}"
            raise InputError(msg, location=at(field=name))
    if first_day is not None and last_day is not None and last_day < first_day:
        msg = f"'to' ({last_day}) is before 'from' ({first_day})"
        raise InputError(msg, location=at(field="to"))
    start = datetime.combine(first_day, time(0), tzinfo=TZ).astimezone(UTC) if first_day else None
    end = (datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=TZ).astimezone(UTC)
           if last_day else None)
    return start, end


def _validated(session: Session, settings: Settings, *, first_day: date | None, last_day: date | None,
               backend: BaseBackend | None, unit_code: str | None = None,
               ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Readings with their quality flags, the meters and the units (of one unit when ``unit_code`` is given:
    flags are per meter, so one unit's flags are the same read alone or with the population)."""
    start, end = _local_bounds(first_day, last_day)
    meters = meters_frame(session, unit_code=unit_code)
    units = units_frame(session, unit_code=unit_code)
    meter_ids = meters["meter_id"].to_list() if unit_code is not None else None
    readings = load_readings(session, settings, start=start, end=end, backend=backend, meter_ids=meter_ids,
                             unit_code=unit_code)
    flagged = validate_readings(readings, meters, now=utcnow())
    if first_day is not None:
        flagged = flagged.filter(pl.col("day") >= first_day)
    if last_day is not None:
        flagged = flagged.filter(pl.col("day") <= last_day)
    return flagged, meters, units


def aggregate(session: Session, settings: Settings, *, period: Grain, by: By, first_day: date | None = None,
              last_day: date | None = None, backend: BaseBackend | None = None,
              unit_code: str | None = None) -> list[dict[str, Any]]:
    """Energy (tce) and emissions (tCO2) of valid readings per period and group, run through Ibis.

    Returns rows ``period`` (local start of the hour/day/month), the group key under the ``by`` name,
    ``energy_tce``, ``tco2`` and ``sample`` (true when the group holds 示例数据). ``unit_code`` reads only that
    unit's meters.
    """
    if period not in ("hour", "day", "month"):
        msg = f"period '{period}' is not one of hour, day, month"
        raise InputError(msg)
    if by not in ("meter", "unit", "league", "industry"):
        msg = f"by '{by}' is not one of meter, unit, league, industry"
        raise InputError(msg)
    con = backend or connect(settings)
    flagged, meters, units = _validated(session, settings, first_day=first_day, last_day=last_day,
                                        backend=con, unit_code=unit_code)
    return _aggregated(con, flagged, meters, units, period=period, by=by)


def _aggregated(con: BaseBackend, flagged: pl.DataFrame, meters: pl.DataFrame, units: pl.DataFrame, *,
                period: Grain, by: By) -> list[dict[str, Any]]:
    """:func:`aggregate`'s rows from readings already validated."""
    if flagged.height == 0 or meters.height == 0:
        return []
    factors = conversion_factors(meters)
    expr = aggregate_expr(
        table_from_polars(flagged.select("meter_id", "interval_start_local", "energy", "valid")),
        table_from_polars(meters.drop("sample")), table_from_polars(units.drop("sample")),
        table_from_polars(factors), grain=period, by=by)
    out = pl.from_arrow(con.to_pyarrow(expr))
    assert isinstance(out, pl.DataFrame)
    key_col = {"meter": "meter_id", "unit": "unit_code", "league": "league", "industry": "industry"}[by]
    if by == "meter":
        flags = meters.select(pl.col("meter_id").alias(by), "sample")
    else:
        flags = units.group_by(pl.col(key_col).alias(by)).agg(pl.col("sample").any())
    out = (out.with_columns(pl.col("period").cast(pl.Datetime("us")))
           .join(flags, on=by, how="left").with_columns(pl.col("sample").fill_null(False))
           .sort("period", by))
    return [dict(r) for r in out.select("period", by, "energy_tce", "tco2", "sample").iter_rows(named=True)]


def quality(session: Session, settings: Settings, *, first_day: date | None = None, last_day: date | None = None,
            backend: BaseBackend | None = None, unit_code: str | None = None) -> QualityReport:
    """Quality flags per meter (counts of each ``q_*`` flag) and completeness per unit and local day.

    Days default to the first and last local day holding readings (of unit ``unit_code``'s meters when given).
    """
    flagged, meters, units = _validated(session, settings, first_day=first_day, last_day=last_day,
                                        backend=backend, unit_code=unit_code)
    return _quality_of(flagged, meters, units, first_day=first_day, last_day=last_day)


def unit_figures(session: Session, settings: Settings, *, unit_code: str,
                 backend: BaseBackend | None = None) -> tuple[list[dict[str, Any]], QualityReport]:
    """One unit's monthly energy and CO2 (:func:`aggregate` by unit and month) and its quality
    (:func:`quality`), from one read of its own batches and one connection (what the unit's page shows)."""
    con = backend or connect(settings)
    flagged, meters, units = _validated(session, settings, first_day=None, last_day=None, backend=con,
                                        unit_code=unit_code)
    monthly = _aggregated(con, flagged, meters, units, period="month", by="unit")
    return monthly, _quality_of(flagged, meters, units, first_day=None, last_day=None)


def _quality_of(flagged: pl.DataFrame, meters: pl.DataFrame, units: pl.DataFrame, *, first_day: date | None,
                last_day: date | None) -> QualityReport:
    """:func:`quality`'s report from readings already validated."""
    sample = bool(units["sample"].any()) if units.height else False
    if flagged.height == 0 and (first_day is None or last_day is None):
        today = datetime.now(TZ).date()
        return QualityReport(first_day=first_day or today, last_day=last_day or today,
                             threshold=COMPLETENESS_THRESHOLD, readings=0, valid=0, flags=[], completeness=[],
                             sample=sample, notice=SAMPLE_NOTICE if sample else None)
    days = flagged.filter(pl.col("valid"))["day"] if flagged["valid"].any() else flagged["day"]
    d0 = first_day or days.drop_nulls().min()
    d1 = last_day or days.drop_nulls().max()
    assert isinstance(d0, date)
    assert isinstance(d1, date)
    counts = (flagged.group_by("meter_id").agg(
        pl.len().alias("readings"), pl.col("valid").sum().alias("valid"),
        *[pl.col(f).sum().alias(f) for f in FLAGS])
        .join(meters.select("meter_id", "unit_code"), on="meter_id", how="left")
        .sort("meter_id"))
    _, per_unit = completeness(flagged, meters, first_day=d0, last_day=d1)
    per_unit = per_unit.join(units.select("unit_code", "sample"), on="unit_code", how="left")
    return QualityReport(
        first_day=d0, last_day=d1, threshold=COMPLETENESS_THRESHOLD, readings=flagged.height,
        valid=int(flagged["valid"].sum()), flags=[dict(r) for r in counts.iter_rows(named=True)],
        completeness=[dict(r) for r in per_unit.iter_rows(named=True)], sample=sample,
        notice=SAMPLE_NOTICE if sample else None)


def monitored_vs_reported(session: Session, settings: Settings, *, year: int,
                          backend: BaseBackend | None = None) -> list[dict[str, Any]]:
    """Monitored energy per unit for ``year`` beside the energy of its latest energy report; gaps > 5 % flagged."""
    rows = aggregate(session, settings, period="month", by="unit", first_day=date(year, 1, 1),
                     last_day=date(year, 12, 31), backend=backend)
    monitored = (pl.DataFrame(rows, schema={"period": pl.Datetime("us"), "unit": pl.String,
                                            "energy_tce": pl.Float64, "tco2": pl.Float64, "sample": pl.Boolean})
                 .group_by(pl.col("unit").alias("unit_code")).agg(pl.col("energy_tce").sum())
                 .with_columns(period=pl.lit(year)))
    reports = repo.energy_reports(session, year=year)
    reported = pl.DataFrame(
        [{"unit_code": r.unit_code, "period": year, "energy_tce": float(r.figures.get("energy_tce") or 0.0)}
         for r in reports],
        schema={"unit_code": pl.String, "period": pl.Int32, "energy_tce": pl.Float64})
    out = compare_monitored(monitored.cast({"period": pl.Int32}), reported, tolerance=GAP_TOLERANCE)
    return [dict(r) for r in out.iter_rows(named=True)]


def as_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with datetimes as ISO text (for JSON output)."""
    return [{k: (v.isoformat() if isinstance(v, datetime | date) else v) for k, v in r.items()} for r in rows]

