"""Read-only views: a unit's page (meters, completeness, monthly energy, reports, benchmark position) and the
units of a league or county as one principal may see them."""

from __future__ import annotations

from typing import Literal

from sqlalchemy.orm import Session

from tanfeng.access import Action, Principal, Resource, ResourceKind, authorize
from tanfeng.config import Settings
from tanfeng.services import metering
from tanfeng.services.key_units.registry import get_unit, list_units
from tanfeng.services.key_units.reports import list_reports
from tanfeng.services.key_units.schemas import RegionUnits, UnitInfo, UnitOverview
from tanfeng.store import repository_key_units as repo

__all__ = [
    "COMPLETENESS_DAYS",
    "may_list_units",
    "unit_data",
    "unit_overview",
    "unit_resource",
    "units_in_region",
    "visible_to",
    "visible_units",
]

COMPLETENESS_DAYS = 31
"""How many of the newest days of completeness a unit's page shows."""


def unit_overview(session: Session, settings: Settings, code: str) -> UnitOverview:
    """A unit's meters, daily completeness, monthly energy and CO2, report states and benchmark position."""
    detail = get_unit(session, code)
    reports = list_reports(session, code)
    monthly = metering.aggregate(session, settings, period="month", by="unit", unit=code)
    quality = metering.quality(session, settings)
    completeness = [c for c in quality.completeness if c["unit_code"] == code]
    energy = [r for r in reports if r.kind == "energy"]
    bench = list(energy[0].figures.get("benchmark", [])) if energy else []
    return UnitOverview(unit=detail, monthly=monthly, completeness=completeness[-COMPLETENESS_DAYS:],
                        reports=reports, benchmark=bench, sample=detail.sample, notice=detail.notice)


def unit_data(code: str, county: str | None) -> Resource:
    """The ``enterprise_data`` record of unit ``code`` registered in ``county`` (the permission matrix's view)."""
    return Resource(kind=ResourceKind.ENTERPRISE_DATA, id=code, unit_id=code, region_code=county)


def unit_resource(session: Session, code: str) -> Resource | None:
    """The ``enterprise_data`` record of a registered unit; ``None`` when ``code`` is not registered."""
    row = repo.unit(session, code=code)
    return unit_data(code, row.county) if row is not None else None


def visible_to(principal: Principal, unit: UnitInfo) -> bool:
    """Whether ``principal`` may read ``unit``'s data (the matrix's ``enterprise_data`` read rule)."""
    return authorize(principal, Action.READ, unit_data(unit.code, unit.county)).allowed


def visible_units(session: Session, principal: Principal, *, league: str | None = None, county: str | None = None,
                  industry: str | None = None, level: str | None = None) -> list[UnitInfo]:
    """The registry filtered like :func:`~tanfeng.services.key_units.registry.list_units`, only the units
    ``principal`` may read."""
    return [u for u in list_units(session, league=league, county=county, industry=industry, level=level)
            if visible_to(principal, u)]


def may_list_units(principal: Principal, code: str) -> bool:
    """Whether ``principal`` may read the enterprise data of league or county ``code`` as a whole (the list page):
    the region admin, office and auditor anywhere, a league officer its league and counties, a county officer
    its county; not enterprises, departments or the public."""
    resource = Resource(kind=ResourceKind.ENTERPRISE_DATA, id=f"units of {code}", region_code=code)
    return authorize(principal, Action.READ, resource).allowed


def units_in_region(session: Session, code: str, principal: Principal) -> RegionUnits | None:
    """The units of league or county ``code`` that ``principal`` may read, and how many there are in all.

    ``None`` for a code that is neither a league (``xxxx00``) nor a county (the region itself has no list).
    """
    if code.endswith("0000"):
        return None
    level: Literal["league", "county"] = "league" if code.endswith("00") else "county"
    rows = list_units(session, league=code) if level == "league" else list_units(session, county=code)
    visible = [u for u in rows if visible_to(principal, u)]
    return RegionUnits(region=code, level=level, total=len(rows), units=visible, sample=any(u.sample for u in rows),
                       may_list=may_list_units(principal, code))
