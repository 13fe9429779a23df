"""``/api/projects``: the project 清单, 节能审查, the 两高 list and 减量替代.

Access: every route needs a login or a token; a project is the ``project`` resource of its county (or
league) and its owner unit: a league or county officer reads and enters its own region's projects, an
enterprise reads the projects it owns, the region reviews. The review of a project at the region's level
(≥ the region threshold) is the region's: a league reviewer is refused by the service.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from tanfeng.access import Action, Principal, Resource, ResourceKind, Role, authorize
from tanfeng.access import require as require_permission
from tanfeng.errors import NotFoundError
from tanfeng.projects.registry import Project
from tanfeng.projects.review import Review
from tanfeng.services import projects as service
from tanfeng.web.deps import LoggedIn, SessionDep
from tanfeng.web.downloads import csv_response, file_response, xlsx_response

router = APIRouter(prefix="/api/projects", tags=["projects"])
__all__ = [
    "PDF",
    "XLSX",
    "ClaimIn",
    "League",
    "StageQ",
    "Year",
    "claim",
    "export_list",
    "get_project",
    "history",
    "import_list",
    "list_projects",
    "record_review",
    "resource",
    "review",
    "review_detail",
    "review_pdf",
    "router",
    "two_high",
    "two_high_csv",
    "two_high_xlsx",
    "withdrawals",
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
League = Annotated[str | None, Query(pattern=r"^\d{6}$", description="League code (GB/T 2260)")]
StageQ = Annotated[Literal["拟建", "在建", "已建", "存量"] | None, Query(description="Stage")]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="Year of the league figures (default: latest)")]


def resource(p: Project) -> Resource:
    """The ``project`` resource of a project (its county or league, its owner unit)."""
    return Resource(kind=ResourceKind.PROJECT, id=p.code, region_code=p.county or p.league, unit_id=p.owner_code)


def _visible(principal: Principal, rows: list[service.ProjectOut]) -> list[service.ProjectOut]:
    return [p for p in rows if authorize(principal, Action.READ, resource(p)).allowed]


def _guarded(session: Session, principal: Principal, action: Action, code: str) -> service.ProjectOut:
    try:
        p = service.get_project(session, code)
    except NotFoundError:
        require_permission(principal, action, Resource(kind=ResourceKind.PROJECT, id=code))
        raise
    require_permission(principal, action, resource(p))
    return p


@router.get("", response_model=list[service.ProjectOut])
def list_projects(session: SessionDep, principal: LoggedIn, league: League = None, stage: StageQ = None,
                  two_high: bool | None = None) -> list[service.ProjectOut]:
    """Current projects the caller may read, filtered by league, stage and 两高."""
    return _visible(principal, service.list_projects(session, league=league, stage=stage, two_high=two_high))


@router.get("/export.xlsx", response_model=None)
def export_list(session: SessionDep, principal: LoggedIn, league: League = None) -> Any:
    """The 清单 the caller may read, as the Excel layout the import reads."""
    rows = _visible(principal, service.list_projects(session, league=league))
    return file_response(service.export_workbook(rows), XLSX, "projects.xlsx")


@router.post("/import", response_model=service.ImportResult)
async def import_list(session: SessionDep, principal: LoggedIn, file: UploadFile) -> service.ImportResult:
    """Import the Excel 清单 whole: a bad row refuses the file (row and column named), and so does a project
    the caller may not create or update; nothing is half-imported."""
    content = await file.read()

    def guard(p: Project, new: bool) -> None:
        require_permission(principal, Action.CREATE if new else Action.UPDATE, resource(p))

    return service.import_workbook(session, content, filename=file.filename or "清单.xlsx", actor=principal.user_id,
                                   actor_role=principal.role.value, guard=guard)


@router.get("/two-high", response_model=list[service.TwoHighRow])
def two_high(session: SessionDep, principal: LoggedIn, league: League = None,
             stage: StageQ = None) -> list[service.TwoHighRow]:
    """The 两高 list with 能效排查, 减量替代 coverage and the pre-approval of planned projects."""
    rows = service.list_two_high(session, league=league, stage=stage)
    return [r for r in rows if authorize(principal, Action.READ, resource(r.project)).allowed]


@router.get("/two-high.csv", response_model=None)
def two_high_csv(session: SessionDep, principal: LoggedIn, league: League = None, stage: StageQ = None) -> Any:
    """The 两高 list as CSV."""
    rows = two_high(session, principal, league, stage)
    return csv_response(service.two_high_rows(rows), service.TWO_HIGH_COLUMNS, "two-high.csv")


@router.get("/two-high.xlsx", response_model=None)
def two_high_xlsx(session: SessionDep, principal: LoggedIn, league: League = None, stage: StageQ = None) -> Any:
    """The 两高 list as Excel."""
    rows = two_high(session, principal, league, stage)
    return xlsx_response(service.two_high_rows(rows), service.TWO_HIGH_COLUMNS, "two-high.xlsx", sheet="两高项目清单")


@router.get("/withdrawals", response_model=list[service.WithdrawalOut])
def withdrawals(session: SessionDep, principal: LoggedIn, league: League = None) -> list[service.WithdrawalOut]:
    """The 减量替代 ledger of the leagues the caller may read."""
    rows = service.list_withdrawals(session, league=league)
    return [w for w in rows if authorize(principal, Action.READ, Resource(
        kind=ResourceKind.PROJECT, id=w.id, region_code=w.league)).allowed]


class ClaimIn(BaseModel):
    """A claim of a withdrawal for a project."""

    project: str = Field(min_length=1, max_length=40)


@router.post("/withdrawals/{withdrawal_id}/claim", response_model=service.ClaimOut)
def claim(withdrawal_id: str, body: ClaimIn, session: SessionDep, principal: LoggedIn) -> service.ClaimOut:
    """Let a withdrawal back a project (409 when it already backs one)."""
    _guarded(session, principal, Action.UPDATE, body.project)
    return service.claim(session, withdrawal_id=withdrawal_id, project_code=body.project, actor=principal.user_id,
                         actor_role=principal.role.value)


@router.get("/{code}", response_model=service.ProjectOut)
def get_project(code: str, session: SessionDep, principal: LoggedIn) -> service.ProjectOut:
    """One project (current version)."""
    return _guarded(session, principal, Action.READ, code)


@router.get("/{code}/history", response_model=list[service.ProjectOut])
def history(code: str, session: SessionDep, principal: LoggedIn) -> list[service.ProjectOut]:
    """Every version of a project."""
    _guarded(session, principal, Action.READ, code)
    return service.project_history(session, code)


@router.get("/{code}/review", response_model=None)
def review(code: str, session: SessionDep, principal: LoggedIn, year: Year = None) -> dict[str, Any]:
    """The review in the CLI's JSON shape: ``{project, level, impact_class, increment_share_pct,
    intensity_effect_pct, co2_t, efficiency_level, suspended, rules}``."""
    _guarded(session, principal, Action.READ, code)
    return service.review_project(session, code, year=year)[0].summary()


@router.get("/{code}/review/detail", response_model=Review)
def review_detail(code: str, session: SessionDep, principal: LoggedIn, year: Year = None) -> Review:
    """The review with its reasoning, m and n classes, the carbon-intensity effect and the rules' digest."""
    _guarded(session, principal, Action.READ, code)
    return service.review_project(session, code, year=year)[0]


@router.post("/{code}/review", response_model=None, status_code=201)
def record_review(code: str, session: SessionDep, principal: LoggedIn, year: Year = None) -> dict[str, Any]:
    """Review and keep the result (audited); a region-level project is reviewed by the region only."""
    _guarded(session, principal, Action.REVIEW, code)
    level: service.ReviewerLevel = ("county" if principal.role is Role.COUNTY else
                                    "league" if principal.role is Role.LEAGUE else "region")
    return service.record_review(session, code, actor=principal.user_id, reviewer_level=level,
                                 actor_role=principal.role.value, year=year).summary()


@router.get("/{code}/review.pdf", response_model=None)
def review_pdf(code: str, session: SessionDep, principal: LoggedIn, year: Year = None) -> Any:
    """The review opinion as PDF (Chinese, with the figures and the rule text)."""
    p = _guarded(session, principal, Action.READ, code)
    return file_response(service.review_opinion_pdf(session, code, year=year), PDF, f"review-{p.code}.pdf")
