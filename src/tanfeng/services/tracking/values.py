"""Indicator values: record, enter (with unit conversion and the region check), list, history, the sample.

``indicator_values`` is never updated in place: a change adds version n + 1 and stamps ``superseded_at`` on
version n (:func:`tanfeng.store.transaction.supersede`), and every write is audited in the same transaction.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import Any

from sqlalchemy.orm import Session

from tanfeng.errors import InputError, PermissionDeniedError, UnitError, at
from tanfeng.reference.indicators import statistic_aliases
from tanfeng.reference.regions import get_region
from tanfeng.services.tracking.common import (
    expected_unit,
    load_series,
    parse_period,
    plan_span,
    same_unit,
    tracked_plan,
)
from tanfeng.services.tracking.schemas import IndicatorValueOut, SampleLoad
from tanfeng.store import repository, repository_tracking
from tanfeng.store.models import utcnow
from tanfeng.store.models_tracking import IndicatorValueRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic, supersede
from tanfeng.tracking import sample as sample_data
from tanfeng.tracking.figures import short_source
from tanfeng.tracking.series import price_base
from tanfeng.units import convert, readable_number

__all__ = [
    "ALL_UNITS",
    "SAMPLE_BATCH",
    "enter_value",
    "indicator_history",
    "list_indicator_values",
    "load_sample",
    "record_value",
]

SAMPLE_BATCH = "tanfeng.tracking.sample"
"""``import_batches.kind`` of the sample loaded at initialisation."""
ALL_UNITS = "*"
"""In ``actor_units``/``actor_regions``: the user may act for every unit (the office, the region admin)."""


def _check_value(session: Session, *, indicator: str, period: str, value: float, unit: str, source: str,
                 certainty: str) -> tuple[int, str]:
    """The year of ``period`` and the indicator's unit, or :class:`InputError` naming the bad field."""
    year = parse_period(period)
    _start, end = plan_span(tracked_plan(session))
    if not 2000 <= year <= end:
        msg = f"period {period} is outside the years tracked (2000–{end}, the plan ends in {end})"
        raise InputError(msg, location=at(field="period"))
    if not math.isfinite(value):
        msg = "value is not a finite number"
        raise InputError(msg, location=at(field="value"))
    want = expected_unit(session, indicator)
    if not same_unit(unit, want):
        msg = f"'{indicator}' is stored in {want}, not {unit}"
        raise InputError(msg, location=at(field="unit"), hint=f"convert the value to {want} and send unit '{want}'")
    if not source.strip():
        msg = "every value needs its source"
        raise InputError(msg, location=at(field="source"))
    if certainty not in ("P", "S", "R"):
        msg = f"certainty '{certainty}' is not P, S or R"
        raise InputError(msg, location=at(field="certainty"))
    return year, want


def record_value(session: Session, *, region: str, indicator: str, period: str, value: float, unit: str,
                 source: str, actor: str, certainty: str = "P", sample: bool = False, note: str | None = None,
                 actor_role: str | None = None) -> IndicatorValueOut:
    """Store a value: version 1, or version n + 1 superseding the current one (never an update of the value).

    Raises
    ------
    InputError
        Unknown indicator, a unit other than the indicator's, a bad period, a missing source.
    """
    year, unit = _check_value(session, indicator=indicator, period=period, value=value, unit=unit, source=source,
                              certainty=certainty)
    get_region(region)  # UnknownRegionError for a code that is not in the catalogue
    key = f"{region}/{indicator}/{period}"
    with atomic(session, f"value {key}"):
        cur = repository_tracking.current_value(session, region=region, indicator=indicator, period=period)
        before = None if cur is None else _value_dict(cur)
        now = utcnow()
        version = supersede(cur, now)
        row = IndicatorValueRow(region=region, indicator=indicator, period=period, year=year, value=value, unit=unit,
                                source=source.strip(), certainty=certainty, sample=sample, version=version,
                                superseded_at=None, entered_by=actor, entered_at=now, note=note)
        session.add(row)
        session.flush()
        record_audit(session, actor=actor, action="insert" if cur is None else "new_version",
                     entity="indicator_value", entity_id=key, before=before, after=_value_dict(row),
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
                             superseded_at=r.superseded_at, note=r.note, origin="indicator_values",
                             source_label=short_source(r.source))


