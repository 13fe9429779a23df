"""Who is expected in a dispatch round, who reported, who is missing and who is overdue — one count everywhere.

Expected units: every league of the region, and the departments the round names when it is opened
(``dispatch_periods.departments``). Nobody else is counted: a county's entries are sub-entries of its league
(listed under it, never a unit of their own), and an entry of a department the round does not name is listed
but not counted. So ``reported + missing = expected`` on the dispatch list, the round's page and the report.

What a unit owes (``docs/tracking.md``): a league, a value for every plan target scoped to it (e.g. the
prefabricated-building share of 呼和浩特 and 包头), and at least one entry; a department, a status for every
measure the plan assigns to it, and at least one entry. A unit is *reported* when it owes nothing more, and
*missing* otherwise. After the due date (Beijing time) a missing unit is *overdue* (逾期).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from tanfeng.access.policy import league_of
from tanfeng.plan.model import Plan
from tanfeng.services.tracking.common import region_name, today_in_beijing, tracked_plan
from tanfeng.services.tracking.dispatch import get_period, list_periods
from tanfeng.services.tracking.schemas import DispatchPeriodOut, MissingOut, PeriodSummary, UnitProgress
from tanfeng.store import repository_tracking
from tanfeng.tracking.scope import leagues

__all__ = ["expected_units", "missing_reports", "owed_items", "period_summaries", "period_summary",
           "unit_progress"]


def expected_units(period: DispatchPeriodOut) -> list[str]:
    """The units a round expects a report from: every league, then the departments it names."""
    return [*leagues(), *period.departments]


def owed_items(plan: Plan, unit: str) -> list[tuple[str, str]]:
    """``(item key, what is missing)`` a unit owes by name: a league its scoped targets, a department the
    measures the plan assigns to it (an empty list: it owes one entry of its choice)."""
    if unit.isdigit():
        return [(f"target:{t.id}", f"{t.indicator} ({t.id}, {t.year}年目标)") for t in plan.targets
                if unit in t.scope_regions]
    return [(f"measure:{m.id}", f"{m.title} ({m.id})") for m in plan.measures if unit in m.departments]


def _overdue(period: DispatchPeriodOut, today: date) -> bool:
    return period.status == "open" and today > period.due_date


def unit_progress(session: Session, period: str, *, today: date | None = None) -> list[UnitProgress]:
    """Every expected unit of ``period`` with what it still owes; ``today`` is Beijing's date by default."""
    p = get_period(session, period)
    late = _overdue(p, today or today_in_beijing())
    by_unit = repository_tracking.current_items_by_unit(session, period=period)
    counts: dict[str, int] = {}
    for u in repository_tracking.current_entry_units(session, period=period):
        counts[u] = counts.get(u, 0) + 1
    reminded: dict[str, datetime] = {}
    for r in repository_tracking.reminders(session, period=period):
        reminded.setdefault(r.responsible_unit, r.sent_at)
    plan = tracked_plan(session)
    out: list[UnitProgress] = []
    for unit in expected_units(p):
        got = by_unit.get(unit, set())
        owed: list[tuple[str | None, str]] = [] if got else [(None, f"{period} 调度报送 (本期未报送)")]
        owed += [(key, what) for key, what in owed_items(plan, unit) if key not in got]
        missing = [what for _, what in owed]
        subs = sum(n for u, n in counts.items() if u != unit and u.isdigit() and not u.endswith("00")
                   and league_of(u) == unit)
        out.append(UnitProgress(unit=unit, name=region_name(unit) if unit.isdigit() else unit,
                                kind="league" if unit.isdigit() else "department", reported=not missing,
                                missing=missing, owed=[key for key, _ in owed], entries=counts.get(unit, 0),
                                sub_entries=subs,
                                overdue=bool(missing) and late, reminded_at=reminded.get(unit)))
    return out


def missing_reports(session: Session, period: str, *, today: date | None = None) -> list[MissingOut]:
    """What each expected unit still owes for ``period``, one row per missing item (逾期 after the due date)."""
    return [MissingOut(unit=u.unit, name=u.name, missing=m, overdue=u.overdue, item=key)
            for u in unit_progress(session, period, today=today) for m, key in zip(u.missing, u.owed, strict=True)]


def period_summary(session: Session, period: str, *, today: date | None = None) -> PeriodSummary:
    """One round with its counts: expected = reported + missing."""
    p = get_period(session, period)
    progress = unit_progress(session, period, today=today)
    missing = [u for u in progress if not u.reported]
    return PeriodSummary(period=p, entries=repository_tracking.count_current_entries(session, period=period),
                         expected_units=len(progress), reported_units=len(progress) - len(missing),
                         missing_units=len(missing), missing_items=sum(len(u.missing) for u in missing),
                         overdue_units=sum(1 for u in missing if u.overdue),
                         overdue=bool(missing) and _overdue(p, today or today_in_beijing()))


def period_summaries(session: Session, *, today: date | None = None) -> list[PeriodSummary]:
    """Every dispatch round, newest first, with its counts."""
    return [period_summary(session, p.id, today=today) for p in list_periods(session)]
