"""Target forms beyond "value + unit": 全部… (100 %), unitless values, and the guards that keep scope out.

- ``到2030年,…园区全部实施循环化改造``: with a year, 全部 (or 全覆盖) says every one of them, a 100 % target;
  a count before it (``实现11个设区市…全覆盖``) says how many are covered, and is no target.
- ``电能利用效率(PUE)降到1.3以下``: a value with no unit, read only right after a comparator word.
- ``产值分别过千亿元``: a value written in Chinese numerals after a comparator word.
- A clause that describes the grid's structure (``“三横四纵”主网架``, ``环网``) states no target.
- A clause that states a standing rule (原则上, 一律, 不得 …) keeps no year borrowed from another clause.
- ``由31%提高到35%``: the value a change starts from is a figure of the past; so is a value for a year before
  the text was written (:func:`written_after`), e.g. what “十三五”期间 achieved in a plan of 2022.
- ``等12项重点任务``: a count of the items just listed is no target; nor is a count of the plan's own parts
  (``从7个方面提出28项任务措施``, ``本方案提出10项重点任务``).
- ``比2020年翻一番``: a doubling in words is an increase by 100 % (翻两番: by 300 %).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tanfeng.plan._extract_lexicon import ENTITY_NOUNS, PRE_TO_WORDS
from tanfeng.plan.reasons import Reason

__all__ = [
    "ALL_RE",
    "BASELINE_RE",
    "COUNT_UNITS",
    "COVER_RE",
    "SHARED_HEADS",
    "STANDING_MARKERS",
    "ChineseValue",
    "Doubling",
    "RawScope",
    "UnitlessValue",
    "all_of_each",
    "baseline_year",
    "chinese_values",
    "distribute",
    "doubling_base",
    "doublings",
    "in_order",
    "is_from_value",
    "is_listed_count",
    "is_own_parts_count",
    "is_scope_qualifier",
    "is_standing_rule",
    "is_structure_clause",
    "one_value_each",
    "scope_phrase",
    "series_values",
    "unitless_values",
    "written_after",
]

ALL_RE = re.compile(r"(?<![不未非])(?:全部(?!门|分|地区)|全覆盖)")
"""全部 as "every one of them" (not 全部门 'all departments', not 不全部), and 全覆盖 (every one covered)."""

COUNT_UNITS = ("个", "万个", "座", "家", "处", "条", "辆", "万辆", "项", "户", "万户")
"""Units that count things: a count right before the things it counts (10个园区) says how many."""

COVER_RE = re.compile(r"全部|全覆盖|(?<![人平])均|一律|必须|不得|原则上")
"""Words after a count that make it the number of those a rule covers (3个园区全部…), not a goal."""

_FROM_RE = re.compile(r"(?:提高|增加|增长|提升|上升|扩大|下降|降低|减少|压减)[了]?(?:到|至)")


def is_from_value(s: str, start: int, end: int) -> bool:
    """Whether the value at ``s[start:end]`` is where a change starts (``由8700万亩增加到9901万亩``)."""
    return s[max(0, start - 1):start] in ("由", "从") and _FROM_RE.match(s, end) is not None


def is_listed_count(s: str, start: int, unit: str) -> bool:
    """Whether a count counts the items just listed (``…等12项重点任务``)."""
    return unit in COUNT_UNITS and s[max(0, start - 1):start] == "等"


_PART_NOUN_RE = re.compile(r"(?:个)?(?:大)?(?:方面|部分|章|篇|板块)")
_TASK_NOUN_RE = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:任务|措施|举措|行动|政策|工作|工程|条款|要点|内容|指标)")
_DOC_WORD_RE = re.compile(r"提出|安排|部署|包括|包含|明确|涵盖|分为|细化|列出|梳理|共有|共列|方案|规划(?!建|布局)|意见|"
                          r"纲要|通知|实施细则|行动计划")


def is_own_parts_count(s: str, start: int, end: int, unit: str) -> bool:
    """Whether a count counts the plan's own parts: aspects, sections (``从7个方面``, ``共分为5个部分``), or the
    tasks and measures it sets out (``提出28项任务措施``, ``本方案部署10项重点工程``)."""
    if unit not in ("个", "项", "条", "章", "篇"):
        return False
    if _PART_NOUN_RE.match(s, end) or (unit == "个" and s.startswith("方面", end)):
        return True
    noun = _TASK_NOUN_RE.match(s, end)
    if noun is None or re.search(r"[,;:。]", s[end: noun.end()]):
        return False
    clause = re.split(r"[,;:。]", s[:start])[-1]
    return _DOC_WORD_RE.search(clause) is not None


@dataclass(frozen=True)
class Doubling:
    """A doubling in words (``翻一番``, ``翻两番``, ``翻番``): where it stands and the increase it means, in %."""

    start: int
    end: int
    value: float
    written: str


BASELINE_RE = re.compile(
    r"(?:比|较|相比|与)[ ]?(?:(?P<b>(?:19|20)\d{2})[ ]?年|[“\"']?(?P<p>十[一二三四五六]五)[”\"']?(?:期)?末)"
    r"(?:相比)?(?:,)?(?:分别|均)?(?:累计)?$")
"""The baseline of a change at the end of the text before its value: 比2020年, 较2005年相比, 比“十三五”末 (the
period's last year)."""
_PERIOD_END = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030, "十六五": 2035}


