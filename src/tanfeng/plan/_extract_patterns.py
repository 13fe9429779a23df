"""Target forms beyond "value + unit": 全部… (100 %), unitless values, and the guards that keep scope out.

- ``到2030年,…园区全部实施循环化改造``: with a year, 全部 says every one of them, a 100 % target.
- ``电能利用效率(PUE)降到1.3以下``: a value with no unit, read only right after a comparator word.
- A clause that describes the grid's structure (``“三横四纵”主网架``, ``环网``) states no target.
- A clause that states a standing rule (原则上, 一律, 不得 …) keeps no year borrowed from another clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tanfeng.plan.reasons import Reason

__all__ = [
    "ALL_RE",
    "STANDING_MARKERS",
    "RawScope",
    "UnitlessValue",
    "is_standing_rule",
    "is_structure_clause",
    "scope_phrase",
    "unitless_values",
]

ALL_RE = re.compile(r"(?<![不未非])全部(?!门|分|地区)")
"""全部 as "every one of them" (not 全部门 'all departments', not 不全部)."""

STANDING_MARKERS = ("原则上", "一律", "必须", "不得", "严禁", "均须", "应当", "始终", "每年", "常态化")
"""Words of a rule that stands every year rather than a goal for one year."""

_STRUCTURE_RE = re.compile(
    r"网架|环网|电网结构|网络结构|骨干网|[一二三四五六七八九十两双]横[一二三四五六七八九十两双]纵|"
    r"[一二三四五六七八九十两双]纵[一二三四五六七八九十两双]横"
)

# Comparator words after which a bare number is a value (降到1.3以下, PUE不高于1.25, 系数达到0.6).
_UNITLESS_PRE = ("下降到", "下降至", "降低到", "降低至", "降到", "降至", "控制在", "不高于", "不超过", "不大于", "低于",
                 "小于", "不低于", "不小于", "高于", "大于", "提高到", "提高至", "提升到", "提升至", "达到")
_UNITLESS_RE = re.compile(
    r"(?<![\d.A-Za-z])(?P<v>\d+(?:\.\d+)?)(?P<tail>及以下|及以上|以下|以上|以内|左右)?(?=$|[,;:。、)）]|[\u4e00-\u9fff])"
)
# What a unitless value measures: ratios, coefficients, indices, efficiencies.
_UNITLESS_HEADS = ("PUE", "系数", "效率", "指数", "能效比", "COP", "比值", "倍数", "值")


@dataclass(frozen=True)
class UnitlessValue:
    """A number with no unit right after a comparator word: start, end (after the tail), value, tail."""

    start: int
    end: int
    value_end: int
    value: float
    tail: str | None


def unitless_values(s: str, taken: list[tuple[int, int]]) -> list[UnitlessValue]:
    """Bare numbers in ``s`` that follow a comparator word and measure a ratio (PUE, 系数 …).

    Parameters
    ----------
    s
        A sentence.
    taken
        Spans already read as values with a unit.

    Returns
    -------
    list of UnitlessValue
        In text order.
    """
    out: list[UnitlessValue] = []
    for m in _UNITLESS_RE.finditer(s):
        if any(a <= m.start() < b for a, b in taken):
            continue
        follow = s[m.end("v"): m.end("v") + 1]
        if not m.group("tail") and follow and "\u4e00" <= follow <= "\u9fff":
            continue  # a number followed by a word is a count or a name (3个月, 5G), not a bare value
        before = s[: m.start()]
        word = next((w for w in _UNITLESS_PRE if before.endswith(w)), None)
        if word is None:
            continue
        value = float(m.group("v"))
        if 1900 <= value <= 2100:
            continue  # a year
        clause = re.split(r"[,;:。]", before[: len(before) - len(word)])[-1]
        if not any(h in clause for h in _UNITLESS_HEADS):
            continue
        out.append(UnitlessValue(m.start(), m.end(), m.end("v"), value, m.group("tail")))
    return out


def is_structure_clause(clause: str, previous: str = "") -> bool:
    """Whether a clause describes the grid's structure (its numbers count lines and rings, not goals); a clause
    that goes on to say what the structure named in the ``previous`` clause is made of counts too."""
    if _STRUCTURE_RE.search(clause) is not None:
        return True
    return bool(previous) and _STRUCTURE_RE.search(previous) is not None and re.search(r"构成|组成", clause) is not None


def is_standing_rule(clause: str) -> bool:
    """Whether a clause states a rule that stands every year (原则上不低于50%, 一律…)."""
    return any(w in clause for w in STANDING_MARKERS)


@dataclass(frozen=True)
class RawScope:
    """A number that only says whom or what a rule is for, with offsets into the segment."""

    text: str
    reason: Reason
    sent_start: int
    sent_end: int
    match_start: int
    match_end: int


def scope_phrase(s: str, clause_start: int, value_end: int, stop: int, nouns: tuple[str, ...]) -> tuple[str, int]:
    """The words that name the scope a threshold defines, from the clause start through the noun after the value
    (``年综合能耗1万吨标准煤以上的重点用能单位``), and where they end."""
    rest = s[value_end:stop]
    cut = re.search(r"全部|均|要|应|须|必须|实现|完成|开展|实施|不得|将|基本|率先|全面|一律|原则上|达到|不低于|不高于|比",
                    rest)
    end = cut.start() if cut else len(rest)
    ends = [i + len(n) for n in nouns if (i := rest.find(n, 0, end)) >= 0]
    if ends:
        end = min(ends)
    return s[clause_start:value_end + end].strip(" ,、"), value_end + end
