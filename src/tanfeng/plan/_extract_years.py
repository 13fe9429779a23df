"""Years and five-year periods named in a sentence: 到2025年, 2025年、2030年, 力争2030年前, “十四五”期间."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["YearMention", "strip_year_phrases", "years_in"]

_YEAR_RE = re.compile(
    r"(?P<aim>力争|争取)?(?P<to>到|至|截至|截止到|截止)?[ ]?(?P<y>(?:19|20)\d{2})[ ]?年?"
    r"(?:(?P<sep>、|和|及|与)(?P<y2>(?:19|20)\d{2}))?[ ]?年(?P<suf>底|末|前|年底)?"
)
_PERIOD_RE = re.compile(
    r"(?P<aim>力争|争取)?[“\"']?(?P<p>十一五|十二五|十三五|十四五|十五五|十六五)[”\"']?(?:期间|时期|末|规划期)?")
_PERIODS = {"十一五": (2010, 2005), "十二五": (2015, 2010), "十三五": (2020, 2015), "十四五": (2025, 2020),
            "十五五": (2030, 2025), "十六五": (2035, 2030)}
_NOT_YEAR_BEFORE = ("比", "较", "以", "与", "于", "从", "自", "是", "和", "及")
_NOT_YEAR_AFTER = ("相比", "为基", "水平", "的水平", "基础上", "的基础")
_BEFORE_OF = re.compile(r"(?:以前|之前|以后|之后)[\u4e00-\u9fff]{0,8}?的")
"""2005年以前注册的 (a year that says which things: those registered before it): no year of a target."""
_PERIOD_AIM = re.compile(r"(?:到|至|面向|确保|预计|力争|争取)[“\"']?$")
_AIM_BEFORE = re.compile(r"(?:确保|预计|计划|有望|预期|将|要|目标)$")


@dataclass
class YearMention:
    """A year (or years given in turn, or a five-year period) named at ``start``…``end`` of a sentence."""

    start: int
    end: int
    years: list[int]
    aspirational: bool
    baseline: int | None = None
    period: bool = False
    future: bool = False
    """Named as a year to reach (到, 至, 力争, 确保, 预计 …, 2025年前): what it dates is a goal."""
    bare: bool = False
    """Named with no word of aim before it (``2021年,…``, ``2023年全年…``, 截至2023年底): it may date a fact."""
    status: bool = False
    """Named as the date of a status (截至2022年底, 截止到2023年): what it dates is a fact."""


def years_in(s: str) -> list[YearMention]:
    """The years and five-year periods ``s`` names as the year of something (not 比2020年, not 在2025年的基础上,
    not 年度, not 2005年以前注册的), in text order."""
    out: list[YearMention] = []
    for m in _YEAR_RE.finditer(s):
        before = s[max(0, m.start() - 2): m.start()]
        if not m.group("to") and not m.group("aim") and before.endswith(_NOT_YEAR_BEFORE):
            continue
        after = s[m.end(): m.end() + 4]
        if after.startswith(_NOT_YEAR_AFTER) or _BEFORE_OF.match(s, m.end()):
            continue
        if m.end() < len(s) and s[m.end() - 1] == "年" and s[m.end(): m.end() + 1] in ("度",):
            continue
        years = [int(m.group("y"))]
        if m.group("y2"):
            years.append(int(m.group("y2")))
        aim = bool(m.group("aim")) or s[max(0, m.start() - 2): m.start()] in ("力争", "争取")
        to = m.group("to")
        future = (aim or to in ("到", "至") or "前" in (m.group("suf") or "", s[m.end(): m.end() + 1])
                  or _AIM_BEFORE.search(s[max(0, m.start() - 2): m.start()]) is not None)
        out.append(YearMention(m.start(), m.end(), years, aim, future=future, bare=not future,
                               status=not future and (to or "").startswith(("截至", "截止"))))
    for m in _PERIOD_RE.finditer(s):
        if not m.group("aim") and re.search(r"(?:比|较|与)[“\"']?$", s[max(0, m.start() - 2): m.start()]):
            continue  # 比“十三五”末: a baseline
        year, base = _PERIODS[m.group("p")]
        future = bool(m.group("aim")) or bool(_PERIOD_AIM.search(s[max(0, m.start() - 3): m.start()]))
        out.append(YearMention(m.start(), m.end(), [year], bool(m.group("aim")), baseline=base, period=True,
                               future=future))
    out.sort(key=lambda y: y.start)
    return out


def strip_year_phrases(text: str) -> str:
    """``text`` without its years and periods (for an indicator phrase)."""
    text = _YEAR_RE.sub("", text)
    return _PERIOD_RE.sub("", text)
