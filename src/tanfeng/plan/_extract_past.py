"""Figures of the past told by the words of the text, without knowing when it was published.

A plan, or a report that quotes one, often states what was done before it sets what is to be done. The value of
such a sentence is a fact, not a target. What marks it, with no publication date:

- the aspect of the verb: 已完成 / 已达到 / 已建成 …, 实现了 / 完成了 / 下降了 …;
- a year named with no word of aim before it (``2021年,`` ``2023年全年`` 截至2023年底) together with words of a
  report: 全年, 同比, 比上年, 上半年 …, 累计 (but not on a five-year mark: 2025年,全省累计建成… may be a
  milestone); or such a year inside a five-year period with a change from a base
  older than the period (``2021年,…较2012年下降35%``; a plan's milestone ``2024年,…比2020年下降`` or
  ``2030年,…比2005年下降65%`` stays a target);
- a five-year period that ended before the first year the text aims at, in a text that names the period after
  it (“十三五”期间 … in a text that speaks of “十四五” and sets targets 到2025年), or that period's last year named
  with no word of aim (2020年能源消费总量… in such a text).

Words of aim before the value in its sentence (到2025年, 力争, 确保, 预计, 将 …) keep it a target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tanfeng.plan._extract_years import YearMention, years_in

__all__ = ["Aims", "is_past_fact", "past_reason", "text_aims"]

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
    r"|已经(?:累计|基本|全面|提前|超额|顺利|全部)?[\u4e00-\u9fff]{2}(?!的)"
    r"|(?:" + _DONE_VERBS + r"|取得)了"
)
"""The aspect of a finished action: 已完成, 已经达到, 已经提前锁定 (已经 with any verb), 实现了, 下降了."""
_MODIFIER_RE = re.compile(r"[\u4e00-\u9fff]{0,6}的")

_REPORT_RE = re.compile(r"全年|同比|比上年|较上年|上半年|前三季度|一季度|年底已|年末已")
"""Words of a report of a year's results, after a year named with no word of aim."""

_REPORT_AFTER_RE = re.compile(r"同比|比上年|较上年")
"""Words of a report of a year's results anywhere in the value's sentence."""

_OLD_BASE_RE = re.compile(
    r"(?:比|较)[ ]?(?P<b>(?:19|20)\d{2})[ ]?年(?:相比)?[,]?(?:累计)?(?:下降|降低|减少|提高|提升|增长|增加)"
)


@dataclass(frozen=True)
class Aims:
    """What a whole text aims at: the first year it names as one to reach, and the five-year periods it names
    (by their last year)."""

    first: int | None = None
    periods: frozenset[int] = frozenset()


def text_aims(text: str) -> Aims:
    """The first year ``text`` aims at (到2025年, 力争2030年前, 到“十四五”末) and the periods it names."""
    mentions = years_in(text)
    years = [y for m in mentions if m.future for y in m.years]
    return Aims(min(years) if years else None, frozenset(m.years[-1] for m in mentions if m.period))


def is_past_fact(before: str, mention: YearMention | None, aims: Aims | None = None) -> bool:
    """Whether the value that follows ``before`` (its sentence up to the value) is a fact of the past.

    Parameters
    ----------
    before
        The value's sentence up to the value.
    mention
        The year the value is dated by (in its sentence, or carried from an earlier one), if any.
    aims
        What the whole text aims at (:func:`text_aims`), if known.

    Returns
    -------
    bool
        True for a fact the text reports as done; False for a target (or when nothing tells).
    """
    if _AIM_RE.search(before) or (mention is not None and mention.future):
        return False
    # 已完成改造的企业…: a finished action that only names whom the value is about is no report
    if any(_MODIFIER_RE.match(before, m.end()) is None for m in _PERFECT_RE.finditer(before)):
        return True
    if mention is None:
        return False
    last = mention.years[-1]
    if mention.period:
        aims = aims or Aims()
        return aims.first is not None and last < aims.first and last + 5 in aims.periods
    if not mention.bare:
        return False
    if mention.status:
        return True  # 截至2022年底,全省光伏装机达到1200万千瓦: a status, not an aim
    if aims is not None and aims.first is not None and last < aims.first and last % 5 == 0 and last + 5 in aims.periods:
        return True  # 2020年,全省能源消费总量…: the last year of the period before the one the text aims at
    if _REPORT_RE.search(before) or (last % 5 != 0 and "累计" in before):
        return True  # 累计 on a five-year mark may be a milestone (2025年,全省累计建成…)
    # a change of a year within a five-year period from a base older than the period (2021年,…较2012年累计下降35%):
    # a plan's milestones are measured from the period's base (2024年,…比2020年) or fall on its marks (2030年…比2005年)
    base = _OLD_BASE_RE.search(before)
    return last % 5 != 0 and base is not None and int(base.group("b")) < last // 5 * 5


def past_reason(
    sent: str,
    pos: int,
    year: int | None,
    years: list[YearMention],
    carried: YearMention | None,
    when: tuple[int | None, Aims | None],
) -> str | None:
    """Why the value at ``sent[pos]`` of a sentence, dated ``year``, is a figure of the past (a reason code), or
    None. ``past_value``: a year before the text was written (``when[0]``); ``past_fact``: its words tell it as
    done (:func:`is_past_fact`, with ``when[1]``, what the text aims at). ``years`` are the sentence's years,
    ``carried`` the last one of an earlier sentence."""
    as_of, aims = when
    if as_of is not None and year is not None and year < as_of:
        return "past_value"
    dated = [y for y in years if y.start < pos]
    mention = (dated[-1] if dated else carried) if year is not None else None
    if mention is not None and mention.bare and not mention.period and _REPORT_AFTER_RE.search(sent, pos) \
            and not _AIM_RE.search(sent[:pos]):
        return "past_fact"  # 2021年,全省完成营造林120万亩,同比增长5%: a year's report, told after the value too
    return "past_fact" if is_past_fact(sent[:pos], mention, aims) else None
