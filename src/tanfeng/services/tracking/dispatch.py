"""Dispatch rounds (调度): open and close periods, entries by responsible units, what is missing.

``dispatch_entries`` is versioned like the indicator values: a new report about the same item adds a
version and stamps the previous one (:func:`tanfeng.store.transaction.supersede`); every write is audited.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from tanfeng.access import Principal, Role
from tanfeng.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError, at
from tanfeng.plan.model import Plan
from tanfeng.reference.indicators import get_indicator, indicators
from tanfeng.reference.regions import resolve_region_code
from tanfeng.services.tracking.common import check_in_plan, parse_period, region_name, same_unit, tracked_plan
from tanfeng.services.tracking.schemas import (
    DispatchEntryOut,
    DispatchPeriodOut,
    EntryWithHistory,
    MissingOut,
    PeriodSummary,
)
from tanfeng.services.tracking.values import ALL_UNITS
from tanfeng.store import repository_tracking
from tanfeng.store.models import utcnow
from tanfeng.store.models_tracking import MEASURE_STATUSES, DispatchEntryRow, DispatchPeriodRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic, supersede
from tanfeng.tracking.scope import leagues

__all__ = [
    "actor_units_of",
    "close_period",
    "count_entries",
    "current_entries",
    "entry_history",
    "item_labels",
    "item_options",
    "list_periods",
    "missing_reports",
    "open_period",
    "period_summaries",
    "submit_entry",
    "target_unit",
    "unit_name",
]


def _period_out(r: DispatchPeriodRow) -> DispatchPeriodOut:
    return DispatchPeriodOut(id=r.id, opened_at=r.opened_at, opened_by=r.opened_by, due_date=r.due_date,
                             status=r.status)


def open_period(session: Session, *, period: str, due_date: date, actor: str,
                actor_role: str | None = None, client_address: str | None = None) -> DispatchPeriodOut:
    """Open a dispatch round. A period outside the plan, or one already opened, is refused."""
    year = parse_period(period)
    check_in_plan(session, year)
    with atomic(session, f"dispatch period {period}"):
        if repository_tracking.get_period(session, period=period) is not None:
            msg = f"dispatch period {period} is already open"
            raise ConflictError(msg, hint="choose another period, or report in the open one")
        row = DispatchPeriodRow(id=period, opened_at=utcnow(), opened_by=actor, due_date=due_date, status="open")
        session.add(row)
        session.flush()
        record_audit(session, actor=actor, action="insert", entity="dispatch_period", entity_id=period, before=None,
                     after={"id": period, "due_date": due_date.isoformat(), "status": "open"},
                     actor_role=actor_role, client_address=client_address)
        return _period_out(row)


def list_periods(session: Session) -> list[DispatchPeriodOut]:
    """Dispatch rounds, newest first."""
    return [_period_out(r) for r in repository_tracking.list_periods(session)]


def _get_period(session: Session, period: str) -> DispatchPeriodRow:
    row = repository_tracking.get_period(session, period=period)
    if row is None:
        msg = f"dispatch period {period} is not open"
        raise NotFoundError(msg, hint="open the period first")
    return row


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
    with atomic(session, f"dispatch period {period}"):
        row = _get_period(session, period)
        if row.status == "closed":
            msg = f"dispatch period {period} is already closed"
            raise ConflictError(msg, hint="nothing was changed")
        before = {"id": row.id, "due_date": row.due_date.isoformat(), "status": row.status}
        row.status = "closed"
        session.flush()
        record_audit(session, actor=actor, action="update", entity="dispatch_period", entity_id=period,
                     before=before, after={**before, "status": "closed"}, actor_role=actor_role,
                     client_address=client_address)
        return _period_out(row)


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


def target_unit(indicator_id: str, fallback: str) -> str:
    """The unit a plan target's actual value is reported in: the vocabulary's, else the target's own."""
    known = {i.id for i in indicators()}
    return get_indicator(indicator_id).unit if indicator_id in known else fallback


def _reporter(unit: str, actor: str, actor_units: Collection[str]) -> str:
    """The responsible unit (a region code resolved, or a department code), if ``actor`` may report for it."""
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
    return unit


def _target_item(plan: Plan, target_id: str, value: float | None, value_unit: str | None,
                 measure_status: str | None) -> str:
    target = next((t for t in plan.targets if t.id == target_id), None)
    if target is None:
        msg = f"plan {plan.id} has no target '{target_id}'"
        raise NotFoundError(msg)
    if value is None or not math.isfinite(value):
        msg = "a target entry needs its actual value"
        raise InputError(msg, location=at(field="value"))
    want = target_unit(target.indicator_id, target.unit)
    if value_unit is None or not (same_unit(value_unit, want) or same_unit(value_unit, target.unit)):
        msg = f"target {target_id} ({target.indicator}) is reported in {want}, not {value_unit}"
        raise InputError(msg, location=at(field="value_unit"), hint=f"convert the value to {want}")
    if measure_status is not None:
        msg = "a target entry has a value, not a measure status"
        raise InputError(msg, location=at(field="measure_status"))
    return f"target:{target_id}"


