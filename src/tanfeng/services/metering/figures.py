"""Figures of the stored readings: energy (tce) and CO2 (t) per period and group, data quality, and the
monitored energy beside the reported one.

Quality flags are computed once, when a batch lands (:mod:`tanfeng.services.metering.derive`), and counted into
hourly, daily and monthly rollups per meter; these reads run Ibis expressions over those rollups and never
load, sort or re-validate a reading. The flags equal a full re-validation of the stored readings, whatever the
order batches arrived in; raw values are never changed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo

import ibis.expr.types as ir
import polars as pl
import pyarrow as pa
from ibis.backends import BaseBackend
from sqlalchemy.orm import Session

from tanfeng.accounting import combustion_co2, electricity_co2, to_standard_coal
from tanfeng.analytics import shared_backend
from tanfeng.analytics.compiled import (
    FACTORS_VIEW,
    ROLLUP_VIEW,
    UNITS_VIEW,
    bind_frame,
    compiles_once,
    run_compiled,
)
from tanfeng.analytics.metering import MeteringStore, summed_rollup
from tanfeng.config import Settings
from tanfeng.enterprises.benchmarks import GAP_TOLERANCE
from tanfeng.enterprises.benchmarks import monitored_vs_reported as compare_monitored
from tanfeng.enterprises.figures import GRID_REGION
from tanfeng.enterprises.sample import SAMPLE_NOTICE
from tanfeng.errors import InputError, TanfengError, at
from tanfeng.monitoring.aggregate import By, Grain, missing_factors, table_from_polars
from tanfeng.monitoring.aggregate import aggregate as aggregate_expr
from tanfeng.monitoring.validate import COMPLETENESS_THRESHOLD, FLAGS, INTERVALS_PER_DAY
from tanfeng.services.metering.answers import remembered
from tanfeng.services.metering.derive import catch_up
from tanfeng.services.metering.read import meters_frame, product_units_frame, units_frame
from tanfeng.services.metering.schemas import QualityReport
from tanfeng.store import repository_metering as repo

__all__ = ["TZ", "Period", "aggregate", "as_rows", "conversion_factors", "monitored_vs_reported", "quality"]

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


def _ensure_derived(session: Session, settings: Settings) -> MeteringStore:
    """The derived store, with every committed batch in it (pending batches are flagged first)."""
    catch_up(session, settings)
    return MeteringStore(settings.data_dir)


def _whole_months(first_day: date | None, last_day: date | None) -> bool:
    return (first_day is None or first_day.day == 1) and (last_day is None or (last_day + timedelta(days=1)).day == 1)


def _rollup_grain(period: Grain, first_day: date | None, last_day: date | None) -> Grain:
    """The coarsest stored rollup that answers ``period`` over whole days ``first_day … last_day``."""
    if period == "month" and not _whole_months(first_day, last_day):
        return "day"
    return period


def aggregate(session: Session, settings: Settings, *, period: Grain, by: By, first_day: date | None = None,
              last_day: date | None = None, unit: str | None = None,
              backend: BaseBackend | None = None) -> list[dict[str, Any]]:
    """Energy (tce) and emissions (tCO2) of valid readings per period and group, run through Ibis.

    Reads the rollups kept at ingest (monthly per meter for whole months, else daily or hourly), sums them per
    meter and period before joining meters, units and factors; no reading is loaded. ``unit`` keeps one unit's
    meters. Returns rows ``period`` (local start of the hour/day/month), the group key under the ``by`` name,
    ``energy_tce``, ``tco2`` and ``sample`` (true when the group holds 示例数据).
    """
    if period not in ("hour", "day", "month"):
        msg = f"period '{period}' is not one of hour, day, month"
        raise InputError(msg)
    if by not in ("meter", "unit", "league", "industry"):
        msg = f"by '{by}' is not one of meter, unit, league, industry"
        raise InputError(msg)
    _local_bounds(first_day, last_day)
    store = _ensure_derived(session, settings)
    if backend is not None:
        return _aggregate(session, settings, store, period=period, by=by, first_day=first_day, last_day=last_day,
                          unit=unit, backend=backend)
    return remembered(session, store, ("aggregate", period, by, first_day, last_day, unit),
                      lambda: _aggregate(session, settings, store, period=period, by=by, first_day=first_day,
                                         last_day=last_day, unit=unit, backend=None),
                      lambda rows: [dict(r) for r in rows])


def _aggregate(session: Session, settings: Settings, store: MeteringStore, *, period: Grain, by: By,
               first_day: date | None, last_day: date | None, unit: str | None,
               backend: BaseBackend | None) -> list[dict[str, Any]]:
    pairs = product_units_frame(session)
    if pairs.height == 0:
        return []
    units = units_frame(session)
    con = backend or shared_backend(settings)
    factors = conversion_factors(pairs)
    grain = _rollup_grain(period, first_day, last_day)
    if compiles_once(con):
        if not store.bind_rollup(con, grain, first_day=first_day, last_day=last_day, unit_code=unit):
            return []
        bind_frame(con, UNITS_VIEW, units.drop("sample"))
        bind_frame(con, FACTORS_VIEW, factors.drop("source"))
        arrow = run_compiled(con, ("aggregate", grain, period, by), lambda: _aggregate_expr(
            summed_rollup(con.table(ROLLUP_VIEW), ()), con.table(UNITS_VIEW), con.table(FACTORS_VIEW),
            period=period, by=by))
    else:
        t = store.rollup_table(con, grain, first_day=first_day, last_day=last_day, unit_code=unit, counts=())
        if t is None:
            return []
        arrow = con.to_pyarrow(_aggregate_expr(t, table_from_polars(units.drop("sample")),
                                               table_from_polars(factors.drop("source")), period=period, by=by))
    out = pl.from_arrow(arrow)
    assert isinstance(out, pl.DataFrame)
    key_col = {"meter": "meter_id", "unit": "unit_code", "league": "league", "industry": "industry"}[by]
    if by == "meter":
        flags = meters_frame(session, unit_code=unit).select(pl.col("meter_id").alias(by), "sample")
    else:
        flags = units.group_by(pl.col(key_col).alias(by)).agg(pl.col("sample").any())
    out = (out.with_columns(pl.col("period").cast(pl.Datetime("us")))
           .join(flags, on=by, how="left").with_columns(pl.col("sample").fill_null(False))
           .sort("period", by))
    return [dict(r) for r in out.select("period", by, "energy_tce", "tco2", "sample").iter_rows(named=True)]


def _aggregate_expr(t: ir.Table, units: ir.Table, factors: ir.Table, *, period: Grain, by: By) -> ir.Table:
    """The aggregate over a summed rollup ``t`` (its meters taken from it), joined to units and factors."""
    readings = t.select(meter_id=t.meter_id, interval_start_local=t.period, energy=t.energy, valid=t.valid > 0)
    meters_expr = t.select("meter_id", "unit_code", "product", "unit").distinct()
    return aggregate_expr(readings, meters_expr, units, factors, grain=period, by=by)


def _frame(con: BaseBackend, expr: ir.Table) -> pl.DataFrame:
    out = pl.from_arrow(con.to_pyarrow(expr))
    assert isinstance(out, pl.DataFrame)
    return out


def _completeness(per_unit_day: pl.DataFrame, meters: pl.DataFrame, d0: date, d1: date) -> pl.DataFrame:
    """Valid intervals per unit and day beside the 96 expected of each of the unit's meters."""
    days = pl.date_range(d0, d1, "1d", eager=True).alias("day").to_frame()
    expected = meters.group_by("unit_code").agg(expected_intervals=(pl.len() * INTERVALS_PER_DAY).cast(pl.Int64))
    return (expected.join(days, how="cross").join(per_unit_day, on=["unit_code", "day"], how="left")
            .with_columns(pl.col("valid_intervals").fill_null(0).cast(pl.Int64))
            .with_columns(completeness=pl.col("valid_intervals") / pl.col("expected_intervals"))
            .with_columns(meets_threshold=pl.col("completeness") >= COMPLETENESS_THRESHOLD)
            .select("unit_code", "day", "valid_intervals", "expected_intervals", "completeness", "meets_threshold")
            .sort("unit_code", "day"))


