"""Pages of the new-type power system (新型电力系统) studies.

``/power``                     the shipped studies
``/power/{study_id}?week=N``   one study: dispatch stack of week N, duration curves and curtailment by
                               measure over that week, and the network on the league map (the measures'
                               names, from the catalogue, reach the charts in ``data-measures``)

Only for principals that may read power studies; the charts fetch their figures from ``/api/power``
(which solves on demand, so the charts need ``create`` too). The pages say that wind and solar profiles
are synthetic (合成数据) and where every number comes from.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from tanfeng.access import Action, Principal, Resource, ResourceKind, Role, authorize
from tanfeng.access import require as require_permission
from tanfeng.errors import AuthError
from tanfeng.services import power as service
from tanfeng.web.deps import CurrentPrincipal, LangDep
from tanfeng.web.i18n import pgettext
from tanfeng.web.pages import render, templates

__all__ = ["may_read_power", "power_index", "power_study", "router"]

router = APIRouter(include_in_schema=False)

_STUDY = Resource(kind=ResourceKind.POWER_STUDY, id="power studies", region_code="150000")


def may_read_power(principal: Principal) -> bool:
    """Whether the principal may read power studies (the header links ``/power`` only for them)."""
    return authorize(principal, Action.READ, _STUDY).allowed


templates.env.globals["may_read_power"] = may_read_power


def _reader(principal: object) -> None:
    if getattr(principal, "role", None) is Role.PUBLIC:
        msg = "this page needs a login"
        raise AuthError(msg, hint="log in at /login")


@router.get("/power")
def power_index(request: Request, lang: LangDep, principal: CurrentPrincipal) -> Response:
    """The shipped studies."""
    _reader(principal)
    require_permission(principal, Action.READ, _STUDY)
    return render(request, "power/index.html", lang, {"studies": service.list_studies()})


@router.get("/power/{study_id}")
def power_study(request: Request, study_id: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,40}$")],
                lang: LangDep, principal: CurrentPrincipal,
                week: Annotated[int, Query(ge=0, le=51)] = 0) -> Response:
    """One study with its four charts."""
    _reader(principal)
    require_permission(principal, Action.READ, _STUDY)
    study = next((s for s in service.list_studies() if s.id == study_id), None)
    if study is None:
        service.build_study(study_id, hours=1)  # raises NotFoundError with the list of studies
    may_run = authorize(principal, Action.CREATE, _STUDY).allowed
    measures = {m: pgettext(lang, "power measure", m) for m in service.MEASURES}
    return render(request, "power/study.html", lang, {"study": study, "week": week, "may_run": may_run,
                                                      "measure_names": measures})
