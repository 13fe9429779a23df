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

from tanfeng.access import Action, Principal, Resource, ResourceKind, Role, authorize
from tanfeng.access.policy import league_of
from tanfeng.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError, at
from tanfeng.plan.model import Plan
from tanfeng.reference.indicators import get_indicator, indicators
from tanfeng.reference.regions import resolve_region_code
from tanfeng.services.tracking.common import (
    check_in_plan,
    parse_period,
    period_end,
    region_name,
    same_unit,
    today_in_beijing,
    tracked_plan,
)
from tanfeng.services.tracking.schemas import (
    AttachmentOut,
    DispatchEntryOut,
    DispatchPeriodOut,
    EntryWithHistory,
    ItemName,
)
from tanfeng.services.tracking.values import ALL_UNITS
from tanfeng.store import repository_accounts, repository_tracking
from tanfeng.store.models import utcnow
from tanfeng.store.models_tracking import (
    MEASURE_STATUSES,
    DispatchAttachmentRow,
    DispatchEntryRow,
    DispatchPeriodRow,
)
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic, supersede

__all__ = [
    "actor_units_of",
    "check_due_date",
    "close_period",
    "count_entries",
    "current_entries",
    "dispatch_resource",
    "display_names",
    "entry_history",
    "get_period",
    "item_labels",
    "item_names",
    "item_options",
    "list_periods",
    "open_period",
    "readable_units",
    "submit_entry",
    "target_covers",
    "target_unit",
    "unit_name",
]


def _period_out(r: DispatchPeriodRow) -> DispatchPeriodOut:
    return DispatchPeriodOut(id=r.id, opened_at=r.opened_at, opened_by=r.opened_by, due_date=r.due_date,
                             status=r.status, departments=list(r.departments or []))


def _departments(departments: Collection[str]) -> list[str]:
    out: list[str] = []
    for d in departments:
        d = d.strip()
        if not d:
            continue
        if d.isdigit() or len(d) > 200:
            msg = f"{d!r} is not a department (a department is named as the plan names it, e.g. 自治区能源局)"
            raise InputError(msg, location=at(field="departments"))
        if d not in out:
            out.append(d)
    return out


def check_due_date(period: str, due_date: date, *, today: date | None = None) -> None:
    """A due date is on or after the period's last day, and not in the past (Beijing time) when opening.

    Raises
    ------
    InputError
        Naming the field ``due_date``, the period's last day and today.
    """
    end = period_end(period)
    if due_date < end:
        msg = f"due date {due_date.isoformat()} is before period {period} ends ({end.isoformat()})"
        raise InputError(msg, location=at(field="due_date"), hint=f"choose {end.isoformat()} or later")
    today = today or today_in_beijing()
    if due_date < today:
        msg = f"due date {due_date.isoformat()} is in the past (today is {today.isoformat()})"
        raise InputError(msg, location=at(field="due_date"), hint="choose today or a later day")


def open_period(session: Session, *, period: str, due_date: date, actor: str, departments: Collection[str] = (),
                actor_role: str | None = None, client_address: str | None = None,
                today: date | None = None) -> DispatchPeriodOut:
    """Open a dispatch round that every league, and the ``departments`` named, report in.

    Refused: a period outside the plan, one already opened, a due date before the period ends or in the
    past (``today``: Beijing's date by default).
    """
    year = parse_period(period)
    check_in_plan(session, year)
    check_due_date(period, due_date, today=today)
    depts = _departments(departments)
    with atomic(session, f"dispatch period {period}"):
        if repository_tracking.get_period(session, period=period) is not None:
            msg = f"dispatch period {period} is already open"
            raise ConflictError(msg, hint="choose another period, or report in the open one")
        row = DispatchPeriodRow(id=period, opened_at=utcnow(), opened_by=actor, due_date=due_date, status="open",
                                departments=depts)
        session.add(row)
        session.flush()
        record_audit(session, actor=actor, action="insert", entity="dispatch_period", entity_id=period, before=None,
                     after={"id": period, "due_date": due_date.isoformat(), "status": "open", "departments": depts},
                     actor_role=actor_role, client_address=client_address)
        return _period_out(row)


def list_periods(session: Session) -> list[DispatchPeriodOut]:
    """Dispatch rounds, newest first."""
    return [_period_out(r) for r in repository_tracking.list_periods(session)]


def get_period(session: Session, period: str) -> DispatchPeriodOut:
    """One dispatch round, or :class:`NotFoundError`."""
    return _period_out(_get_period(session, period))


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
        before = {"id": row.id, "due_date": row.due_date.isoformat(), "status": row.status,
                  "departments": list(row.departments or [])}
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


def target_covers(scope_regions: Collection[str], unit: str) -> bool:
    """Whether a target scoped to ``scope_regions`` (empty: the whole region) concerns ``unit``.

    A league is concerned by its own scoped targets, a county by its league's, a department by every target.
    """
    if not scope_regions or not unit.isdigit():
        return True
    return unit in scope_regions or league_of(unit) in scope_regions


