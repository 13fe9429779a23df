"""The schema of a carbon-peak plan: parts, actions, measures and quantified targets.

A plan (实施方案) is a tree::

    Plan
     └── Part           重点任务 / 政策保障 / 组织实施 (and 主要目标 for the headline targets)
          ├── Action    (一)…(十二) under 重点任务 (an "action", 行动)
          │    └── Measure   1. 2. 3. … numbered items, each with its text
          └── Measure   the (一)(二)… items of 政策保障 and 组织实施 hang directly under their part

Targets (quantified goals) hang off the measure whose sentence states them, or off the part
"主要目标" for the plan's headline targets. Each target keeps the verbatim sentence it came from and
where that sentence is in the source file, so every figure on a dashboard can be traced back.

Comparators
-----------
``≥`` 以上/不低于/不少于 · ``≤`` 以下/不高于/不超过/以内 · ``>`` 超过/高于 · ``<`` 低于/少于 ·
``=`` 达到/完成 (a point value) · ``≈`` 左右/约 · ``between`` a range (``value`` … ``value_high``) ·
``decrease_by`` / ``increase_by`` a change relative to ``baseline_year`` (比2020年下降13.5%); for those,
``qualifier`` says whether the change is at least (``≥``), about (``≈``) or at most (``≤``) the value.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tanfeng.plan.reasons import Reason
from tanfeng.reference.certainty import Certainty

__all__ = ["Action", "Certainty", "Comparator", "Measure", "Part", "PartKind", "Plan", "PlanStatus", "ReviewMark",
           "SourceRef", "Target"]


class Comparator(StrEnum):
    """How a target's value is to be met."""

    GE = "≥"
    LE = "≤"
    GT = ">"
    LT = "<"
    EQ = "="
    APPROX = "≈"
    BETWEEN = "between"
    DECREASE_BY = "decrease_by"
    INCREASE_BY = "increase_by"


ReviewMark = Literal["accepted", "corrected", "added"]
"""What a reviewer did with a target of a draft."""

PlanStatus = Literal["reviewed", "unreviewed"]
"""A plan file checked by a person, or a draft loaded as extracted (shown as 未审核)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class SourceRef(_Strict):
    """Where a piece of the plan comes from."""

    document: str = Field(description="The document, e.g. 内党发〔2022〕19号《内蒙古自治区碳达峰实施方案》")
    file: str | None = Field(default=None, description="The shipped source text file (relative name)")
    line: int | None = Field(default=None, ge=1, description="1-based line of the sentence in the file")
    start: int | None = Field(default=None, ge=0, description="Character offset of the sentence (0-based)")
    end: int | None = Field(default=None, ge=0, description="Character offset one past the sentence")
    url: str | None = None
    certainty: Certainty = Certainty.PRIMARY
    note: str | None = None

    @model_validator(mode="after")
    def _span_ordered(self) -> SourceRef:
        if self.start is not None and self.end is not None and self.end < self.start:
            msg = f"source span end {self.end} is before its start {self.start}"
            raise ValueError(msg)
        return self


class Target(_Strict):
    """A quantified target of the plan."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$", description="Stable id, e.g. im2022.a01.m2.t1")
    action: str | None = Field(default=None, description="Id of the action (or part) it belongs to, e.g. a01")
    measure: str | None = Field(default=None, description="Id of the measure whose sentence states it")
    indicator: str = Field(min_length=1, description="Indicator as named in the plan (Chinese)")
    indicator_id: str = Field(pattern=r"^[a-z0-9_]+$", description="Stable English snake_case id")
    indicator_en: str | None = Field(default=None, description="English name of the indicator")
    scope: str = Field(description="Region code (GB/T 2260), or a named sub-scope such as 呼和浩特、包头主城区")
    scope_regions: list[str] = Field(default_factory=list, description="Region codes the scope covers")
    year: int | None = Field(default=None, ge=1990, le=2100, description="Target year; null for a standing rule")
    comparator: Comparator
    value: float
    value_high: float | None = Field(default=None, description="Upper end of a range (comparator 'between')")
    qualifier: Literal["≥", "≤", "≈", "="] | None = Field(
        default=None, description="For decrease_by/increase_by: the change is at least/at most/about the value")
    unit: str = Field(description="Unit exactly as written in the plan (万千瓦, 克标准煤/千瓦时, %, …)")
    baseline_year: int | None = Field(default=None, ge=1990, le=2100)
    departments: list[str] = Field(default_factory=list, description="Responsible departments where known")
    aspirational: bool = Field(default=False, description="力争/争取: a target to strive for, not binding")
    source_text: str = Field(min_length=1, description="The verbatim sentence the target comes from")
    source: SourceRef
    note: str | None = None
    confidence: float | None = Field(default=None, ge=0, le=1,
                                     description="How sure the extractor was (drafts); null for a target typed in")
    reasons: list[Reason] = Field(default_factory=list,
                                  description="Why the extractor was less than sure: codes with their English text")
    review: ReviewMark | None = Field(default=None, description="What the reviewer did: accepted, corrected, added")

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        if self.comparator is Comparator.BETWEEN:
            if self.value_high is None or self.value_high < self.value:
                msg = "a 'between' target needs value_high ≥ value"
                raise ValueError(msg)
        elif self.value_high is not None:
            msg = "value_high is only for comparator 'between'"
            raise ValueError(msg)
        if self.comparator in (Comparator.DECREASE_BY, Comparator.INCREASE_BY) and self.baseline_year is None:
            msg = f"a '{self.comparator.value}' target needs its baseline_year (比XXXX年)"
            raise ValueError(msg)
        if self.year is not None and self.baseline_year is not None and self.baseline_year >= self.year:
            msg = f"baseline_year {self.baseline_year} must be before the target year {self.year}"
            raise ValueError(msg)
        return self


