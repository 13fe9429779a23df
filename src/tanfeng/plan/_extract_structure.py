"""Find a plan's parts, actions and measures in its text, dropping reprinted and summary blocks.

Works line by line on the normalised text (see :mod:`tanfeng.plan.textio`); every span is an offset
into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "ACTION_RE",
    "COMMENT_STARTS",
    "MEASURE_RE",
    "PAGE_JUMP_RE",
    "PART_KINDS",
    "PART_RE",
    "SUMMARY_MARKS",
    "TITLE_RE",
    "Block",
    "SAction",
    "SMeasure",
    "SPart",
    "Structure",
    "cn_numeral_value",
    "parse_structure",
]

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_numeral_value(numeral: str) -> int | None:
    """The value of a Chinese numeral from 一 to 九十九 (十二 → 12, 二十一 → 21), else None."""
    if not numeral or any(ch not in _CN_DIGITS and ch != "十" for ch in numeral):
        return None
    if "十" not in numeral:
        return _CN_DIGITS[numeral] if len(numeral) == 1 else None
    head, _, tail = numeral.partition("十")
    tens = _CN_DIGITS.get(head, -1) if head else 1
    ones = _CN_DIGITS.get(tail, -1) if tail else 0
    if tens < 0 or ones < 0 or "十" in tail:
        return None
    return tens * 10 + ones


_CN = "一二三四五六七八九十"
PART_RE = re.compile(rf"^(?P<num>[{_CN}]{{1,3}})、(?P<rest>.*)$")
ACTION_RE = re.compile(rf"^\((?P<num>[{_CN}]{{1,3}})\)(?P<rest>.*)$")
MEASURE_RE = re.compile(r"^(?:(?P<n1>\d{1,2})[.、](?!\d)|\((?P<n2>\d{1,2})\))(?P<rest>.*)$")
PAGE_JUMP_RE = re.compile(r"^[■►▶●]?\s*(?:上接|下转|接上|转下|接第|转第)第?[0-9一二三四五六七八九十]{0,3}版")
SUMMARY_MARKS = "►■▶"
COMMENT_STARTS = ("来源", "出处", "说明", "source", "note", "http")
TITLE_RE = re.compile(r"^《.*》$")
_CLAUSE_SPLIT = re.compile(r"[,;:。!?\s]+")
_KEEP = re.compile(r"[\u4e00-\u9fff0-9A-Za-z%]")

PART_KINDS: tuple[tuple[str, str], ...] = (
    ("主要目标", "main_targets"), ("目标", "main_targets"),
    ("重点任务", "key_tasks"), ("主要任务", "key_tasks"), ("重点行动", "key_tasks"),
    ("政策保障", "policy_support"), ("保障措施", "policy_support"),
    ("组织实施", "implementation"), ("组织领导", "implementation"),
)


def _part_kind(title: str) -> str:
    for word, kind in PART_KINDS:
        if word in title:
            return kind
    return "other"


@dataclass
class Block:
    """A run of text (a line's content) kept for target extraction, with the structure it belongs to."""

    start: int
    end: int
    part: SPart | None
    action: SAction | None
    measure: SMeasure | None
    summary: bool = False


@dataclass
class SMeasure:
    """A numbered item (1. 1、 (1), or (一) under a part other than 重点任务)."""

    number: int
    title: str
    start: int
    end: int
    line: int
    numeral: str
    blocks: list[Block] = field(default_factory=list)
    id: str = ""


@dataclass
class SAction:
    """An action (一)…(二十) of 重点任务."""

    number: int | None
    numeral: str | None
    title: str | None
    start: int
    end: int
    line: int
    part: SPart | None
    measures: list[SMeasure] = field(default_factory=list)
    inferred: bool = False
    id: str = ""


@dataclass
class SPart:
    """A part 一、二、三、… of the plan."""

    number: int
    numeral: str
    title: str
    kind: str
    start: int
    end: int
    line: int
    measures: list[SMeasure] = field(default_factory=list)
    id: str = ""


@dataclass
class Structure:
    """What the structure pass found."""

    parts: list[SPart]
    actions: list[SAction]
    blocks: list[Block]
    warnings: list[str]
    dropped_blocks: list[tuple[int, int]]


def _title_of(rest: str) -> str:
    rest = rest.strip()
    cut = rest.find("。")
    return (rest[: cut] if cut >= 0 else rest).strip()


def _clauses(text: str) -> list[str]:
    out = []
    for c in _CLAUSE_SPLIT.split(text):
        c = c.strip("►■▶●“”\"'()")
        if len(_KEEP.findall(c)) >= 4:
            out.append(c)
    return out


class _Seen:
    """The text kept so far, to tell a reprint or a summary from new text."""

    def __init__(self) -> None:
        self.text = ""
        self.exact: set[str] = set()

    def add(self, s: str) -> None:
        self.text += s
        self.exact.add(s.strip().strip("►■▶● "))

    def repeat_share(self, s: str) -> float:
        """Share (by characters) of ``s``'s clauses that already appear in the kept text."""
        body = s.strip().strip("►■▶● ")
        if body in self.exact:
            return 1.0
        if len(body) < 20:
            return 0.0
        if body in self.text:
            return 1.0
        clauses = _clauses(body)
        if not clauses:
            return 0.0
        total = sum(len(c) for c in clauses)
        found = sum(len(c) for c in clauses if c in self.text)
        return found / total


def _line_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, line number) of each non-blank line's content, without its leading marks and spaces."""
    spans = []
    pos = 0
    for lineno, raw in enumerate(text.split("\n"), start=1):
        start, end = pos, pos + len(raw)
        pos = end + 1
        while end > start and text[end - 1] in " \t\r\u3000":
            end -= 1
        while start < end and text[start] in " \t\u3000#":
            start += 1
        if start < end:
            spans.append((start, end, lineno))
    return spans


