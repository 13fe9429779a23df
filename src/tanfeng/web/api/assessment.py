"""``/api/assessment``: the comprehensive assessment of the leagues (盟市综合考核).

Access: the ``assessment`` resource. Reading the ranking needs a login (leagues, counties, departments, the
office, auditors); running and keeping it is the office's (``create``); a league's scorecard is read like
the ranking.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from tanfeng.access import Action, Resource, ResourceKind
from tanfeng.access import require as require_permission
from tanfeng.services import assessment as service
from tanfeng.web.deps import LoggedIn, SessionDep
from tanfeng.web.downloads import file_response

router = APIRouter(prefix="/api/assessment", tags=["assessment"])
__all__ = [
    "ALL_LEAGUES",
    "YearQ",
    "history",
    "leagues",
    "router",
    "run",
    "scorecard",
]

YearQ = Annotated[int, Query(ge=2000, le=2100, description="Assessment year")]
ALL_LEAGUES = Resource(kind=ResourceKind.ASSESSMENT, id="leagues", region_code="150000")
_KEYS = {"league", "score", "rank", "result", "points"}


@router.get("/leagues", response_model=None)
def leagues(session: SessionDep, principal: LoggedIn, year: YearQ) -> list[dict[str, Any]]:
    """``[{league, score, rank, result, points: [{indicator, weight, score, reason}]}]`` for the 12 leagues."""
    require_permission(principal, Action.READ, ALL_LEAGUES)
    return [r.model_dump(mode="json", include=_KEYS) for r in service.assess_leagues(session, year=year)]


@router.post("/leagues", response_model=list[service.LeagueAssessment], status_code=201)
def run(session: SessionDep, principal: LoggedIn, year: YearQ) -> list[service.LeagueAssessment]:
    """Run the assessment and keep it as a new version (audited)."""
    require_permission(principal, Action.CREATE, ALL_LEAGUES)
    return service.assess_leagues(session, year=year, actor=principal.user_id, actor_role=principal.role.value)


@router.get("/history", response_model=list[service.HistoryRow])
def history(session: SessionDep, principal: LoggedIn,
            league: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None) -> list[service.HistoryRow]:
    """Stored results year over year."""
    require_permission(principal, Action.READ, ALL_LEAGUES)
    return service.history(session, league=league)


@router.get("/leagues/{league}/scorecard.pdf", response_model=None)
def scorecard(league: str, session: SessionDep, principal: LoggedIn, year: YearQ) -> Any:
    """A league's scorecard as PDF."""
    require_permission(principal, Action.READ, Resource(kind=ResourceKind.ASSESSMENT, id=league,
                                                        region_code=league if league.isdigit() and len(league) == 6
                                                        else None))
    return file_response(service.scorecard_pdf(session, league=league, year=year), "application/pdf",
                         f"scorecard-{league}-{year}.pdf")