def indicator_history(session: Session, *, region: str, indicator: str, period: str) -> list[IndicatorValueOut]:
    """Every version of one key, oldest first (who entered each, when it was superseded)."""
    rows = repository_tracking.value_history(session, region=region, indicator=indicator, period=period)
    return [_value_out(r) for r in rows]


def list_indicator_values(session: Session, *, region: str | None = None,
                          indicator: str | None = None) -> list[IndicatorValueOut]:
    """The values in use (real statistics first where both exist), sorted by region, indicator, period."""
    series = load_series(session, None if region is None else [region])
    stored = {(r.region, r.indicator, r.period): r for r in repository_tracking.current_values(session)}
    out: list[IndicatorValueOut] = []
    for (reg, ind, period), v in series.items():
        if (region is not None and reg != region) or (indicator is not None and ind != indicator):
            continue
        r = stored.get((reg, ind, period))
        if v.origin == "indicator_values" and r is not None:
            out.append(_value_out(r))
        else:
            out.append(IndicatorValueOut(region=reg, indicator=ind, period=period, year=parse_period(period),
                                         value=v.value, unit=v.unit, source=v.source, certainty=v.certainty,
                                         sample=False, version=None, current=True, entered_by=None, entered_at=None,
                                         superseded_at=None,
                                         note="reference statistic (real figure)" + (f"; {v.note}" if v.note else ""),
                                         origin="reference_statistics", source_label=short_source(v.source),
                                         file=v.file))
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
    last = repository_tracking.last_batch(session, kind=SAMPLE_BATCH, name=name)
    if last is not None and last.content_hash == digest:
        return SampleLoad(inserted=0, skipped_real=0, unchanged=True)
    aliases = statistic_aliases()
    real = {(s.region, aliases[s.indicator], str(s.year)) for s in repository.list_statistics(session)
            if s.indicator in aliases and s.period is None}
    have = repository_tracking.current_value_keys(session)
    now = utcnow()
    skipped = 0
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
    with atomic(session, "the sample indicator values"):
        session.add_all(new)
        session.flush()
        record_audit(session, actor=actor, action="insert", entity="indicator_values_sample", entity_id=name,
                     before=None, after={"rows": len(new), "skipped_real": skipped, "content_hash": digest,
                                         "source": sample_data.sample_source(seed)})
        repository.record_batch(session, kind=SAMPLE_BATCH, name=name, rows=len(new), digest=digest,
                                status="loaded", actor=actor,
                                message=f"{len(new)} inserted, {skipped} skipped (real statistics keep priority)")
    return SampleLoad(inserted=len(new), skipped_real=skipped, unchanged=False)


def _region_allowed(region: str, actor_regions: Collection[str]) -> bool:
    if ALL_UNITS in actor_regions or region in actor_regions:
        return True
    parent = get_region(region).parent
    return parent is not None and parent in actor_regions


def _converted(indicator: str, value: float, unit: str, want: str) -> float:
    """``value`` in ``unit`` converted to the indicator's unit ``want`` through :mod:`tanfeng.units`."""
    if not math.isfinite(value):
        msg = "value is not a finite number"
        raise InputError(msg, location=at(field="value"))
    try:
        if price_base(unit) != price_base(want):
            msg = f"price base of {unit} is not that of {want}"
            raise UnitError(msg)
        return convert(value, unit, want)
    except UnitError as exc:
        msg = f"'{indicator}' is kept in {want}; {unit} does not convert to it ({exc.message})"
        raise InputError(msg, location=at(field="unit"), hint=f"send the value in {want}") from exc


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
    if not same_unit(unit, want):
        converted = _converted(indicator, value, unit, want)
        conv = f"converted from {readable_number(value)} {unit}"
        note = f"{note}; {conv}" if note else conv
        value = converted
    return record_value(session, region=region, indicator=indicator, period=period, value=value, unit=want,
                        source=source, actor=actor, note=note, actor_role=actor_role)
