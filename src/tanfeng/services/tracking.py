"""Use cases of dual control, target tracking, early warning and dispatch (双控 · 预警 · 调度).

This module orchestrates the pure domain (:mod:`tanfeng.tracking`, :mod:`tanfeng.reports`) and the store
(:mod:`tanfeng.store.models_tracking`): it reads indicator values, applies the domain's rules and returns
pydantic results; the CLI and the web routes only format them.

Where a value comes from
------------------------
For a (region, indicator, period) the value used is, in order of priority:

1. a **real reference statistic** in the store (``reference_statistics``, e.g. the 2020 intensity change
   +6.89 % of NBS/NDRC/NEA 2021-08-23), with its source and certainty;
2. the current version of the key in ``indicator_values`` (entered by a user, or the sample data loaded by
   ``tanfeng init``, ``sample = true`` and source 示例数据 …).

Every figure carries its unit, source and sample flag. Anything built from a sample value is marked sample.

Versioning
----------
``indicator_values`` and ``dispatch_entries`` are never updated in place: a change adds version n + 1 and
stamps ``superseded_at`` on version n. Each write is audited (who, what, before/after).
"""

from __future__ import annotations

import importlib
import inspect
import math
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, SessionTransactionOrigin

from tanfeng.access import Principal, Role
from tanfeng.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError, UnitError, at
from tanfeng.plan.model import Comparator, Plan, Target
from tanfeng.reference.regions import get_region, resolve_region_code
from tanfeng.reports.model import (
    DispatchReport,
    LeagueLevel,
    MissingReport,
    OffTrackTarget,
    Point,
    WarningRow,
)
from tanfeng.store import repository
from tanfeng.store.models import ImportBatchRow, utcnow
from tanfeng.store.models_tracking import (
    MEASURE_STATUSES,
    DispatchEntryRow,
    DispatchPeriodRow,
    IndicatorValueRow,
)
from tanfeng.tracking import sample as sample_data
from tanfeng.tracking.decoupling import Boundary, Decoupling, tapio
from tanfeng.tracking.forecast import Forecast
from tanfeng.tracking.forecast import forecast as fit_forecast
from tanfeng.tracking.indicators import implied_energy_growth_pct
from tanfeng.tracking.peak import PeakResult, detect_peak
from tanfeng.tracking.rules import Assessment, EnergyData, EnergyTargets, YearFigures, assess_energy
from tanfeng.tracking.trajectory import Status, TrajectoryTarget, progress
from tanfeng.tracking.warning import Alert, carbon_intensity_warning, intensity_warning, total_warning
from tanfeng.units import convert

__all__ = [
    "CARBON_REQUIRED_ANNUAL_PCT",
    "INTENSITY_REQUIRED_ANNUAL_PCT",
    "LEAGUES",
    "PLAN_ID",
    "REGION",
    "SAMPLE_BATCH",
    "ChangeOut",
    "Changes",
    "DispatchEntryOut",
    "DispatchPeriodOut",
    "EntryWithHistory",
    "Figure",
    "IndicatorValueOut",
    "LeagueWarnings",
    "MissingOut",
    "PeriodSummary",
    "RegionStatus",
    "SampleLoad",
    "TargetTrack",
    "build_dispatch_report",
    "changes_since_last_period",
    "close_period",
    "current_entries",
    "decoupling",
    "enter_value",
    "entry_history",
    "expected_unit",
    "forecast",
    "indicator_history",
    "item_options",
    "list_indicator_values",
    "list_periods",
    "load_sample",
    "missing_reports",
    "open_period",
    "parse_period",
    "peak",
    "period_summaries",
    "record_value",
    "status",
    "submit_entry",
    "targets_board",
    "unit_name",
    "warnings",
]

REGION = sample_data.REGION
LEAGUES = sample_data.LEAGUES
PLAN_ID = "im2022"
BASE_YEAR = 2020
"""Base year of the 14th five-year plan's targets and of the constant prices GDP must be at."""
SAMPLE_BATCH = "tanfeng.tracking.sample"
"""``import_batches.kind`` of the sample loaded by ``tanfeng init``."""

INTENSITY_REQUIRED_ANNUAL_PCT = sample_data.INTENSITY_REQUIRED_ANNUAL_PCT
"""Required yearly change of energy intensity, % (−3.2: a 15 % fall over 2021–2025). An assumption of the
sample; the region's own allocated target is not in the store."""
CARBON_REQUIRED_ANNUAL_PCT = round((0.82 ** (1 / 5) - 1) * 100, 2)
"""Required yearly change of carbon intensity, % (−3.89: the national 14th-FYP fall of 18 % over five years
applied pro rata; an assumption for regions and leagues)."""
REQUIRED_NOTE = ("要求进度: 能耗强度 −3.2%/年 (五年累计下降15%, 示例假设); 碳排放强度 −3.89%/年 (全国“十四五”下降18%按年均摊, 假设); "
                 "能耗总量增速上限 = 实际GDP增速下按强度进度允许的增速 (推定)")

_PERIOD = re.compile(r"^(\d{4})(?:Q([1-4])|-(0[1-9]|1[0-2]))?$")
_PRICE_BASE = re.compile(r"(\d{4})\s*年?\s*不变价")

REFERENCE_ALIASES: dict[str, str] = {
    "energy_intensity_change_vs_prev_year": "energy_intensity_change_vs_prev_year",
    "energy_consumption_growth": "energy_consumption_growth",
    "gdp_real_growth": "gdp_real_growth",
    "non_fossil_share_energy_consumption": "non_fossil_energy_share",
}
"""Reference statistics used as indicator values: statistic indicator → tracking indicator (same unit)."""

INDICATOR_LABELS: dict[str, str] = {
    "gdp": "地区生产总值 (2020年不变价)",
    "energy_consumption": "能源消费总量",
    "energy_intensity": "单位GDP能耗",
    "energy_intensity_assessed": "单位GDP能耗 (扣除原料用能, 803号)",
    "energy_intensity_change_vs_prev_year": "单位GDP能耗变化率 (同比)",
    "energy_consumption_growth": "能源消费总量增速",
    "co2_emissions": "二氧化碳排放量 (能源活动)",
    "carbon_intensity": "单位GDP二氧化碳排放",
    "carbon_intensity_change_vs_prev_year": "单位GDP二氧化碳排放变化率 (同比)",
    "non_fossil_energy_share": "非化石能源消费比重",
    "coal_consumption_share": "煤炭消费比重",
    "feedstock_energy": "原料用能",
    "new_renewable_electricity": "新增可再生能源电力消费量",
    "gdp_real_growth": "地区生产总值实际增速",
}

_UNIT_ALIASES: dict[str, str] = {"万吨标准煤": "万tce", "万吨标煤": "万tce", "％": "%", "万吨二氧化碳": "万tCO2",
                                 "吨标准煤/万元": "tce/万元"}


# --------------------------------------------------------------------------------------------------- models

class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Figure(_Out):
    """One number with its unit and where it comes from."""

    indicator: str
    label: str
    value: float | None
    unit: str
    source: str
    sample: bool
    certainty: str | None = None
    note: str | None = None


class TargetTrack(_Out):
    """A plan target's trajectory in a year: required value, progress, gap, years left, status."""

    target_id: str
    indicator: str
    indicator_id: str
    indicator_en: str | None
    action: str | None
    scope: str
    scope_regions: list[str]
    target_year: int | None
    comparator: str
    target: float
    target_high: float | None
    target_unit: str
    baseline_year: int | None
    baseline_value: float | None
    year: int
    actual: float | None
    actual_year: int | None
    unit: str | None
    required: float | None
    target_value: float | None
    progress_ratio: float | None
    gap: float | None
    years_left: int | None
    status: str
    sample: bool
    source: str | None
    series: list[tuple[int, float]]
    required_path: list[tuple[int, float]]
    note: str | None = None


class RegionStatus(_Out):
    """A region's (or league's) dual-control figures in a year, with the rules applied and its targets."""

    region: str
    name: str
    level: str
    year: int
    gdp_price_base: int | None
    figures: list[Figure]
    assessment: Assessment | None
    rules_applied: list[str]
    rules_skipped: list[str]
    targets: list[TargetTrack]
    sample: bool
    notes: list[str]


class LeagueWarnings(_Out):
    """Barometer levels of one region or league in a period."""

    region: str
    name: str
    period: str
    year: int
    intensity: Alert | None
    intensity_source: str | None
    total: Alert | None
    total_source: str | None
    carbon: Alert | None
    carbon_source: str | None
    sample: bool
    notes: list[str]


