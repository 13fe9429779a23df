"""Pages of projects and the league assessment.

``/projects[?league=&stage=]``          the project list the caller may read
``/projects/two-high[?league=&stage=]`` the 两高 list with 能效排查, 减量替代, pre-approval; Excel/CSV export
``/projects/{code}``                    a project with its 节能审查 review (reasoning, rules), versions, PDF
``/assessment?year=``                   the ranking of the leagues, each point of each league explained,
                                        scorecard PDFs and the stored history

Access as in :mod:`tanfeng.web.api.projects` and :mod:`tanfeng.web.api.assessment` (the same checks); the
pages only arrange what the services return and mark 示例数据.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from tanfeng.access import Action, authorize
from tanfeng.access import require as require_permission
from tanfeng.assessment.scoring import load_rules as assessment_rules
from tanfeng.reference.indicators import indicators
from tanfeng.services import assessment as assessment_service
from tanfeng.services import projects as service
from tanfeng.services import tracking as tracking_service
from tanfeng.web.api import assessment as assessment_api
from tanfeng.web.api import projects as projects_api
from tanfeng.web.deps import LangDep, LoggedIn, SessionDep
from tanfeng.web.pages import render

router = APIRouter(include_in_schema=False)
__all__ = [
    "League",
    "StageQ",
    "assessment_page",
    "project_page",
    "projects_page",
    "router",
    "two_high_page",
]

League = Annotated[str | None, Query(pattern=r"^\d{6}$")]
StageQ = Annotated[Literal["拟建", "在建", "已建", "存量"] | None, Query()]


@router.get("/projects")
def projects_page(request: Request, session: SessionDep, lang: LangDep, principal: LoggedIn, league: League = None,
                  stage: StageQ = None) -> Response:
    """The project list."""
    rows = projects_api.list_projects(session, principal, league, stage, None)
    return render(request, "projects/list.html", lang, {
        "rows": rows, "league": league, "stage": stage, "sample": any(r.sample for r in rows),
        "may_read_assessment": authorize(principal, Action.READ, assessment_api.ALL_LEAGUES).allowed})


@router.get("/projects/two-high")
def two_high_page(request: Request, session: SessionDep, lang: LangDep, principal: LoggedIn, league: League = None,
                  stage: StageQ = None) -> Response:
    """The 两高 list."""
    rows = projects_api.two_high(session, principal, league, stage)
    query = urlencode({k: v for k, v in (("league", league), ("stage", stage)) if v})
    return render(request, "projects/two_high.html", lang, {
        "rows": rows, "league": league, "stage": stage, "export_query": f"?{query}" if query else "", "sample": any(r.project.sample for r in rows)})


@router.get("/projects/{code}")
def project_page(request: Request, code: Annotated[str, Path(max_length=40)], session: SessionDep, lang: LangDep,
                 principal: LoggedIn) -> Response:
    """A project with its review."""
    project = projects_api.get_project(code, session, principal)
    review, ctx = service.review_project(session, code)
    history = service.project_history(session, code)
    return render(request, "projects/project.html", lang, {
        "p": project, "r": review, "ctx": ctx, "history": history,
        "names": tracking_service.display_names(session, {h.entered_by for h in history if h.entered_by}),
        "coverage": service.project_coverage(session, code), "sample": review.sample,
        "label_en": {i.label_zh: i.label_en for i in indicators()}})


@router.get("/assessment")
def assessment_page(request: Request, session: SessionDep, lang: LangDep, principal: LoggedIn,
                    year: Annotated[int, Query(ge=2000, le=2100)] = 2025) -> Response:
    """The ranking with every point explained."""
    require_permission(principal, Action.READ, assessment_api.ALL_LEAGUES)
    rows = assessment_service.assess_leagues(session, year=year)
    return render(request, "projects/assessment.html", lang, {
        "rows": rows, "year": year, "history": assessment_service.history(session),
        "indicators": {i.id: i for i in assessment_rules().indicators}, "sample": any(r.sample for r in rows)})
