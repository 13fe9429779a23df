"""``/api/scenarios``: the peak path — scenarios, runs (peak year, value, P(peak ≤ 2030)), comparison, export.

Reading needs a login (the figures are analyses, not published statistics); storing a scenario file needs
``update`` on the plan (the region's administrators).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from tanfeng.access import Action, Principal, Resource, ResourceKind
from tanfeng.services import scenarios as service
from tanfeng.web.deps import LoggedIn, SessionDep, require
from tanfeng.web.downloads import CSV, XLSX, file_response

__all__ = [
    "Draws",
    "Name",
    "RegionOut",
    "RunOut",
    "ScenarioIn",
    "ScenarioInfo",
    "Seed",
    "ViewQ",
    "YearOut",
    "router",
]

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])

Name = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_-]*$", max_length=100)]
Draws = Annotated[int, Query(ge=10, le=service.MAX_DRAWS, description="Monte Carlo draws")]
Seed = Annotated[int, Query(ge=0, le=2**32 - 1, description="Seed of the draws")]
ViewQ = Annotated[Literal["production", "consumption"] | None,
                  Query(description="Electricity accounting (default: the scenario's own)")]


class ScenarioInfo(BaseModel):
    """A scenario in the list."""

    name: str
    parent: str | None
    description: str


class YearOut(BaseModel):
    """One year of a path (MtCO2) with its 5–95 % band."""

    year: int
    mtco2: float
    low: float
    high: float


class RegionOut(BaseModel):
    """A region's peak and path."""

    region: str = Field(description="GB/T 2260 code: 150000 or a league")
    peak_year: int
    peak_value_mtco2: float
    p_peak_by_2030: float
    base_year_mtco2: float
    emissions: list[YearOut]


class RunOut(BaseModel):
    """A run: every figure in the electricity accounting it names."""

    scenario: str
    base_year: int
    electricity_accounting: str
    draws: int
    seed: int
    regions: list[RegionOut]


class ScenarioIn(BaseModel):
    """A scenario file to store as the next version of its name."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=200_000, description="The YAML file")
    file: str = Field(default="upload.yaml", max_length=200)


def _plan() -> Resource:
    return Resource(kind=ResourceKind.PLAN, id=service.PLAN_ID)


@router.get("", response_model=list[ScenarioInfo])
def list_scenarios(session: SessionDep, principal: LoggedIn) -> list[dict[str, Any]]:
    """Every scenario: name, parent, description."""
    return service.list_scenarios(session)


@router.post("", status_code=201)
def save_scenario(body: ScenarioIn, session: SessionDep,
                  principal: Annotated[Principal, require(Action.UPDATE, _plan)]) -> dict[str, Any]:
    """Store a scenario file as the next version of its name (audited); a bad file stores nothing (422)."""
    return service.save_scenario(session, body.text, file=body.file, actor=principal.user_id)


@router.get("/history/ceads")
def ceads_history(principal: LoggedIn) -> dict[str, Any]:
    """CEADs CO2 history: the province and the 12 leagues as published (gaps kept), never summed."""
    return service.history()


@router.get("/{name}")
def show_scenario(name: Name, session: SessionDep, principal: LoggedIn) -> dict[str, Any]:
    """A scenario with its inheritance applied: drivers, and levers with the plan targets they stand for."""
    return service.show_scenario(session, name)


@router.get("/{name}/run", response_model=RunOut)
def run_scenario(name: Name, session: SessionDep, principal: LoggedIn, draws: Draws = service.DEFAULT_DRAWS,
                 seed: Seed = service.DEFAULT_SEED, view: ViewQ = None) -> dict[str, Any]:
    """Peak year, peak value, P(peak ≤ 2030) and the path with its band for 150000 and each league."""
    return service.run_scenario(session, name, draws=draws, seed=seed, view=view)


@router.get("/{name}/detail")
def run_detail(name: Name, session: SessionDep, principal: LoggedIn, draws: Draws = service.DEFAULT_DRAWS,
               seed: Seed = service.DEFAULT_SEED, view: ViewQ = None) -> dict[str, Any]:
    """The run with wedges against BAU, LMDI effects, target checks, league order, sectors and CEADs history."""
    return service.run_detail(session, name, draws=draws, seed=seed, view=view)


@router.get("/{name}/compare/{other}")
def compare(name: Name, other: Name, session: SessionDep, principal: LoggedIn,
            draws: Draws = service.DEFAULT_DRAWS, seed: Seed = service.DEFAULT_SEED,
            view: ViewQ = None) -> dict[str, Any]:
    """Two scenarios side by side, and the wedges of their levers against BAU in 2030 and 2060."""
    return service.compare_scenarios(session, name, other, draws=draws, seed=seed, view=view)


@router.get("/{name}/iamc.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "IAMC long format"}})
def export_iamc(name: Name, session: SessionDep, principal: LoggedIn, draws: Draws = service.DEFAULT_DRAWS,
                seed: Seed = service.DEFAULT_SEED, view: ViewQ = None) -> Response:
    """The run in IAMC long format (model, scenario, region, variable, unit, year, value), for pyam."""
    detail = service.run_detail(session, name, draws=draws, seed=seed, view=view)
    return file_response(service.iamc_csv(detail), CSV, f"{name}_iamc.csv")


@router.get("/{name}/export.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "Excel workbook"}})
def export_xlsx(name: Name, session: SessionDep, principal: LoggedIn, draws: Draws = service.DEFAULT_DRAWS,
                seed: Seed = service.DEFAULT_SEED, view: ViewQ = None) -> Response:
    """The run as an Excel workbook (IAMC sheet, league order, target checks)."""
    detail = service.run_detail(session, name, draws=draws, seed=seed, view=view)
    return file_response(service.workbook_bytes(detail), XLSX, f"{name}.xlsx")
