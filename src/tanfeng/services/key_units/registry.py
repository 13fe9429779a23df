"""The registry of key units: register or replace a unit with its facilities and meters, list, show."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tanfeng.enterprises.registry import KeyUnit
from tanfeng.errors import NotFoundError
from tanfeng.services.key_units.schemas import MeterInfo, UnitDetail, UnitInfo, meter_info, unit_info
from tanfeng.store import repository_key_units as repo
from tanfeng.store.models import utcnow
from tanfeng.store.models_enterprises import FacilityRow, KeyUnitRow, MeterRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic

__all__ = ["get_unit", "list_meters", "list_units", "require_unit", "upsert_unit"]


def require_unit(session: Session, code: str) -> KeyUnitRow:
    """The stored unit ``code``.

    Raises
    ------
    NotFoundError
        No unit has that credit code.
    """
    row = repo.unit(session, code=code)
    if row is None:
        msg = f"unit '{code}' is not in the registry"
        raise NotFoundError(msg, hint="check the unified social credit code against the list of registered units")
    return row


def upsert_unit(session: Session, unit: KeyUnit, *, actor: str, actor_role: str | None = None) -> UnitDetail:
    """Create or replace a unit with its facilities and meters (audited with before and after)."""
    before: dict[str, Any] | None = (get_unit(session, unit.code).model_dump(mode="json")
                                     if repo.unit(session, code=unit.code) is not None else None)
    now = utcnow()
    with atomic(session, f"unit {unit.code}"):
        row = repo.unit(session, code=unit.code)
        if row is None:
            row = KeyUnitRow(code=unit.code, created_at=now)
            session.add(row)
        row.name, row.league, row.county, row.industry, row.level = (unit.name, unit.league, unit.county,
                                                                     unit.industry, unit.level)
        row.products, row.contacts = list(unit.products), [c.model_dump() for c in unit.contacts]
        row.sample, row.updated_at = unit.sample, now
        session.flush()
        repo.replace_equipment(
            session, unit_code=unit.code,
            facility_rows=[FacilityRow(facility_id=f.facility_id, unit_code=unit.code, name=f.name,
                                       product=f.product) for f in unit.facilities],
            meter_rows=[MeterRow(meter_id=m.meter_id, unit_code=unit.code, facility_id=m.facility_id,
                                 product=m.product, unit=m.unit, multiplier=m.multiplier, kind=m.kind,
                                 rollover_max=m.rollover_max, sample=unit.sample) for m in unit.meters])
        record_audit(session, actor=actor, action="update" if before else "insert", entity="key_unit",
                     entity_id=unit.code, before=before, after=unit.model_dump(mode="json"), actor_role=actor_role)
    return get_unit(session, unit.code)


def list_units(session: Session, *, league: str | None = None, industry: str | None = None,
               county: str | None = None, level: str | None = None, code: str | None = None) -> list[UnitInfo]:
    """Units in code order, filtered by league, county, industry (a GB/T 4754 code or its prefix) and level."""
    counts = repo.meter_counts(session)
    return [unit_info(u, counts.get(u.code, 0))
            for u in repo.units(session, league=league, industry=industry, county=county, level=level, code=code)]


def list_meters(session: Session, code: str) -> list[MeterInfo]:
    """A unit's meters."""
    require_unit(session, code)
    return [meter_info(m) for m in repo.meters(session, unit_code=code)]


def get_unit(session: Session, code: str) -> UnitDetail:
    """One unit with contacts, facilities and meters."""
    row = require_unit(session, code)
    meters = list_meters(session, code)
    facilities = [{"facility_id": f.facility_id, "name": f.name, "product": f.product}
                  for f in repo.facilities(session, unit_code=code)]
    info = unit_info(row, len(meters))
    return UnitDetail(**info.model_dump(), contacts=list(row.contacts), facilities=facilities, meter_list=meters)