class IndicatorValueOut(_Out):
    """One version of an indicator value (or a reference statistic, ``version`` None)."""

    region: str
    indicator: str
    period: str
    year: int
    value: float
    unit: str
    source: str
    certainty: str
    sample: bool
    version: int | None
    current: bool
    entered_by: str | None
    entered_at: datetime | None
    superseded_at: datetime | None
    note: str | None
    origin: Literal["reference_statistics", "indicator_values"]


class DispatchPeriodOut(_Out):
    """A dispatch round."""

    id: str
    opened_at: datetime
    opened_by: str
    due_date: date
    status: str


class DispatchEntryOut(_Out):
    """One version of a dispatch entry."""

    id: int
    period: str
    responsible_unit: str
    target_id: str | None
    measure_id: str | None
    actual_value: float | None
    value_unit: str | None
    measure_status: str | None
    evidence: str
    as_of: date
    version: int
    current: bool
    superseded_at: datetime | None
    entered_by: str
    entered_at: datetime


class MissingOut(_Out):
    """A responsible unit that has not reported something for a period."""

    unit: str
    name: str
    missing: str


class SampleLoad(_Out):
    """What loading the sample did."""

    inserted: int
    skipped_real: int
    unchanged: bool


@dataclass(frozen=True)
class _Val:
    value: float
    unit: str
    source: str
    certainty: str
    sample: bool
    origin: Literal["reference_statistics", "indicator_values"]


# --------------------------------------------------------------------------------------------------- helpers

def parse_period(period: str) -> int:
    """The year of a period (``2025``, ``2025Q3`` or ``2025-09``), or :class:`InputError`."""
    m = _PERIOD.match(period.strip()) if isinstance(period, str) else None
    if m is None:
        msg = f"period {period!r} is not a year (2025), a quarter (2025Q3) or a month (2025-09)"
        raise InputError(msg, location=at(field="period"))
    return int(m.group(1))


def _plan(session: Session) -> Plan:
    return repository.get_plan(session, PLAN_ID)


def _plan_span(plan: Plan) -> tuple[int, int]:
    years = [t.year for t in plan.targets if t.year is not None]
    bases = [t.baseline_year for t in plan.targets if t.baseline_year is not None]
    return (min(bases, default=BASE_YEAR), max(years, default=2030))


def _check_in_plan(session: Session, year: int, *, field: str = "period", allow_base: bool = False) -> None:
    start, end = _plan_span(_plan(session))
    lo = start if allow_base else start + 1
    if not lo <= year <= end:
        msg = f"year {year} is outside the plan {PLAN_ID} ({lo}–{end})"
        raise InputError(msg, location=at(field=field), hint=f"give a period from {lo} to {end}")


def _norm_unit(unit: str) -> str:
    u = unit.strip()
    return _UNIT_ALIASES.get(u, u)


def _plan_units(plan: Plan) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in plan.targets:
        unit = "指数 (2020=100)" if t.comparator in (Comparator.DECREASE_BY, Comparator.INCREASE_BY) else t.unit
        out.setdefault(t.indicator_id, unit)
    return out


def expected_unit(session: Session, indicator: str) -> str:
    """The unit values of ``indicator`` are stored in (the sample's units and the plan targets' units)."""
    units = {**_plan_units(_plan(session)), **sample_data.UNITS}
    if indicator not in units:
        msg = f"unknown indicator '{indicator}'"
        raise InputError(msg, location=at(field="indicator"),
                         hint="known indicators: " + ", ".join(sorted(units)))
    return units[indicator]


def _check_unit(session: Session, indicator: str, unit: str) -> str:
    want = expected_unit(session, indicator)
    if _norm_unit(unit) != _norm_unit(want):
        msg = f"'{indicator}' is stored in {want}, not {unit}"
        raise InputError(msg, location=at(field="unit"), hint=f"convert the value to {want} and send unit '{want}'")
    return want


_R = TypeVar("_R", "IndicatorValueRow", "DispatchEntryRow")


def _supersede(cur: _R | None, now: datetime,
               as_dict: Callable[[_R], dict[str, Any]]) -> tuple[dict[str, Any] | None, int]:
    """Versioning, never overwriting: mark the current version superseded at ``now``.

    Returns the superseded version as a dict (the audit entry's "before") and the number of the next version.
    """
    if cur is None:
        return None, 1
    cur.superseded_at = now
    return as_dict(cur), cur.version + 1


@contextmanager
def _write(session: Session, what: str) -> Iterator[None]:
    """Run a write in a savepoint; commit it when the caller has no transaction of its own.

    A transaction the caller began (``session.begin()``) is left to the caller, so several writes can be
    grouped; one that only reads began (autobegin) is committed here, so a web request or a CLI command
    lands its write. A collision becomes :class:`ConflictError`; nothing of the write is kept.
    """
    tx = session.get_transaction()
    owned = tx is None or tx.origin is SessionTransactionOrigin.AUTOBEGIN
    try:
        with session.begin_nested():
            yield
        if owned:
            session.commit()
    except IntegrityError as exc:
        if owned:
            session.rollback()
        msg = f"{what} collides with stored data: {str(exc.orig).strip().splitlines()[0]}"
        raise ConflictError(msg, hint="nothing was written; reload and try again") from exc
    except BaseException:
        if owned:
            session.rollback()
        raise


def _audit(session: Session, *, actor: str, action: str, entity: str, entity_id: str,
           before: dict[str, Any] | None, after: dict[str, Any] | None, actor_role: str | None = None,
           client_address: str | None = None) -> None:
    """One audit entry through :func:`tanfeng.store.repository.record_audit` (``actor_role`` when it takes one)."""
    fn: Any = repository.record_audit
    kwargs: dict[str, Any] = {"actor": actor, "action": action, "entity": entity, "entity_id": entity_id,
                              "before": before, "after": after}
    params = inspect.signature(fn).parameters
    for key, value in (("actor_role", actor_role), ("client_address", client_address)):
        if value is not None and key in params:
            kwargs[key] = value
    fn(session, **kwargs)


def _region_name(code: str) -> str:
    try:
        return get_region(code).name_zh
    except InputError:
        return code


def _load(session: Session, regions: Collection[str] | None = None) -> dict[tuple[str, str, str], _Val]:
    """Current values keyed by (region, indicator, period): indicator values, real statistics on top."""
    q = select(IndicatorValueRow).where(IndicatorValueRow.superseded_at.is_(None))
    if regions is not None:
        q = q.where(IndicatorValueRow.region.in_(list(regions)))
    out: dict[tuple[str, str, str], _Val] = {}
    for r in session.scalars(q):
        out[(r.region, r.indicator, r.period)] = _Val(r.value, r.unit, r.source, r.certainty, r.sample,
                                                      "indicator_values")
    for s in repository.list_statistics(session):
        ind = REFERENCE_ALIASES.get(s.indicator)
        if ind is None or (regions is not None and s.region not in regions):
            continue
        key = (s.region, ind, s.period or str(s.year))
        prev = out.get(key)
        if prev is not None and prev.origin == "reference_statistics":
            continue  # the first statistic of a key wins (files are read in a fixed order)
        out[key] = _Val(s.value, s.unit, s.source, s.certainty.value, False, "reference_statistics")
    return out


def _annual(vals: dict[tuple[str, str, str], _Val], region: str, indicator: str) -> dict[int, _Val]:
    out: dict[int, _Val] = {}
    for (r, ind, period), v in vals.items():
        if r == region and ind == indicator and period.isdigit():
            out[int(period)] = v
    return dict(sorted(out.items()))


def _price_base(unit: str) -> int | None:
    m = _PRICE_BASE.search(unit)
    return int(m.group(1)) if m else None


def _gdp(vals: dict[tuple[str, str, str], _Val], region: str) -> tuple[dict[int, _Val], int | None]:
    """GDP levels of ``region`` and their price base; GDP of no or mixed price bases is refused."""
    gdp = _annual(vals, region, "gdp")
    bases = {_price_base(v.unit) for v in gdp.values()}
    if not gdp:
        return gdp, None
    if None in bases or len(bases) != 1:
        bad = next(y for y, v in gdp.items() if _price_base(v.unit) is None) if None in bases else None
        msg = (f"GDP of {region} has no constant-price base (unit of {bad}: '{gdp[bad].unit}')" if bad is not None
               else f"GDP of {region} mixes price bases {sorted(b for b in bases if b)}")
        raise InputError(msg, location=at(field="gdp_price_base"),
                         hint="intensity needs GDP at constant 2020 prices: store it with unit '亿元 (2020年不变价)'")
    base = bases.pop()
    if base != BASE_YEAR:
        msg = f"GDP of {region} is at {base} prices; the 14th-FYP intensity uses constant {BASE_YEAR} prices"
        raise InputError(msg, location=at(field="gdp_price_base"), hint="rebase the GDP series to 2020 prices")
    return gdp, base