def baseline_year(m: re.Match[str]) -> int:
    """The year of a baseline matched by :data:`BASELINE_RE` (or a pattern with a group ``b``)."""
    period = m.groupdict().get("p")
    return _PERIOD_END[period] if period else int(m.group("b"))
_BASE_OF_RE = re.compile(r"在(?P<b>(?:19|20)\d{2})年(?:的)?基础上(?:再)?$")


def doubling_base(pre: str) -> tuple[str, int | None]:
    """The text before a doubling in words (比2020年翻一番, 在2020年基础上实现翻一番): the indicator's words and
    the baseline year, if named."""
    rest = re.sub(r"(?:基本|力争|争取|确保|再|将|要|实现|分别|均)+$", "", pre.rstrip())
    base = BASELINE_RE.search(rest) or _BASE_OF_RE.search(rest)
    return (rest, None) if base is None else (rest[: base.start()], baseline_year(base))


_DOUBLING_RE = re.compile(r"(?<!不)翻(?:(?P<n>[一二两三四])番|番)")


def doublings(s: str) -> list[Doubling]:
    """The doublings in words of ``s``: 翻一番 → an increase by 100 %, 翻两番 → 300 % (four times the base)."""
    out = []
    for m in _DOUBLING_RE.finditer(s):
        n = _CN_DIGIT[m.group("n")] if m.group("n") else 1
        out.append(Doubling(m.start(), m.end(), float(2 ** n - 1) * 100, m.group(0)))
    return out


_DATE_ALONE = re.compile(
    r"^[ \t(（]*(?:(?:日期|发布时间|发布日期|印发日期|成文日期|时间)[:：][ ]*)?"
    r"(?P<y>(?:19|20)\d{2})(?:[ ]?年\d{1,2}月(?:\d{1,2}日)?|-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2})[ \t)）]*(?:[ \t]+\S.*)?$",
    re.M)
"""A date on a line of its own (2021年12月, 2021年12月3日), or after a page's 日期: / 发布时间: (2021-05-21)."""
_DATE_ISSUED = re.compile(r"(?P<y>(?:19|20)\d{2})[ ]?年\d{1,2}月\d{1,2}日[^。\n]{0,40}?(?:印发|发布|公布|出台)")
_BASE_YEAR = re.compile(r"(?:比|较)[ ]?(?P<y>(?:19|20)\d{2})[ ]?年")


