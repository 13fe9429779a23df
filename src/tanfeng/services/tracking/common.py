"""What the tracking use cases share: the plan tracked, periods, the years it spans, units and region names."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from tanfeng.errors import InputError, UnitError, at
from tanfeng.plan.model import Plan
from tanfeng.reference.indicators import get_indicator, statistic_aliases
from tanfeng.reference.regions import get_region
from tanfeng.services import plans
from tanfeng.store import repository_tracking
from tanfeng.tracking.scope import BASE_YEAR, PLAN_ID
from tanfeng.tracking.series import IndicatorSeries, price_base
from tanfeng.units import parse_unit

__all__ = [
    "BEIJING",
    "check_in_plan",
    "check_tracked_year",
    "expected_unit",
    "load_series",
    "parse_period",
    "period_end",
    "plan_span",
    "region_name",
    "same_unit",
    "today_in_beijing",
    "tracked_plan",
]

BEIJING = ZoneInfo("Asia/Shanghai")
"""Beijing time: dates of due dates and of "today" are counted there."""

_PERIOD = re.compile(r"^(\d{4})(?:Q([1-4])|-(0[1-9]|1[0-2]))?$")


def parse_period(period: str) -> int:
    """The year of a period (``2025``, ``2025Q3`` or ``2025-09``), or :class:`InputError`."""
    m = _PERIOD.match(period.strip()) if isinstance(period, str) else None
    if m is None:
        msg = f"period {period!r} is not a year (2025), a quarter (2025Q3) or a month (2025-09)"
        raise InputError(msg, location=at(field="period"))
    return int(m.group(1))


def period_end(period: str) -> date:
    """The last day of a period: 2025 → 2025-12-31, 2025Q3 → 2025-09-30, 2025-02 → 2025-02-28."""
    parse_period(period)
    m = _PERIOD.match(period.strip())
    assert m is not None  # parse_period refused anything else
    year = int(m.group(1))
    month = 12 if m.group(2) is None and m.group(3) is None else (
        int(m.group(2)) * 3 if m.group(2) is not None else int(m.group(3)))
    return date(year, month, calendar.monthrange(year, month)[1])


def today_in_beijing(now: datetime | None = None) -> date:
    """The date in Beijing at ``now`` (default: the current time)."""
    return (now or datetime.now(BEIJING)).astimezone(BEIJING).date()


def tracked_plan(session: Session) -> Plan:
    """The plan tracked (:data:`tanfeng.tracking.scope.PLAN_ID`) as stored, parsed once per version (shared:
    do not change it)."""
    return plans.get_plan(session, PLAN_ID)


def plan_span(plan: Plan) -> tuple[int, int]:
    """The first baseline year and the last target year of ``plan`` (2020 and 2030 when it has none)."""
    years = [t.year for t in plan.targets if t.year is not None]
    bases = [t.baseline_year for t in plan.targets if t.baseline_year is not None]
    return (min(bases, default=BASE_YEAR), max(years, default=2030))


def check_in_plan(session: Session, year: int, *, field: str = "period", allow_base: bool = False) -> None:
    """Refuse a year before (or, unless ``allow_base``, at) the plan's base year or after its last target."""
    start, end = plan_span(tracked_plan(session))
    lo = start if allow_base else start + 1
    if not lo <= year <= end:
        msg = f"year {year} is outside the plan {PLAN_ID} ({lo}–{end})"
        raise InputError(msg, location=at(field=field), hint=f"give a period from {lo} to {end}")


def check_tracked_year(year: int, end: int, *, field: str) -> None:
    """Refuse a year outside the years tracked: 2000 to ``end``, the last target year of the plan."""
    if not 2000 <= year <= end:
        msg = f"year {year} is outside the years tracked (2000–{end})"
        raise InputError(msg, location=at(field=field))


def expected_unit(session: Session, indicator: str) -> str:
    """The unit values of ``indicator`` are stored in (the indicator vocabulary's unit).

    Raises
    ------
    InputError
        An indicator the vocabulary does not know (the hint lists the known ones).
    """
    return get_indicator(indicator).unit


def same_unit(a: str, b: str) -> bool:
    """Whether two unit spellings name the same unit in :mod:`tanfeng.units` and the same price base.

    ``万吨标准煤`` and ``万tce`` are the same; ``tce`` and ``万tce`` are not; ``亿元 (2015年不变价)`` and
    ``亿元 (2020年不变价)`` are not. Text the registry cannot parse is compared as written.
    """
    if price_base(a) != price_base(b):
        return False
    try:
        return bool(parse_unit(a) == parse_unit(b))
    except UnitError:
        return a.strip() == b.strip()


def region_name(code: str) -> str:
    """The Chinese name of a region code, or the code itself when the catalogue does not know it."""
    try:
        return get_region(code).name_zh
    except InputError:
        return code


def load_series(session: Session, regions: list[str] | None = None) -> IndicatorSeries:
    """The indicator read model of ``regions`` (None: all), statistics of the vocabulary's aliases on top."""
    return repository_tracking.indicator_series(session, aliases=statistic_aliases(), regions=regions)