def _src(*vs: _Val | None) -> str:
    seen: list[str] = []
    for v in vs:
        if v is not None and v.source not in seen:
            seen.append(v.source)
    return "; ".join(seen)


def _is_sample(*vs: _Val | None) -> bool:
    return any(v is not None and v.sample for v in vs)


# --------------------------------------------------------------------------------------------------- values

def record_value(session: Session, *, region: str, indicator: str, period: str, value: float, unit: str,
                 source: str, actor: str, certainty: str = "P", sample: bool = False, note: str | None = None,
                 actor_role: str | None = None) -> IndicatorValueOut:
    """Store a value: version 1, or version n + 1 superseding the current one (never an update of the value).

    Raises
    ------
    InputError
        Unknown indicator, a unit other than the indicator's, a bad period, a missing source.
    """
    year = parse_period(period)
    _start, end = _plan_span(_plan(session))
    if not 2000 <= year <= end:
        msg = f"period {period} is outside the years tracked (2000–{end}, the plan ends in {end})"
        raise InputError(msg, location=at(field="period"))
    if not math.isfinite(value):
        msg = "value is not a finite number"
        raise InputError(msg, location=at(field="value"))
    unit = _check_unit(session, indicator, unit)
    if not source.strip():
        msg = "every value needs its source"
        raise InputError(msg, location=at(field="source"))
    if certainty not in ("P", "S", "R"):
        msg = f"certainty '{certainty}' is not P, S or R"
        raise InputError(msg, location=at(field="certainty"))
    get_region(region)  # UnknownRegionError for a code that is not in the catalogue
    with _write(session, f"value {region}/{indicator}/{period}"):
        cur = session.scalars(select(IndicatorValueRow).where(
            IndicatorValueRow.region == region, IndicatorValueRow.indicator == indicator,
            IndicatorValueRow.period == period, IndicatorValueRow.superseded_at.is_(None))).first()
        now = utcnow()
        before, version = _supersede(cur, now, _value_dict)
        row = IndicatorValueRow(region=region, indicator=indicator, period=period, year=year, value=value, unit=unit,
                                source=source.strip(), certainty=certainty, sample=sample,
                                version=version, superseded_at=None,
                                entered_by=actor, entered_at=now, note=note)
        session.add(row)
        session.flush()
        _audit(session, actor=actor, action="insert" if cur is None else "new_version", entity="indicator_value",
               entity_id=f"{region}/{indicator}/{period}", before=before, after=_value_dict(row),
               actor_role=actor_role)
        return _value_out(row)


def _value_dict(r: IndicatorValueRow) -> dict[str, Any]:
    return {"region": r.region, "indicator": r.indicator, "period": r.period, "value": r.value, "unit": r.unit,
            "source": r.source, "certainty": r.certainty, "sample": r.sample, "version": r.version,
            "note": r.note}


def _value_out(r: IndicatorValueRow) -> IndicatorValueOut:
    return IndicatorValueOut(region=r.region, indicator=r.indicator, period=r.period, year=r.year, value=r.value,
                             unit=r.unit, source=r.source, certainty=r.certainty, sample=r.sample, version=r.version,
                             current=r.superseded_at is None, entered_by=r.entered_by, entered_at=r.entered_at,
                             superseded_at=r.superseded_at, note=r.note, origin="indicator_values")


def indicator_history(session: Session, *, region: str, indicator: str, period: str) -> list[IndicatorValueOut]:
    """Every version of one key, oldest first (who entered each, when it was superseded)."""
    rows = session.scalars(select(IndicatorValueRow).where(
        IndicatorValueRow.region == region, IndicatorValueRow.indicator == indicator,
        IndicatorValueRow.period == period).order_by(IndicatorValueRow.version))
    return [_value_out(r) for r in rows]


def list_indicator_values(session: Session, *, region: str | None = None,
                          indicator: str | None = None) -> list[IndicatorValueOut]:
    """The values in use (real statistics first where both exist), sorted by region, indicator, period."""
    vals = _load(session, None if region is None else [region])
    rows = session.scalars(select(IndicatorValueRow).where(IndicatorValueRow.superseded_at.is_(None)))
    stored = {(r.region, r.indicator, r.period): r for r in rows}
    out: list[IndicatorValueOut] = []
    for (reg, ind, period), v in sorted(vals.items()):
        if (region is not None and reg != region) or (indicator is not None and ind != indicator):
            continue
        r = stored.get((reg, ind, period))
        if v.origin == "indicator_values" and r is not None:
            out.append(_value_out(r))
        else:
            out.append(IndicatorValueOut(region=reg, indicator=ind, period=period, year=parse_period(period),
                                         value=v.value, unit=v.unit, source=v.source, certainty=v.certainty,
                                         sample=False, version=None, current=True, entered_by=None, entered_at=None,
                                         superseded_at=None, note="reference statistic (real figure)",
                                         origin="reference_statistics"))
    return out


def load_sample(session: Session, *, actor: str, seed: int = sample_data.DEFAULT_SEED) -> SampleLoad:
    """Load :func:`tanfeng.tracking.sample.generate_sample` into ``indicator_values`` (``sample = true``).

    Idempotent (a batch with the same content hash is not loaded again). Keys that hold a real reference
    statistic are skipped (real figures keep priority), and so are keys that already have a value (a value a
    user entered is never replaced by sample data). One audit entry and one import batch per load.
    """
    rows = sample_data.generate_sample(seed)
    digest = repository.content_hash([r.as_dict() for r in rows])
    name = f"sample seed {seed}"
    last = session.scalars(select(ImportBatchRow).where(ImportBatchRow.kind == SAMPLE_BATCH,
                                                        ImportBatchRow.name == name)
                           .order_by(ImportBatchRow.id.desc()).limit(1)).first()
    if last is not None and last.content_hash == digest:
        return SampleLoad(inserted=0, skipped_real=0, unchanged=True)
    real = {(s.region, REFERENCE_ALIASES[s.indicator], str(s.year)) for s in repository.list_statistics(session)
            if s.indicator in REFERENCE_ALIASES and s.period is None}
    have = {(a, b, c) for a, b, c in session.execute(
        select(IndicatorValueRow.region, IndicatorValueRow.indicator, IndicatorValueRow.period)
        .where(IndicatorValueRow.superseded_at.is_(None)))}
    now = utcnow()
    inserted = skipped = 0
    new: list[IndicatorValueRow] = []
    for r in rows:
        key = (r.region, r.indicator, str(r.year))
        if key in real:
            skipped += 1
            continue
        if key in have:
            continue
        note = f"anchored on a real figure: {r.anchor}" if r.anchor else None
        new.append(IndicatorValueRow(region=r.region, indicator=r.indicator, period=str(r.year), year=r.year,
                                     value=r.value, unit=r.unit, source=r.source, certainty="R", sample=True,
                                     version=1, superseded_at=None, entered_by=actor, entered_at=now, note=note))
        inserted += 1
    with _write(session, "the sample indicator values"):
        session.add_all(new)
        session.flush()
        _audit(session, actor=actor, action="insert", entity="indicator_values_sample", entity_id=name, before=None,
               after={"rows": inserted, "skipped_real": skipped, "content_hash": digest,
                      "source": sample_data.sample_source(seed)})
        repository.record_batch(session, kind=SAMPLE_BATCH, name=name, rows=inserted, digest=digest,
                                status="loaded", actor=actor,
                                message=f"{inserted} inserted, {skipped} skipped (real statistics keep priority)")
    return SampleLoad(inserted=inserted, skipped_real=skipped, unchanged=False)


# --------------------------------------------------------------------------------------------------- status

def _fig(indicator: str, v: _Val | None, *, unit: str | None = None, note: str | None = None) -> Figure:
    return Figure(indicator=indicator, label=INDICATOR_LABELS.get(indicator, indicator),
                  value=None if v is None else v.value, unit=unit or (v.unit if v else ""),
                  source="" if v is None else v.source, sample=bool(v and v.sample),
                  certainty=None if v is None else v.certainty, note=note)