def written_after(text: str) -> int | None:
    """The earliest year the text can have been written in, from the text itself: the date it was issued
    (a date alone on its line, or a date followed by 印发/发布), and the year after a baseline it names
    (比2020年 → written in 2021 or later). None when the text says neither."""
    years = [int(m.group("y")) for rx in (_DATE_ALONE, _DATE_ISSUED) for m in rx.finditer(text)]
    years += [int(m.group("y")) + 1 for m in _BASE_YEAR.finditer(text)]
    return max(years) if years else None


_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_POWER = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN_VALUE_RE = re.compile(
    r"(?P<pre>超过|突破|达到|过|超|逾|达)(?P<n>[一二两三四五六七八九]?[十百千万])"
    r"(?P<unit>亿元|亿千瓦时|亿千瓦|万千瓦|亿吨|万吨|亿立方米|万辆)(?P<tail>以上|左右)?(?!级)"
)


@dataclass(frozen=True)
class ChineseValue:
    """A value in Chinese numerals after a comparator word (``过千亿元`` → > 1000 亿元): where it starts (at the
    comparator word), ends, the value, unit, comparator and the numerals as written."""

    start: int
    end: int
    value_end: int
    value: float
    unit: str
    comparator: str
    written: str


def chinese_values(s: str) -> list[ChineseValue]:
    """Values of ``s`` written with Chinese numerals after 过/超过/突破/达到 (千亿元, 两千万吨, 百万千瓦)."""
    out: list[ChineseValue] = []
    for m in _CN_VALUE_RE.finditer(s):
        n = m.group("n")
        value = float(_CN_DIGIT.get(n[0], 1) * _CN_POWER[n[-1]])
        tail = m.group("tail")
        comparator = {"以上": "≥", "左右": "≈"}.get(tail or "") or (
            "=" if m.group("pre") in ("达到", "达") else ">")
        out.append(ChineseValue(m.start(), m.end(), m.end("unit"), value, m.group("unit"), comparator,
                                n + m.group("unit")))
    return out

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


_BARE_RE = re.compile(r"(?<![\d.A-Za-z%第])(?P<v>\d+(?:\.\d+)?)(?![\d.])")


def series_values(s: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, float, str]]:
    """Bare numbers listed with values that have a unit (``分别达到15、20万千瓦``, ``分别不低于4.62万吨、0.32``):
    each takes the unit of the value next to it in the list. ``spans``: (start, end, unit) of the values with a
    unit. Returns (start, end, value, unit) in text order."""
    out: list[tuple[int, int, float, str]] = []
    known = sorted(spans)
    changed = True
    while changed:
        changed = False
        for m in _BARE_RE.finditer(s):
            a, b = m.start(), m.end()
            if any(x <= a < y for x, y, _ in known) or 1900 <= float(m.group("v")) <= 2100:
                continue
            nxt = s[b: b + 1]
            after = next((u for x, _, u in known if x == b + 1), None) if nxt in ("、", "和") else None
            before = next((u for _, y, u in known if y == a - 1 and s[y: a] in ("、", "和")), None)
            if after is None and before is None:
                continue
            if after is None and nxt and "\u4e00" <= nxt <= "\u9fff" and nxt not in "和及":
                continue  # 0.32个 … : a word of its own follows, not the list's unit
            if after is not None and not (a > 0 and ("\u4e00" <= s[a - 1] <= "\u9fff" or s[a - 1] in "、")):
                continue  # 1、20万千瓦 at the head of a line: a list number
            unit = after if after is not None else before
            assert unit is not None
            out.append((a, b, float(m.group("v")), unit))
            known = sorted([*known, (a, b, unit)])
            changed = True
    return sorted(out)


def is_structure_clause(clause: str, previous: str = "") -> bool:
    """Whether a clause describes the grid's structure (its numbers count lines and rings, not goals); a clause
    that goes on to say what the structure named in the ``previous`` clause is made of counts too."""
    if _STRUCTURE_RE.search(clause) is not None:
        return True
    return bool(previous) and _STRUCTURE_RE.search(previous) is not None and re.search(r"构成|组成", clause) is not None