class Measure(_Strict):
    """A numbered item of an action (or of 政策保障 / 组织实施), with its full text."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    number: int = Field(ge=1)
    title: str = Field(min_length=1, description="The item's heading sentence, e.g. 加快构建新型电力系统")
    text: str = Field(description="The item's full text as printed (empty when not in the source)")
    departments: list[str] = Field(default_factory=list)
    source: SourceRef


class Action(_Strict):
    """An action (行动) of 重点任务, numbered (一)…(十二)."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    number: int = Field(ge=1)
    numeral: str = Field(description="The Chinese numeral as printed: 一, 二, … 十二")
    title: str = Field(min_length=1)
    title_en: str | None = None
    measures: list[Measure] = Field(default_factory=list)
    source: SourceRef


PartKind = Literal["main_targets", "key_tasks", "policy_support", "implementation", "other"]


class Part(_Strict):
    """A part of the plan: 主要目标, 重点任务, 政策保障 or 组织实施."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    kind: PartKind
    title: str
    actions: list[Action] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)


class Plan(_Strict):
    """A carbon-peak implementation plan as data."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    title: str
    title_en: str | None = None
    region: str = Field(description="GB/T 2260 code of the region the plan is for")
    document_number: str | None = None
    issuer: str | None = None
    published: str | None = Field(default=None, description="Publication date, ISO 8601 (YYYY-MM or YYYY-MM-DD)")
    source_file: str | None = Field(default=None, description="The shipped source text")
    status: PlanStatus = Field(default="reviewed", description="unreviewed: a draft as extracted (未审核)")
    notes: list[str] = Field(default_factory=list)
    parts: list[Part]
    targets: list[Target] = Field(default_factory=list)

    @property
    def actions(self) -> list[Action]:
        """All actions of the plan, in order."""
        return [a for p in self.parts for a in p.actions]

    @property
    def measures(self) -> list[Measure]:
        """All measures of the plan (under actions and directly under parts), in order."""
        out: list[Measure] = []
        for p in self.parts:
            for a in p.actions:
                out.extend(a.measures)
            out.extend(p.measures)
        return out

    @model_validator(mode="after")
    def _ids_unique_and_linked(self) -> Plan:
        seen: set[str] = set()
        ids: list[str] = [p.id for p in self.parts]
        ids += [a.id for a in self.actions]
        ids += [m.id for m in self.measures]
        ids += [t.id for t in self.targets]
        for i in ids:
            if i in seen:
                msg = f"id '{i}' is used twice; ids must be unique within a plan"
                raise ValueError(msg)
            seen.add(i)
        containers = {p.id for p in self.parts} | {a.id for a in self.actions}
        measures = {m.id for m in self.measures}
        for t in self.targets:
            if t.action is not None and t.action not in containers:
                msg = f"target '{t.id}' names action '{t.action}', which the plan does not have"
                raise ValueError(msg)
            if t.measure is not None and t.measure not in measures:
                msg = f"target '{t.id}' names measure '{t.measure}', which the plan does not have"
                raise ValueError(msg)
        return self
