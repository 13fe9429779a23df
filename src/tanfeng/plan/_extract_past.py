"""Figures of the past told by the words of the text, without knowing when it was published.

A plan, or a report that quotes one, often states what was done before it sets what is to be done. The value of
such a sentence is a fact, not a target. What marks it, with no publication date:

- the aspect of the verb: 已完成 / 已达到 / 已建成 …, 实现了 / 完成了 / 下降了 …;
- a year named with no word of aim before it (``2021年,`` ``2023年全年`` 截至2023年底) together with words of a
  report: 累计, 全年, 同比, 比上年, 上半年 …, or a change from an older baseline (``2021年,…较2012年下降35%``)
  when the text aims at a later year;
- a five-year period that ended before the first year the text aims at (“十三五”期间 … in a text that sets
  targets 到2025年).

Words of aim before the value in its sentence (到2025年, 力争, 确保, 预计, 将 …) keep it a target.
"""

from __future__ import annotations

import re

from tanfeng.plan._extract_years import YearMention, years_in

__all__ = ["first_aim_year", "is_past_fact"]

_AIM_RE = re.compile(
    r"(?<![截止])(?:到|至)[ ]?(?:(?:19|20)\d{2}|[“\"']?十[一二三四五六]五)|力争|争取|确保|预计|计划|有望|预期|目标(?:是|为)|"
    r"(?<!即)将(?!近)|(?<![主重需必])要|应当|必须|进一步"
)
"""Words of aim in a sentence before a value: what follows is to be done."""

_DONE_VERBS = (
    r"完成|达到|达|实现|建成|下降|降低|提高|提升|增长|增加|减少|超过|突破|形成|培育|创建|建设|新增|淘汰|"
    r"压减|关停|累计|占"
)
_PERFECT_RE = re.compile(
    r"已(?:经)?(?:累计|基本|全面|提前|超额|顺利|全部)?(?:" + _DONE_VERBS + r")(?!的)"
    r"|(?:" + _DONE_VERBS + r"|取得)了"
)
"""The aspect of a finished action: 已完成, 已经达到, 实现了, 下降了."""

_REPORT_RE = re.compile(r"累计|全年|同比|比上年|较上年|上半年|前三季度|一季度|年底已|年末已")
"""Words of a report of a year's results, after a year named with no word of aim."""

_OLD_BASE_RE = re.compile(
    r"(?:比|较)[ ]?(?P<b>(?:19|20)\d{2})[ ]?年(?:相比)?[,]?(?:累计)?(?:下降|降低|减少|提高|提升|增长|增加)"
)


def first_aim_year(text: str) -> int | None:
    """The first year the text aims at (到2025年, 力争2030年前, 到“十四五”末); None when it names none."""
    years = [y for m in years_in(text) if m.future for y in m.years]
    return min(years) if years else None


def is_past_fact(before: str, mention: YearMention | None, *, aim_from: int | None) -> bool:
    """Whether the value that follows ``before`` (its sentence up to the value) is a fact of the past.

    Parameters
    ----------
    before
        The value's sentence up to the value.
    mention
        The year the value is dated by (in its sentence, or carried from an earlier one), if any.
    aim_from
        The first year the whole text aims at (:func:`first_aim_year`), if any.

    Returns
    -------
    bool
        True for a fact the text reports as done; False for a target (or when nothing tells).
    """
    if _AIM_RE.search(before) or (mention is not None and mention.future):
        return False
    if _PERFECT_RE.search(before):
        return True
    if mention is None:
        return False
    last = mention.years[-1]
    if mention.period:
        return aim_from is not None and last < aim_from
    if not mention.bare:
        return False
    if _REPORT_RE.search(before):
        return True
    base = _OLD_BASE_RE.search(before)
    return base is not None and aim_from is not None and last < aim_from