_SIZE_OF_ENTITY = re.compile(r"^[\u4e00-\u9fff]{0,6}?(?:" + "|".join(ENTITY_NOUNS) + r")")
_GROUP_HEADS = ("行业", "企业", "园区", "领域", "城市", "县", "地区", "单位", "项目", "机组", "车辆")


def all_of_each(indicator: str, at: int) -> list[str] | None:
    """``钢铁及煤电行业全部完成超低排放改造``: 全部 (at ``at`` in ``indicator``) said of several groups named together
    is said of each (钢铁行业…, 煤电行业…). None: one group."""
    if at <= 0 or (indicator.find("全部", at) != at and not indicator[at:].startswith("全覆盖")):
        return None
    before, after = indicator[:at], indicator[at:]
    head = next((h for h in _GROUP_HEADS if before.endswith(h)), None)
    items = re.split(r"、|和|及|与", before[: len(before) - len(head)]) if head else []
    if len(items) < 2 or not all(re.fullmatch(r"(?!以[上下])[\u4e00-\u9fff]{1,8}(?<!级)", x) for x in items) or any(
            x.endswith(_GROUP_HEADS) for x in items):  # 重点行业和重点企业: groups of two kinds, not one head
        return None
    return [x + (head or "") + after for x in items]


_ENTITY_THEN_VERB = re.compile(
    r"^[\u4e00-\u9fff]{0,8}?(?:" + "|".join(ENTITY_NOUNS) + r")"
    r"(?:全部|均|要|应|须|必须|实现|完成|开展|实施|不得|将|基本|率先|全面|一律|原则上)"
)


def is_scope_qualifier(s: str, start: int, end: int, tail: str | None, stop: int) -> bool:
    """``100万以上的城市``, ``1万吨标准煤以上的重点用能单位全部…``: the number says whom a rule is for."""
    rest = s[end: stop]
    if not tail and not rest.startswith("的"):
        return False
    phrase = re.split(r"[,;:。]|达到|不低于|不高于|不超过|下降|提高|比", rest.lstrip("的"), maxsplit=1)[0]
    if not phrase:
        return False
    if any(phrase.endswith(noun) for noun in ENTITY_NOUNS) and len(phrase) <= 12:
        return True
    before = s[max(0, start - 3): start]
    if (rest.startswith("的") and tail in ("以上", "及以上", "以下", "及以下")
            and not any(before.endswith(w) for w in PRE_TO_WORDS) and any(n in phrase[:12] for n in ENTITY_NOUNS)):
        return True  # 1万吨标准煤以上的重点用能单位能效达标率…: the units are the scope of what follows
    if (tail in ("以上", "及以上", "以下", "及以下") and not rest.startswith("的")
            and not any(before.endswith(w) for w in PRE_TO_WORDS) and _SIZE_OF_ENTITY.match(phrase)):
        return True  # 8兆瓦及以上大容量机组规模化应用: a size that says which units
    m = _ENTITY_THEN_VERB.match(phrase)
    return m is not None


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


SHARED_HEADS = ("生产综合能耗", "排放总量", "排放量", "减排量", "消费比重", "比重", "比例", "占比", "综合能耗", "能耗",
                "综合利用率", "利用率", "覆盖率", "装机容量", "装机规模", "装机", "产能", "排放强度", "强度", "产值", "产量", "利用量",
                "水平")
"""Heads an enumeration of indicators shares (A、B、C排放总量: each one's 排放总量)."""
_UNIT_PREFIX_RE = re.compile(r"^单位(?:国内|地区)?生产总值")