def _measure_item(plan: Plan, measure_id: str | None, value: float | None, measure_status: str | None) -> str:
    if not any(m.id == measure_id for m in plan.measures):
        msg = f"plan {plan.id} has no measure '{measure_id}'"
        raise NotFoundError(msg)
    if measure_status not in MEASURE_STATUSES:
        msg = f"measure status {measure_status!r} is not one of {', '.join(MEASURE_STATUSES)}"
        raise InputError(msg, location=at(field="measure_status"))
    if value is not None:
        msg = "a measure entry has a status, not a value"
        raise InputError(msg, location=at(field="value"))
    return f"measure:{measure_id}"


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
    unit = _reporter(unit, actor, actor_units)
    if (target_id is None) == (measure_id is None):
        msg = "give either target_id or measure_id"
        raise InputError(msg, location=at(field="target_id"))
    if _get_period(session, period).status != "open":
        msg = f"dispatch period {period} is closed"
        raise ConflictError(msg, hint="nothing was stored")
    plan = tracked_plan(session)
    check_in_plan(session, as_of.year, field="as_of", allow_base=True)
    item = (_target_item(plan, target_id, value, value_unit, measure_status) if target_id is not None
            else _measure_item(plan, measure_id, value, measure_status))
    with atomic(session, f"dispatch entry {period}/{unit}/{item}"):
        cur = repository_tracking.current_entry(session, period=period, unit=unit, item=item)
        before = None if cur is None else _entry_dict(cur)
        now = utcnow()
        row = DispatchEntryRow(period=period, responsible_unit=unit, item=item, target_id=target_id,
                               measure_id=measure_id, actual_value=value, value_unit=value_unit,
                               measure_status=measure_status, evidence=evidence, as_of=as_of,
                               version=supersede(cur, now), superseded_at=None, entered_by=actor, entered_at=now)
        session.add(row)
        session.flush()
        record_audit(session, actor=actor, action="insert" if cur is None else "new_version",
                     entity="dispatch_entry", entity_id=f"{period}/{unit}/{item}", before=before,
                     after=_entry_dict(row), actor_role=actor_role, client_address=client_address)
        return _entry_out(row)


def entry_history(session: Session, *, period: str, unit: str | None = None,
                  item: str | None = None) -> list[DispatchEntryOut]:
    """Every version of the entries of a period (optionally one unit, one ``target:…``/``measure:…``)."""
    _get_period(session, period)
    return [_entry_out(r) for r in repository_tracking.entry_versions(session, period=period, unit=unit, item=item)]


def missing_reports(session: Session, period: str) -> list[MissingOut]:
    """Units that have not reported for ``period``.

    Expected: every league reports for the period, and for each plan target scoped to it (e.g. the
    prefabricated-building share of 呼和浩特 and 包头) a value.
    """
    _get_period(session, period)
    by_unit = repository_tracking.current_items_by_unit(session, period=period)
    plan = tracked_plan(session)
    out: list[MissingOut] = []
    for code in leagues():
        name = region_name(code)
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
    return repository_tracking.count_current_entries(session, period=period)


def period_summaries(session: Session) -> list[PeriodSummary]:
    """Every dispatch round, newest first, with its reported and missing counts."""
    out: list[PeriodSummary] = []
    for p in list_periods(session):
        units = repository_tracking.current_entry_units(session, period=p.id)
        missing = missing_reports(session, p.id)
        out.append(PeriodSummary(period=p, entries=len(units), reported_units=len(set(units)),
                                 missing_units=len({m.unit for m in missing}), missing_items=len(missing)))
    return out


def item_labels(plan: Plan) -> dict[str, str]:
    """``target:<id>``/``measure:<id>`` → the label a page shows (indicator or measure title, with the id)."""
    labels = {f"target:{t.id}": f"{t.indicator} ({t.id})" for t in plan.targets}
    labels.update({f"measure:{m.id}": f"{m.title} ({m.id})" for m in plan.measures})
    return labels


def unit_name(code: str) -> str:
    """The name of a responsible unit: a region's Chinese name, or the department code itself."""
    return region_name(code) if code.isdigit() else code


def current_entries(session: Session, period: str) -> list[EntryWithHistory]:
    """The latest version of each entry of ``period`` with its history, by unit and item."""
    labels = item_labels(tracked_plan(session))
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
    plan = tracked_plan(session)
    out: list[tuple[str, str, str | None]] = [
        (f"target:{t.id}", f"{t.indicator} ({t.id})", target_unit(t.indicator_id, t.unit)) for t in plan.targets]
    out += [(f"measure:{m.id}", f"{m.title} ({m.id})", None) for m in plan.measures]
    return out


def actor_units_of(principal: Principal) -> set[str]:
    """The units a principal may report for: its league (or county), its department, or every unit."""
    if principal.role in (Role.REGION_ADMIN, Role.OFFICE):
        return {ALL_UNITS}
    return {c for c in (principal.region_code, principal.department_code) if c}
