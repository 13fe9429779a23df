"""The extractor on the seed text: a newspaper print of 《内蒙古自治区碳达峰实施方案》 (second half).

Every expected value below was read off the seed text by hand (line numbers in comments).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tanfeng.plan.extract import DraftTarget, PlanDraft, extract_file


@dataclass(frozen=True)
class Expect:
    """One target read off the published text by hand."""

    indicator: str  # a phrase the extracted indicator must contain
    year: int | None
    comparator: str
    value: float
    unit: str
    baseline_year: int | None = None
    qualifier: str | None = None
    value_high: float | None = None
    scope: str | None = None
    aspirational: bool | None = None
    action: str | None = None


def _matches(t: DraftTarget, e: Expect) -> bool:
    return (
        t.indicator is not None
        and e.indicator in t.indicator
        and t.year == e.year
        and t.comparator.value == e.comparator
        and t.value == e.value
        and t.unit == e.unit
        and t.baseline_year == e.baseline_year
        and (e.qualifier is None or t.qualifier == e.qualifier)
        and t.value_high == e.value_high
        and (e.scope is None or t.scope == e.scope)
        and (e.aspirational is None or t.aspirational == e.aspirational)
        and (e.action is None or t.action == e.action)
    )


def check_expected(draft: PlanDraft, expected: list[Expect]) -> list[DraftTarget]:
    """Assert each expected target is found exactly once; return the targets not expected."""
    used: set[str] = set()
    missing = []
    for e in expected:
        hits = [t for t in draft.targets if _matches(t, e) and t.id not in used]
        if not hits:
            missing.append(e)
            continue
        used.add(hits[0].id)
    assert not missing, "not found:\n" + "\n".join(map(str, missing)) + "\nfound:\n" + "\n".join(
        f"{t.id} {t.indicator} {t.year} {t.comparator.value} {t.value} {t.unit} {t.baseline_year} {t.scope}"
        for t in draft.targets
    )
    return [t for t in draft.targets if t.id not in used]

SEED = Path(__file__).parents[2] / "src" / "tanfeng" / "plan" / "plans" / "inner_mongolia_2022.source.txt"

EXPECTED = [
    # (一)2, line 7
    Expect("新型储能装机容量", 2025, "≥", 500, "万千瓦", action="a01"),
    Expect("煤电机组灵活性改造", 2025, "≈", 3000, "万千瓦", action="a01"),
    Expect("抽水蓄能电站装机容量", 2030, "=", 240, "万千瓦", action="a01"),
    Expect("尖峰负荷响应能力", 2030, "≥", 5, "%", action="a01"),
    # (一)3, line 9: a standing rule, no year
    Expect("新建通道可再生电源电量比例", None, "≥", 50, "%", action="a01"),
    # (二)2, line 19
    Expect("煤电机组节能改造", 2025, "=", 3000, "万千瓦", aspirational=True, action="a02"),
    Expect("平均供电煤耗", 2025, "≈", 305, "克标准煤/千瓦时", action="a02"),
    Expect("建筑节能改造面积", 2025, "=", 1000, "万平方米", scope="全区", action="a02"),
    # (四)1, line 45
    Expect("高标准农田", 2025, "=", 5470, "万亩", action="a04"),
    Expect("黑土地保护面积", 2025, "=", 1500, "万亩", action="a04"),
    # (五)1, line 51
    Expect("装配式建筑占当年新建建筑面积比例", 2025, "≈", 30, "%", scope="全区", action="a05"),
    Expect("装配式建筑占当年新建建筑面积比例", 2025, "≈", 40, "%", scope="呼和浩特、包头主城区", action="a05"),
    Expect("装配式建筑占当年新建建筑面积比例", 2030, "≈", 40, "%", scope="全区", action="a05"),
    # (六)1, line 61
    Expect("新能源车占比", 2025, "=", 85, "%", scope="全区", action="a06"),
    Expect("营运车辆单位换算周转碳排放强度", 2025, "decrease_by", 5, "%", baseline_year=2020, action="a06"),
    Expect("营运车辆单位换算周转碳排放强度", 2030, "decrease_by", 10, "%", baseline_year=2020, action="a06"),
    Expect("清洁能源动力的交通工具(不含摩托车)比例", 2025, "≈", 20, "%", action="a06"),
    Expect("清洁能源动力的交通工具(不含摩托车)比例", 2030, "≈", 40, "%", action="a06"),
    # (六)2, line 63
    Expect("公共交通机动化出行分担率", 2025, "=", 20, "%", action="a06"),
    Expect("城区绿色出行分担率", 2025, "=", 65, "%", action="a06"),
    Expect("绿色出行比例", 2030, "≥", 70, "%", scope="城区常住人口100万以上的城市", action="a06"),
    # (七)1, line 69: 全部实施 → 100 %
    Expect("循环化改造", 2030, "=", 100, "%", action="a07"),
    # (七)4, line 77
    Expect("生活垃圾焚烧发电规模", 2025, "≥", 1, "万吨/日", scope="全区", action="a07"),
    Expect("生活垃圾无害化处理率", 2025, "=", 100, "%", scope="旗县级以上城市", action="a07"),
    Expect("再生水回用率", 2025, "≥", 40, "%", scope="全区", action="a07"),
    Expect("生活垃圾焚烧发电规模", 2030, "≥", 1.2, "万吨/日", scope="全区", action="a07"),
    # (九)2, line 95
    Expect("林草生态建设", 2025, "=", 10800, "万亩", action="a09"),
    Expect("沙化土地综合治理面积", 2025, "=", 2650, "万亩", action="a09"),
    Expect("森林覆盖率", 2025, "=", 23.5, "%", action="a09"),
]


@pytest.fixture(scope="module")
def draft() -> PlanDraft:
    return extract_file(SEED, region_code="150000")


def test_all_29_targets_recovered(draft: PlanDraft) -> None:
    assert len(EXPECTED) == 29
    extra = check_expected(draft, EXPECTED)
    # false positives on the seed: none today; allow at most 2 before this test fails
    assert len(extra) <= 2, [(t.id, t.indicator, t.value, t.unit) for t in extra]


def test_no_duplicates_from_reprinted_blocks(draft: PlanDraft) -> None:
    keys = [(t.indicator, t.scope, t.year, t.comparator, t.value, t.unit) for t in draft.targets]
    assert len(keys) == len(set(keys))
    # the second copy of (九)2 (line 143) yields nothing
    assert all(t.line != 143 for t in draft.targets)
    assert {t.line for t in draft.targets} == {7, 9, 19, 45, 51, 61, 63, 69, 77, 95}


def test_twelve_actions_with_their_titles(draft: PlanDraft) -> None:
    assert [a.id for a in draft.actions] == [f"a{n:02d}" for n in range(1, 13)]
    titles = {a.id: a.title for a in draft.actions}
    assert titles["a01"] is None  # its heading is on the previous (missing) page
    assert draft.actions[0].inferred
    assert titles["a02"] == "节能降碳增效行动"
    assert titles["a11"] == "梯次有序碳达峰行动"
    assert titles["a12"] == "碳达峰碳中和试点示范建设行动"


def test_measures_rehomed_and_joined(draft: PlanDraft) -> None:
    by_id = {m.id: m for m in draft.measures}
    # (十二)'s own items come after twenty reprinted blocks (lines 227, 229)
    assert by_id["a12.m1"].title == "全面开展碳达峰碳中和试点建设"
    assert by_id["a12.m2"].title == "加强碳达峰典型经验宣传"
    assert by_id["a11.m1"].title == "科学合理确定碳达峰目标"
    # (九)2 is split by a page break in the middle of 保护工程 (lines 93/95)
    assert "湿地和野生动植物保护工程。深入推进大规模国土绿化行动" in by_id["a09.m2"].text
    assert [m.number for m in draft.measures if m.action == "a01"] == [2, 3, 4, 5]
    assert [p.title for p in draft.parts] == ["政策保障", "组织实施"]
    assert [m.title for m in draft.measures if m.part == "p3" and m.action is None] == [
        "建立健全统计核算体系和标准", "完善财税价格金融政策", "建立健全市场化机制"]
    assert len([m for m in draft.measures if m.part == "p4" and m.action is None]) == 4


def test_dropped_blocks_reported(draft: PlanDraft) -> None:
    text = "\n".join(draft.warnings)
    assert "(十三)梯次有序碳达峰行动 repeats action (十一)" in text
    assert "(二十二)梯次有序碳达峰行动 repeats action (十一)" in text
    assert "summary-box item '►加大大宗固废综合利用" in text
    assert "part '五、政策保障' repeats an earlier part" in text
    assert "line 143: paragraph '程。深入推进大规模国土绿化行动" in text


def test_offsets_point_into_the_file(draft: PlanDraft) -> None:
    raw = SEED.read_text(encoding="utf-8")
    for t in draft.targets:
        span = raw[t.start:t.end]
        assert t.match_text in span
        assert raw.count("\n", 0, t.start) + 1 == t.line
        assert span.replace("\n", "") == t.source_text
    t = next(t for t in draft.targets if t.value == 305)
    assert t.source_text == ("有序推进现役煤电机组节能改造,到2025年力争完成煤电机组节能改造3000万千瓦,"
                             "煤电机组平均供电煤耗达到305克标准煤/千瓦时左右。")


def test_scope_code_and_glossary(draft: PlanDraft) -> None:
    t = next(t for t in draft.targets if t.value == 10800)
    assert t.scope is None
    assert t.scope_code == "150000"
    sub = next(t for t in draft.targets if t.scope == "呼和浩特、包头主城区")
    assert sub.scope_code is None
    assert next(t for t in draft.targets if t.value == 23.5).indicator_id == "forest_coverage"
    assert all(0 < t.confidence <= 1 for t in draft.targets)
    # 到2025年,全区生活垃圾焚烧发电规模达到1万吨/日以上: year, scope, comparator all explicit
    explicit = next(t for t in draft.targets if t.value == 1 and t.unit == "万吨/日")
    assert explicit.reasons == []
    third = next(t for t in draft.targets if t.indicator == "再生水回用率")  # same sentence, third target
    assert "year_from_previous_clause" in [r.code for r in third.reasons]
    standing = next(t for t in draft.targets if t.year is None)
    assert "no_year" in [r.code for r in standing.reasons]
    assert standing.confidence < explicit.confidence
    inherited = next(t for t in draft.targets if t.scope == "呼和浩特、包头主城区")
    assert "indicator_from_previous_target" in [r.code for r in inherited.reasons]