def _short(s: str, n: int = 24) -> str:
    s = s.strip()
    return s if len(s) <= n else s[:n] + "…"


def parse_structure(original: str, norm: str, source: str) -> Structure:
    """Split a plan text into parts, actions and measures and drop repeated blocks.

    Parameters
    ----------
    original
        The text as read (only used for messages).
    norm
        Its normalised copy (same length).
    source
        The file name, for warnings.

    Returns
    -------
    Structure
        Parts, actions (with their measures), the blocks of text kept, warnings.
    """
    del original
    parser = _Parser(norm, source)
    for start, end, lineno in _line_spans(norm):
        parser.line(start, end, lineno)
    return Structure(parts=parser.parts, actions=parser.actions, blocks=parser.blocks, warnings=parser.warnings,
                     dropped_blocks=parser.dropped)


class _Parser:
    """The state of :func:`parse_structure` as it reads the text line by line.

    ``part``, ``action`` and ``measure`` are where new text goes; inside a reprinted block (``dup_mode``)
    new measures are re-homed to the action they continue (``dup_canonical``) and repeats are dropped.
    """

    def __init__(self, norm: str, source: str) -> None:
        self.norm = norm
        self.source = source
        self.parts: list[SPart] = []
        self.actions: list[SAction] = []
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self.dropped: list[tuple[int, int]] = []
        self.seen = _Seen()
        self.part: SPart | None = None
        self.action: SAction | None = None
        self.measure: SMeasure | None = None
        self.dup_mode = False
        self.dup_canonical: SAction | None = None

    def warn(self, line: int, what: str) -> None:
        self.warnings.append(f"{self.source}, line {line}: {what}")

    def takes_actions(self) -> bool:
        """Whether the current part holds actions (key tasks, or no part yet)."""
        return self.part is None or self.part.kind == "key_tasks"

    def line(self, start: int, end: int, lineno: int) -> None:
        """Read one non-blank line: a title, a note, a part, action or measure heading, or a paragraph."""
        norm = self.norm
        content = norm[start:end]
        if TITLE_RE.match(content):
            return
        if norm[start - 1: start] in ("#", " ") and content.lower().startswith(COMMENT_STARTS):
            return  # a "# 来源: …" note at the top of a prepared text
        if PAGE_JUMP_RE.match(content):
            self.warn(lineno, f"page-jump note '{_short(content)}' ignored")
            return
        m_part = PART_RE.match(content)
        if m_part and len(m_part.group("rest")) <= 40 and cn_numeral_value(m_part.group("num")):
            self._part_heading(m_part, start, end, lineno)
            return
        m_act = ACTION_RE.match(content)
        if m_act and cn_numeral_value(m_act.group("num")):
            self._action_heading(m_act, start, end, lineno)
            return
        m_mea = MEASURE_RE.match(content)
        if m_mea:
            self._measure_heading(m_mea, start, end, lineno)
            return
        self._paragraph(start, end, lineno)

    def _part_heading(self, m_part: re.Match[str], start: int, end: int, lineno: int) -> None:
        """一、… : a new part, or a part that repeats an earlier one (a closing summary)."""
        title = _title_of(m_part.group("rest"))
        same = [p for p in self.parts if p.title == title]
        if same:
            self.warn(lineno, f"part '{m_part.group('num')}、{title}' repeats an earlier part (a closing summary); "
                              "its text is checked for repeats")
            self.part, self.action, self.measure = same[0], None, None
            self.dup_mode, self.dup_canonical = True, None
            return
        num = cn_numeral_value(m_part.group("num")) or 0
        self.part = SPart(number=num, numeral=m_part.group("num"), title=title, kind=_part_kind(title),
                          start=start, end=end, line=lineno)
        self.parts.append(self.part)
        self.seen.add(self.norm[start:end])
        self.action, self.measure = None, None
        self.dup_mode, self.dup_canonical = False, None
        body = m_part.group("rest")[len(title):].lstrip("。")
        if body.strip():
            self.blocks.append(Block(end - len(body), end, self.part, None, None))

    def _action_heading(self, m_act: re.Match[str], start: int, end: int, lineno: int) -> None:
        """(一)… : a new action under key tasks, a repeated action, or a measure of another part."""
        numeral = m_act.group("num")
        num = cn_numeral_value(numeral) or 0
        rest = m_act.group("rest")
        title = _title_of(rest)
        body_start = start + 2 + len(numeral) + rest.find(title) + len(title) if title else end
        same_act = [a for a in self.actions if a.title and a.title == title]
        if same_act:
            self.warn(lineno, f"({numeral}){_short(title)} repeats action ({same_act[0].numeral}); dropped")
            self.dropped.append((start, end))
            self.action, self.measure = same_act[0], None
            self.dup_mode, self.dup_canonical = True, same_act[0]
            return
        if not self.takes_actions():
            # (一) under 政策保障/组织实施/总体要求: a measure of the part
            self.measure = _measure_line(self.norm, start, end, lineno, num, numeral, title, self.part, self.blocks,
                                         self.seen, self.warn, self.dropped)
            return
        actions = self.actions
        if actions and actions[-1].inferred and actions[-1].number is None and num > 1:
            actions[-1].number = num - 1
            self.warn(actions[-1].line, f"measures before ({numeral}) belong to an action whose heading "
                                        f"is not in the text; numbered {num - 1}")
        self.action = SAction(number=num, numeral=numeral, title=title or None, start=start, end=end,
                              line=lineno, part=self.part)
        actions.append(self.action)
        self.seen.add(self.norm[start:end])
        self.measure = None
        self.dup_mode, self.dup_canonical = False, None
        body = self.norm[min(body_start, end):end].lstrip("。")
        if body.strip():
            self.blocks.append(Block(end - len(body), end, self.part, self.action, None))

    def _measure_owner(self, num: int, title: str, start: int, lineno: int) -> SAction | None:
        """The action a numbered measure belongs to: the current one, the one a reprint continues, or an
        inferred action whose heading is not in the text (None: the measure belongs to the part)."""
        owner: SAction | None = self.action
        if self.dup_mode:
            owner = _rehome(self.actions, self.dup_canonical, num)
            if owner is not None:
                self.warn(lineno, f"measure {num}. '{_short(title)}' follows a reprinted block; attached to "
                                  f"action ({owner.numeral or owner.number})")
        if owner is None and self.takes_actions():
            owner = SAction(number=None, numeral=None, title=None, start=start, end=start, line=lineno,
                            part=self.part, inferred=True)
            self.actions.append(owner)
            self.action = owner
        return owner

    def _measure_heading(self, m_mea: re.Match[str], start: int, end: int, lineno: int) -> None:
        """1. … or (1) … : a new measure, text of the current measure, or a repeat to drop."""
        content = self.norm[start:end]
        num = int(m_mea.group("n1") or m_mea.group("n2"))
        rest = m_mea.group("rest")
        title = _title_of(rest)
        share = self.seen.repeat_share(rest)
        if share >= 0.6:
            self.warn(lineno, f"measure {num}. '{_short(title)}' repeats earlier text; dropped")
            self.dropped.append((start, end))
            self.measure = None
            return
        owner = self._measure_owner(num, title, start, lineno)
        if owner is None and self.part is not None:
            self.measure = _measure_line(self.norm, start, end, lineno, num, str(num), title, self.part, self.blocks,
                                         self.seen, self.warn, self.dropped)
            return
        assert owner is not None
        measure = self.measure
        if (m_mea.group("n2") and any(x.numeral.isdigit() and not x.numeral.startswith("(")
                                      for x in owner.measures) and measure is not None):
            # (1) inside a "1." measure: text of that measure
            self.seen.add(content)
            self.blocks.append(Block(start, end, self.part, owner, measure))
            measure.blocks.append(self.blocks[-1])
            measure.end = end
            return
        measure = SMeasure(number=num, title=title, start=start, end=end, line=lineno,
                           numeral=str(num) if m_mea.group("n1") else f"({num})")
        self.measure = measure
        owner.measures.append(measure)
        body_start = end - len(rest)
        self.blocks.append(Block(body_start, end, self.part, owner, measure))
        measure.blocks.append(self.blocks[-1])
        self.seen.add(content)
        self.seen.add(rest)

    def _paragraph(self, start: int, end: int, lineno: int) -> None:
        """A paragraph without a number: summary item, continuation of a measure, or part text."""
        content = self.norm[start:end]
        summary = content[0] in SUMMARY_MARKS
        share = self.seen.repeat_share(content)
        twice = (not summary and self.part is None and self.action is None and bool(self.blocks)
                 and self.norm[self.blocks[-1].start:self.blocks[-1].end] == content)
        if twice:  # a page (with no parts) that prints the same paragraph twice in a row: a reader sees both
            self.warn(lineno, f"paragraph '{_short(content)}' is printed twice in a row; both kept")
        elif share >= (0.5 if summary else 0.6):
            what = "summary-box item" if summary else "paragraph"
            self.warn(lineno, f"{what} '{_short(content)}' repeats earlier text; dropped")
            self.dropped.append((start, end))
            return
        if summary:
            self.warn(lineno, f"summary-box item '{_short(content)}' does not repeat earlier text; kept for review "
                              "but not added to the structure")
            self.blocks.append(Block(start + 1, end, self.part, self.action, self.measure, summary=True))
            self.seen.add(content)
            return
        self.seen.add(content)
        blk = Block(start, end, self.part, self.action, self.measure)
        self.blocks.append(blk)
        if self.measure is not None:
            self.measure.blocks.append(blk)
            self.measure.end = end