def _target_applies(t: Target, region: str) -> bool:
    return t.scope == region or region in t.scope_regions


def _track(t: Target, vals: dict[tuple[str, str, str], _Val], region: str, year: int) -> TargetTrack:
    series = _annual(vals, region, t.indicator_id)
    pts = [(y, v.value) for y, v in series.items() if y >= BASE_YEAR]
    by = t.baseline_year or BASE_YEAR
    base = series.get(by)
    upto = [y for y in series if y <= year]
    actual_year = max(upto) if upto else None
    act = series[actual_year] if actual_year is not None else None
    common: dict[str, Any] = {
        "target_id": t.id, "indicator": t.indicator, "indicator_id": t.indicator_id, "indicator_en": t.indicator_en,
        "action": t.action, "scope": t.scope, "scope_regions": list(t.scope_regions), "target_year": t.year,
        "comparator": t.comparator.value, "target": t.value, "target_high": t.value_high, "target_unit": t.unit,
        "baseline_year": by, "baseline_value": None if base is None else base.value, "year": year,
        "actual": None if act is None else act.value, "actual_year": actual_year,
        "unit": act.unit if act is not None else (base.unit if base is not None else None),
        "sample": _is_sample(act, base), "source": _src(base, act) or None, "series": pts,
    }
    empty: dict[str, Any] = {"required": None, "target_value": None, "progress_ratio": None, "gap": None,
                             "years_left": None, "required_path": []}
    if t.year is None:
        return TargetTrack(**common, **empty, status="no_path", note="standing target (no year): no path")
    if base is None:
        return TargetTrack(**common, **empty, status=Status.NO_DATA.value,
                           note=f"no value for the baseline year {by}")
    try:
        tt = TrajectoryTarget.from_plan(t, baseline_value=base.value, baseline_year=by)
    except InputError as exc:
        return TargetTrack(**common, **empty, status=Status.NO_DATA.value, note=str(exc))
    p = progress(tt, actual_year if actual_year is not None else year, None if act is None else act.value)
    return TargetTrack(**{**common, "required": p.required, "target_value": tt.target_value,
                          "progress_ratio": p.progress_ratio, "gap": p.gap, "years_left": p.years_left,
                          "status": p.status.value, "required_path": [(y, round(v, 6)) for y, v in tt.path()]})


def _status_one(session: Session, plan: Plan, vals: dict[tuple[str, str, str], _Val], code: str,
                year: int) -> RegionStatus:
    region = get_region(code)
    notes: list[str] = []
    gdp, price_base = _gdp(vals, code)
    energy = _annual(vals, code, "energy_consumption")
    co2 = _annual(vals, code, "co2_emissions")
    feed = _annual(vals, code, "feedstock_energy")
    ren = _annual(vals, code, "new_renewable_electricity")
    g, e, c = gdp.get(year), energy.get(year), co2.get(year)
    figures = [_fig("energy_consumption", e), _fig("gdp", g)]
    if e is not None and g is not None:
        v = _Val(round(e.value / g.value, 6), "tce/万元", f"计算: 能源消费总量 / 地区生产总值 ({price_base}年不变价); {_src(e, g)}",
                 "R" if _is_sample(e, g) else e.certainty, _is_sample(e, g), e.origin)
        figures.append(_fig("energy_intensity", v, note="万tce / 亿元 = tce/万元"))
    else:
        figures.append(_fig("energy_intensity", None, unit="tce/万元", note="energy or GDP missing"))
    for ind in ("energy_intensity_change_vs_prev_year", "energy_consumption_growth"):
        figures.append(_fig(ind, _annual(vals, code, ind).get(year), unit="%"))
    figures.append(_fig("co2_emissions", c, unit="万tCO2"))
    if c is not None and g is not None:
        v = _Val(round(c.value / g.value, 6), "tCO2/万元",
                 f"计算: 二氧化碳排放量 / 地区生产总值 ({price_base}年不变价); {_src(c, g)}", "R", _is_sample(c, g), c.origin)
        figures.append(_fig("carbon_intensity", v, note="万tCO2 / 亿元 = tCO2/万元"))
    else:
        figures.append(_fig("carbon_intensity", None, unit="tCO2/万元", note="CO2 or GDP missing"))
    figures.append(_fig("carbon_intensity_change_vs_prev_year",
                        _annual(vals, code, "carbon_intensity_change_vs_prev_year").get(year), unit="%"))
    for ind in ("non_fossil_energy_share", "coal_consumption_share"):
        figures.append(_fig(ind, _annual(vals, code, ind).get(year), unit="%"))

    assessment: Assessment | None = None
    if year > BASE_YEAR and e is not None and BASE_YEAR in energy:
        years: dict[int, YearFigures] = {}
        for y in (BASE_YEAR, year):
            years[y] = YearFigures(
                energy_tce=energy[y].value * 1e4,
                gdp_10k_yuan=gdp[y].value * 1e4 if y in gdp else None,
                renewable_electricity_tce=ren[y].value * 1e4 if y in ren else None,
                feedstock_tce=feed[y].value * 1e4 if y in feed else None)
        data = EnergyData(region=code, gdp_price_base=price_base, years=years)
        assessment = assess_energy(year, BASE_YEAR, data, EnergyTargets())
        if assessment.intensity_tce_per_10k_yuan is not None:
            assessed = _Val(round(assessment.intensity_tce_per_10k_yuan, 6), "tce/万元",
                            f"assess_energy (rules {assessment.ruleset_version}); {_src(e, g, feed.get(year))}", "R",
                            _is_sample(e, g, feed.get(year)), e.origin)
            figures.append(_fig("energy_intensity_assessed", assessed,
                                note=f"比{BASE_YEAR}年下降 {assessment.intensity_reduction_pct:.2f}%"
                                if assessment.intensity_reduction_pct is not None else None))
        notes.append("the region's allocated 14th-FYP intensity target is not in the store: target checks of "
                     "assess_energy are left empty")
    elif year <= BASE_YEAR:
        notes.append(f"no assessment against {BASE_YEAR} for {year}: the rules assess years after the base year")
    targets = [_track(t, vals, code, year) for t in plan.targets if _target_applies(t, code)]
    sample = any(f.sample for f in figures) or any(t.sample for t in targets)
    return RegionStatus(
        region=code, name=region.name_zh, level=region.level, year=year, gdp_price_base=price_base, figures=figures,
        assessment=assessment,
        rules_applied=[f"{r.id} ({r.document}): {r.effect}" for r in assessment.applied_rules] if assessment else [],
        rules_skipped=[f"{r.id} ({r.document}): {r.effect}" for r in assessment.skipped_rules] if assessment else [],
        targets=targets, sample=sample, notes=notes)


def _latest_year(vals: dict[tuple[str, str, str], _Val]) -> int:
    years = [int(p) for (r, i, p) in vals if i == "energy_consumption" and p.isdigit()]
    if not years:
        msg = "no energy consumption values are stored"
        raise NotFoundError(msg, hint="run `tanfeng init` to load the sample")
    return max(years)


def status(session: Session, *, region: str | None = None, year: int | None = None) -> list[RegionStatus]:
    """The region and its leagues (or one of them) in ``year`` (default: the latest year with energy data).

    Raises
    ------
    InputError
        GDP without a constant 2020 price base (intensity is refused), a year outside the plan.
    """
    codes = [region] if region is not None else [REGION, *LEAGUES]
    for c in codes:
        get_region(c)
    vals = _load(session, codes)
    y = year if year is not None else _latest_year(vals)
    _start, end = _plan_span(_plan(session))
    if not 2000 <= y <= end:
        msg = f"year {y} is outside the years tracked (2000–{end})"
        raise InputError(msg, location=at(field="year"))
    plan = _plan(session)
    return [_status_one(session, plan, vals, c, y) for c in codes]


def targets_board(session: Session, *, year: int | None = None) -> list[TargetTrack]:
    """Every plan target with status, progress and its sparkline series, each for the region it is scoped to.

    A target scoped to several leagues (呼和浩特、包头主城区) is shown once per league; a scope that names
    no region code (城区常住人口100万以上的城市) has no data.
    """
    plan = _plan(session)
    vals = _load(session)
    y = year if year is not None else _latest_year(vals)
    out: list[TargetTrack] = []
    for t in plan.targets:
        codes = list(t.scope_regions) if t.scope_regions else ([t.scope] if t.scope.isdigit() else [])
        if not codes:
            out.append(_track(t, {}, t.scope, y).model_copy(update={"note": "scope names no region code"}))
        for c in codes:
            out.append(_track(t, vals, c, y).model_copy(update={"scope": c}) if len(codes) > 1 else
                       _track(t, vals, c, y))
    return out


