"""Find quantified targets in a run of plan text (one measure, or one paragraph)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import cast

from tanfeng.plan._extract_clause import LEAD_STRIP as _LEAD_STRIP
from tanfeng.plan._extract_clause import clean_indicator as _clean_indicator
from tanfeng.plan._extract_clause import split_comparator as _split_comparator
from tanfeng.plan._extract_lexicon import (
    ENTITY_NOUNS,
    TAIL_COMPARATOR,
    TAIL_RE,
    UNIT_STOP_AFTER,
    VALUE_RE,
)
from tanfeng.plan._extract_past import Aims, past_reason
from tanfeng.plan._extract_patterns import (
    ALL_RE,
    COUNT_UNITS,
    COVER_RE,
    RawScope,
    all_of_each,
    chinese_values,
    distribute,
    doublings,
    in_order,
    is_from_value,
    is_listed_count,
    is_own_parts_count,
    is_scope_qualifier,
    is_standing_rule,
    is_structure_clause,
    one_value_each,
    scope_phrase,
    series_values,
    unitless_values,
)
from tanfeng.plan._extract_years import YearMention, strip_year_phrases, years_in
from tanfeng.plan.reasons import Reason, reason

__all__ = ["RawTarget", "find_targets"]

_SENTENCE_END = "。!?\n"
_CLAUSE_BOUNDARY = ",;:"
_COUNT_UNITS = COUNT_UNITS


@dataclass
class RawTarget:
    """A target as found, with offsets into the segment string."""

    value: float
    value_high: float | None
    unit: str
    comparator: str
    qualifier: str | None
    baseline_year: int | None
    year: int | None
    indicator: str | None
    scope: str | None
    aspirational: bool
    sent_start: int
    sent_end: int
    match_start: int
    match_end: int
    confidence: float
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class _Mention:
    start: int
    end: int  # after tail
    unit_end: int
    v1: float
    v2: float | None
    unit: str
    tail: str | None
    approx_prefix: bool
    comparator: str | None = None  # fixed by the words of a value in Chinese numerals (过千亿元 → >)
    written: str | None = None  # the Chinese numerals as written
    doubling: bool = False  # 翻一番: an increase by the value (in %)


def _num(s: str) -> float:
    return float(s)


def _mentions(s: str) -> list[_Mention]:
    out: list[_Mention] = []
    for m in VALUE_RE.finditer(s):
        unit = m.group("unit")
        after = s[m.end(): m.end() + 2]
        if any(after.startswith(stop) for stop in UNIT_STOP_AFTER.get(unit, ())):
            continue
        if s[max(0, m.start() - 1): m.start()] == "第" or s[max(0, m.start() - 2): m.start()] == "年产":
            continue  # an ordinal, or a project's output capacity
        if re.search(r"\d[ ]?[×xX*][ ]?$", s[max(0, m.start() - 3): m.start()]):
            continue  # 3×200MW机组: the rating of each of several units
        v2 = m.group("v2")
        u1 = m.group("u1")
        if v2 is not None and u1 and u1 not in ("%", "万", "亿") and u1 != unit:
            continue
        t = TAIL_RE.match(s, m.end())
        tail = t.group("tail") if t else None
        end = t.end() if t else m.end()
        approx = s[max(0, m.start() - 1): m.start()] == "约"
        out.append(_Mention(m.start(), end, m.end(), _num(m.group("v1")), _num(v2) if v2 else None, unit, tail,
                            approx))
    for a, b, value, unit in series_values(s, [(x.start, x.unit_end, x.unit) for x in out]):
        t = TAIL_RE.match(s, b)
        out.append(_Mention(a, t.end() if t else b, b, value, None, unit, t.group("tail") if t else None, False))
    for u in unitless_values(s, [(x.start, x.end) for x in out]):
        out.append(_Mention(u.start, u.end, u.value_end, u.value, None, "", u.tail, False))
    for c in chinese_values(s):
        if not any(x.start <= c.start < x.end for x in out):
            out.append(_Mention(c.start, c.end, c.value_end, c.value, None, c.unit, None, False,
                                comparator=c.comparator, written=c.written))
    for d in doublings(s):
        t = TAIL_RE.match(s, d.end)
        out.append(_Mention(d.start, t.end() if t else d.end, d.end, d.value, None, "%", t.group("tail") if t else None,
                            False, written=d.written, doubling=True))
    out.sort(key=lambda x: x.start)
    return out


def _clause_start(s: str, pos: int, floor: int) -> int:
    i = pos
    while i > floor and s[i - 1] not in _CLAUSE_BOUNDARY and s[i - 1] not in _SENTENCE_END:
        i -= 1
    return i


def find_targets(s: str, *, in_summary: bool = False, scopes: list[RawScope] | None = None,
                 as_of: int | None = None, aims: Aims | None = None) -> list[RawTarget]:
    """Find the quantified targets in ``s`` (a normalised run of text).

    Parameters
    ----------
    s
        Normalised text of one measure or paragraph.
    in_summary
        The text is a summary-box item (lower confidence).
    scopes
        A list that receives the numbers read as no target (thresholds that say whom a rule is for, the grid's
        structure, counts of what is covered or listed, figures of the past).
    as_of
        The year the text was written: a value for an earlier year is a figure of the past (None: not known).
    aims
        What the whole text aims at (到2025年, “十四五”): a five-year period that ended before is past.

    Returns
    -------
    list[RawTarget]
        In text order, with offsets into ``s``.
    """
    results: list[RawTarget] = []
    carried: YearMention | None = None
    pos = 0
    n = len(s)
    while pos < n:
        end = pos
        while end < n and s[end] not in _SENTENCE_END:
            end += 1
        sent_end = end + 1 if end < n and s[end] != "\n" else end
        if end > pos:
            results.extend(_sentence_targets(s, pos, sent_end, in_summary, carried,
                                             scopes if scopes is not None else [], (as_of, aims)))
            ys = years_in(s[pos:sent_end])
            if ys:
                carried = ys[-1]
        pos = end + 1
    return results


@dataclass
class _Doubts:
    """Why a target is less than certain: the reasons, and the confidence left (from 0.95)."""

    reasons: list[Reason] = field(default_factory=list)
    confidence: float = 0.95

    def note(self, code: str, cost: float = 0.0, **args: str | int | float) -> None:
        """Record the reason ``code`` (with the values its text names) and take ``cost`` off the confidence."""
        self.reasons.append(reason(code, **args))
        self.confidence -= cost

    def copy(self) -> _Doubts:
        return _Doubts(list(self.reasons), self.confidence)


@dataclass(frozen=True)
class _Clause:
    """What the text before a group of values says: indicator, scope, comparator word and years."""

    indicator: str | None
    scope: str | None
    aspirational: bool
    kind: str | None
    level_comp: str | None
    baseline: int | None
    word: str
    year: int | None
    year_list: list[int] | None
    period_base: int | None
    year_aim: bool
    each: tuple[list[str], bool] | None = None
    """One value for each of these indicators (``光伏、储能制造业产值分别过千亿元``), and whether a word said so."""
    turn: list[str] | None = None
    """Fewer values than indicators given in turn: the indicators of the values, in order."""


def _sentence_targets(s: str, a: int, b: int, in_summary: bool, carried: YearMention | None,
                      scopes: list[RawScope], when: tuple[int | None, Aims | None] = (None, None)) -> list[RawTarget]:
    """The targets of the sentence ``s[a:b]``; ``carried`` is the last year named in an earlier sentence.
    Numbers that are no target (thresholds, the grid's structure, counts of what is covered or listed, figures
    of the past: see :func:`past_reason`, ``when`` is when the text was written and what it aims at) go to ``scopes``."""
    while a < b and s[a] in " \t\r":
        a += 1
    sent = s[a:b]
    mentions = _mentions(sent)
    if not mentions and not ALL_RE.search(sent):
        return []
    years = years_in(sent)
    out: list[RawTarget] = []
    prev_end, prev_indicator, prev_clause = 0, cast("str | None", None), cast("_Clause | None", None)
    clause_scope: dict[int, str] = {}  # clause start → the scope its threshold defines
    covered: set[int] = set()  # starts of counts of what 全部/全覆盖 covers

    def no_target(why: str, text: str, start: int, end: int) -> None:
        if not scopes or (scopes[-1].sent_start, scopes[-1].text) != (a, text):
            scopes.append(RawScope(text=text, reason=reason(why), sent_start=a, sent_end=b, match_start=a + start,
                                   match_end=a + end))

    i = 0
    while i < len(mentions):
        men = mentions[i]
        group = _value_group(sent, mentions, i, prev_end)
        boundary_stop = next((k for k in range(group[-1].end, len(sent)) if sent[k] in _CLAUSE_BOUNDARY), len(sent))
        cstart0 = _clause_start(sent, men.start, 0)
        scope_of = _scope_reason(sent, group, cstart0, boundary_stop)
        if scope_of is not None:
            why, phrase, scope_end = scope_of
            if phrase is not None:
                clause_scope[cstart0] = phrase
            if why == "count_of_covered":
                covered.add(men.start)
            if why == "past_value":  # 由X提高到Y: Y is a value of what stands before 由
                prev_indicator = _clean_indicator(_split_comparator(sent[max(cstart0, prev_end): men.start - 1])[0])[0] \
                    or prev_indicator
            no_target(why, phrase or sent[cstart0:boundary_stop], men.start, group[-1].end)
            prev_end = max(group[-1].end, scope_end)
            i += len(group)
            continue
        cstart = max(cstart0, prev_end)
        rest, kind, level_comp, baseline, word = _split_comparator(sent[cstart: men.start], doubling=men.doubling)
        doubts = _Doubts()
        phrase, scope, aim = _clean_indicator(rest)
        if scope is None and cstart0 in clause_scope:
            scope = clause_scope[cstart0]
            doubts.note("scope_from_threshold")
        indicator = _indicator(phrase, scope, sent[group[-1].end: boundary_stop], kind=kind, level_comp=level_comp,
                               word=word, unit=group[-1].unit, prev_indicator=prev_indicator, doubts=doubts)
        standing = is_standing_rule(sent[cstart0:boundary_stop])
        year, year_list, period_base, year_aim = _target_year(years, mentions, men, carried, doubts,
                                                              standing_from=cstart0 if standing else None)
        past = past_reason(sent, men.start, max(year_list) if year_list else year, years, carried, when)
        if past is not None:
            no_target(past, sent[cstart0:boundary_stop], men.start, group[-1].end)
            prev_indicator, prev_end, i = indicator, group[-1].end, i + len(group)
            continue
        clause = _Clause(indicator=indicator, scope=scope, aspirational=aim, kind=kind, level_comp=level_comp,
                         baseline=baseline, word=word, year=year, year_list=year_list, period_base=period_base,
                         year_aim=year_aim, each=one_value_each(sent[cstart:men.start], indicator, len(group)),
                         turn=in_order(indicator or "", len(group), sent[cstart:men.start]))
        clause = _aspired_change(clause, prev_clause, phrase, group, doubts)
        out.extend(_group_targets(group, clause, doubts, in_summary=in_summary, sent_start=a, sent_end=b))
        prev_clause, prev_indicator = clause, clause.indicator
        prev_end = group[-1].end
        i += len(group)
    for t in _all_targets(sent, a, b, years, [x for x in mentions if x.start not in covered], carried,
                          in_summary=in_summary):
        past = past_reason(sent, t.match_start - a, t.year, years, carried, when)
        if past is not None:
            no_target(past, sent[_clause_start(sent, t.match_start - a, 0):t.match_end - a],
                      t.match_start - a, t.match_end - a)
        else:
            out.append(t)
    out.sort(key=lambda t: t.match_start)
    return out


def _aspired_change(clause: _Clause, prev: _Clause | None, phrase: str, group: list[_Mention],
                    doubts: _Doubts) -> _Clause:
    """``比2020年下降13%,力争完成14.5%的激励目标``: a value the text strives for, with no words of its own before it,
    right after a change is a second, aspirational value of that change (same indicator, kind and baseline); so is
    ``…下降14.5%,力争下降15%``, a change of the same kind with no indicator nor baseline of its own."""
    if (prev is not None and not phrase and clause.kind is not None and clause.kind == prev.kind
            and clause.baseline is None and prev.baseline is not None and clause.indicator == prev.indicator):
        doubts.note("baseline_from_previous_target", 0.05, year=prev.baseline)
        return replace(clause, baseline=prev.baseline)
    if (prev is None or prev.kind not in ("decrease", "increase") or not clause.aspirational or phrase
            or clause.kind not in (None, "level") or clause.level_comp is not None or len(group) != 1
            or group[0].unit != "%" or not (clause.indicator or "目标").endswith(("目标", "任务"))):
        return clause  # (…力争达到25%的非化石能源消费比重: a value of its own indicator)
    doubts.note("indicator_from_previous_target", 0.1)
    return replace(clause, indicator=prev.indicator, kind=prev.kind, baseline=prev.baseline,
                   period_base=prev.period_base)


def _scope_reason(sent: str, group: list[_Mention], cstart: int, stop: int) -> tuple[str, str | None, int] | None:
    """Why a group of values is scope rather than a target (a reason code), the scope phrase and where it ends;
    None: a target."""
    prev = sent[_clause_start(sent, cstart - 1, 0): cstart] if cstart > 0 else ""
    if is_structure_clause(sent[cstart:stop], prev):
        return "grid_structure", None, group[-1].end
    men = group[0]
    if len(group) == 1 and is_listed_count(sent, men.start, men.unit):
        return "count_of_listed", None, men.end
    if len(group) == 1 and is_own_parts_count(sent, men.start, men.unit_end, men.unit):
        return "count_of_own_parts", None, men.end
    if len(group) == 1 and is_from_value(sent, men.start, men.end):
        return "past_value", None, men.end
    if len(group) == 1 and men.unit in COUNT_UNITS and not sent[men.end:stop].startswith("的"):
        # a count of things (10个园区): how many are to be made, unless it counts those a rule covers in full
        return ("count_of_covered", None, men.end) if COVER_RE.search(sent[men.end:stop]) else None
    if len(group) == 1 and is_scope_qualifier(sent, men.start, men.end, men.tail, stop):
        phrase, end = scope_phrase(sent, cstart, men.end, stop, ENTITY_NOUNS)
        phrase = _LEAD_STRIP.sub("", strip_year_phrases(phrase))
        return "scope_threshold", phrase or None, end
    return None


def _all_targets(sent: str, a: int, b: int, years: list[YearMention], mentions: list[_Mention],
                 carried: YearMention | None, *, in_summary: bool) -> list[RawTarget]:
    """``到2030年,…园区全部实施循环化改造``: with a year in the sentence (or an earlier one), 全部 or 全覆盖 is a
    100 % target. ``mentions``: the values that are no count of what is covered."""
    out: list[RawTarget] = []
    for m in ALL_RE.finditer(sent):
        cstart = _clause_start(sent, m.start(), 0)
        stop = next((k for k in range(m.end(), len(sent)) if sent[k] in _CLAUSE_BOUNDARY + _SENTENCE_END), len(sent))
        clause = sent[cstart:stop]
        ym = [y for y in years if y.start < m.start()]
        if (not ym and carried is None) or is_structure_clause(clause) or is_standing_rule(clause):
            continue
        if any(cstart <= x.start < stop for x in mentions):
            continue  # the clause states its own value, or its threshold makes it a rule for whom it names
        doubts = _Doubts()
        doubts.note("all_as_100", 0.1)
        indicator, scope, aim = _clean_indicator(clause)
        if ym:
            last = ym[-1]
            if last.start < cstart:
                doubts.note("year_from_previous_clause", 0.05)
        else:
            assert carried is not None
            last = carried
            doubts.note("year_from_earlier_sentence", 0.1)
        if in_summary:
            doubts.note("from_summary_box", 0.2)
        names = all_of_each(indicator, m.start() - cstart - (len(clause) - len(indicator)))
        for name in names or [indicator]:
            own = doubts.copy()
            if names:
                own.note("value_for_each")
            out.append(RawTarget(
                value=100.0, value_high=None, unit="%", comparator="=", qualifier=None, baseline_year=None,
                year=last.years[-1], indicator=name or None, scope=scope, aspirational=aim or last.aspirational,
                sent_start=a, sent_end=b, match_start=a + m.start(), match_end=a + m.end(),
                confidence=round(max(0.05, min(1.0, own.confidence)), 2), reasons=own.reasons,
            ))
    return out


def _value_group(sent: str, mentions: list[_Mention], i: int, prev_end: int) -> list[_Mention]:
    """Mention ``i`` and the ones listed right after it that share its indicator: 8%、8%、10%以上 / 20%和25%
    (after a comma only when the clause says 分别)."""
    men = mentions[i]
    group = [men]
    j = i + 1
    while j < len(mentions) and re.fullmatch(r"\s*(?:、|和|及|与|,)?\s*", sent[group[-1].end: mentions[j].start]):
        if sent[group[-1].end: mentions[j].start].strip() == "," and "分别" not in sent[prev_end: men.start]:
            break
        group.append(mentions[j])
        j += 1
    return group


def _indicator(indicator: str | None, scope: str | None, after: str, *, kind: str | None, level_comp: str | None,
               word: str, unit: str, prev_indicator: str | None, doubts: _Doubts) -> str | None:
    """The indicator of a group of values: the phrase before them, one read after them (的…, a counted noun),
    or the previous target's in the sentence."""
    post_indicator = None
    m_after = re.match(r"^的([\u4e00-\u9fffA-Za-z0-9、()“”]{2,30}?)(?=$|[,;:。]|达到|比)", after)
    if m_after and kind in (None, "level") and level_comp is None and word in ("", "完成", "具备", "实现", "建成",
                                                                                    "新增", "培育", "建设"):
        post_indicator = m_after.group(1)
    elif (kind in (None, "level") and level_comp is None and unit in _COUNT_UNITS
          and (m_count := re.match(r"^([\u4e00-\u9fff]{2,24})(?=$|[,;:。])", after))):
        post_indicator = m_count.group(1)
    elif (not indicator or len(indicator) < 2) and kind in (None, "level"):
        m_noun = re.match(r"^的?([\u4e00-\u9fff0-9.]{2,30})(?=$|[,;:。、])", after)
        if m_noun:
            post_indicator = (word if word in ("新增", "培育", "建成", "建设", "创建", "打造") else "") + m_noun.group(1)
    if post_indicator:
        if indicator and not scope:
            doubts.note("indicator_after_value_context", 0.05, before=indicator)
        else:
            doubts.note("indicator_after_value", 0.05)
        indicator = post_indicator
    if not indicator or len(indicator) < 2:
        if prev_indicator:
            doubts.note("indicator_from_previous_target", 0.1)
            return prev_indicator
        doubts.note("indicator_not_found", 0.4)
        return None
    return indicator


