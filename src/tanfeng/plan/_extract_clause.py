"""What the words before a value say: the comparator word (and a change's baseline), the indicator and its scope."""

from __future__ import annotations

import re

from tanfeng.plan._extract_lexicon import (
    DECREASE_WORDS,
    INCREASE_WORDS,
    PRE_LEVEL_WORDS,
    PRE_TO_WORDS,
    REGION_WORDS,
)
from tanfeng.plan._extract_patterns import BASELINE_RE, baseline_year, doubling_base
from tanfeng.plan._extract_years import strip_year_phrases

__all__ = ["LEAD_STRIP", "clean_indicator", "split_comparator"]

LEAD_STRIP = re.compile(r"^(?:[、,和及与并且而]|以及|其中|同时|此外|另外|并|且|使|确保|力争|争取|基本|全面|进一步)+")
_LEAD_VERBS = ("完成", "实施", "建成", "推动", "实现", "开展", "推广", "培育", "创建", "打造", "形成", "确保", "具备",
               "保持", "达到")
_VERB_ONLY = ("建设", "推广", "培育", "创建", "打造", "新增", "建成", "完成", "累计", "实现", "具备")
_SCOPE_PATTERNS = (
    re.compile(r"^.{0,12}?\d+(?:\.\d+)?(?:万|亿)?人?(?:及)?以上的(?:城市|地区|县城|县|城镇)"),
    re.compile(r"^[\u4e00-\u9fff]{1,6}级(?:及)?以上城市"),
    re.compile(r"^(?:地级及以上城市|县级及以上城市|设区的市|各盟市|各地市)"),
    re.compile(r"^[\u4e00-\u9fff、]{2,24}?(?:主城区|中心城区|市辖区)"),
)


def split_comparator(pre: str, *, doubling: bool = False) -> tuple[str, str | None, str | None, int | None, str]:
    """Cut the comparator words off the end of ``pre`` (the text before a value; before a doubling in words when
    ``doubling``).

    Returns (rest, kind, level_comparator, baseline_year, word) where kind is "level", "decrease",
    "increase" or None.
    """
    if doubling:
        rest, baseline = doubling_base(pre)
        return rest, "increase", None, baseline, ""
    p = pre.rstrip()
    p = re.sub(r"(?:约|大约)$", "", p)
    per_year = re.sub(r"(?:每年度|每年|年均)$", "", p)
    if per_year != p and any(per_year.endswith(word) for word, _ in PRE_LEVEL_WORDS):
        p = per_year  # 不低于每年20%的累计进度要求: the comparator is before the year's word
    if each_new := re.search(r"(?:(?<!每)各|均|分别)新增$", p):
        return p[: each_new.start()], "increase", None, None, each_new.group(0)  # 风、光各新增10GW: an increase each
    for word, comp in PRE_LEVEL_WORDS:
        if p.endswith(word):
            return p[: -len(word)], "level", comp, None, word
    for word in PRE_TO_WORDS:
        if p.endswith(word):
            rest = p[: -len(word)]
            if word in _VERB_ONLY and clean_indicator(rest)[0]:
                continue
            if rest.endswith("约"):
                return rest[:-1], "level", "≈", None, "约" + word
            if word in ("达到", "为") and rest.endswith(("下降幅度", "降幅", "下降率", "降低幅度")):
                cut = "降幅" if rest.endswith("降幅") else rest[-4:] if rest.endswith("幅度") else rest[-3:]
                return rest[: -len(cut)], "decrease", None, None, cut + word
            base = BASELINE_RE.search(rest)
            if base and word in ("下降至", "下降到", "降低至", "降低到", "降至", "降到"):
                rest = rest[: base.start()]
            return rest, "level", None, None, word
    for words, kind in ((DECREASE_WORDS, "decrease"), (INCREASE_WORDS, "increase")):
        for word in words:
            for suffix in ("幅度达到", "幅度", "了", ""):
                w = word + suffix
                if p.endswith(w):
                    rest = p[: -len(w)]
                    rest = re.sub(r"(?:分别|均|(?<!每)各|累计|年均)$", "", rest)
                    base = BASELINE_RE.search(rest)
                    baseline = None
                    if base:
                        baseline = baseline_year(base)
                        rest = rest[: base.start()]
                    return rest, kind, None, baseline, w
    return p, None, None, None, ""


def clean_indicator(text: str) -> tuple[str, str | None, bool]:
    """Strip years, connectors and a scope phrase off an indicator phrase. Returns (indicator, scope, aim)."""
    aim = "力争" in text or "争取" in text
    t = strip_year_phrases(text)
    t = t.replace("力争", "").replace("争取", "")
    t = re.sub(r"(?:分别|均|(?<!每)各|原则上|累计|将)+$", "", t.strip())
    t = LEAD_STRIP.sub("", t.strip())
    scope: str | None = None
    for word in REGION_WORDS:
        if t.startswith(word) and t[len(word): len(word) + 1] != "级":
            scope = word
            t = t[len(word):]
            break
    if scope is None:
        for pat in _SCOPE_PATTERNS:
            m = pat.match(t)
            if m and len(t) > m.end():
                scope = m.group(0)
                t = t[m.end():]
                break
            if m and len(t) == m.end():
                scope = m.group(0)
                t = ""
                break
    t = LEAD_STRIP.sub("", t)
    for verb in _LEAD_VERBS:
        if t.startswith(verb) and len(t) - len(verb) >= 2 and t[len(verb)] not in "和、及与":
            t = t[len(verb):]
            break
    t = t.strip(" ,、")
    return t, scope, aim
