"""Reminders (催报): the office reminds a unit that still owes a report; the unit sees it as a notice.

A reminder is stored (``dispatch_reminders``) and audited in the same transaction. :func:`notices_for` is what
a unit's landing page shows: the reminders to its units (a county sees its league's) in rounds still open in
which the unit has not reported everything.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tanfeng.access import Principal, Role
from tanfeng.access.policy import league_of
from tanfeng.errors import ConflictError, InputError, NotFoundError, at
from tanfeng.services.tracking.common import region_name, today_in_beijing
from tanfeng.services.tracking.dispatch import get_period, unit_name
from tanfeng.services.tracking.dispatch_progress import unit_progress
from tanfeng.services.tracking.schemas import NoticeOut
from tanfeng.store import repository_tracking
from tanfeng.store.models import utcnow
from tanfeng.store.models_tracking import DispatchReminderRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic

__all__ = ["default_reminder", "notices_for", "remind"]


def default_reminder(period: str, unit: str, due_date: date) -> str:
    """The reminder's text when the office writes none."""
    return f"请{unit_name(unit)}于 {due_date.isoformat()} 前完成 {period} 调度报送。"


def remind(session: Session, *, period: str, unit: str, actor: str, message: str = "",
           actor_role: str | None = None, client_address: str | None = None,
           today: date | None = None) -> NoticeOut:
    """Remind ``unit`` to report for ``period``; stored and audited.

    Raises
    ------
    NotFoundError
        The period was never opened, or the round does not expect ``unit``.
    ConflictError
        The period is closed, or the unit has already reported everything it owes.
    InputError
        A message over 500 characters.
    """
    p = get_period(session, period)
    if p.status != "open":
        msg = f"dispatch period {period} is closed"
        raise ConflictError(msg, hint="nothing was sent")
    progress = next((u for u in unit_progress(session, period, today=today) if u.unit == unit), None)
    if progress is None:
        msg = f"dispatch period {period} does not expect a report from {unit_name(unit)}"
        raise NotFoundError(msg, location=at(field="unit"))
    if progress.reported:
        msg = f"{progress.name} has already reported everything it owes for {period}"
        raise ConflictError(msg, hint="nothing was sent")
    text = message.strip() or default_reminder(period, unit, p.due_date)
    if len(text) > 500:
        msg = f"the reminder has {len(text)} characters; at most 500"
        raise InputError(msg, location=at(field="message"))
    with atomic(session, f"dispatch reminder {period}/{unit}"):
        row = DispatchReminderRow(period=period, responsible_unit=unit, message=text, sent_by=actor, sent_at=utcnow())
        session.add(row)
        session.flush()
        repository_tracking.bump_read_version(session)  # a new stamp for the tracking read model's caches
        record_audit(session, actor=actor, action="remind", entity="dispatch_reminder", entity_id=f"{period}/{unit}",
                     before=None, after={"period": period, "unit": unit, "message": text, "id": row.id},
                     actor_role=actor_role, client_address=client_address)
        return NoticeOut(id=row.id, period=period, unit=unit, unit_name=progress.name, message=text,
                         due_date=p.due_date, sent_by=actor, sent_at=row.sent_at)


def _units_of(principal: Principal) -> set[str]:
    units: set[str] = set()
    if principal.region_code:
        units.add(principal.region_code)
        if principal.role is Role.COUNTY:
            league = league_of(principal.region_code)
            if league:
                units.add(league)
    if principal.department_code:
        units.add(principal.department_code)
    return units


def notices_for(session: Session, principal: Principal, *, today: date | None = None) -> list[NoticeOut]:
    """The reminders a principal's landing page shows, newest first: to its league (a county: its league's)
    or department, in open rounds where that unit still owes something."""
    units = _units_of(principal)
    if not units:
        return []
    today = today or today_in_beijing()
    out: list[NoticeOut] = []
    pending: dict[str, set[str]] = {}
    for r in repository_tracking.reminders(session, units=units):
        if r.period not in pending:
            p = get_period(session, r.period)
            pending[r.period] = (set() if p.status != "open" else
                                 {u.unit for u in unit_progress(session, r.period, today=today) if not u.reported})
        if r.responsible_unit in pending[r.period]:
            out.append(NoticeOut(id=r.id, period=r.period, unit=r.responsible_unit,
                                 unit_name=region_name(r.responsible_unit) if r.responsible_unit.isdigit()
                                 else r.responsible_unit, message=r.message,
                                 due_date=get_period(session, r.period).due_date, sent_by=r.sent_by,
                                 sent_at=r.sent_at))
    return out