def _target_year(years: list[YearMention], mentions: list[_Mention], men: _Mention, carried: YearMention | None,
                 doubts: _Doubts, *, standing_from: int | None = None
                 ) -> tuple[int | None, list[int] | None, int | None, bool]:
    """The year of a value (or years given in turn), the five-year period's base year, and whether the
    year is aspirational (力争): from the last year before it, else one carried from an earlier sentence.
    A standing rule (``standing_from``: its clause's start) takes no year from outside its clause."""
    ym = [y for y in years if y.start < men.start]
    if standing_from is not None and (not ym or ym[-1].start < standing_from):
        doubts.note("standing_rule_no_year", 0.05)
        return None, None, None, False
    if ym:
        last = ym[-1]
        if any(last.start < m.start < men.start for m in mentions):
            doubts.note("year_from_previous_clause", 0.05)
        if last.period:
            doubts.note("year_from_period", 0.05)
        return (last.years[0] if len(last.years) == 1 else None, last.years if len(last.years) > 1 else None,
                last.baseline, last.aspirational)
    if carried is not None:
        doubts.note("year_from_earlier_sentence", 0.1)
        return carried.years[-1], None, carried.baseline, carried.aspirational
    doubts.note("no_year", 0.1)
    return None, None, None, False


def _comparator(g: _Mention, clause: _Clause, doubts: _Doubts) -> tuple[str, str | None, int | None]:
    """A value's comparator, its qualifier (约, 以上 …) and, for a change, the baseline year."""
    base = clause.baseline
    if clause.kind in ("decrease", "increase"):
        qualifier = TAIL_COMPARATOR.get(g.tail or "") or ("≈" if g.approx_prefix else None)
        if base is None and clause.period_base is not None:
            base = clause.period_base
            doubts.note("baseline_from_period", 0.05, year=base)
        elif base is None:
            doubts.note("no_baseline", 0.15)
        return ("decrease_by" if clause.kind == "decrease" else "increase_by"), qualifier, base
    if g.comparator is not None:
        return g.comparator, None, base
    if g.v2 is not None:
        return "between", None, base
    if g.tail:
        return TAIL_COMPARATOR[g.tail], None, base
    if clause.level_comp:
        return clause.level_comp, None, base
    if g.approx_prefix:
        return "≈", None, base
    if clause.word:
        doubts.note("comparator_from_word", 0.02, word=clause.word)
    else:
        doubts.note("no_comparator", 0.1)
    return "=", None, base


