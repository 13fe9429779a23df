"""A draft as a plan file, and a person's review of it (accept, correct, reject, add)."""

from __future__ import annotations

import pytest

from tanfeng.errors import PlanFileError
from tanfeng.plan.draft import apply_review, draft_plan
from tanfeng.plan.extract import extract_text
from tanfeng.plan.model import Plan

TEXT = ("到2025年,新型储能装机达到300万千瓦,非化石能源消费比重达到20%左右。\n"
        "到2030年,省级以上重点产业园区全部实施循环化改造。\n"
        "到2030年,抽水蓄能电站装机容量达到400万千瓦。\n")


@pytest.fixture
def draft() -> Plan:
    return draft_plan(extract_text(TEXT, region_code="440000"), plan_id="gd", title="示例方案", region="440000",
                      source_file="gd.source.txt", text=TEXT)


def test_draft_is_unreviewed_with_confidence_and_spans(draft: Plan) -> None:
    assert draft.status == "unreviewed"
    assert [(t.year, t.value, t.unit) for t in draft.targets] == [
        (2025, 300, "万千瓦"), (2025, 20, "%"), (2030, 100, "%"), (2030, 400, "万千瓦")]
    for t in draft.targets:
        assert t.confidence is not None
        assert t.source.start is not None
        assert TEXT[t.source.start:t.source.end] == t.source_text
        assert t.scope == "440000"


def test_review_accepts_corrects_rejects_and_adds(draft: Plan) -> None:
    ids = [t.id for t in draft.targets]
    reviewed = apply_review(draft, {
        "accept": [ids[0]],
        "correct": {ids[1]: {"comparator": "≥", "value": 21}},
        "reject": [ids[2]],
        "add": [{"sentence": "到2030年,抽水蓄能电站装机容量达到400万千瓦。", "indicator": "抽水蓄能电站装机容量",
                 "year": 2030, "comparator": "=", "value": 400, "unit": "万千瓦", "id": "gd.added.t1"}],
    }, text=TEXT)
    assert reviewed.status == "reviewed"
    got = [(t.id, t.review, t.comparator.value, t.value) for t in reviewed.targets]
    assert got == [(ids[0], "accepted", "=", 300), (ids[1], "corrected", "≥", 21),
                   (ids[3], "accepted", "=", 400), ("gd.added.t1", "added", "=", 400)]
    added = reviewed.targets[-1]
    assert added.source.line == 3
    assert added.source.start == TEXT.index("到2030年,抽水")


def test_review_names_the_field_it_refuses(draft: Plan) -> None:
    with pytest.raises(PlanFileError) as exc:
        apply_review(draft, {"reject": ["gd.nope"]}, where="review.yaml")
    assert exc.value.location is not None
    assert exc.value.location.field == "reject.gd.nope"
    with pytest.raises(PlanFileError) as exc:
        apply_review(draft, {"correct": {draft.targets[0].id: {"comparator": "about"}}}, where="review.yaml")
    assert exc.value.location is not None
    assert exc.value.location.field == f"correct.{draft.targets[0].id}.comparator"
    with pytest.raises(PlanFileError):
        apply_review(draft, {"add": [{"indicator": "x", "value": 1}]})
    with pytest.raises(PlanFileError):
        apply_review(draft, {"approve": []})
