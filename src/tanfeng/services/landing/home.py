"""One principal's landing content.

The office and the region administrator see the open dispatch rounds with every missing report, the
leagues' warning counts and levels (the overview's own), and what changed since the latest round opened. A
league (or county, or department) officer sees its own tasks (what it still owes in the open rounds), its
warnings and its key units. An enterprise goes to its unit's page, an auditor to the audit log
(:func:`landing_path`).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from tanfeng.access import Principal, Role
from tanfeng.services import key_units, tracking
from tanfeng.services.key_units.schemas import RegionUnits
from tanfeng.services.tracking.schemas import ChangeOut, DispatchPeriodOut, MissingOut
from tanfeng.tracking.warning import LeagueWarnings

__all__ = ["CHANGES_SHOWN", "Home", "home_for", "landing_path"]

CHANGES_SHOWN = 20
"""How many of the newest changes the office's landing page lists."""

_OFFICE = (Role.REGION_ADMIN, Role.OFFICE)


class Home(BaseModel):
    """What a landing page shows; a part the role does not see is empty (``None`` or ``[]``)."""

    model_config = ConfigDict(extra="forbid")

    role: Role
    scope: str | None
    """The league, county or department the principal acts for (``None`` for the office)."""
    scope_name: str | None = None
    """The name of ``scope``: a league's or county's Chinese name (鄂尔多斯市 for 150600); a department's code is
    its name already."""
    open_periods: list[DispatchPeriodOut]
    missing: dict[str, list[MissingOut]]
    """Per open round: what is missing (everyone's for the office, the principal's own otherwise)."""
    counts: dict[int, int] | None
    """Leagues by warning level of energy intensity (the overview's counts), for the office."""
    warnings: list[LeagueWarnings]
    """Leagues with any warning (office), or the principal's league's own levels."""
    year: int | None
    changes: list[ChangeOut]
    since_period: str | None
    units: RegionUnits | None
    sample: bool


def landing_path(principal: Principal) -> str:
    """Where a principal lands after logging in: an enterprise on its unit, an auditor on the audit log,
    everyone else on ``/home``."""
    if principal.role is Role.ENTERPRISE and principal.unit_id:
        return f"/units/{principal.unit_id}"
    if principal.role is Role.AUDITOR:
        return "/audit"
    return "/home"


def _scope(principal: Principal) -> str | None:
    if principal.role in _OFFICE:
        return None
    return principal.region_code or principal.department_code


def _league_of(code: str | None) -> str | None:
    """The league a league or county code belongs to (``xxxx00``)."""
    return None if code is None or not code.isdigit() or code.endswith("0000") else code[:4] + "00"


def home_for(session: Session, principal: Principal) -> Home:
    """The landing content of ``principal`` (an office, administrator, league, county or department officer)."""
    scope = _scope(principal)
    office = principal.role in _OFFICE
    periods = [p for p in tracking.list_periods(session) if p.status == "open"]
    missing = {p.id: [m for m in tracking.missing_reports(session, p.id) if office or m.unit == scope]
               for p in periods}
    counts: dict[int, int] | None = None
    warnings: list[LeagueWarnings] = []
    year: int | None = None
    sample = False
    if office:
        ov = tracking.overview(session)
        counts, year, sample = ov.counts, ov.year, ov.sample
        warnings = [w for w in ov.warnings if w.region != "150000" and any((w.intensity, w.total, w.carbon))]
    elif (league := _league_of(scope)) is not None:
        region = tracking.region_overview(session, region=league)
        if region.status is not None:
            year, sample = region.status.year, region.status.sample
        warnings = [w for code, w in region.warnings.items() if code == league]
    changes = tracking.changes_since_last_period(session, limit=CHANGES_SHOWN if office else 200)
    shown = changes.changes if office else [c for c in changes.changes if c.unit == scope][:CHANGES_SHOWN]
    units = (key_units.units_in_region(session, scope, principal)
             if scope is not None and scope.isdigit() else None)
    scope_name = tracking.region_name(scope) if scope is not None and scope.isdigit() else scope
    return Home(role=principal.role, scope=scope, scope_name=scope_name, open_periods=periods, missing=missing, counts=counts,
                warnings=warnings, year=year, changes=shown, since_period=changes.since_period, units=units,
                sample=sample or bool(units and units.sample))