# --------------------------------------------------------------------------------------------------- warnings

def _change(vals: dict[tuple[str, str, str], _Val], code: str, indicator: str, num: str,
            year: int) -> _Val | None:
    """A year-on-year change: stored (real first), else computed from the levels (num / GDP)."""
    v = _annual(vals, code, indicator).get(year)
    if v is not None:
        return v
    gdp, _ = _gdp(vals, code)
    n = _annual(vals, code, num)
    if not {year, year - 1} <= set(gdp) & set(n):
        return None
    now = n[year].value / gdp[year].value
    before = n[year - 1].value / gdp[year - 1].value
    srcs = (n[year], n[year - 1], gdp[year], gdp[year - 1])
    return _Val(round((now / before - 1) * 100, 4), "%", "计算: " + _src(*srcs), "R", _is_sample(*srcs),
                "indicator_values")


def warnings(session: Session, *, period: str, required_intensity_change_pct: float = INTENSITY_REQUIRED_ANNUAL_PCT,
             required_carbon_change_pct: float = CARBON_REQUIRED_ANNUAL_PCT,
             allowed_consumption_growth_pct: float | None = None) -> list[LeagueWarnings]:
    """NDRC barometer levels (发改办环资〔2021〕629号) of the region and each league for the year of ``period``.

    Intensity: the 629号 rule. Total consumption: the inferred rule (flagged), with the growth cap
    ``allowed_consumption_growth_pct`` or, by default, the growth the intensity path allows at the year's real
    GDP growth (``(1 + g)(1 + required) − 1``). Carbon intensity: the 629号 levels by analogy (flagged).
    Consequences of level 1 are attached by the rules.
    """
    year = parse_period(period)
    _check_in_plan(session, year, allow_base=True)
    codes = [REGION, *LEAGUES]
    vals = _load(session, codes)
    out: list[LeagueWarnings] = []
    for code in codes:
        notes: list[str] = []
        ich = _change(vals, code, "energy_intensity_change_vs_prev_year", "energy_consumption", year)
        cch = _change(vals, code, "carbon_intensity_change_vs_prev_year", "co2_emissions", year)
        growth = _annual(vals, code, "energy_consumption_growth").get(year)
        gdp_g = _annual(vals, code, "gdp_real_growth").get(year)
        ia = intensity_warning(ich.value, required_intensity_change_pct) if ich else None
        ca = carbon_intensity_warning(cch.value, required_carbon_change_pct) if cch else None
        ta: Alert | None = None
        if growth is not None:
            cap = allowed_consumption_growth_pct
            if cap is None and gdp_g is not None:
                cap = implied_energy_growth_pct(gdp_g.value, required_intensity_change_pct)
                notes.append(f"growth cap {cap:.2f} % = growth allowed by the intensity path at GDP growth "
                             f"{gdp_g.value:g} % (derived)")
            if cap is not None:
                ta = total_warning(growth.value, cap)
        if ia is None:
            notes.append(f"no energy-intensity change for {year}")
        out.append(LeagueWarnings(
            region=code, name=_region_name(code), period=period, year=year, intensity=ia,
            intensity_source=ich.source if ich else None, total=ta,
            total_source=_src(growth, gdp_g) or None if ta else None, carbon=ca,
            carbon_source=cch.source if cch else None, sample=_is_sample(ich, cch, growth, gdp_g), notes=notes))
    return out


# --------------------------------------------------------------------------------------------------- analyses

class DecouplingOut(_Out):
    """Tapio decoupling of a region between two years, with the inputs and their sources."""

    region: str
    start: int
    end: int
    indicator: str
    result: Decoupling
    sample: bool
    sources: list[str]


def decoupling(session: Session, region: str, start: int, end: int, *, indicator: str = "co2_emissions",
               boundary: Boundary = "closed") -> DecouplingOut:
    """Tapio decoupling of ``indicator`` (CO2 or energy) from real GDP between ``start`` and ``end``."""
    if end <= start:
        msg = f"end {end} must be after start {start}"
        raise InputError(msg, location=at(field="end"))
    vals = _load(session, [region])
    gdp, _ = _gdp(vals, region)
    c = _annual(vals, region, indicator)
    for y in (start, end):
        if y not in gdp or y not in c:
            msg = f"no GDP or {indicator} value of {region} for {y}"
            raise NotFoundError(msg,
                                hint="list the values with GET /api/tracking/indicators")
    g_pct = (gdp[end].value / gdp[start].value - 1) * 100
    c_pct = (c[end].value / c[start].value - 1) * 100
    used = (gdp[start], gdp[end], c[start], c[end])
    return DecouplingOut(region=region, start=start, end=end, indicator=indicator,
                         result=tapio(g_pct, c_pct, boundary), sample=_is_sample(*used),
                         sources=_src(*used).split("; "))


class PeakOut(_Out):
    """The plateau rule applied to a stored series."""

    region: str
    indicator: str
    unit: str
    result: PeakResult
    series: list[tuple[int, float]]
    sample: bool
    sources: list[str]


def peak(session: Session, region: str, *, indicator: str = "co2_emissions") -> PeakOut:
    """Whether ``indicator`` of ``region`` has peaked (:func:`tanfeng.tracking.peak.detect_peak`)."""
    s = _annual(_load(session, [region]), region, indicator)
    if len(s) < 2:
        msg = f"fewer than 2 yearly values of {indicator} for {region}"
        raise NotFoundError(msg)
    vs = list(s.values())
    return PeakOut(region=region, indicator=indicator, unit=vs[0].unit,
                   result=detect_peak({y: v.value for y, v in s.items()}), series=[(y, v.value) for y, v in s.items()],
                   sample=_is_sample(*vs), sources=_src(*vs).split("; "))


class ForecastOut(_Out):
    """A trend forecast of a stored series, with the plan target it is checked against (if any)."""

    region: str
    indicator: str
    unit: str
    target_id: str | None
    result: Forecast
    sample: bool
    sources: list[str]


_LOG_LINEAR = {"energy_intensity", "carbon_intensity", "gdp", "energy_consumption", "co2_emissions"}


def forecast(session: Session, region: str, indicator: str, target_year: int) -> ForecastOut:
    """Trend forecast (:func:`tanfeng.tracking.forecast.forecast`) to ``target_year``, with P(target met)."""
    _check_in_plan(session, target_year, field="target_year")
    vals = _load(session, [region])
    s = _annual(vals, region, indicator)
    if not s:
        msg = f"no yearly values of {indicator} for {region}"
        raise NotFoundError(msg)
    tv: float | None = None
    tid: str | None = None
    direction: Literal["up", "down"] = "down"
    for t in _plan(session).targets:
        if t.indicator_id == indicator and t.year == target_year and _target_applies(t, region):
            base = s.get(t.baseline_year or BASE_YEAR)
            if base is None:
                continue
            try:
                tt = TrajectoryTarget.from_plan(t, baseline_value=base.value, baseline_year=t.baseline_year or BASE_YEAR)
            except InputError:
                continue
            tv, tid, direction = tt.target_value, t.id, tt.direction
            break
    method: Literal["linear", "log_linear"] = "log_linear" if indicator in _LOG_LINEAR else "linear"
    vs = list(s.values())
    res = fit_forecast({y: v.value for y, v in s.items()}, target_year, method=method, target_value=tv,
                       direction=direction)
    return ForecastOut(region=region, indicator=indicator, unit=vs[0].unit, target_id=tid, result=res,
                       sample=_is_sample(*vs), sources=_src(*vs).split("; "))


# --------------------------------------------------------------------------------------------------- dispatch

def _period_out(r: DispatchPeriodRow) -> DispatchPeriodOut:
    return DispatchPeriodOut(id=r.id, opened_at=r.opened_at, opened_by=r.opened_by, due_date=r.due_date,
                             status=r.status)


def open_period(session: Session, *, period: str, due_date: date, actor: str,
                actor_role: str | None = None, client_address: str | None = None) -> DispatchPeriodOut:
    """Open a dispatch round. A period outside the plan, or one already opened, is refused."""
    year = parse_period(period)
    _check_in_plan(session, year)
    with _write(session, f"dispatch period {period}"):
        if session.get(DispatchPeriodRow, period) is not None:
            msg = f"dispatch period {period} is already open"
            raise ConflictError(msg, hint="list them with GET /periods")
        row = DispatchPeriodRow(id=period, opened_at=utcnow(), opened_by=actor, due_date=due_date, status="open")
        session.add(row)
        session.flush()
        _audit(session, actor=actor, action="insert", entity="dispatch_period", entity_id=period, before=None,
               after={"id": period, "due_date": due_date.isoformat(), "status": "open"}, actor_role=actor_role,
               client_address=client_address)
        return _period_out(row)


