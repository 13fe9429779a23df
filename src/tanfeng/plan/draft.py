"""From an extractor draft to a plan file, and a person's review of it.

:func:`draft_plan` turns a :class:`~tanfeng.plan.extract.PlanDraft` into a :class:`~tanfeng.plan.model.Plan`
marked ``unreviewed`` (未审核): every target keeps the extractor's confidence and reasons, and its sentence's
place in the source text. :func:`apply_review` applies a review: accept, correct or reject each target,
add one the extractor missed from its sentence, and mark the plan ``reviewed``.

A review (a YAML file, or what the review page posts) is a mapping::

    accept: [id, …]                  # kept as extracted
    reject: [id, …]                  # dropped
    correct: {id: {field: value}}    # fields of the target replaced (value, unit, year, comparator, …)
    add:                             # targets the extractor missed
    - {sentence: …, indicator: …, year: …, comparator: …, value: …, unit: …}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from tanfeng.errors import PlanFileError, at
from tanfeng.plan.extract import DraftTarget, PlanDraft
from tanfeng.plan.model import Action, Comparator, Measure, Part, Plan, SourceRef, Target
from tanfeng.plan.reasons import reason

__all__ = ["REVIEW_KEYS", "apply_review", "draft_plan", "draft_target", "plan_yaml"]

REVIEW_KEYS = ("accept", "reject", "correct", "add")
"""The keys a review may have."""

_NUMERALS = "一二三四五六七八九十"


def _numeral(n: int) -> str:
    if n <= 10:
        return _NUMERALS[n - 1]
    if n < 20:
        return "十" + _NUMERALS[n - 11]
    return str(n)


def _source(document: str, file: str | None, text: str | None, start: int, end: int, line: int,
            expected: str) -> SourceRef:
    """The span when ``expected`` stands there in the file; else only the line, so the loader's check holds."""
    if file is not None and text is not None and text[start:end] == expected:
        return SourceRef(document=document, file=file, line=line, start=start, end=end)
    return SourceRef(document=document, line=line, note=f"offsets {start}:{end} in the text as read")


def draft_target(t: DraftTarget, *, plan_id: str, region: str, document: str, source_file: str | None,
                 text: str | None) -> Target:
    """One draft target in the plan schema (unknown indicators and baselines filled in and said so).

    Parameters
    ----------
    t
        The extracted target.
    plan_id, region, document
        The plan's id (prefix of the target id), region code and document name.
    source_file, text
        The source text file the plan names, and its text, to keep the sentence's span.
    """
    reasons = list(t.reasons)
    confidence = t.confidence
    baseline = t.baseline_year
    if t.comparator in (Comparator.DECREASE_BY, Comparator.INCREASE_BY) and baseline is None:
        baseline = (t.year or 2025) - 5
        reasons.append(reason("baseline_assumed", year=baseline))
        confidence = max(0.05, confidence - 0.1)
    scope = t.scope_code or (region if t.scope is None else t.scope)
    return Target(
        id=f"{plan_id}.{t.id}", action=None, measure=None, indicator=t.indicator or "未识别指标",
        indicator_id=t.indicator_id or "unclassified", scope=scope, year=t.year, comparator=t.comparator,
        value=t.value, value_high=t.value_high,
        qualifier=t.qualifier if t.qualifier in ("≥", "≤", "≈", "=") else None,
        unit=t.unit, baseline_year=baseline, aspirational=t.aspirational, source_text=t.source_text,
        source=_source(document, source_file, text, t.start, t.end, t.line, t.source_text),
        confidence=round(confidence, 2), reasons=reasons)


def draft_plan(draft: PlanDraft, *, plan_id: str, title: str, region: str, document: str | None = None,
               source_file: str | None = None, text: str | None = None, published: str | None = None) -> Plan:
    """The draft as a plan file's content, marked ``unreviewed`` (未审核).

    Parameters
    ----------
    draft
        What the extractor found.
    plan_id, title, region
        The plan's id, title and GB/T 2260 region code.
    document
        The document as cited (defaults to the title).
    source_file, text
        The source text's file name (next to the plan file) and its text; spans are kept where they match.
    published
        The publication date (YYYY, YYYY-MM or YYYY-MM-DD), kept in the plan.

    Returns
    -------
    Plan
        Parts, actions and measures as found (one 重点任务 part holds actions found under no part), and the
        targets with their confidence and reasons.
    """
    doc = document or title
    parts: list[Part] = []
    part_of: dict[str | None, Part] = {}
    for p in draft.parts:
        part_of[p.id] = Part(id=p.id, kind=p.kind, title=p.title)
        parts.append(part_of[p.id])

    def part(pid: str | None) -> Part:
        if pid not in part_of:
            part_of[pid] = Part(id="p0" if pid is None else pid, kind="key_tasks", title="重点任务")
            parts.insert(0, part_of[pid])
        return part_of[pid]

    actions: dict[str, Action] = {}
    for i, a in enumerate(draft.actions, start=1):
        number = a.number or i
        actions[a.id] = Action(id=a.id, number=number, numeral=a.numeral or _numeral(number),
                               title=a.title or "(未识别标题)", source=SourceRef(document=doc, line=a.line))
        part(a.part).actions.append(actions[a.id])
    measure_ids: set[str] = set()
    for m in draft.measures:
        measure = Measure(id=m.id, number=m.number, title=m.title or "(未识别标题)", text=m.text,
                          source=SourceRef(document=doc, line=m.line))
        measure_ids.add(m.id)
        if m.action is not None and m.action in actions:
            actions[m.action].measures.append(measure)
        else:
            part(m.part).measures.append(measure)
    if not parts:
        part(None)
    containers = {p.id for p in parts} | set(actions)
    targets = []
    for t in draft.targets:
        target = draft_target(t, plan_id=plan_id, region=region, document=doc, source_file=source_file, text=text)
        target.action = t.action if t.action in containers else (t.part if t.part in containers else None)
        target.measure = t.measure if t.measure in measure_ids else None
        targets.append(target)
    return Plan(id=plan_id, title=title, region=region, source_file=source_file, status="unreviewed",
                published=published, notes=[f"drafted by the extractor from {Path(draft.source).name} ({draft.encoding}); 未审核", *draft.warnings],
                parts=parts, targets=targets)


