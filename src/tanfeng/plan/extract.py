"""Draft a plan's structure and quantified targets from a Chinese plan or policy text.

The draft is for a person to review: each target says how sure the extractor is (``confidence``) and
why (``reasons``), and where its sentence is in the file (``start``, ``end``, ``line``). Blocks that a
newspaper reprinted, summary boxes (► ■) and closing summaries that repeat earlier text are dropped
and listed in ``warnings``.

Example
-------
>>> draft = extract_text("到2025年,全区新能源车占比达到85%。", region_code="150000")
>>> t = draft.targets[0]
>>> (t.year, t.comparator.value, t.value, t.unit, t.scope_code)
(2025, '=', 85.0, '%', '150000')
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from tanfeng.plan._extract_lexicon import REGION_WORDS, indicator_id_for
from tanfeng.plan._extract_past import Aims, text_aims
from tanfeng.plan._extract_patterns import RawScope, written_after
from tanfeng.plan._extract_structure import Block, SAction, SMeasure, SPart, parse_structure
from tanfeng.plan._extract_tables import TableTarget, table_targets
from tanfeng.plan._extract_targets import find_targets
from tanfeng.plan.model import Comparator, PartKind
from tanfeng.plan.reasons import Reason, reason
from tanfeng.plan.textio import check_text_size, line_of, normalize_with_offsets, read_text_file

__all__ = ["DraftAction", "DraftMeasure", "DraftPart", "DraftScope", "DraftTarget", "PlanDraft", "extract_file",
           "extract_text"]


class _Draft(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DraftPart(_Draft):
    """A part (一、二、…) found in the text."""

    id: str
    number: int
    numeral: str
    title: str
    kind: PartKind
    line: int
    start: int
    end: int


class DraftAction(_Draft):
    """An action ((一)…(二十)) of 重点任务 found in the text."""

    id: str
    part: str | None = Field(description="Id of the part it is under, when that part's heading is in the text")
    number: int | None
    numeral: str | None = Field(description="As printed; null when the heading is not in the text")
    title: str | None
    line: int
    start: int
    end: int
    inferred: bool = Field(default=False, description="Heading not in the text; inferred from the numbering")


class DraftMeasure(_Draft):
    """A numbered item (1. 1、 (1), or (一) under 政策保障/组织实施)."""

    id: str
    part: str | None
    action: str | None
    number: int
    title: str
    text: str = Field(description="The item's text, page-break line ends joined")
    line: int
    start: int
    end: int


class DraftTarget(_Draft):
    """A quantified target found in the text, to be reviewed by a person."""

    id: str
    part: str | None = None
    action: str | None
    measure: str | None
    indicator: str | None = Field(description="Indicator phrase as printed (Chinese); null when not found")
    indicator_id: str | None = Field(description="English id from the glossary of common indicators")
    scope: str | None = Field(description="Scope phrase as printed (全区, 呼和浩特、包头主城区…); null: the plan's region")
    scope_code: str | None = Field(description="Region code, when the scope is the whole region and one was given")
    year: int | None
    comparator: Comparator
    value: float
    value_high: float | None = None
    unit: str = Field(description="Unit exactly as written")
    qualifier: str | None = Field(default=None, description="For decrease_by/increase_by: ≥ ≤ ≈ or null")
    baseline_year: int | None = None
    aspirational: bool = False
    confidence: float = Field(ge=0, le=1)
    reasons: list[Reason] = Field(default_factory=list, description="Why less than sure (codes, see reasons.py)")
    source_text: str = Field(description="The sentence, verbatim (page-break line ends removed)")
    match_text: str = Field(description="The value as printed, e.g. 500万千瓦以上")
    start: int = Field(ge=0, description="Offset of the sentence in the text as read")
    end: int = Field(ge=0)
    line: int = Field(ge=1)


class DraftScope(_Draft):
    """A number read as scope, not as a target: a threshold that says whom a rule is for
    (年综合能耗1万吨标准煤以上的单位), or numbers that describe the grid's structure."""

    text: str = Field(description="The scope as printed")
    reason: Reason
    match_text: str = Field(description="The number as printed")
    start: int = Field(ge=0, description="Offset of the sentence in the text as read")
    end: int = Field(ge=0)
    line: int = Field(ge=1)


class PlanDraft(_Draft):
    """What the extractor found in one text."""

    source: str
    encoding: str
    region_code: str | None = None
    parts: list[DraftPart] = Field(default_factory=list)
    actions: list[DraftAction] = Field(default_factory=list)
    measures: list[DraftMeasure] = Field(default_factory=list)
    targets: list[DraftTarget] = Field(default_factory=list)
    scopes: list[DraftScope] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