def list_periods(session: Session) -> list[DispatchPeriodOut]:
    """Dispatch rounds, newest first."""
    return [_period_out(r) for r in session.scalars(select(DispatchPeriodRow).order_by(DispatchPeriodRow.id.desc()))]


def _get_period(session: Session, period: str) -> DispatchPeriodRow:
    row = session.get(DispatchPeriodRow, period)
    if row is None:
        msg = f"dispatch period {period} is not open"
        raise NotFoundError(msg, hint="open it first (POST /api/tracking/periods)")
    return row


def _entry_dict(r: DispatchEntryRow) -> dict[str, Any]:
    return {"period": r.period, "responsible_unit": r.responsible_unit, "target_id": r.target_id,
            "measure_id": r.measure_id, "actual_value": r.actual_value, "value_unit": r.value_unit,
            "measure_status": r.measure_status, "evidence": r.evidence, "as_of": r.as_of.isoformat(),
            "version": r.version}


def _entry_out(r: DispatchEntryRow) -> DispatchEntryOut:
    return DispatchEntryOut(id=r.id, period=r.period, responsible_unit=r.responsible_unit, target_id=r.target_id,
                            measure_id=r.measure_id, actual_value=r.actual_value, value_unit=r.value_unit,
                            measure_status=r.measure_status, evidence=r.evidence, as_of=r.as_of, version=r.version,
                            current=r.superseded_at is None, superseded_at=r.superseded_at, entered_by=r.entered_by,
                            entered_at=r.entered_at)


ALL_UNITS = "*"
"""In ``actor_units``: the user may report for every unit (the leading-group office, the region admin)."""


def submit_entry(session: Session, *, period: str, unit: str, actor: str, actor_units: Collection[str],
                 as_of: date, target_id: str | None = None, measure_id: str | None = None,
                 value: float | None = None, value_unit: str | None = None, measure_status: str | None = None,
                 evidence: str = "", actor_role: str | None = None,
                 client_address: str | None = None) -> DispatchEntryOut:
    """Report for ``unit`` in ``period`` about one target (value + unit) or one measure (status); versioned.

    Parameters
    ----------
    actor_units
        The league codes and department codes the entering user belongs to (``{"*"}``: every unit).

    Raises
    ------
    PermissionDeniedError
        ``unit`` is not one of ``actor_units``: nothing is stored.
    InputError
        Neither or both of target and measure; a value in another unit than the target's; a bad status;
        ``as_of`` outside the plan.
    NotFoundError
        Unknown period, target or measure.
    ConflictError
        The period is closed.
    """
    unit = unit.strip()
    if unit.isdigit():
        unit, _ = resolve_region_code(unit)  # UnknownRegionError (422) for a code not in the catalogue
    elif not unit:
        msg = "the responsible unit is empty"
        raise InputError(msg, location=at(field="unit"))
    units = set(actor_units)
    if ALL_UNITS not in units and unit not in units:
        mine = ", ".join(sorted(units)) or "none"
        msg = f"{actor} may report only for {mine}, not for {unit}"
        raise PermissionDeniedError(msg, hint="a league reports for its own league; ask the office to reassign")
    if (target_id is None) == (measure_id is None):
        msg = "give either target_id or measure_id"
        raise InputError(msg, location=at(field="target_id"))
    per = _get_period(session, period)
    if per.status != "open":
        msg = f"dispatch period {period} is closed"
        raise ConflictError(msg, hint="nothing was stored")
    plan = _plan(session)
    _check_in_plan(session, as_of.year, field="as_of", allow_base=True)
    if target_id is not None:
        target = next((t for t in plan.targets if t.id == target_id), None)
        if target is None:
            msg = f"plan {plan.id} has no target '{target_id}'"
            raise NotFoundError(msg)
        if value is None or not math.isfinite(value):
            msg = "a target entry needs its actual value"
            raise InputError(msg, location=at(field="value"))
        want = _plan_units(plan).get(target.indicator_id, target.unit)
        if value_unit is None or _norm_unit(value_unit) not in {_norm_unit(want), _norm_unit(target.unit)}:
            msg = f"target {target_id} ({target.indicator}) is reported in {want}, not {value_unit}"
            raise InputError(msg, location=at(field="value_unit"), hint=f"convert the value to {want}")
        if measure_status is not None:
            msg = "a target entry has a value, not a measure status"
            raise InputError(msg, location=at(field="measure_status"))
        item = f"target:{target_id}"
    else:
        if not any(m.id == measure_id for m in plan.measures):
            msg = f"plan {plan.id} has no measure '{measure_id}'"
            raise NotFoundError(msg)
        if measure_status not in MEASURE_STATUSES:
            msg = f"measure status {measure_status!r} is not one of {', '.join(MEASURE_STATUSES)}"
            raise InputError(msg, location=at(field="measure_status"))
        if value is not None:
            msg = "a measure entry has a status, not a value"
            raise InputError(msg, location=at(field="value"))
        item = f"measure:{measure_id}"
    with _write(session, f"dispatch entry {period}/{unit}/{item}"):
        cur = session.scalars(select(DispatchEntryRow).where(
            DispatchEntryRow.period == period, DispatchEntryRow.responsible_unit == unit,
            DispatchEntryRow.item == item, DispatchEntryRow.superseded_at.is_(None))).first()
        now = utcnow()
        before, version = _supersede(cur, now, _entry_dict)
        row = DispatchEntryRow(period=period, responsible_unit=unit, item=item, target_id=target_id,
                               measure_id=measure_id, actual_value=value, value_unit=value_unit,
                               measure_status=measure_status, evidence=evidence, as_of=as_of,
                               version=version, superseded_at=None,
                               entered_by=actor, entered_at=now)
        session.add(row)
        session.flush()
        _audit(session, actor=actor, action="insert" if cur is None else "new_version", entity="dispatch_entry",
               entity_id=f"{period}/{unit}/{item}", before=before, after=_entry_dict(row), actor_role=actor_role,
               client_address=client_address)
        return _entry_out(row)


def entry_history(session: Session, *, period: str, unit: str | None = None,
                  item: str | None = None) -> list[DispatchEntryOut]:
    """Every version of the entries of a period (optionally one unit, one ``target:…``/``measure:…``)."""
    _get_period(session, period)
    q = select(DispatchEntryRow).where(DispatchEntryRow.period == period)
    if unit is not None:
        q = q.where(DispatchEntryRow.responsible_unit == unit)
    if item is not None:
        q = q.where(DispatchEntryRow.item == item)
    q = q.order_by(DispatchEntryRow.responsible_unit, DispatchEntryRow.item, DispatchEntryRow.version)
    return [_entry_out(r) for r in session.scalars(q)]


def missing_reports(session: Session, period: str) -> list[MissingOut]:
    """Units that have not reported for ``period``.

    Expected: every league reports for the period, and for each plan target scoped to it (e.g. the
    prefabricated-building share of 呼和浩特 and 包头) a value.
    """
    _get_period(session, period)
    rows = session.scalars(select(DispatchEntryRow).where(DispatchEntryRow.period == period,
                                                          DispatchEntryRow.superseded_at.is_(None))).all()
    by_unit: dict[str, set[str]] = {}
    for r in rows:
        by_unit.setdefault(r.responsible_unit, set()).add(r.item)
    plan = _plan(session)
    out: list[MissingOut] = []
    for code in LEAGUES:
        name = _region_name(code)
        got = by_unit.get(code)
        if not got:
            out.append(MissingOut(unit=code, name=name, missing=f"{period} 调度报送 (本期未报送)"))
            continue
        for t in plan.targets:
            if code in t.scope_regions and f"target:{t.id}" not in got:
                out.append(MissingOut(unit=code, name=name, missing=f"{t.indicator} ({t.id}, {t.year}年目标) {period}"))
    return out


def count_entries(session: Session, period: str) -> int:
    """How many current entries a period has."""
    return session.scalar(select(func.count()).select_from(DispatchEntryRow).where(
        DispatchEntryRow.period == period, DispatchEntryRow.superseded_at.is_(None))) or 0