def _rehome(actions: list[SAction], canonical: SAction | None, num: int) -> SAction | None:
    """Where a new measure found inside a reprinted block belongs: the action it continues."""
    candidates = [a for a in reversed(actions) if not a.inferred][:1]
    if canonical is not None:
        candidates.append(canonical)
    for a in candidates:
        if len(a.measures) == num - 1:
            return a
    return candidates[0] if candidates else None


def _measure_line(norm: str, start: int, end: int, lineno: int, num: int, numeral: str, title: str,
                  part: SPart | None, blocks: list[Block], seen: _Seen,
                  warn: Callable[[int, str], None], dropped: list[tuple[int, int]]) -> SMeasure | None:
    content = norm[start:end]
    rest = content[content.find(title):] if title and title in content else content
    share = seen.repeat_share(rest)
    if share >= 0.6:
        warn(lineno, f"item ({numeral}) '{_short(title)}' repeats earlier text; dropped")
        dropped.append((start, end))
        return None
    if part is None:
        return None
    m = SMeasure(number=num, title=title or rest, start=start, end=end, line=lineno, numeral=numeral)
    part.measures.append(m)
    body_start = end - len(rest)
    blk = Block(body_start, end, part, None, m)
    blocks.append(blk)
    m.blocks.append(blk)
    seen.add(content)
    seen.add(rest)
    return m