def _group_targets(group: list[_Mention], clause: _Clause, doubts: _Doubts, *, in_summary: bool, sent_start: int,
                   sent_end: int) -> list[RawTarget]:
    """One target per value of a group, each with its own copy of the clause's doubts (one per indicator when the
    clause gives one value to each of several)."""
    if clause.each and len(group) == 1:
        out: list[RawTarget] = []
        for one in clause.each[0]:
            each = doubts.copy()
            each.note("value_for_each" if clause.each[1] else "value_shared", 0.0 if clause.each[1] else 0.05)
            out.extend(_group_targets(group, replace(clause, indicator=one, each=None), each, in_summary=in_summary,
                                      sent_start=sent_start, sent_end=sent_end))
        return out
    out = []
    for k, g in enumerate(group):
        own = doubts.copy()
        comp, qualifier, base = _comparator(g, clause, own)
        if g.doubling:
            own.note("doubling_in_words", 0.05, written=g.written or "", value=int(g.v1))
        elif g.written is not None:
            own.note("chinese_numeral", 0.05, written=g.written)
        ind = clause.indicator
        if len(group) > 1:
            dist = distribute(clause.indicator or "", len(group)) if clause.indicator else None
            if dist is not None:
                ind = dist[k]
                own.note("values_in_turn")
            elif clause.turn is not None:
                ind = clause.turn[k]
                own.note("fewer_values_than_indicators", 0.2)
            else:
                own.note("several_values", 0.2)
        gyear = clause.year
        if clause.year_list is not None:
            if len(clause.year_list) == len(group):
                gyear = clause.year_list[k]
                own.note("years_in_turn")
            else:
                gyear = clause.year_list[-1]
                own.note("several_years_last", 0.2)
        if in_summary:
            own.note("from_summary_box", 0.2)
        value, high = g.v1, g.v2
        if high is not None and high < value:
            value, high = high, value
        if high is not None and comp != "between":
            own.note("range_of_change")
        out.append(RawTarget(
            value=value, value_high=high, unit=g.unit, comparator=comp,
            qualifier=qualifier, baseline_year=base if comp in ("decrease_by", "increase_by") else None,
            year=gyear, indicator=ind, scope=clause.scope, aspirational=clause.aspirational or clause.year_aim,
            sent_start=sent_start, sent_end=sent_end, match_start=sent_start + g.start, match_end=sent_start + g.end,
            confidence=round(max(0.05, min(1.0, own.confidence)), 2), reasons=own.reasons,
        ))
    return out