def _review_error(msg: str, where: str, field: str, hint: str) -> PlanFileError:
    return PlanFileError(msg, location=at(where, field=field), hint=hint)


def _added(plan: Plan, spec: Mapping[str, Any], k: int, text: str | None, where: str) -> Target:
    sentence = str(spec.get("sentence") or spec.get("source_text") or "")
    if not sentence:
        msg = "an added target needs its sentence"
        raise _review_error(msg, where, f"add.{k}.sentence", "select the sentence in the text and give it")
    fields = {key: v for key, v in spec.items() if key not in ("sentence", "source_text")}
    start = text.find(sentence) if text is not None else -1
    if start >= 0 and text is not None:
        source = SourceRef(document=plan.title, file=plan.source_file, line=text.count("\n", 0, start) + 1,
                           start=start, end=start + len(sentence))
    else:
        source = SourceRef(document=plan.title)
    fields.setdefault("id", f"{plan.id}.added.t{k + 1}")
    fields.setdefault("scope", plan.region)
    fields.setdefault("indicator_id", "unclassified")
    try:
        return Target.model_validate({**fields, "source_text": sentence, "source": source, "review": "added"})
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err.get("loc", ()))
        raise _review_error(str(err.get("msg")), where, f"add.{k}.{field}",
                            "give indicator, year, comparator, value and unit") from exc


def apply_review(plan: Plan, review: Mapping[str, Any], *, text: str | None = None,
                 where: str = "<review>") -> Plan:
    """The plan after a person's review, marked ``reviewed``.

    Parameters
    ----------
    plan
        The draft (or an earlier reviewed version).
    review
        ``accept``, ``reject``, ``correct`` and ``add`` (see the module docstring).
    text
        The source text, to place an added target's sentence.
    where
        The review's file name, for errors.

    Raises
    ------
    PlanFileError
        An unknown key or target id, a field the schema refuses, or an added target without its sentence;
        the error names the review file and the field.
    """
    unknown = sorted(set(review) - set(REVIEW_KEYS))
    if unknown:
        msg = f"unknown review key '{unknown[0]}'"
        raise _review_error(msg, where, unknown[0], f"use {', '.join(REVIEW_KEYS)}")
    ids = {t.id for t in plan.targets}
    accept = [str(x) for x in review.get("accept") or []]
    reject = {str(x) for x in review.get("reject") or []}
    correct: Mapping[str, Mapping[str, Any]] = review.get("correct") or {}
    for key, named in (("accept", accept), ("reject", sorted(reject)), ("correct", list(correct))):
        for tid in named:
            if tid not in ids:
                msg = f"no target '{tid}' in plan '{plan.id}'"
                raise _review_error(msg, where, f"{key}.{tid}", "use the ids of the draft's targets")
    targets: list[Target] = []
    for t in plan.targets:
        if t.id in reject:
            continue
        if t.id in correct:
            data = {**t.model_dump(), **dict(correct[t.id]), "review": "corrected"}
            try:
                targets.append(Target.model_validate(data))
            except ValidationError as exc:
                err = exc.errors()[0]
                field = ".".join(str(p) for p in err.get("loc", ()))
                raise _review_error(str(err.get("msg")), where, f"correct.{t.id}.{field}",
                                    "see the target schema in tanfeng.plan.model") from exc
        else:
            targets.append(t.model_copy(update={"review": "accepted"}))
    for k, spec in enumerate(review.get("add") or []):
        targets.append(_added(plan, spec, k, text, where))
    notes = [n for n in plan.notes if not re.search("未审核", n)] + ["reviewed (已审核)"]
    data = {**plan.model_dump(), "targets": [t.model_dump() for t in targets], "status": "reviewed",
            "notes": notes}
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise _review_error(str(exc.errors()[0].get("msg")), where, "add", "give each added target its own id"
                            ) from exc


def plan_yaml(plan: Plan) -> str:
    """The plan as a plan file (YAML, fields in schema order, empty fields left out), readable by
    :func:`tanfeng.plan.loader.load_plan`."""
    data = plan.model_dump(mode="json", exclude_none=True)
    head = "# 未审核 (unreviewed): drafted by the extractor; review it before relying on it.\n" \
        if plan.status == "unreviewed" else ""
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