def _assign_ids(parts: list[SPart], actions: list[SAction]) -> None:
    used: set[str] = set()

    def unique(base: str) -> str:
        ident, k = base, 2
        while ident in used:
            ident = f"{base}_{k}"
            k += 1
        used.add(ident)
        return ident

    for p in parts:
        p.id = unique(f"p{p.number}")
        for m in p.measures:
            m.id = unique(f"{p.id}.m{m.number}")
    for i, a in enumerate(actions, start=1):
        a.id = unique(f"a{a.number:02d}" if a.number is not None else f"ax{i}")
        for m in a.measures:
            m.id = unique(f"{a.id}.m{m.number}")


def _segments(blocks: list[Block], norm: str, offsets: list[int]) -> list[tuple[list[Block], str, list[int]]]:
    """Group blocks into runs of text (one measure's text joined across page breaks), each with the offset in the
    text as read of each of its characters (``offsets``: those of ``norm``)."""
    groups: list[list[Block]] = []
    for b in blocks:
        if groups and b.measure is not None and groups[-1][-1].measure is b.measure and not b.summary:
            groups[-1].append(b)
        else:
            groups.append([b])
    out = []
    for g in groups:
        chars: list[str] = []
        index: list[int] = []
        for b in g:
            if chars and chars[-1] in "。;!?:":
                chars.append("\n")
                index.append(offsets[b.start])
            chars.extend(norm[b.start: b.end])
            index.extend(offsets[b.start: b.end])
        out.append((g, "".join(chars), index))
    return out


def _verbatim(text: str, index: list[int], a: int, b: int) -> str:
    return "".join(text[index[k]] for k in range(a, b) if text[index[k]] not in "\r\n").strip()


def extract_text(text: str, *, source_name: str | None = None, region_code: str | None = None,
                 encoding: str = "utf-8", as_of: int | None = None) -> PlanDraft:
    """Draft a plan's structure and quantified targets from its text.

    Parameters
    ----------
    text
        The plan text as read (offsets reported point into it).
    source_name
        Name of the file or source, for the draft and its warnings.
    region_code
        GB/T 2260 code of the plan's region; targets for the whole region (全区/全省/… or no scope)
        get it as ``scope_code``.
    encoding
        How the text was read (reported in the draft).
    as_of
        The year the text was published: a value for an earlier year (what “十三五”期间 achieved, 2020年…) is a
        figure of the past and goes to ``scopes``, not ``targets``. None: the year the text itself shows (its
        issue date, the year after a baseline it names), if any.

    Returns
    -------
    PlanDraft
        Parts, actions, measures, targets and warnings (a text over ``TANFENG_MAX_TEXT_BYTES`` is refused).
    """
    source = source_name or "<text>"
    check_text_size(text, source)
    norm, offsets = normalize_with_offsets(text)
    as_of, aims = (written_after(norm) if as_of is None else as_of), text_aims(norm)
    st = parse_structure(text, norm, source)
    _assign_ids(st.parts, st.actions)
    draft = PlanDraft(source=source, encoding=encoding, region_code=region_code, warnings=list(st.warnings),
                      parts=[_draft_part(p) for p in st.parts], actions=[_draft_action(a) for a in st.actions])
    owners: dict[int, tuple[str | None, str | None]] = {}
    for a in st.actions:
        for m in a.measures:
            owners[id(m)] = (a.part.id if a.part else None, a.id)
            draft.measures.append(_measure(m, text, norm, a.part, a))
    for p in st.parts:
        for m in p.measures:
            owners[id(m)] = (p.id, None)
            draft.measures.append(_measure(m, text, norm, p, None))
    draft.measures.sort(key=lambda m: m.start)
    _add_targets(draft, st.blocks, (text, norm, offsets), owners, region_code, (as_of, aims))
    if not draft.targets:
        draft.warnings.append(f"{source}: no quantified target found")
    return draft


def _add_targets(draft: PlanDraft, blocks: list[Block], texts: tuple[str, str, list[int]],
                 owners: dict[int, tuple[str | None, str | None]], region_code: str | None,
                 when: tuple[int | None, Aims]) -> None:
    """Add the targets of the text's runs (and of its tables' rows) to ``draft``, in text order. ``texts``: the
    text as read, its normalised copy and the offset in the text of each character of the copy."""
    as_of, aims = when
    text, norm, offsets = texts
    counters: dict[str, int] = {}
    tables, table_lines = table_targets(norm)
    for group, seg, index in _segments(blocks, norm, offsets):
        first = group[0]
        if any(a <= first.start < b for a, b in table_lines):
            continue  # a table's line: its target is read by column (below)
        summary = any(b.summary for b in group)
        scopes: list[RawScope] = []
        for rt in find_targets(seg, in_summary=summary, scopes=scopes, as_of=as_of, aims=aims):
            start = index[rt.sent_start]
            end = index[rt.sent_end - 1] + 1
            measure_id = first.measure.id if first.measure is not None else None
            action_id = first.action.id if first.action is not None else None
            part_id = first.part.id if first.part is not None else None
            if first.measure is not None and id(first.measure) in owners:
                part_id, owner_action = owners[id(first.measure)]
                action_id = owner_action or action_id
            container = measure_id or action_id or part_id or "doc"
            counters[container] = counters.get(container, 0) + 1
            scope = rt.scope
            scope_code = region_code if region_code and (scope is None or scope in REGION_WORDS) else None
            reasons = list(rt.reasons)
            if scope is None:
                reasons.append(reason("scope_is_plan_region"))
            draft.targets.append(DraftTarget(
                id=f"{container}.t{counters[container]}", part=part_id, action=action_id, measure=measure_id,
                indicator=rt.indicator, indicator_id=indicator_id_for(rt.indicator), scope=scope,
                scope_code=scope_code, year=rt.year, comparator=Comparator(rt.comparator), value=rt.value,
                value_high=rt.value_high, unit=rt.unit, qualifier=rt.qualifier, baseline_year=rt.baseline_year,
                aspirational=rt.aspirational, confidence=rt.confidence, reasons=reasons,
                source_text=_verbatim(text, index, rt.sent_start, rt.sent_end),
                match_text=_verbatim(text, index, rt.match_start, rt.match_end),
                start=start, end=end, line=line_of(text, start),
            ))
        draft.scopes.extend(_draft_scope(sc, text, index) for sc in scopes)
    draft.targets.extend(_table_target(tt, text, blocks, region_code, counters) for tt in tables)
    draft.targets.sort(key=lambda t: t.start)


