"""Interface labels, Chinese first with English available (``?lang=en``, remembered in a cookie)."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]

LABELS: dict[str, dict[Lang, str]] = {
    "app_name": {"zh": "碳峰 · 碳达峰实施方案管理平台", "en": "tanfeng · carbon-peak plan platform"},
    "plan": {"zh": "实施方案", "en": "Plan"},
    "actions": {"zh": "重点任务", "en": "Actions"},
    "measures": {"zh": "举措", "en": "Measures"},
    "targets": {"zh": "量化目标", "en": "Quantified targets"},
    "main_targets": {"zh": "主要目标", "en": "Main targets"},
    "policy_support": {"zh": "政策保障", "en": "Policy support"},
    "implementation": {"zh": "组织实施", "en": "Implementation"},
    "action": {"zh": "行动", "en": "Action"},
    "year": {"zh": "年份", "en": "Year"},
    "scope": {"zh": "范围", "en": "Scope"},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "target": {"zh": "目标值", "en": "Target"},
    "baseline": {"zh": "基准年", "en": "Baseline"},
    "source": {"zh": "原文", "en": "Source"},
    "all": {"zh": "全部", "en": "All"},
    "no_year": {"zh": "长期", "en": "standing"},
    "search": {"zh": "搜索指标", "en": "Search indicators"},
    "shown": {"zh": "显示", "en": "Shown"},
    "of": {"zh": "共", "en": "of"},
    "certainty": {"zh": "可信度", "en": "Certainty"},
    "certainty_P": {"zh": "原文", "en": "primary"},
    "certainty_S": {"zh": "二手来源", "en": "secondary"},
    "certainty_R": {"zh": "待核实", "en": "to verify"},
    "aspirational": {"zh": "力争", "en": "aspirational"},
    "source_sentence": {"zh": "原文出处", "en": "Source sentence"},
    "document": {"zh": "文件", "en": "Document"},
    "line": {"zh": "行", "en": "Line"},
    "back": {"zh": "返回", "en": "Back"},
    "regions": {"zh": "行政区划", "en": "Regions"},
    "not_in_print": {"zh": "本版面未刊载原文", "en": "text not in this print"},
    "api_docs": {"zh": "接口文档", "en": "API docs"},
    "switch_lang": {"zh": "English", "en": "中文"},
    "download_csv": {"zh": "下载CSV", "en": "Download CSV"},
    "count_actions": {"zh": "项行动", "en": "actions"},
    "count_measures": {"zh": "条举措", "en": "measures"},
    "count_targets": {"zh": "个量化目标", "en": "quantified targets"},
}

COMPARATOR_TEXT: dict[str, dict[Lang, str]] = {
    "≥": {"zh": "不低于", "en": "at least"},
    "≤": {"zh": "不高于", "en": "at most"},
    ">": {"zh": "超过", "en": "more than"},
    "<": {"zh": "低于", "en": "less than"},
    "=": {"zh": "达到", "en": "reach"},
    "≈": {"zh": "左右", "en": "about"},
    "between": {"zh": "区间", "en": "between"},
    "decrease_by": {"zh": "下降", "en": "decrease by"},
    "increase_by": {"zh": "提高", "en": "increase by"},
}


def pick_lang(query: str | None, cookie: str | None) -> Lang:
    """The language asked for by ``?lang=``, else the cookie, else Chinese."""
    for candidate in (query, cookie):
        if candidate in ("zh", "en"):
            return candidate  # type: ignore[return-value]
    return "zh"


def translator(lang: Lang) -> dict[str, str]:
    """All labels in one language, for templates."""
    return {key: texts[lang] for key, texts in LABELS.items()}


def format_target(comparator: str, value: float, unit: str, *, value_high: float | None = None,
                  baseline_year: int | None = None, qualifier: str | None = None, lang: Lang = "zh") -> str:
    """A target as a person reads it: ``≥ 500 万千瓦``, ``比2020年下降 5%``, ``30%左右``."""
    v = f"{value:g}"
    if comparator == "between" and value_high is not None:
        return f"{v}–{value_high:g} {unit}".strip()
    if comparator in ("decrease_by", "increase_by"):
        verb = COMPARATOR_TEXT[comparator][lang]
        q = {"≥": "以上", "≈": "左右", "≤": "以内"}.get(qualifier or "", "") if lang == "zh" else (
            {"≥": " or more", "≈": " approx.", "≤": " at most"}.get(qualifier or "", ""))
        if lang == "zh":
            return f"比{baseline_year}年{verb}{v}{unit}{q}"
        return f"{verb} {v}{unit}{q} vs {baseline_year}"
    if lang == "zh":
        zh = {"≥": f"{v}{unit}以上", "≤": f"{v}{unit}以下", ">": f"超过{v}{unit}", "<": f"低于{v}{unit}",
              "=": f"{v}{unit}", "≈": f"{v}{unit}左右"}
        return zh.get(comparator, f"{comparator} {v}{unit}")
    return f"{comparator} {v} {unit}".strip()