def _target_item(plan: Plan, target_id: str, value: float | None, value_unit: str | None,
                 measure_status: str | None, unit: str) -> str:
    target = next((t for t in plan.targets if t.id == target_id), None)
    if target is None:
        msg = f"plan {plan.id} has no target '{target_id}'"
        raise NotFoundError(msg)
    if not target_covers(target.scope_regions, unit):
        where = "、".join(region_name(c) for c in target.scope_regions)
        msg = f"target {target_id} ({target.indicator}) concerns {where}, not {unit_name(unit)}"
        raise InputError(msg, location=at(field="target_id"), hint="report the targets of your own unit")
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
    item = (_target_item(plan, target_id, value, value_unit, measure_status, unit) if target_id is not None
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
    """Every version of the entries of a period (optionally one unit, one ``target:…``/``measure:…``).

    Each version says who entered it by display name and whether it came after the due date (``late``).
    """
    due = _get_period(session, period).due_date
    rows = repository_tracking.entry_versions(session, period=period, unit=unit, item=item)
    names = display_names(session, {r.entered_by for r in rows})
    return [_entry_out(r).model_copy(update={"entered_by_name": names.get(r.entered_by, r.entered_by),
                                             "late": today_in_beijing(r.entered_at) > due}) for r in rows]


def count_entries(session: Session, period: str) -> int:
    """How many current entries a period has."""
    return repository_tracking.count_current_entries(session, period=period)


def item_labels(plan: Plan) -> dict[str, str]:
    """``target:<id>``/``measure:<id>`` → the label a page shows (indicator or measure title, with the id)."""
    labels = {f"target:{t.id}": f"{t.indicator} ({t.id})" for t in plan.targets}
    labels.update({f"measure:{m.id}": f"{m.title} ({m.id})" for m in plan.measures})
    return labels


def item_names(plan: Plan) -> dict[str, ItemName]:
    """``target:<id>``/``measure:<id>`` → the item's name (indicator or measure title), id and year, for pages
    that show the name with the id after it."""
    names = {f"target:{t.id}": ItemName(key=f"target:{t.id}", id=t.id, name=t.indicator, year=t.year,
                                        scope=None if t.scope.isdigit() else t.scope) for t in plan.targets}
    names.update({f"measure:{m.id}": ItemName(key=f"measure:{m.id}", id=m.id, name=m.title) for m in plan.measures})
    return names


def unit_name(code: str) -> str:
    """The name of a responsible unit: a region's Chinese name, or the department code itself."""
    return region_name(code) if code.isdigit() else code


def _attachment_out(a: DispatchAttachmentRow) -> AttachmentOut:
    return AttachmentOut(id=a.id, entry_id=a.entry_id, filename=a.filename, media_type=a.media_type, size=a.size,
                         sha256=a.sha256, uploaded_by=a.uploaded_by, uploaded_at=a.uploaded_at)


def current_entries(session: Session, period: str, *, units: Collection[str] | None = None) -> list[EntryWithHistory]:
    """The latest version of each entry of ``period`` (of ``units`` only, when given) with its history and the
    files attached to any version; a county's entry names its league (a sub-entry)."""
    labels = item_labels(tracked_plan(session))
    groups: dict[tuple[str, str | None, str | None], list[DispatchEntryOut]] = {}
    for e in entry_history(session, period=period):
        if units is None or e.responsible_unit in units:
            groups.setdefault((e.responsible_unit, e.target_id, e.measure_id), []).append(e)
    files: dict[int, list[AttachmentOut]] = {}
    ids = [v.id for versions in groups.values() for v in versions]
    for a in repository_tracking.attachments_of_entries(session, entry_ids=ids):
        files.setdefault(a.entry_id, []).append(_attachment_out(a))
    out: list[EntryWithHistory] = []
    for (unit, target_id, measure_id), versions in groups.items():
        item = f"target:{target_id}" if target_id is not None else f"measure:{measure_id}"
        league = league_of(unit) if unit.isdigit() and not unit.endswith("00") else None
        out.append(EntryWithHistory(current=versions[-1], unit_name=unit_name(unit), item_label=labels.get(item, item),
                                    history=versions, league=league,
                                    attachments=[a for v in versions for a in files.get(v.id, [])]))
    return out


def item_options(session: Session, unit: str | None = None) -> list[tuple[str, str, str | None]]:
    """What ``unit`` can report on (every item when None): ``(target:<id> | measure:<id>, label, value unit)``.

    Targets scoped to other leagues are left out (:func:`target_covers`); a measure has no value unit.
    """
    plan = tracked_plan(session)
    out: list[tuple[str, str, str | None]] = [
        (f"target:{t.id}", f"{t.indicator} ({t.id})", target_unit(t.indicator_id, t.unit)) for t in plan.targets
        if unit is None or target_covers(t.scope_regions, unit)]
    out += [(f"measure:{m.id}", f"{m.title} ({m.id})", None) for m in plan.measures]
    return out


def display_names(session: Session, usernames: Collection[str]) -> dict[str, str]:
    """User name → display name; a name without an account (a script, the sample) stays as it is."""
    known = repository_accounts.display_names(session, usernames=usernames)
    return {u: known.get(u, u) for u in usernames}


def actor_units_of(principal: Principal) -> set[str]:
    """The units a principal may report for: its league (or county), its department, or every unit."""
    if principal.role in (Role.REGION_ADMIN, Role.OFFICE):
        return {ALL_UNITS}
    return {c for c in (principal.region_code, principal.department_code) if c}


def dispatch_resource(unit: str, period: str) -> Resource:
    """The permission matrix's record for ``unit``'s entries in ``period`` (a region code or a department)."""
    is_code = unit.isdigit() and len(unit) == 6
    return Resource(kind=ResourceKind.DISPATCH, id=f"{period}/{unit}", region_code=unit if is_code else None,
                    departments=() if is_code else (unit,))


def readable_units(principal: Principal, units: Collection[str], period: str) -> set[str]:
    """The units among ``units`` whose entries and missing items ``principal`` may read (``permissions.csv``,
    resource ``dispatch``, action ``read``): every unit for the office, the auditor and the administrator, its
    own league (and counties) or department for a tenant, none for the public."""
    return {u for u in units if authorize(principal, Action.READ, dispatch_resource(u, period)).allowed}