def quality(session: Session, settings: Settings, *, first_day: date | None = None, last_day: date | None = None,
            unit: str | None = None, backend: BaseBackend | None = None) -> QualityReport:
    """Quality flags per meter (counts of each ``q_*`` flag) and completeness per unit and local day.

    Read from the daily rollups the flags were counted into at ingest (nothing is validated here). Days default
    to the first and last local day holding valid readings; ``unit`` keeps one unit.
    """
    _local_bounds(first_day, last_day)
    store = _ensure_derived(session, settings)
    if backend is not None:
        return _quality(session, settings, store, first_day=first_day, last_day=last_day, unit=unit, backend=backend)
    return remembered(session, store, ("quality", first_day, last_day, unit),
                      lambda: _quality(session, settings, store, first_day=first_day, last_day=last_day, unit=unit,
                                       backend=None),
                      _copy_report)


def _copy_report(rep: QualityReport) -> QualityReport:
    return rep.model_copy(deep=True)


_Run = Callable[[Hashable, Callable[[], ir.Table]], pl.DataFrame]
"""Runs an expression of the bound daily rollup (compiled once per key on DuckDB) and returns a frame."""


def _bound_day_rollup(con: BaseBackend, store: MeteringStore, *, first_day: date | None, last_day: date | None,
                      unit: str | None) -> tuple[Callable[[], ir.Table], _Run] | None:
    """The daily rollup of these days (and unit) as a builder of its summed table and a runner; None when empty."""
    if compiles_once(con):
        if not store.bind_rollup(con, "day", first_day=first_day, last_day=last_day, unit_code=unit):
            return None
        return (lambda: summed_rollup(con.table(ROLLUP_VIEW))), (lambda key, build: _arrow(run_compiled(con, key, build)))
    t = store.rollup_table(con, "day", first_day=first_day, last_day=last_day, unit_code=unit)
    if t is None:
        return None
    return (lambda: t), (lambda key, build: _frame(con, build()))