def distribute(indicator: str, n: int) -> list[str] | None:
    """``A、B、C排放总量`` with three values: the indicator of each value."""
    items = [x for x in re.split(r"、|和|及|与", indicator) if x]
    if len(items) != n:
        return None
    last = items[-1]
    if "等" in last:
        name, _, head = last.partition("等")
        items[-1] = name
    elif (group := _short_kinds_head(items)) is not None:
        head = last[group:]  # 钢铁、水泥、平板玻璃行业能效标杆水平以上产能比例: 行业… is each one's
        items[-1] = last[:group]
    else:
        head = next((h for h in SHARED_HEADS if last.endswith(h) and len(last) > len(h)), "")
        if head:
            items[-1] = last[: -len(head)]
    prefix = ""
    m = _UNIT_PREFIX_RE.match(items[0])
    if m:
        prefix = m.group(0)
    elif items[0].startswith("单位"):
        prefix = "单位"
    out = []
    for i, item in enumerate(items):
        x = item
        if prefix and i > 0 and not x.startswith(prefix):
            x = prefix + x
        if head and not x.endswith(head) and not (i < len(items) - 1 and x.endswith(_OWN_HEADS)):
            x = x + head  # (单位建筑面积能耗和人均综合能耗: the first has a head of its own)
        out.append(x)
    return out


_OWN_HEADS = ("能耗", "排放量", "排放总量", "比重", "占比", "强度")


def _short_kinds_head(items: list[str]) -> int | None:
    """Where the shared head of the last item starts when the items before it are short names of kinds (钢铁、水泥)
    and the last item's name is followed by a word of a group (行业, 企业, 领域, 园区); None otherwise."""
    if not all(2 <= len(x) <= 4 for x in items[:-1]):
        return None
    m = re.search(r"(?:行业|企业|领域|园区)", items[-1])
    return m.start() if m is not None and 2 <= m.start() <= 6 else None


_EACH_RE = re.compile(
    r"(?:分别|(?<![人平年])均|(?<![每])各(?![类地级种项个省市县区方自界]))"
    r"(?:(?:比|较|与)(?:19|20)\d{2}年(?:相比)?,?)?[\u4e00-\u9fff]{0,4}$"
)
"""分别 / 均 / 各 before one value (after a baseline, 分别较2010年下降): the value is each indicator's."""
_HEAD_RE = re.compile(r"(?:消耗|能耗|排放|比重|占比|强度|率|量|产值|规模|容量|水平|指数|面积|总量)$")
"""How an indicator's name ends (能源消耗, 二氧化碳排放水平, 化学需氧量): a name that can stand alone."""


def one_value_each(before: str, indicator: str | None, n_values: int) -> tuple[list[str], bool] | None:
    """One value given to several indicators: with 分别, 均 or 各 (``光伏制造业、储能制造业产值分别过千亿元``,
    ``A和B排放量均达到0.3千克以下``), or named together when each name can stand alone
    (``能源消耗和二氧化碳排放水平下降10%``). Returns each indicator and whether a word (分别, 均, 各) said so."""
    if n_values != 1 or not indicator:
        return None
    items = [x for x in re.split(r"、|和|及|与", indicator) if x]
    if len(items) < 2:
        return None
    marked = _EACH_RE.search(before.rstrip()) is not None
    if not marked and not _named_together(items):
        return None
    each = distribute(indicator, len(items))
    return (each, marked) if each is not None else None


def _named_together(items: list[str]) -> bool:
    """Whether the names of an enumeration can each stand alone with the head the last one ends with (能源消耗 和
    二氧化碳排放 + 水平), so that the enumeration names several indicators rather than qualifies one
    (超低能耗、近零能耗建筑面积: kinds of 建筑, one area)."""
    last = items[-1]
    head = next((h for h in SHARED_HEADS if last.endswith(h) and len(last) > len(h)), "")
    names = [*items[:-1], last[: len(last) - len(head)]]
    return bool(head) and not any("等" in x for x in items) and all(len(x) >= 3 and _HEAD_RE.search(x) for x in names)


def in_order(indicator: str, n_values: int, before: str) -> list[str] | None:
    """``A、B、C、D分别不低于4.62万吨、0.32``: fewer values than indicators given in turn (分别): the values are
    the first indicators', in order; None when the clause does not say 分别 or the values are not fewer."""
    items = [x for x in re.split(r"、|和|及|与", indicator) if x]
    if "分别" not in before or not 1 < n_values < len(items):
        return None
    each = distribute(indicator, len(items))
    return each[:n_values] if each is not None else None
