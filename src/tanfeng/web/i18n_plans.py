"""Labels of the plan pages (several plans, the review page), Chinese first; merged into :data:`i18n.LABELS`."""

from __future__ import annotations

from typing import Literal

__all__ = ["PLAN_LABELS"]

PLAN_LABELS: dict[str, dict[Literal["zh", "en"], str]] = {
    "plan_filter": {"zh": "实施方案", "en": "Plan"},
    "all_plans": {"zh": "全部方案", "en": "All plans"},
    "apply": {"zh": "筛选", "en": "Apply"},
    "unreviewed": {"zh": "未审核", "en": "unreviewed"},
    "reviewed": {"zh": "已审核", "en": "reviewed"},
    "restates": {"zh": "承接上级目标", "en": "restates the higher plan's target"},
    "review_title": {"zh": "审核方案", "en": "Review the plan"},
    "review_help": {"zh": "左侧为原文，已识别的目标高亮显示；右侧逐项接受、更正或删除，选中原文中的句子可补充遗漏的目标。",
                    "en": "The text is on the left with each target highlighted; accept, correct or reject each "
                          "target on the right, and select a sentence in the text to add a missed one."},
    "review_accept": {"zh": "接受", "en": "Accept"},
    "review_correct": {"zh": "更正", "en": "Correct"},
    "review_reject": {"zh": "删除", "en": "Reject"},
    "review_add": {"zh": "补充选中句子中的目标", "en": "Add a target from the selected sentence"},
    "review_save": {"zh": "保存审核版本", "en": "Save the reviewed version"},
    "review_saved": {"zh": "已保存审核版本", "en": "Reviewed version saved"},
    "confidence": {"zh": "置信度", "en": "Confidence"},
    "comparator": {"zh": "比较", "en": "Comparator"},
    "value": {"zh": "数值", "en": "Value"},
    "unit": {"zh": "单位", "en": "Unit"},
    "sentence": {"zh": "句子", "en": "Sentence"},
    "version": {"zh": "版本", "en": "Version"},
    "status_plan": {"zh": "状态", "en": "Status"},
}