# --------------------------------------------------------------------------------------------------- report

def _audit_anchor(session: Session) -> tuple[str | None, str | None]:
    """The audit anchor from :mod:`tanfeng.services.audit` when it offers one (optional)."""
    try:
        mod = importlib.import_module("tanfeng.services.audit")
    except ImportError:
        return None, None
    fn = getattr(mod, "current_anchor", None)
    if fn is None:
        return None, None
    try:
        anchor = fn(session)
    except Exception as exc:  # the report still renders and says why there is no anchor
        return None, f"审计锚点不可用 (audit anchor unavailable): {exc}"
    return (str(anchor) if anchor is not None else None), None


def _level_row(w: LeagueWarnings, alert: Alert, name: str, unit: str, consequence: bool) -> WarningRow:
    cons = "; ".join(f"{c.short.split(' (')[0]} ({c.document})" for c in alert.consequences) if consequence else ""
    return WarningRow(region=w.region, region_name=w.name, indicator=name, level=alert.level, value=alert.value_pct,
                      required=alert.reference_pct, unit=unit, consequence=cons)


def build_dispatch_report(session: Session, period: str, *, generated_at: datetime | None = None,
                          max_charts: int = 6) -> DispatchReport:
    """The dispatch report of ``period``: warnings table, a chart per off-track region target, league levels
    for the map, missing reports, the sample flag and (when the audit service offers it) the audit anchor."""
    year = parse_period(period)
    _check_in_plan(session, year)
    ws = warnings(session, period=str(year))
    rows: list[WarningRow] = []
    levels: list[LeagueLevel] = []
    for w in ws:
        if w.intensity is not None:
            rows.append(_level_row(w, w.intensity, "单位GDP能耗变化率 (同比)", "%", True))
        if w.total is not None and w.total.level < 3:
            rows.append(_level_row(w, w.total, "能源消费总量增速 (推定规则)", "%", False))
        if w.carbon is not None and w.carbon.level < 3:
            rows.append(_level_row(w, w.carbon, "单位GDP二氧化碳排放变化率 (同比, 类推)", "%", False))
        if w.region != REGION:
            levels.append(LeagueLevel(code=w.region, name=w.name, level=w.intensity.level if w.intensity else None))
    rows.sort(key=lambda r: (r.region != REGION, r.level, r.region))
    st = status(session, region=REGION, year=year)[0]
    off: list[OffTrackTarget] = []
    for t in st.targets:
        if t.status not in (Status.BEHIND.value, Status.MISSED.value):
            continue
        if t.progress_ratio is not None and t.progress_ratio >= 1:
            continue
        off.append(OffTrackTarget(
            target_id=t.target_id, name=t.indicator, unit=t.unit or t.target_unit, region=REGION,
            target_year=t.target_year, target_value=None if t.target_value is None else round(t.target_value, 4),
            series=[Point(year=y, value=v) for y, v in t.series if y <= year],
            required_path=[Point(year=y, value=v) for y, v in t.required_path],
            note=f"{year}年状态: {'未达到' if t.status == Status.MISSED.value else '滞后'}"
                 + (" (示例数据)" if t.sample else "")))
    off.sort(key=lambda o: (not o.target_id.startswith(f"{PLAN_ID}.main"), o.target_id))
    missing: list[MissingReport]
    if session.get(DispatchPeriodRow, period) is None:
        missing = [MissingReport(unit="自治区", missing=f"调度期 {period} 尚未开启 (no dispatch period opened)")]
    else:
        missing = [MissingReport(unit=f"{m.name} ({m.unit})", missing=m.missing)
                   for m in missing_reports(session, period)]
    sample = any(w.sample for w in ws) or st.sample
    anchor, anchor_note = _audit_anchor(session)
    sources = sorted({s for w in ws for s in (w.intensity_source, w.carbon_source) if s})
    sources = [s for s in sources if not s.startswith("计算: ")][:6]
    if sample:
        smp = sample_data.sample_source(sample_data.DEFAULT_SEED)
        sources = [smp + " — 示例数据, 非官方统计", *(s for s in sources if s != smp)]
    sources += ["预警等级: 发改办环资〔2021〕629号 (能耗强度); 总量与碳排放强度为推定/类推规则", REQUIRED_NOTE,
                "目标: 内党发〔2022〕19号《内蒙古自治区碳达峰实施方案》"]
    if anchor_note:
        sources.append(anchor_note)
    return DispatchReport(period=period, generated_at=generated_at or utcnow(), region=REGION,
                          region_name=_region_name(REGION), warnings=rows, off_track=off[:max_charts],
                          league_levels=levels, missing_reports=missing, sample=sample, audit_anchor=anchor,
                          sources=sources)


def indicator_rows(values: Sequence[IndicatorValueOut]) -> list[dict[str, Any]]:
    """Values as flat rows for CSV/Excel downloads (the columns a spreadsheet shows)."""
    return [{"region": v.region, "region_name": _region_name(v.region), "indicator": v.indicator,
             "indicator_name": INDICATOR_LABELS.get(v.indicator, v.indicator), "period": v.period, "value": v.value,
             "unit": v.unit, "source": v.source, "certainty": v.certainty,
             "sample": "示例数据" if v.sample else "", "version": v.version,
             "entered_by": v.entered_by or "", "origin": v.origin} for v in values]


def warning_rows(ws: Sequence[LeagueWarnings]) -> list[dict[str, Any]]:
    """Barometer levels as flat rows for CSV/Excel downloads."""
    out: list[dict[str, Any]] = []
    for w in ws:
        for dim, alert, src in (("energy_intensity", w.intensity, w.intensity_source), ("energy_total", w.total,
                                w.total_source), ("carbon_intensity", w.carbon, w.carbon_source)):
            if alert is None:
                continue
            out.append({"region": w.region, "region_name": w.name, "period": w.period, "dimension": dim,
                        "level": alert.level, "label": alert.label, "colour": alert.colour,
                        "value_pct": round(alert.value_pct, 4),
                        "reference_pct": None if alert.reference_pct is None else round(alert.reference_pct, 4),
                        "unit": "%", "rule": alert.document, "inferred": alert.inferred,
                        "consequences": "; ".join(c.short for c in alert.consequences),
                        "sample": "示例数据" if w.sample else "", "source": src or ""})
    return out


def board_rows(tracks: Sequence[TargetTrack]) -> list[dict[str, Any]]:
    """Target board rows (with the sparkline series as text) for CSV/Excel downloads."""
    return [{"target_id": t.target_id, "indicator": t.indicator, "action": t.action or "", "scope": t.scope,
             "target_year": t.target_year, "target": t.target, "target_unit": t.target_unit, "year": t.actual_year,
             "actual": t.actual, "unit": t.unit or "", "required": None if t.required is None else round(t.required, 4),
             "progress_ratio": None if t.progress_ratio is None else round(t.progress_ratio, 4),
             "gap": None if t.gap is None else round(t.gap, 4), "years_left": t.years_left, "status": t.status,
             "series": " ".join(f"{y}:{v:g}" for y, v in t.series), "sample": "示例数据" if t.sample else "",
             "source": t.source or ""} for t in tracks]


def actor_units_of(principal: Principal) -> set[str]:
    """The units a principal may report for: its league (or county), its department, or every unit."""
    if principal.role in (Role.REGION_ADMIN, Role.OFFICE):
        return {ALL_UNITS}
    return {c for c in (principal.region_code, principal.department_code) if c}


# --------------------------------------------------------------------------------------------------- dispatch rounds

_PINT_SPELLING: dict[str, str] = {"万tce": "万吨标准煤", "亿tce": "亿吨标准煤", "万tCO2": "万吨二氧化碳",
                                  "亿tCO2": "亿吨二氧化碳", "tce/万元": "吨标准煤/万元"}
"""Store spellings of units → spellings :mod:`tanfeng.units` parses."""


def close_period(session: Session, *, period: str, actor: str, actor_role: str | None = None,
                 client_address: str | None = None) -> DispatchPeriodOut:
    """Close a dispatch round: it then refuses entries (:func:`submit_entry` raises ConflictError).

    Raises
    ------
    NotFoundError
        The period was never opened.
    ConflictError
        The period is already closed.
    """
    with _write(session, f"dispatch period {period}"):
        row = _get_period(session, period)
        if row.status == "closed":
            msg = f"dispatch period {period} is already closed"
            raise ConflictError(msg, hint="nothing was changed")
        before = {"id": row.id, "due_date": row.due_date.isoformat(), "status": row.status}
        row.status = "closed"
        session.flush()
        _audit(session, actor=actor, action="update", entity="dispatch_period", entity_id=period, before=before,
               after={**before, "status": "closed"}, actor_role=actor_role, client_address=client_address)
        return _period_out(row)


