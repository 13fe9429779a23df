"""What changed since the latest dispatch period was opened: values and entries, who, when, old → new."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tanfeng.reference.indicators import label_of
from tanfeng.services.tracking.common import region_name, tracked_plan
from tanfeng.services.tracking.dispatch import item_labels, unit_name
from tanfeng.services.tracking.readmodel import cached
from tanfeng.services.tracking.schemas import ChangeOut, Changes
from tanfeng.store import repository_tracking
from tanfeng.store.models_tracking import DispatchEntryRow
from tanfeng.units import readable_number

__all__ = ["changes_since_last_period"]


def _entry_text(r: DispatchEntryRow) -> str:
    if r.measure_status is not None:
        return r.measure_status
    return f"{readable_number(r.actual_value)} {r.value_unit or ''}".strip() if r.actual_value is not None else "—"


def changes_since_last_period(session: Session, *, limit: int = 100) -> Changes:
    """Indicator values (not the sample) and dispatch entries entered since the latest period was opened.

    Each change names who entered it, when, what, and the old → new value (old None for a first version).
    Newest first, at most ``limit``. Computed once per version of the tracking data.
    """
    return cached(session, "changes", limit, lambda: _changes(session, limit))


def _changes(session: Session, limit: int) -> Changes:
    last = repository_tracking.latest_period(session)
    if last is None:
        return Changes(since_period=None, since=None, changes=[])
    since = last.opened_at
    out: list[ChangeOut] = []
    for v in repository_tracking.values_entered_since(session, since=since):
        prev = repository_tracking.previous_value(session, row=v)
        out.append(ChangeOut(kind="indicator_value", unit=v.region, unit_name=region_name(v.region),
                             what=label_of(v.indicator), item=v.indicator, period=v.period,
                             old=None if prev is None else f"{readable_number(prev.value)} {prev.unit}", new=f"{readable_number(v.value)} {v.unit}",
                             version=v.version, entered_by=v.entered_by, entered_at=v.entered_at))
    labels = item_labels(tracked_plan(session))
    for e in repository_tracking.entries_entered_since(session, since=since):
        prev_e = repository_tracking.previous_entry(session, row=e)
        out.append(ChangeOut(kind="dispatch_entry", unit=e.responsible_unit, unit_name=unit_name(e.responsible_unit),
                             what=labels.get(e.item, e.item), item=e.item, period=e.period,
                             old=None if prev_e is None else _entry_text(prev_e), new=_entry_text(e),
                             version=e.version, entered_by=e.entered_by, entered_at=e.entered_at))
    out.sort(key=lambda c: c.entered_at, reverse=True)
    return Changes(since_period=last.id, since=since, changes=out[:limit])
