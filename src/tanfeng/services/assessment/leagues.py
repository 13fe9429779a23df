"""The yearly comprehensive assessment of the leagues: gather each indicator's input, score by the rules
file, keep the result (versioned, audited), and the history year over year."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel
from sqlalchemy.orm import Session

from tanfeng.assessment.scoring import IndicatorInput, LeagueInputs, LeagueResult, load_rules, rank
from tanfeng.errors import NotFoundError
from tanfeng.reference.regions import load_regions
from tanfeng.reports.projects import scorecard_pdf as render_scorecard
from tanfeng.services.projects import inputs, list_two_high
from tanfeng.store import repository_projects as repo
from tanfeng.store.models import utcnow
from tanfeng.store.models_projects import LeagueAssessmentRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic, supersede

__all__ = ["HistoryRow", "LeagueAssessment", "assess_leagues", "gather_inputs", "history", "scorecard_pdf"]

_LEVEL_WORD = {1: "一级", 2: "二级", 3: "三级"}


class LeagueAssessment(LeagueResult):
    """A league's result with its name, the year, the rules used and whether inputs are sample data."""

    name: str
    year: int
    rules_version: str
    rules_sha256: str
    sample: bool


class HistoryRow(BaseModel):
    """A stored result of one year."""

    league: str
    name: str
    year: int
    score: float
    rank: int
    result: str
    version: int
    assessed_by: str


def _names() -> dict[str, str]:
    return {r.code: r.name_zh for r in load_regions()}


def _share(done: int, total: int, what: str, source: str) -> IndicatorInput:
    if total == 0:
        return IndicatorInput(value=None, detail=f"无{what}", source=source)
    return IndicatorInput(value=done / total, detail=f"{done}/{total} {what}", source=source)


def _two_high(session: Session, league: str) -> IndicatorInput:
    rows = list_two_high(session, league=league)
    if not rows:
        return IndicatorInput(value=1.0, detail="清单中无两高项目, 视为无问题", source="项目清单")
    clean = sum(1 for r in rows if not r.findings)
    return IndicatorInput(value=clean / len(rows), detail=f"{clean}/{len(rows)} 个两高项目无问题", source="项目清单")


def gather_inputs(session: Session, *, year: int) -> list[LeagueInputs]:
    """Every league's indicator inputs for ``year`` from tracking, dispatch, the project list and key units."""
    names = _names()
    levels, sample = inputs.warning_levels(session, year=year)
    targets = inputs.plan_target_shares(session, year=year)
    periods, on_time = repo.dispatch_timeliness(session, year=year)
    units = repo.key_unit_reporting(session, year=year)
    out: list[LeagueInputs] = []
    for league in inputs.LEAGUES:
        lv = levels.get(league, {})
        vals: dict[str, IndicatorInput] = {}
        for ind, key in (("energy_intensity", "intensity"), ("energy_total", "total"), ("carbon_intensity", "carbon")):
            level = lv.get(key)
            vals[ind] = IndicatorInput(value=level, detail=f"{year}年 {_LEVEL_WORD.get(level or 0, '无')}预警",
                                       source="双控预警 (629号)")
        known, good = targets.get(league, (0, 0))
        vals["plan_targets"] = _share(good, known, "项目标进展正常或已完成", "目标进展")
        vals["dispatch"] = _share(on_time.get(league, 0), periods, "期按时报送", "调度报送")
        vals["two_high"] = _two_high(session, league)
        total, done = units.get(league, (0, 0))
        vals["key_unit_reporting"] = _share(done, total, "家重点用能单位已报送年度能源报告", "重点用能单位年度报告")
        out.append(LeagueInputs(league=league, name=names.get(league, league), year=year, inputs=vals,
                                intensity_level=lv.get("intensity"), sample=sample))
    return out


def assess_leagues(session: Session, *, year: int, actor: str | None = None, actor_role: str | None = None,
                   rules_path: Path | None = None) -> list[LeagueAssessment]:
    """Score and rank the 12 leagues for ``year``; with ``actor``, keep the results as a new version (audited).

    Parameters
    ----------
    rules_path
        A copy of the rules file to use instead of the shipped one.
    """
    rules = load_rules(rules_path)
    names = _names()
    leagues = gather_inputs(session, year=year)
    sample = any(li.sample for li in leagues)
    results = [LeagueAssessment(**r.model_dump(exclude={"points"}), points=r.points, name=names.get(r.league, r.league),
                                year=year, rules_version=rules.version, rules_sha256=rules.sha256, sample=sample)
               for r in rank(leagues, rules)]
    if actor is not None:
        _store(session, results, actor=actor, actor_role=actor_role)
    return results


def _store(session: Session, results: list[LeagueAssessment], *, actor: str, actor_role: str | None) -> None:
    now = utcnow()
    current = {r.league: r for r in repo.current_assessments(session, year=results[0].year)} if results else {}
    with atomic(session, f"league assessment {results[0].year if results else ''}"):
        for r in results:
            cur = current.get(r.league)
            before = {"score": cur.score, "rank": cur.rank, "result": cur.result, "version": cur.version} if cur else None
            version = supersede(cur, now)
            session.add(LeagueAssessmentRow(year=r.year, league=r.league, version=version, score=r.score, rank=r.rank,
                                            result=r.result, points=[p.model_dump() for p in r.points],
                                            rules_version=r.rules_version, rules_sha256=r.rules_sha256,
                                            sample=r.sample, assessed_by=actor, assessed_at=now))
            session.flush()
            record_audit(session, actor=actor, action="assess", entity="league_assessment",
                         entity_id=f"{r.year}/{r.league}", before=before,
                         after={"score": r.score, "rank": r.rank, "result": r.result, "version": version,
                                "rules_sha256": r.rules_sha256}, actor_role=actor_role)


def history(session: Session, *, league: str | None = None) -> list[HistoryRow]:
    """Stored results of every year (current versions), by year then rank."""
    names = _names()
    return [HistoryRow(league=r.league, name=names.get(r.league, r.league), year=r.year, score=r.score, rank=r.rank,
                       result=r.result, version=r.version, assessed_by=r.assessed_by)
            for r in repo.assessment_history(session, league=league)]


def scorecard_pdf(session: Session, *, league: str, year: int) -> bytes:
    """A league's scorecard of ``year`` as PDF (computed from the current inputs and the shipped rules).

    Raises
    ------
    NotFoundError
        ``league`` is not one of the 12 leagues.
    """
    res = next((r for r in assess_leagues(session, year=year) if r.league == league), None)
    if res is None:
        msg = f"'{league}' is not a league of the assessment"
        raise NotFoundError(msg, hint=f"leagues: {', '.join(inputs.LEAGUES)}")
    return render_scorecard(res, name=res.name, year=year, rules_version=res.rules_version,
                            rules_sha256=res.rules_sha256, sample=res.sample, generated=utcnow())
