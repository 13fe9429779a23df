"""Responsibility assessment of a key unit (节能目标责任评价考核): the score from the rules file.

The rules file ``reference/data/assessment/responsibility_rules.csv`` names four criteria with weights
(summing to 100) and thresholds, and the grade bands. A criterion met earns its weight; not met (or not
assessable) earns 0; every criterion carries the reason. The criteria:

``target_met``
    reported energy ≤ threshold × the energy budget;
``report_on_time``
    the energy report submitted within ``threshold`` days after 31 December;
``data_quality``
    the share of the year's days with online data that reach the daily completeness rule ≥ threshold;
``measures``
    at least ``threshold`` measures listed in the energy report.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel

from tanfeng.errors import InputError, at

__all__ = ["CRITERIA", "RULES_FILE", "DayQuality", "Grade", "ReportFacts", "Rule", "Scored", "load_rules",
           "parse_rules", "score"]

RULES_FILE = "responsibility_rules.csv"
CRITERIA = frozenset({"target_met", "report_on_time", "data_quality", "measures"})
"""The criteria the rules file must weigh, no more, no fewer."""


class Rule(BaseModel):
    """One criterion of the responsibility rules file."""

    criterion: str
    weight: float
    threshold: float
    label_zh: str
    description: str


class Grade(BaseModel):
    """A grade band: a score at or above ``min_score``."""

    grade: str
    min_score: float


@dataclass(frozen=True)
class ReportFacts:
    """What the assessment reads of the unit's energy report of the year."""

    energy_tce: float
    submitted_at: datetime | None
    measures: int


@dataclass(frozen=True)
class DayQuality:
    """One local day of the unit's online data: readings at all, and whether completeness was reached."""

    valid_intervals: int
    meets_threshold: bool


@dataclass(frozen=True)
class Scored:
    """The result: criteria (with reasons and points), the score and its grade."""

    criteria: list[dict[str, Any]]
    score: float
    grade: str


def _digest(text: str) -> str:
    canonical = json.dumps(text, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_rules(text: str, where: str = f"reference/data/assessment/{RULES_FILE}") -> tuple[list[Rule], list[Grade], str]:
    """Criteria, grade bands (highest first) and the SHA-256 of the text (of its canonical JSON string).

    Raises
    ------
    InputError
        A row of another kind, a number that is not one (naming line and field), or criteria that are not
        :data:`CRITERIA` with weights summing to 100.
    """
    rules: list[Rule] = []
    grades: list[Grade] = []
    for i, r in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            if r["kind"] == "criterion":
                rules.append(Rule(criterion=r["key"], weight=float(r["weight"]), threshold=float(r["threshold"]),
                                  label_zh=r["label_zh"], description=r["description"]))
            elif r["kind"] == "grade":
                grades.append(Grade(grade=r["key"], min_score=float(r["threshold"])))
            else:
                msg = f"kind '{r['kind']}' is not criterion or grade"
                raise InputError(msg, location=at(where, line=i, field="kind"))
        except (ValueError, KeyError) as exc:
            if isinstance(exc, InputError):
                raise
            msg = f"bad rule: {exc}"
            raise InputError(msg, location=at(where, line=i)) from exc
    if {r.criterion for r in rules} != CRITERIA or abs(sum(r.weight for r in rules) - 100.0) > 1e-9:
        msg = f"the rules must weigh {sorted(CRITERIA)} and the weights must sum to 100"
        raise InputError(msg, location=at(where))
    grades.sort(key=lambda g: -g.min_score)
    return rules, grades, _digest(text)


@lru_cache(maxsize=1)
def _rules_text() -> str:
    return (resources.files("tanfeng.reference").joinpath("data", "assessment", RULES_FILE)
            .read_text(encoding="utf-8"))


def load_rules() -> tuple[list[Rule], list[Grade], str]:
    """The shipped rules file: criteria (weights sum to 100), grade bands, and the file's SHA-256."""
    return parse_rules(_rules_text())


def _target_met(rule: Rule, year: int, budget: float | None, report: ReportFacts | None) -> tuple[bool, str]:
    if budget is None:
        return False, f"no energy budget set for {year}"
    if report is None:
        return False, f"no energy report for {year}"
    energy = report.energy_tce
    return (energy <= rule.threshold * budget,
            f"reported {energy:,.1f} tce against a budget of {budget:,.1f} tce ({energy / budget:.1%})")


def _on_time(rule: Rule, year: int, report: ReportFacts | None) -> tuple[bool, str]:
    deadline = datetime(year + 1, 1, 1, tzinfo=UTC) + timedelta(days=rule.threshold)
    if report is None or report.submitted_at is None:
        return False, f"energy report for {year} not submitted"
    return (report.submitted_at <= deadline,
            f"submitted {report.submitted_at.date().isoformat()}, deadline {deadline.date().isoformat()}")


def _data_quality(rule: Rule, year: int, days: Sequence[DayQuality], completeness: float) -> tuple[bool, str]:
    with_data = [d for d in days if d.valid_intervals > 0]
    if not with_data:
        return False, f"no online data for {year}"
    share = sum(1 for d in with_data if d.meets_threshold) / len(with_data)
    return (share >= rule.threshold,
            f"{share:.1%} of {len(with_data)} days with data reach {completeness:.0%} completeness "
            f"(rule: ≥ {rule.threshold:.0%})")


def score(rules: Sequence[Rule], grades: Sequence[Grade], *, year: int, budget_tce: float | None,
          report: ReportFacts | None, days: Sequence[DayQuality], completeness: float) -> Scored:
    """Score a unit for ``year``.

    Parameters
    ----------
    rules, grades
        From :func:`load_rules` (grades highest first).
    budget_tce
        The unit's energy budget of the year, if one is set.
    report
        The unit's energy report of the year, if any.
    days
        The unit's local days in the year with their completeness; ``completeness`` is the daily rule
        (share of intervals) they were judged by.
    """
    out: list[dict[str, Any]] = []
    for rule in rules:
        if rule.criterion == "target_met":
            met, reason = _target_met(rule, year, budget_tce, report)
        elif rule.criterion == "report_on_time":
            met, reason = _on_time(rule, year, report)
        elif rule.criterion == "data_quality":
            met, reason = _data_quality(rule, year, days, completeness)
        elif rule.criterion == "measures":
            n = report.measures if report is not None else 0
            met, reason = n >= rule.threshold, f"{n} measure(s) reported (rule: ≥ {rule.threshold:g})"
        else:
            met, reason = False, ""
        out.append({"criterion": rule.criterion, "label_zh": rule.label_zh, "weight": rule.weight, "met": met,
                    "points": rule.weight if met else 0.0, "reason": reason})
    total = float(sum(c["points"] for c in out))
    grade = next((g.grade for g in grades if total >= g.min_score), grades[-1].grade if grades else "")
    return Scored(criteria=out, score=total, grade=grade)