def _arrow(table: pa.Table) -> pl.DataFrame:
    out = pl.from_arrow(table)
    assert isinstance(out, pl.DataFrame)
    return out


def _quality_frames(bound: tuple[Callable[[], ir.Table], _Run] | None, *, one_unit: bool
                    ) -> tuple[pl.DataFrame, pl.DataFrame | None, pl.DataFrame | None]:
    """Readings and valid ones per day; for one unit also the counts per meter and valid intervals per unit-day.

    One unit's daily rollup is small (its meters × days): it is read once and counted in memory. Across units the
    counts stay in the engine (:func:`_counts`)."""
    if bound is None:
        return pl.DataFrame(schema={"period": pl.Datetime, "readings": pl.Int64, "valid": pl.Int64}), None, None
    table, run = bound
    if not one_unit:
        return run(("quality", "per day"), lambda: (t := table()).group_by("period").aggregate(
            readings=t.readings.sum(), valid=t.valid.sum())), None, None
    rows = run(("quality", "one unit"), lambda: table().select("meter_id", "unit_code", "period", "readings",
                                                               "valid", *FLAGS))
    sums = [pl.col("readings").sum(), pl.col("valid").sum()]
    return (rows.group_by("period").agg(*sums),
            rows.group_by("meter_id").agg(*sums, *(pl.col(f).sum() for f in FLAGS)),
            rows.filter(pl.col("unit_code").is_not_null()).group_by("unit_code", "period")
            .agg(valid_intervals=pl.col("valid").sum()))


def _counts(bound: tuple[Callable[[], ir.Table], _Run]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Counts of each flag per meter and valid intervals per unit and day, summed in the engine."""
    table, run = bound
    counts = run(("quality", "per meter"), lambda: (t := table()).group_by("meter_id").aggregate(
        readings=t.readings.sum(), valid=t.valid.sum(), **{f: t[f].sum() for f in FLAGS}))

    def per_unit_day() -> ir.Table:
        known = (t := table()).filter(t.unit_code.notnull())
        return known.group_by(["unit_code", "period"]).aggregate(valid_intervals=known.valid.sum())

    return counts, run(("quality", "per unit-day"), per_unit_day)


def _quality(session: Session, settings: Settings, store: MeteringStore, *, first_day: date | None,
             last_day: date | None, unit: str | None, backend: BaseBackend | None) -> QualityReport:
    meters = meters_frame(session, unit_code=unit)
    units = units_frame(session)
    if unit is not None:
        units = units.filter(pl.col("unit_code") == unit)
    sample = bool(units["sample"].any()) if units.height else False
    con = backend or shared_backend(settings)
    bound = _bound_day_rollup(con, store, first_day=first_day, last_day=last_day, unit=unit)
    per_day, counts_all, per_unit_day_all = _quality_frames(bound, one_unit=unit is not None)
    if bound is None or (per_day.height == 0 and (first_day is None or last_day is None)):
        today = datetime.now(TZ).date()
        return QualityReport(first_day=first_day or today, last_day=last_day or today,
                             threshold=COMPLETENESS_THRESHOLD, readings=0, valid=0, flags=[], completeness=[],
                             sample=sample, notice=SAMPLE_NOTICE if sample else None)
    held = per_day.filter(pl.col("valid") > 0) if int(per_day["valid"].sum()) else per_day
    d0 = first_day or held["period"].min().date()  # type: ignore[union-attr]
    d1 = last_day or held["period"].max().date()  # type: ignore[union-attr]
    if counts_all is None or per_unit_day_all is None:
        counts_all, per_unit_day_all = _counts(bound)
    counts = counts_all.join(meters.select("meter_id", "unit_code"), on="meter_id", how="left").sort("meter_id")
    per_unit_day = per_unit_day_all.with_columns(day=pl.col("period").dt.date()).drop("period")
    per_unit = _completeness(per_unit_day, meters, d0, d1).join(units.select("unit_code", "sample"), on="unit_code",
                                                                how="left")
    return QualityReport(
        first_day=d0, last_day=d1, threshold=COMPLETENESS_THRESHOLD, readings=int(per_day["readings"].sum()),
        valid=int(per_day["valid"].sum()), flags=[dict(r) for r in counts.iter_rows(named=True)],
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

