"""``/api/sinks``: forest and grassland carbon sinks of the region and its leagues, the sink beside the inventory
(gross and net), and forestry carbon projects (login needed).

League figures use illustrative shares (示例数据) until league inventories exist; each answer lists its sources.
Projects follow the registry's rules (resource ``registry``): the region's administrators register and advance
them; a league officer reads its league's projects; the office and auditors read all.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from tanfeng.access import Action, Principal, Resource, ResourceKind, authorize
from tanfeng.access import require as require_permission
from tanfeng.services import sinks as service
from tanfeng.services.registry import Actor
from tanfeng.sinks.projects import ProjectState
from tanfeng.web.deps import LoggedIn, SessionDep, client_address

__all__ = ["AdvanceRequest", "ProjectId", "Region", "RegisterRequest", "Year", "router"]

router = APIRouter(prefix="/api/sinks", tags=["sinks"])

Year = Annotated[int, Query(ge=1900, le=2100, description="The year")]
Region = Annotated[str, Query(pattern=r"^\d{6}$", description="150000 or a league code")]
ProjectId = Annotated[str, Path(min_length=1, max_length=80, description="The project id")]


class RegisterRequest(BaseModel):
    """A forestry carbon project to register, with its PDD."""

    project_id: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=200)
    region: str = Field(pattern=r"^\d{6}$", description="The league (or region) code")
    area_ha: float = Field(gt=0, le=1e8, allow_inf_nan=False)
    credit_account: str = Field(min_length=1, max_length=80, description="The CCER account credits go to")
    document: str = Field(min_length=1, max_length=500, description="The PDD")


class AdvanceRequest(BaseModel):
    """The project's next step and its document; ``tco2e`` is the verified amount (for verified)."""

    to: ProjectState
    document: str = Field(min_length=1, max_length=500)
    tco2e: int | None = Field(default=None, ge=1, le=10**12)


def _resource(region: str) -> Resource:
    return Resource(kind=ResourceKind.REGISTRY, id="forestry-projects", region_code=region)


def _actor(principal: Principal, request: Request) -> Actor:
    return Actor(name=principal.user_id, role=principal.role.value, client_address=client_address(request))


@router.get("/account", response_model=service.SinkAccount)
def account(principal: LoggedIn, year: Year, region: Region = "150000") -> service.SinkAccount:
    """tCO2 removed in ``year`` by forests (stock difference) and new grassland, with uncertainty and sources."""
    return service.account(region, year)


@router.get("/leagues", response_model=list[service.SinkAccount])
def leagues(principal: LoggedIn, year: Year) -> list[service.SinkAccount]:
    """Every league's sink in ``year`` (for the league map)."""
    return service.league_accounts(year)


@router.get("/net", response_model=list[service.NetYearOut])
def net(principal: LoggedIn, region: Region = "150000") -> list[service.NetYearOut]:
    """Gross emissions (CEADs), the sink and net emissions (MtCO2) for every year both are known."""
    return service.net_beside_inventory(region)


@router.get("/projects", response_model=list[service.ProjectOut])
def projects(session: SessionDep, principal: LoggedIn,
             region: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None) -> list[service.ProjectOut]:
    """Forestry carbon projects the caller may read, with their steps and credits."""
    return [p for p in service.list_projects(session, region=region)
            if authorize(principal, Action.READ, _resource(p.region)).allowed]


@router.get("/projects/{project_id}", response_model=service.ProjectOut)
def project(project_id: ProjectId, session: SessionDep, principal: LoggedIn) -> service.ProjectOut:
    """One project with its lifecycle steps (who, when, which document) and the credits issued."""
    p = service.get_project(session, project_id)
    require_permission(principal, Action.READ, _resource(p.region))
    return p


@router.post("/projects", response_model=service.ProjectOut, status_code=201)
def register(body: RegisterRequest, session: SessionDep, principal: LoggedIn,
             request: Request) -> service.ProjectOut:
    """Register a project (the region's administrators)."""
    require_permission(principal, Action.ADMIN, _resource("150000"))
    return service.register_project(session, project_id=body.project_id, name=body.name, region=body.region,
                                    area_ha=body.area_ha, credit_account=body.credit_account,
                                    document=body.document, actor=_actor(principal, request))


@router.post("/projects/{project_id}/steps", response_model=service.ProjectOut, status_code=201)
def advance(project_id: ProjectId, body: AdvanceRequest, session: SessionDep, principal: LoggedIn,
            request: Request) -> service.ProjectOut:
    """Take the project's next step; crediting issues the verified tCO2e as CCER into its credit account."""
    require_permission(principal, Action.ADMIN, _resource("150000"))
    return service.advance_project(session, project_id=project_id, to=body.to, document=body.document,
                                   actor=_actor(principal, request), tco2e=body.tco2e)
