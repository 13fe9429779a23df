"""Interface labels, Chinese first with English available (``?lang=en``, remembered in a cookie)."""

from __future__ import annotations

from typing import Literal

from tanfeng.web.i18n_plans import PLAN_LABELS

__all__ = ["COMPARATOR_TEXT", "LABELS", "Lang", "format_target", "pick_lang", "translator"]

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
    # tracking pages (双控 · 预警)
    "overview": {"zh": "双控总览", "en": "Dual-control overview"},
    "board": {"zh": "目标看板", "en": "Target board"},
    "sample_data": {"zh": "示例数据", "en": "sample data"},
    "sample_notice": {"zh": "示例数据:本页含示例数据(tanfeng 示例生成器),非官方统计。",
                      "en": "示例数据 — this page shows sample data (tanfeng sample generator), not official statistics."},
    "headline": {"zh": "主要指标", "en": "Headline indicators"},
    "value": {"zh": "数值", "en": "Value"},
    "unit": {"zh": "单位", "en": "Unit"},
    "target_2025": {"zh": "2025年目标", "en": "2025 target"},
    "target_2030": {"zh": "2030年目标", "en": "2030 target"},
    "status": {"zh": "状态", "en": "Status"},
    "progress": {"zh": "进度", "en": "Progress"},
    "progress_formula": {"zh": "进度 = (实际值 − 基期值) / (目标值 − 基期值)",
                         "en": "progress = (actual − baseline) / (target − baseline)"},
    "required_formula": {"zh": "进度要求 = (路径要求值 − 基期值) / (目标值 − 基期值)",
                         "en": "required progress = (value the path requires − baseline) / (target − baseline)"},
    "trend": {"zh": "走势", "en": "Trend"},
    "status_on_track": {"zh": "进度正常", "en": "on track"},
    "status_behind": {"zh": "进度滞后", "en": "behind"},
    "status_achieved": {"zh": "已完成", "en": "achieved"},
    "status_missed": {"zh": "未完成", "en": "missed"},
    "status_no_data": {"zh": "无数据", "en": "no data"},
    "status_no_path": {"zh": "长期目标", "en": "standing"},
    "warnings": {"zh": "预警", "en": "Warnings"},
    "warning_counts": {"zh": "各级预警盟市数 (单位GDP能耗变化率, 不含自治区本级)",
                       "en": "Leagues at each warning level (energy intensity change; the region itself not counted)"},
    "level_1": {"zh": "一级预警", "en": "Level 1 (red)"},
    "level_2": {"zh": "二级预警", "en": "Level 2 (yellow)"},
    "level_3": {"zh": "三级预警", "en": "Level 3 (green)"},
    "league_map": {"zh": "盟市分布图", "en": "League map"},
    "colour_by": {"zh": "着色依据", "en": "Colour by"},
    "warning_level": {"zh": "预警等级", "en": "Warning level"},
    "click_league": {"zh": "点击盟市查看详情", "en": "Click a league to drill down"},
    "league": {"zh": "盟市", "en": "League"},
    "leagues": {"zh": "盟市", "en": "Leagues"},
    "counties": {"zh": "旗县区", "en": "Counties"},
    "region": {"zh": "地区", "en": "Region"},
    "download_xlsx": {"zh": "下载Excel", "en": "Download Excel"},
    "download_png": {"zh": "下载图片", "en": "Download PNG"},
    "rules_applied": {"zh": "适用的政策规则", "en": "Policy rules applied"},
    "rules_skipped": {"zh": "未适用的规则", "en": "Rules not applied"},
    "no_data_here": {"zh": "暂无该地区的指标数据", "en": "No indicator data for this region"},
    "required": {"zh": "进度要求", "en": "Required"},
    "actual": {"zh": "实际", "en": "Actual"},
    "intensity_change": {"zh": "能耗强度变化", "en": "Intensity change"},
    "total_growth": {"zh": "能耗总量增速", "en": "Energy growth"},
    "carbon_change": {"zh": "碳排放强度变化", "en": "Carbon-intensity change"},
    "consequences": {"zh": "后果", "en": "Consequences"},
    "dispatch": {"zh": "调度", "en": "Dispatch"},
    "dispatch_periods": {"zh": "调度期", "en": "Dispatch periods"},
    "dispatch_period": {"zh": "调度期", "en": "Dispatch period"},
    "period_open": {"zh": "进行中", "en": "open"},
    "period_closed": {"zh": "已关闭", "en": "closed"},
    "due_date": {"zh": "截止日期", "en": "Due date"},
    "reported_units": {"zh": "已报送单位", "en": "Units reported"},
    "missing_units": {"zh": "未报送单位", "en": "Units missing"},
    "open_period": {"zh": "开启调度期", "en": "Open a period"},
    "period_id": {"zh": "调度期编号", "en": "Period"},
    "close_period": {"zh": "关闭", "en": "Close"},
    "no_periods": {"zh": "尚无调度期", "en": "No dispatch period yet"},
    "entries": {"zh": "报送情况", "en": "Entries"},
    "no_entries": {"zh": "尚无报送", "en": "No entries yet"},
    "responsible_unit": {"zh": "责任单位", "en": "Responsible unit"},
    "item": {"zh": "目标或举措", "en": "Target or measure"},
    "actual_value": {"zh": "实际值", "en": "Actual value"},
    "value_unit": {"zh": "单位", "en": "Unit"},
    "measure_status": {"zh": "举措进展", "en": "Measure status"},
    "evidence": {"zh": "佐证材料", "en": "Evidence"},
    "as_of": {"zh": "截至日期", "en": "As of"},
    "entered_by": {"zh": "录入人", "en": "Entered by"},
    "entered_at": {"zh": "录入时间", "en": "Entered at"},
    "version": {"zh": "版本", "en": "Version"},
    "history": {"zh": "历史", "en": "History"},
    "submit_entry": {"zh": "报送", "en": "Submit"},
    "submit_for_unit": {"zh": "本单位报送", "en": "Report for your unit"},
    "read_only": {"zh": "只读: 登录盟市、旗县区或部门账号后可报送本单位情况", "en": "Read-only: log in as a league, county or department to report for your unit"},
    "not_reported": {"zh": "未报送", "en": "Not reported"},
    "all_reported": {"zh": "全部单位已报送", "en": "Every unit has reported"},
    "choose": {"zh": "请选择", "en": "Choose"},
    "targets_group": {"zh": "目标 (填写实际值与单位)", "en": "Targets (actual value and unit)"},
    "measures_group": {"zh": "举措 (填写进展)", "en": "Measures (status)"},
    "measure_not_started": {"zh": "未开始", "en": "not started"},
    "measure_in_progress": {"zh": "推进中", "en": "in progress"},
    "measure_done": {"zh": "已完成", "en": "done"},
    "measure_blocked": {"zh": "受阻", "en": "blocked"},
    "notice_opened": {"zh": "调度期已开启", "en": "The period is open"},
    "notice_closed": {"zh": "调度期已关闭", "en": "The period is closed"},
    "notice_submitted": {"zh": "已报送, 已记录新版本", "en": "Submitted; a new version is recorded"},
    # dispatch workflow (issue 10 item 5)
    "notice_reminded": {"zh": "已催报, 该单位首页将显示提醒", "en": "Reminder sent; the unit sees it on its page"},
    "expected_units": {"zh": "应报单位", "en": "Units expected"},
    "overdue": {"zh": "逾期", "en": "overdue"},
    "overdue_units": {"zh": "逾期单位", "en": "Units overdue"},
    "departments_expected": {"zh": "应报部门", "en": "Departments expected"},
    "departments_hint": {"zh": "每行一个, 如 自治区能源局; 留空则只有盟市报送", "en": "One per line, e.g. 自治区能源局; empty: leagues only"},
    "download_report_pdf": {"zh": "下载调度报告 (PDF)", "en": "Download the report (PDF)"},
    "download_report_xlsx": {"zh": "下载调度报告 (Excel)", "en": "Download the report (Excel)"},
    "remind": {"zh": "催报", "en": "Remind"},
    "reminded_at": {"zh": "已催报", "en": "Reminded"},
    "unit_progress": {"zh": "报送情况", "en": "Who has reported"},
    "reported_all": {"zh": "已报齐", "en": "complete"},
    "not_reported_all": {"zh": "未报齐", "en": "incomplete"},
    "sub_entries": {"zh": "下属旗县区报送", "en": "County sub-entries"},
    "attachments": {"zh": "附件", "en": "Attachments"},
    "attachment_hint": {"zh": "PDF、图片、Excel、Word、CSV, 每个不超过 10 MB, 最多 5 个",
                        "en": "PDF, image, Excel, Word, CSV; at most 10 MB each, 5 files"},
    "confirm_close": {"zh": "确认关闭调度期", "en": "Confirm closing the period"},
    "confirm_close_note": {"zh": "关闭后不再接受报送。以下单位尚未报齐:", "en": "After closing, no entry is accepted. These units have not reported everything:"},
    "confirm_close_all": {"zh": "关闭后不再接受报送。所有应报单位均已报齐。", "en": "After closing, no entry is accepted. Every expected unit has reported."},
    "cancel": {"zh": "取消", "en": "Cancel"},
    "counts_only": {"zh": "公众仅可查看报送数量; 登录后可查看本单位的报送内容", "en": "The public sees counts only; log in to see your unit's entries"},
    "late_entry": {"zh": "逾期报送", "en": "late"},
    "owes": {"zh": "应报内容", "en": "What it owes"},
    "changes_since": {"zh": "上次调度以来的变化", "en": "Changes since the last dispatch period"},
    "changes_since_note": {"zh": "自调度期开启以来录入的指标值和调度报送", "en": "Indicator values and dispatch entries entered since the period was opened"},
    "no_changes": {"zh": "自上次调度期开启以来没有新的录入", "en": "Nothing entered since the last dispatch period was opened"},
    "no_period_yet": {"zh": "尚未开启调度期", "en": "No dispatch period has been opened yet"},
    "change_what": {"zh": "内容", "en": "What"},
    "old_new": {"zh": "原值 → 新值", "en": "Old → new"},
    "kind_indicator_value": {"zh": "指标值", "en": "Indicator value"},
    "kind_dispatch_entry": {"zh": "调度报送", "en": "Dispatch entry"},
}
LABELS.update({k: v for k, v in PLAN_LABELS.items() if k not in LABELS})

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
