"""The extractor's reasons have codes: kept in the draft file (code and English), translated on the pages."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tanfeng.plan.draft import draft_plan, plan_yaml
from tanfeng.plan.extract import extract_text
from tanfeng.plan.loader import load_plan
from tanfeng.plan.model import Target
from tanfeng.plan.reasons import REASONS, Reason, reason, reason_from_text
from tanfeng.web.i18n import pgettext, reason_text

TEXT = "到2025年,新型储能装机达到300万千瓦。\n“十四五”期间,单位地区生产总值能耗下降14%。\n"


def test_every_reason_of_a_draft_has_a_code_and_its_english_text(tmp_path: Path) -> None:
    draft = extract_text(TEXT, region_code="440000")
    reasons = [r for t in draft.targets for r in t.reasons]
    assert {r.code for r in reasons} >= {"comparator_from_word", "year_from_period", "baseline_from_period"}
    assert all(r.code in REASONS for r in reasons)
    storage = draft.targets[0]
    assert [(r.code, r.args, r.text) for r in storage.reasons] == [
        ("comparator_from_word", {"word": "达到"}, "comparator inferred from 达到"),
        ("scope_is_plan_region", None, "no scope stated; taken as the plan's region")]
    plan = draft_plan(draft, plan_id="gd", title="示例方案", region="440000")
    out = tmp_path / "gd.yaml"
    out.write_text(plan_yaml(plan), encoding="utf-8")
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["targets"][0]["reasons"] == [
        {"code": "comparator_from_word", "args": {"word": "达到"}, "text": "comparator inferred from 达到"},
        {"code": "scope_is_plan_region", "text": "no scope stated; taken as the plan's region"}]
    assert load_plan(out).targets[1].reasons == plan.targets[1].reasons


def test_a_file_with_english_reasons_only_still_loads_with_codes() -> None:
    # a draft written before reasons had codes: each English text is read back to its code and values
    t = Target.model_validate({
        "id": "x.t1", "indicator": "能耗", "indicator_id": "energy_intensity", "scope": "440000", "year": 2025,
        "comparator": "decrease_by", "value": 14, "unit": "%", "baseline_year": 2020, "source_text": "…",
        "source": {"document": "示例"},
        "reasons": ["baseline year 2020 inferred from the five-year period", "a remark of a reviewer"]})
    assert [(r.code, r.args) for r in t.reasons] == [("baseline_from_period", {"year": 2020}),
                                                    ("note", {"text": "a remark of a reviewer"})]
    assert reason_from_text("comparator inferred from 达到") == reason("comparator_from_word", word="达到")


def test_every_code_is_in_the_catalogue_in_chinese_and_english() -> None:
    for code, english in REASONS.items():
        zh = pgettext("zh", "plan reason", code)
        en = pgettext("en", "plan reason", code)
        assert en == english, code
        assert zh != code, code
        assert re.findall(r"\{(\w+)\}", zh) == re.findall(r"\{(\w+)\}", english), code
        if code != "note":
            assert re.search(r"[\u4e00-\u9fff]", zh), code


def test_a_reason_is_written_in_the_reader_s_language() -> None:
    r = reason("baseline_from_period", year=2020)
    assert reason_text("zh", r) == "基准年2020年由五年规划期推断"
    assert reason_text("en", r) == "baseline year 2020 inferred from the five-year period"
    # a code the catalogue does not know keeps its English text
    assert reason_text("zh", Reason(code="unknown_code", text="something else")) == "something else"