def _table_target(tt: TableTarget, text: str, blocks: list[Block], region_code: str | None,
                  counters: dict[str, int]) -> DraftTarget:
    """A target read off a table's row, placed in the part, action or measure its line is under."""
    block = next((b for b in blocks if tt.row_start <= b.start < tt.row_end), None)
    part, action, measure = ((block.part, block.action, block.measure) if block is not None else (None, None, None))
    container = (measure.id if measure else None) or (action.id if action else None) or (part.id if part else None) \
        or "doc"
    counters[container] = counters.get(container, 0) + 1
    return DraftTarget(
        id=f"{container}.t{counters[container]}", part=part.id if part else None, action=action.id if action else None,
        measure=measure.id if measure else None, indicator=tt.indicator, indicator_id=indicator_id_for(tt.indicator),
        scope=None, scope_code=region_code, year=tt.year, comparator=Comparator(tt.comparator), value=tt.value,
        value_high=tt.value_high, unit=tt.unit, qualifier=tt.qualifier, baseline_year=tt.baseline_year,
        confidence=tt.confidence, reasons=[*tt.reasons, reason("scope_is_plan_region")],
        source_text=text[tt.row_start:tt.row_end].strip(), match_text=text[tt.match_start:tt.match_end].strip(),
        start=tt.row_start, end=tt.row_end, line=line_of(text, tt.row_start))


def _draft_part(p: SPart) -> DraftPart:
    return DraftPart(id=p.id, number=p.number, numeral=p.numeral, title=p.title, kind=p.kind, line=p.line,
                     start=p.start, end=p.end)


def _draft_action(a: SAction) -> DraftAction:
    return DraftAction(id=a.id, part=a.part.id if a.part else None, number=a.number, numeral=a.numeral,
                       title=a.title, line=a.line, start=a.start, end=a.end, inferred=a.inferred)


def _draft_scope(sc: RawScope, text: str, index: list[int]) -> DraftScope:
    start = index[sc.sent_start]
    return DraftScope(text=sc.text, reason=sc.reason, match_text=_verbatim(text, index, sc.match_start, sc.match_end),
                      start=start, end=index[sc.sent_end - 1] + 1, line=line_of(text, start))


def _measure(m: SMeasure, text: str, norm: str, part: SPart | None, action: SAction | None) -> DraftMeasure:
    pieces: list[str] = []
    for b in m.blocks:
        piece = text[b.start: b.end]
        if pieces and not pieces[-1].endswith(("。", ";", "；", ":", "：")):
            pieces[-1] = pieces[-1] + piece
        else:
            pieces.append(piece)
    body = "\n".join(pieces)
    del norm
    return DraftMeasure(id=m.id, part=part.id if part else None, action=action.id if action else None,
                        number=m.number, title=m.title, text=body, line=m.line, start=m.start, end=m.end)


def extract_file(path: str | Path, *, region_code: str | None = None, as_of: int | None = None) -> PlanDraft:
    """Read a plan text (UTF-8, GB18030/GBK, .docx, PDF) and draft its structure and targets.

    Parameters
    ----------
    path
        The file.
    region_code
        GB/T 2260 code of the plan's region (see :func:`extract_text`).
    as_of
        The year the text was published (see :func:`extract_text`).

    Returns
    -------
    PlanDraft
        The draft; ``encoding`` says how the file was read.

    Raises
    ------
    tanfeng.errors.TextReadError
        The file cannot be read (missing, empty, binary, unknown encoding or format).
    """
    st = read_text_file(path)
    return extract_text(st.text, source_name=st.source, region_code=region_code, encoding=st.encoding, as_of=as_of)
