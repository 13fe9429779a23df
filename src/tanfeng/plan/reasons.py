"""Why the extractor is less than sure of a target, or reads a number as no target: each reason has a code.

A reason is its ``code``, the values its text names (``args``) and its English ``text``. Plan files keep the
code and the English text (``reasons: [{code: year_from_period, text: …}]``); the pages write the code through
the message catalogue (context ``plan reason``, one entry per code in Chinese and English), so a Chinese
reviewer reads Chinese. :data:`REASONS` is the list of codes with their English text.

Example
-------
>>> r = reason("comparator_from_word", word="达到")
>>> (r.code, r.args, r.text)
('comparator_from_word', {'word': '达到'}, 'comparator inferred from 达到')
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["REASONS", "Reason", "reason", "reason_from_text"]

REASONS: dict[str, str] = {
    # the indicator
    "indicator_after_value": "indicator read after the value",
    "indicator_after_value_context": "indicator read after the value; '{before}' before it is context",
    "indicator_from_previous_target": "indicator inherited from the previous target in the sentence",
    "indicator_not_found": "indicator phrase not found",
    "values_in_turn": "one of several indicators given values in turn (分别)",
    "value_for_each": "one value for each of several indicators (分别)",
    "several_values": "several values for one indicator",
    "from_table": "read off a row of a table: the value of the target year's column",
    "from_table_by_attribute": "read off a table row without its header: the last cell after 约束性/预期性, no year",
    "value_shared": "one value for each of several indicators named together (均, 各, or no word)",
    "fewer_values_than_indicators": "fewer values than indicators given in turn (分别): paired in order",
    # the year
    "year_from_previous_clause": "year inherited from a previous clause",
    "year_from_earlier_sentence": "year inherited from an earlier sentence",
    "year_from_period": "year taken from the five-year period named (十四五 → 2025, 十五五 → 2030)",
    "years_in_turn": "years given in turn for the values",
    "several_years_last": "several years named; the last taken",
    "no_year": "no target year in the sentence (a standing rule?)",
    "standing_rule_no_year": "a standing rule (原则上, 一律 …) with no year of its own",
    # the comparator, the value and the baseline
    "comparator_from_word": "comparator inferred from {word}",
    "no_comparator": "no comparator word; taken as =",
    "all_as_100": "全部 (every one of them) read as 100 %",
    "chinese_numeral": "value written in Chinese numerals ({written})",
    "doubling_in_words": "{written} read as an increase by {value} %",
    "range_of_change": "a range of change",
    "baseline_from_period": "baseline year {year} inferred from the five-year period",
    "baseline_from_previous_target": "baseline {year} taken from the previous target of the sentence (same change)",
    "no_baseline": "change with no baseline year stated",
    "baseline_assumed": "baseline year {year} assumed (five years before); check it",
    # the scope
    "scope_from_threshold": "scope read from the threshold before the value",
    "scope_is_plan_region": "no scope stated; taken as the plan's region",
    "from_summary_box": "from a summary box that does not repeat earlier text",
    # numbers read as no target (the draft's scopes)
    "scope_threshold": "a threshold that says whom the rule is for",
    "grid_structure": "numbers that describe the grid's structure",
    "count_of_covered": "the count of what is to be covered in full (全覆盖, 全部)",
    "count_of_listed": "a count of the items just listed (等…项)",
    "past_value": "a figure of the past (由…提高到…, a period before the text was written)",
    "past_fact": "a figure of the past: the text tells it as done (已, 了, 累计 or 全年 after its year, an ended period)",
    "count_of_own_parts": "a count of the plan's own parts (its aspects, tasks, measures, sections)",
    "note": "{text}",
}
"""Every reason code with its English text (``{name}`` stands for a value of ``args``)."""


class Reason(BaseModel):
    """One reason: its code, the values its text names, and its text in English."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z0-9_]+$", description="Reason code (see tanfeng.plan.reasons.REASONS)")
    args: dict[str, str | int | float] | None = Field(default=None, description="Values the text names")
    text: str = Field(default="", description="The reason in English (the pages translate the code)")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):  # a plan file written before reasons had codes
            return reason_from_text(data).model_dump(exclude_none=True)
        if isinstance(data, dict) and not data.get("text") and data.get("code") in REASONS:
            return {**data, "text": REASONS[data["code"]].format(**(data.get("args") or {}))}
        return data


def reason(code: str, **args: str | int | float) -> Reason:
    """The reason ``code`` with the values its text names.

    Raises
    ------
    KeyError
        ``code`` is not in :data:`REASONS` (a programming error).
    """
    return Reason(code=code, args=args or None, text=REASONS[code].format(**args))


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for code, template in REASONS.items():
        if code == "note":
            continue
        pieces = re.split(r"\{(\w+)\}", template)
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(pieces))
        out.append((code, re.compile(f"^{regex}$")))
    return out


def reason_from_text(text: str) -> Reason:
    """The reason whose English text is ``text`` (plan files written before reasons had codes); a text that is
    no known reason is kept as it is (code ``note``)."""
    for code, pattern in _patterns():
        m = pattern.match(text)
        if m is not None:
            args = {k: int(v) if v.isdigit() else v for k, v in m.groupdict().items()}
            return Reason(code=code, args=args or None, text=text)
    return Reason(code="note", args={"text": text}, text=text)
