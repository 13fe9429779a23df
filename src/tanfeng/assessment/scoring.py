"""Score the leagues from the rules file ``assessment/data/league_assessment.yaml``.

Points per indicator (weights from the file; they need not sum to 100, the score is the sum of points):

==========  ==================================================================================
``level``   the input is a 629号 warning level (1, 2, 3): points = weight × ``level_points[level]``
``share``   the input is a share in [0, 1]: points = weight × min(share / ``full_at``, 1)
==========  ==================================================================================

A missing input earns 0 points and says so. Ranks are competition ranks (equal scores share a rank; ties
listed by league code). Results: 表彰 for a score ≥ ``min_score`` within the first ``max_rank`` and not at
the excluded intensity level; 通报 for a score below ``below_score`` or at the named intensity level;
otherwise ``—``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tanfeng.errors import InputError, at
from tanfeng.reference.rules_file import parse_rules
from tanfeng.units import readable_number

__all__ = [
    "RULES_FILE",
    "AssessmentRules",
    "Commend",
    "Criticise",
    "Indicator",
    "IndicatorInput",
    "LeagueInputs",
    "LeagueResult",
    "Point",
    "Results",
    "load_rules",
    "rank",
    "score_league",
]

RULES_FILE = "league_assessment.yaml"


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Indicator(_M):
    """One indicator of the assessment."""

    id: str
    label: str
    label_en: str = ""
    weight: float = Field(ge=0)
    kind: Literal["level", "share"]
    level_points: dict[int, float] = Field(default_factory=dict)
    full_at: float = Field(1.0, gt=0)
    source: str
    source_zh: str = ""
    """The rule in Chinese (the reason of a missing input quotes it; ``source`` where the file has none)."""
    weight_certainty: Literal["P", "S", "R", "A"]

    @model_validator(mode="after")
    def _levels(self) -> Indicator:
        if self.kind == "level" and set(self.level_points) != {1, 2, 3}:
            msg = f"indicator {self.id}: level_points needs levels 1, 2 and 3"
            raise ValueError(msg)
        return self


class Commend(_M):
    """When a league is commended (表彰)."""

    label: str
    min_score: float
    max_rank: int
    exclude_intensity_level: int | None = None
    certainty: str


class Criticise(_M):
    """When a league is criticised (通报)."""

    label: str
    below_score: float
    intensity_level: int | None = None
    certainty: str
    note: str = ""


class Results(_M):
    """The result rules."""

    commend: Commend
    criticise: Criticise


class AssessmentRules(_M):
    """The rules file; ``sha256`` is its digest (stored with every assessment)."""

    version: str
    plan_text: str
    indicators: tuple[Indicator, ...]
    missing_input: str
    results: Results
    sha256: str = ""

    @model_validator(mode="after")
    def _unique(self) -> AssessmentRules:
        ids = [i.id for i in self.indicators]
        if len(ids) != len(set(ids)):
            msg = "indicator ids must be unique"
            raise ValueError(msg)
        return self


class IndicatorInput(BaseModel):
    """A league's input for one indicator: the value (level or share), what it rests on, where it came from."""

    value: float | None
    detail: str = ""
    source: str = ""


class LeagueInputs(BaseModel):
    """Every input of one league for one year."""

    league: str
    name: str = ""
    year: int
    inputs: dict[str, IndicatorInput]
    intensity_level: int | None = None
    sample: bool = False


class Point(BaseModel):
    """Points of one indicator, with the reason."""

    indicator: str
    weight: float
    score: float
    reason: str
    value: float | None = Field(None, exclude=True)
    """The input: a 629号 level (1, 2, 3) or a share in [0, 1]; None when missing. This and ``detail`` and
    ``source`` let a page write the reason in its own language; they are left out of the JSON (the reason says
    them)."""
    detail: str = Field("", exclude=True)
    source: str = Field("", exclude=True)


class LeagueResult(BaseModel):
    """A league's yearly result (the shape ``tanfeng assess leagues --format json`` prints)."""

    league: str
    score: float
    rank: int
    result: str
    points: list[Point]


def _parse(text: str, where: str) -> AssessmentRules:
    return parse_rules(text, where, AssessmentRules)


@lru_cache(maxsize=1)
def _shipped() -> AssessmentRules:
    text = resources.files("tanfeng.assessment").joinpath("data", RULES_FILE).read_text(encoding="utf-8")
    return _parse(text, f"assessment/data/{RULES_FILE}")


def load_rules(path: Path | None = None) -> AssessmentRules:
    """The shipped rules or a copy at ``path`` (ReferenceDataError names the file and field when bad)."""
    return _shipped() if path is None else _parse(path.read_text(encoding="utf-8"), str(path))


def _point(ind: Indicator, given: IndicatorInput | None) -> Point:
    tail = f" [{given.detail}; {given.source}]" if given and (given.detail or given.source) else ""
    known = {"detail": given.detail, "source": given.source} if given else {}
    if given is None or given.value is None:
        return Point(indicator=ind.id, weight=ind.weight, score=0.0,
                     reason=f"{ind.label}: 无数据, 得0分 (规则: {ind.source_zh or ind.source}){tail}", **known)
    v = given.value
    if ind.kind == "level":
        level = int(v)
        if level not in ind.level_points:
            msg = f"indicator {ind.id}: level {v:g} is not 1, 2 or 3"
            raise InputError(msg, location=at(field=ind.id))
        share = ind.level_points[level]
        pts = ind.weight * share
        reason = f"{ind.label}: {level}级预警 → {readable_number(share)} × {readable_number(ind.weight)} = {pts:.2f} 分{tail}"
    else:
        if not 0.0 <= v <= 1.0:
            msg = f"indicator {ind.id}: share {v:g} is outside [0, 1]"
            raise InputError(msg, location=at(field=ind.id))
        share = min(v / ind.full_at, 1.0)
        pts = ind.weight * share
        reason = f"{ind.label}: {v:.1%} (满分线 {ind.full_at:.0%}) → {share:.4f} × {readable_number(ind.weight)} = {pts:.2f} 分{tail}"
    return Point(indicator=ind.id, weight=ind.weight, score=round(pts, 2), reason=reason, value=v, **known)


def score_league(inputs: LeagueInputs, rules: AssessmentRules) -> tuple[float, list[Point]]:
    """The league's score (sum of points, 2 decimals) and the points of every indicator."""
    points = [_point(ind, inputs.inputs.get(ind.id)) for ind in rules.indicators]
    return round(sum(p.score for p in points), 2), points


def _result(score: float, place: int, level: int | None, rules: AssessmentRules) -> str:
    crit, com = rules.results.criticise, rules.results.commend
    if score < crit.below_score or (crit.intensity_level is not None and level == crit.intensity_level):
        return crit.label
    if score >= com.min_score and place <= com.max_rank and (
            com.exclude_intensity_level is None or level != com.exclude_intensity_level):
        return com.label
    return "—"


def rank(leagues: Sequence[LeagueInputs], rules: AssessmentRules) -> list[LeagueResult]:
    """Score, rank and judge every league (see the module docstring)."""
    scored = [(li, *score_league(li, rules)) for li in leagues]
    scored.sort(key=lambda t: (-t[1], t[0].league))
    out: list[LeagueResult] = []
    for i, (li, score, points) in enumerate(scored):
        place = out[-1].rank if out and out[-1].score == score else i + 1
        out.append(LeagueResult(league=li.league, score=score, rank=place,
                                result=_result(score, place, li.intensity_level, rules), points=points))
    return out