def _region_allowed(region: str, actor_regions: Collection[str]) -> bool:
    if ALL_UNITS in actor_regions or region in actor_regions:
        return True
    parent = get_region(region).parent
    return parent is not None and parent in actor_regions


def enter_value(session: Session, *, region: str, indicator: str, period: str, value: float, unit: str,
                source: str, actor: str, actor_regions: Collection[str], note: str | None = None,
                actor_role: str | None = None) -> IndicatorValueOut:
    """A responsible unit enters an actual value (versioned through :func:`record_value`, audited).

    The value may come in any unit compatible with the indicator's (``tce`` for ``万tce``): it is converted
    with :func:`tanfeng.units.convert` and the note says from what.

    Parameters
    ----------
    actor_regions
        The region codes of the user (``{"*"}``: every region). A league may enter for itself and its
        counties, a county for itself.

    Raises
    ------
    PermissionDeniedError
        A region outside ``actor_regions``: nothing is stored.
    InputError
        Unknown indicator (``indicator``); a unit that does not convert to the indicator's (``unit``); what
        :func:`record_value` refuses.
    """
    region = region.strip()
    get_region(region)  # UnknownRegionError for a code that is not in the catalogue
    if not _region_allowed(region, actor_regions):
        mine = ", ".join(sorted(actor_regions)) or "none"
        msg = f"{actor} may enter values only for {mine} (and its counties), not for {region}"
        raise PermissionDeniedError(msg, hint="a league enters values for its league and its counties")
    want = expected_unit(session, indicator)
    given = _norm_unit(unit)
    if given != _norm_unit(want):
        if not math.isfinite(value):
            msg = "value is not a finite number"
            raise InputError(msg, location=at(field="value"))
        try:
            converted = convert(value, _PINT_SPELLING.get(given, given), _PINT_SPELLING.get(want, want))
        except UnitError as exc:
            msg = f"'{indicator}' is kept in {want}; {unit} does not convert to it ({exc.message})"
            raise InputError(msg, location=at(field="unit"), hint=f"send the value in {want}") from exc
        conv = f"converted from {value:g} {unit}"
        note = f"{note}; {conv}" if note else conv
        value = converted
    return record_value(session, region=region, indicator=indicator, period=period, value=value, unit=want,
                        source=source, actor=actor, note=note, actor_role=actor_role)


class PeriodSummary(_Out):
    """A dispatch round with how many units reported and how many are missing."""

    period: DispatchPeriodOut
    entries: int
    reported_units: int
    missing_units: int
    missing_items: int


def period_summaries(session: Session) -> list[PeriodSummary]:
    """Every dispatch round, newest first, with its reported and missing counts."""
    out: list[PeriodSummary] = []
    for p in list_periods(session):
        rows = session.scalars(select(DispatchEntryRow.responsible_unit).where(
            DispatchEntryRow.period == p.id, DispatchEntryRow.superseded_at.is_(None))).all()
        missing = missing_reports(session, p.id)
        out.append(PeriodSummary(period=p, entries=len(rows), reported_units=len(set(rows)),
                                 missing_units=len({m.unit for m in missing}), missing_items=len(missing)))
    return out


class EntryWithHistory(_Out):
    """The current version of a dispatch entry and every version of it (oldest first)."""

    current: DispatchEntryOut
    unit_name: str
    item_label: str
    history: list[DispatchEntryOut]


def _item_labels(plan: Plan) -> dict[str, str]:
    labels = {f"target:{t.id}": f"{t.indicator} ({t.id})" for t in plan.targets}
    labels.update({f"measure:{m.id}": f"{m.title} ({m.id})" for m in plan.measures})
    return labels


def unit_name(code: str) -> str:
    """The name of a responsible unit: a region's Chinese name, or the department code itself."""
    return _region_name(code) if code.isdigit() else code


def current_entries(session: Session, period: str) -> list[EntryWithHistory]:
    """The latest version of each entry of ``period`` with its history, by unit and item."""
    labels = _item_labels(_plan(session))
    groups: dict[tuple[str, str | None, str | None], list[DispatchEntryOut]] = {}
    for e in entry_history(session, period=period):
        groups.setdefault((e.responsible_unit, e.target_id, e.measure_id), []).append(e)
    out: list[EntryWithHistory] = []
    for (unit, target_id, measure_id), versions in groups.items():
        item = f"target:{target_id}" if target_id is not None else f"measure:{measure_id}"
        out.append(EntryWithHistory(current=versions[-1], unit_name=unit_name(unit),
                                    item_label=labels.get(item, item), history=versions))
    return out


def item_options(session: Session) -> list[tuple[str, str, str | None]]:
    """What a unit can report on: ``(target:<id> | measure:<id>, label, unit of the value or None)``."""
    plan = _plan(session)
    units = _plan_units(plan)
    out: list[tuple[str, str, str | None]] = [
        (f"target:{t.id}", f"{t.indicator} ({t.id})", units.get(t.indicator_id, t.unit)) for t in plan.targets]
    out += [(f"measure:{m.id}", f"{m.title} ({m.id})", None) for m in plan.measures]
    return out


class ChangeOut(_Out):
    """One value or dispatch entry entered since the latest dispatch period was opened."""

    kind: Literal["indicator_value", "dispatch_entry"]
    unit: str
    unit_name: str
    what: str
    period: str
    old: str | None
    new: str
    version: int
    entered_by: str
    entered_at: datetime


class Changes(_Out):
    """What changed since the latest dispatch period was opened (``since`` None: no period yet)."""

    since_period: str | None
    since: datetime | None
    changes: list[ChangeOut]


def _entry_text(r: DispatchEntryRow) -> str:
    if r.measure_status is not None:
        return r.measure_status
    return f"{r.actual_value:g} {r.value_unit or ''}".strip() if r.actual_value is not None else "—"


def changes_since_last_period(session: Session, *, limit: int = 100) -> Changes:
    """Indicator values (not the sample) and dispatch entries entered since the latest period was opened.

    Each change names who entered it, when, what, and the old → new value (old None for a first version).
    Newest first, at most ``limit``.
    """
    last = session.scalars(select(DispatchPeriodRow).order_by(DispatchPeriodRow.opened_at.desc(),
                                                              DispatchPeriodRow.id.desc())).first()
    if last is None:
        return Changes(since_period=None, since=None, changes=[])
    since = last.opened_at
    out: list[ChangeOut] = []
    values = session.scalars(select(IndicatorValueRow).where(
        IndicatorValueRow.entered_at >= since, IndicatorValueRow.sample.is_(False)))
    for v in values:
        prev = None
        if v.version > 1:
            prev = session.scalars(select(IndicatorValueRow).where(
                IndicatorValueRow.region == v.region, IndicatorValueRow.indicator == v.indicator,
                IndicatorValueRow.period == v.period, IndicatorValueRow.version == v.version - 1)).first()
        out.append(ChangeOut(kind="indicator_value", unit=v.region, unit_name=_region_name(v.region),
                             what=INDICATOR_LABELS.get(v.indicator, v.indicator), period=v.period,
                             old=None if prev is None else f"{prev.value:g} {prev.unit}", new=f"{v.value:g} {v.unit}",
                             version=v.version, entered_by=v.entered_by, entered_at=v.entered_at))
    labels = _item_labels(_plan(session))
    for e in session.scalars(select(DispatchEntryRow).where(DispatchEntryRow.entered_at >= since)):
        prev_e = None
        if e.version > 1:
            prev_e = session.scalars(select(DispatchEntryRow).where(
                DispatchEntryRow.period == e.period, DispatchEntryRow.responsible_unit == e.responsible_unit,
                DispatchEntryRow.item == e.item, DispatchEntryRow.version == e.version - 1)).first()
        out.append(ChangeOut(kind="dispatch_entry", unit=e.responsible_unit, unit_name=unit_name(e.responsible_unit),
                             what=labels.get(e.item, e.item), period=e.period,
                             old=None if prev_e is None else _entry_text(prev_e), new=_entry_text(e),
                             version=e.version, entered_by=e.entered_by, entered_at=e.entered_at))
    out.sort(key=lambda c: c.entered_at, reverse=True)
    return Changes(since_period=last.id, since=since, changes=out[:limit])
