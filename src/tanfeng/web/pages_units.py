"""Pages of key energy-consuming units: a unit's page and a league's list of units.

``/units/{code}``                       meters, daily completeness, monthly energy (tce) and CO2 (t), report
                                        states, benchmark position; breadcrumbs 内蒙古自治区 › league › county › unit
``/leagues/{code}/units[?county=…]``    the units of a league or of one of its counties (filter by industry)

Only for principals that may read the unit's data (the same rule as ``/api/units``); the list only for those
who may read the league's (or the county's) enterprise data as a whole — the region admin, office and
auditor, the league's officer, the county's officer with ``?county=`` — anyone else gets the 403 page.
Pages that show sample units say 示例数据. The pages only arrange what :mod:`tanfeng.services.key_units` returns.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from tanfeng.access import Action, Role
from tanfeng.access import require as require_permission
from tanfeng.errors import InputError, PermissionDeniedError, TanfengError
from tanfeng.reference.regions import get_region
from tanfeng.services import key_units as service
from tanfeng.web.deps import LangDep, LoggedIn, SessionDep
from tanfeng.web.pages import render

__all__ = ["REGION_CODE", "breadcrumbs", "router"]

router = APIRouter(include_in_schema=False)

REGION_CODE = "150000"


def _name(code: str) -> str:
    """The region's Chinese name, or the code itself when the catalogue does not know it (sample counties)."""
    try:
        return get_region(code).name_zh
    except (TanfengError, KeyError):
        return code


def _known(code: str) -> bool:
    try:
        get_region(code)
    except (TanfengError, KeyError):
        return False
    return True


def breadcrumbs(league: str, county: str | None = None) -> list[tuple[str, str, bool]]:
    """(code, name, whether the region catalogue knows it) from the region down to the league and, when
    given, the county; the pages link only the known ones (``/regions/{code}`` of an unknown code is 404)."""
    crumbs = [(REGION_CODE, _name(REGION_CODE), True), (league, _name(league), _known(league))]
    if county and county != league:
        crumbs.append((county, _name(county), _known(county)))
    return crumbs


@router.get("/units/{code}")
def unit_page(request: Request, code: Annotated[str, Path(max_length=18)], session: SessionDep, lang: LangDep,
              principal: LoggedIn) -> Response:
    """A unit's page."""
    detail = service.get_unit(session, code)
    require_permission(principal, Action.READ, service.unit_data(code, detail.county))
    overview = service.unit_overview(session, request.app.state.settings, code)
    return render(request, "units/unit.html", lang, {
        "o": overview, "sample": overview.sample, "state_zh": service.STATE_ZH, "kind_zh": service.KIND_ZH,
        "crumbs": breadcrumbs(detail.league, detail.county),
        "may_list": service.may_list_units(principal, detail.league),
        "may_list_county": service.may_list_units(principal, detail.county)})


@router.get("/leagues/{code}/units")
def league_units(request: Request, code: Annotated[str, Path(pattern=r"^\d{6}$")], session: SessionDep,
                 lang: LangDep, principal: LoggedIn,
                 industry: Annotated[str | None, Query(max_length=8)] = None,
                 county: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None) -> Response:
    """A league's units, or one county's (only those the caller may read)."""
    if not code.endswith("00") or code.endswith("0000"):
        msg = f"{code} is not a league code (a league's code ends in 00, e.g. 150600)"
        raise InputError(msg, hint="open /regions/150000 and pick a league")
    if county is not None and (county[:4] != code[:4] or county.endswith("00")):
        msg = f"county {county} is not a county of league {code}"
        raise InputError(msg, hint=f"a county of {code} has a code {code[:4]}01…{code[:4]}99")
    scope = county or code
    if not service.may_list_units(principal, scope):
        who = principal.describe()
        msg = f"denied: {who} may not list the key units of {scope}"
        hint = (f"your county's list is /leagues/{code}/units?county={principal.region_code}"
                if principal.role is Role.COUNTY and principal.region_code and principal.region_code[:4] == code[:4]
                else None)
        raise PermissionDeniedError(msg, hint=hint)
    rows = service.visible_units(session, principal, league=code, county=county, industry=industry)
    return render(request, "units/league.html", lang, {
        "league": code, "league_name": _name(code), "county": county, "units": rows, "industry": industry,
        "sample": any(u.sample for u in rows), "crumbs": breadcrumbs(code, county)})
