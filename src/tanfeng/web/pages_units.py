"""Pages of key energy-consuming units: a unit's page and a league's list of units.

``/units/{code}``            meters, daily completeness, monthly energy (tce) and CO2 (t), report states,
                             benchmark position
``/leagues/{code}/units``    the units of a league (filter by industry)

Only for principals that may read the unit's data (the same rule as ``/api/units``). Pages that show
sample units say 示例数据. The pages only arrange what :mod:`tanfeng.services.units` returns.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from tanfeng.access import Action, Resource, ResourceKind, Role, authorize
from tanfeng.access import require as require_permission
from tanfeng.errors import AuthError
from tanfeng.services import units as service
from tanfeng.web.deps import CurrentPrincipal, LangDep, SessionDep
from tanfeng.web.pages import render

router = APIRouter(include_in_schema=False)


def _logged_in(principal: object) -> None:
    if getattr(principal, "role", None) is Role.PUBLIC:
        msg = "this page needs a login"
        raise AuthError(msg, hint="log in at /login")


@router.get("/units/{code}")
def unit_page(request: Request, code: Annotated[str, Path(max_length=18)], session: SessionDep, lang: LangDep,
              principal: CurrentPrincipal) -> Response:
    """A unit's page."""
    _logged_in(principal)
    detail = service.get_unit(session, code)
    require_permission(principal, Action.READ, Resource(kind=ResourceKind.ENTERPRISE_DATA, id=code, unit_id=code,
                                                        region_code=detail.county))
    overview = service.unit_overview(session, request.app.state.settings, code)
    return render(request, "units/unit.html", lang, {"o": overview, "sample": overview.sample,
                                                     "state_zh": service.STATE_ZH, "kind_zh": service.KIND_ZH})


@router.get("/leagues/{code}/units")
def league_units(request: Request, code: Annotated[str, Path(pattern=r"^\d{6}$")], session: SessionDep,
                 lang: LangDep, principal: CurrentPrincipal,
                 industry: Annotated[str | None, Query(max_length=8)] = None) -> Response:
    """A league's units (only those the caller may read)."""
    _logged_in(principal)
    rows = [u for u in service.list_units(session, league=code, industry=industry)
            if authorize(principal, Action.READ, Resource(kind=ResourceKind.ENTERPRISE_DATA, id=u.code,
                                                          unit_id=u.code, region_code=u.county)).allowed]
    return render(request, "units/league.html", lang, {"league": code, "units": rows, "industry": industry,
                                                       "sample": any(u.sample for u in rows)})
