"""Responsibility assessment (节能目标责任评价考核): a unit's score for a year, from the rules file, with the
reason of every criterion; kept (audited) when asked. The arithmetic is
:func:`tanfeng.enterprises.responsibility.score`'s.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tanfeng.config import Settings
from tanfeng.enterprises.responsibility import RULES_FILE, DayQuality, ReportFacts, load_rules, score
from tanfeng.enterprises.sample import SAMPLE_NOTICE
from tanfeng.services import metering
from tanfeng.services.key_units.registry import require_unit
from tanfeng.services.key_units.schemas import Assessment
from tanfeng.store import repository_key_units as repo
from tanfeng.store.models import utcnow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic

__all__ = ["RULES_FILE", "assess", "load_rules"]


def _report_facts(session: Session, code: str, year: int) -> ReportFacts | None:
    rep = repo.find_report(session, unit_code=code, year=year, kind="energy")
    if rep is None:
        return None
    return ReportFacts(energy_tce=float(rep.figures["energy_tce"]), submitted_at=rep.submitted_at,
                       measures=len((rep.content or {}).get("measures", [])))


def assess(session: Session, settings: Settings, code: str, *, year: int, actor: str | None = None) -> Assessment:
    """Score a unit for ``year`` from the rules file, with reasons; stored when ``actor`` is given.

    Criteria (see :mod:`tanfeng.enterprises.responsibility`): ``target_met`` (reported energy ≤ threshold ×
    budget), ``report_on_time``, ``data_quality`` (share of the year's unit-days with online data meeting the
    completeness rule) and ``measures``.
    """
    unit = require_unit(session, code)
    rules, grades, digest = load_rules()
    budget = repo.budget(session, unit_code=code, year=year)
    facts = _report_facts(session, code, year)
    quality = metering.quality(session, settings, first_day=date(year, 1, 1), last_day=date(year, 12, 31), unit=code)
    days = [DayQuality(valid_intervals=int(c["valid_intervals"]), meets_threshold=bool(c["meets_threshold"]))
            for c in quality.completeness if c["unit_code"] == code]
    scored = score(rules, grades, year=year, budget_tce=budget, report=facts, days=days,
                   completeness=quality.threshold)
    result = Assessment(unit_code=code, year=year, score=scored.score, grade=scored.grade, criteria=scored.criteria,
                        rules_digest=digest, sample=unit.sample, notice=SAMPLE_NOTICE if unit.sample else None)
    if actor is not None:
        with atomic(session, f"the assessment {year} of unit {code}"):
            before = repo.put_assessment(session, unit_code=code, year=year, score=scored.score, grade=scored.grade,
                                         criteria=scored.criteria, rules_digest=digest, at=utcnow(), by=actor)
            record_audit(session, actor=actor, action="assess", entity="unit_assessment", entity_id=f"{code}/{year}",
                         before=before, after={"score": scored.score, "grade": scored.grade, "rules_digest": digest})
    return result
