"""Phrase forms the extractor must read, one sentence each.

These sentences are the forms listed for the extractor (下降至75%以下, 控制在…以内, ranges 10%—15% …),
written into whole sentences; the published texts in ``texts/`` and the seed cover the same forms in
context where a plan uses them.
"""

from __future__ import annotations

import pytest

from tanfeng.plan.extract import extract_text

CASES = [
    # sentence, (year, comparator, value, value_high, unit, baseline_year, qualifier, indicator)
    ("到2025年,煤炭消费比重下降至75%以下。", (2025, "≤", 75, None, "%", None, None, "煤炭消费比重")),
    ("到2025年,全区能源消费总量控制在2.3亿吨标准煤以内。", (2025, "≤", 2.3, None, "亿吨标准煤", None, None, "能源消费总量")),
    ("到2025年,单位地区生产总值能耗不高于0.5吨标准煤/万元。",
     (2025, "≤", 0.5, None, "吨标准煤/万元", None, None, "单位地区生产总值能耗")),
    ("到2025年,可再生能源装机超过1亿千瓦。", (2025, ">", 1, None, "亿千瓦", None, None, "可再生能源装机")),
    ("到2030年,年用水量低于200亿立方米。", (2030, "<", 200, None, "亿立方米", None, None, "年用水量")),
    ("到2025年,建筑垃圾资源化利用率达到10%—15%。", (2025, "between", 10, 15, "%", None, None, "建筑垃圾资源化利用率")),
    ("到2025年,建筑垃圾资源化利用率达到10%-15%。", (2025, "between", 10, 15, "%", None, None, "建筑垃圾资源化利用率")),
    ("到2025年,建筑垃圾资源化利用率达到10%至15%。", (2025, "between", 10, 15, "%", None, None, "建筑垃圾资源化利用率")),
    ("到2025年,新增装机1000万—1200万千瓦。", (2025, "between", 1000, 1200, "万千瓦", None, None, "新增装机")),
    ("“十四五”期间,单位地区生产总值能耗下降14%。",
     (2025, "decrease_by", 14, None, "%", 2020, None, "单位地区生产总值能耗")),
    ("“十五五”期间,风电装机达到5000万千瓦。", (2030, "=", 5000, None, "万千瓦", None, None, "风电装机")),
    ("到2025年,全区单位地区生产总值二氧化碳排放比2005年下降65%以上。",
     (2025, "decrease_by", 65, None, "%", 2005, "≥", "单位地区生产总值二氧化碳排放")),
    ("到2025年,新能源汽车销量约占20%。", (2025, "≈", 20, None, "%", None, None, "新能源汽车销量")),
    ("到2025年,全区生活垃圾焚烧发电规模提高到1.2万吨/日以上,年综合能耗1万吨标准煤以上的重点用能单位全部完成改造。",
     (2025, "≥", 1.2, None, "万吨/日", None, None, "生活垃圾焚烧发电规模")),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_phrase_form(sentence: str, expected: tuple[object, ...]) -> None:
    d = extract_text(sentence)
    assert len(d.targets) == 1, [(t.value, t.unit, t.indicator) for t in d.targets]
    t = d.targets[0]
    got = (t.year, t.comparator.value, t.value, t.value_high, t.unit, t.baseline_year, t.qualifier, t.indicator)
    assert got == expected
    assert sentence[t.start:t.end] == sentence


def test_years_given_once_for_two_values() -> None:
    d = extract_text("到2025年、2030年,森林覆盖率分别达到23.5%和25%。")
    assert [(t.year, t.value, t.indicator) for t in d.targets] == [(2025, 23.5, "森林覆盖率"), (2030, 25, "森林覆盖率")]


def test_year_carries_until_the_next_year() -> None:
    d = extract_text("到2025年,新能源装机达到100万千瓦,储能达到20万千瓦;到2030年,新能源装机达到300万千瓦。")
    assert [(t.year, t.value) for t in d.targets] == [(2025, 100), (2025, 20), (2030, 300)]
    assert "year_from_previous_clause" in [r.code for r in d.targets[1].reasons]


def test_numbers_that_are_not_targets() -> None:
    d = extract_text("根据《通知》(内党发〔2022〕19号)第3条,2025年前完成“十四五”规划,推进5G建设。\n"
                     "3.完善标准。推动100万千瓦级光伏基地和±800千伏特高压建设,培育3个月以上的示范。")
    assert d.targets == []
    assert any("no quantified target" in w for w in d.warnings)


def test_region_code_only_for_region_wide_scopes() -> None:
    d = extract_text("到2025年,全区达到10%,其中,呼和浩特、包头主城区达到20%。", region_code="150000")
    assert [(t.scope, t.scope_code) for t in d.targets] == [("全区", "150000"), ("呼和浩特、包头主城区", None)]


def test_full_width_parentheses_and_other_measure_marks() -> None:
    """The seed's (一)2–(二)2 as a Word copy would print them: （二） headings, 2、 and （2） items."""
    from pathlib import Path

    seed = Path(__file__).parents[2] / "src" / "tanfeng" / "plan" / "plans" / "inner_mongolia_2022.source.txt"
    lines = seed.read_text(encoding="utf-8").splitlines()[6:19]  # (一)2 … (二)2
    converted = []
    for ln in lines:
        ln = ln.replace("## (二)", "（二）")
        if ln[:2] in ("2.", "3.", "4.", "5.", "1."):
            ln = (f"{ln[0]}、" if ln[0] in "2345" else f"（{ln[0]}）") + ln[2:]
        converted.append(ln)
    text = "\n".join(converted)
    d = extract_text(text)
    assert [(a.id, a.title) for a in d.actions] == [("a01", None), ("a02", "节能降碳增效行动")]
    assert [m.id for m in d.measures] == ["a01.m2", "a01.m3", "a01.m4", "a01.m5", "a02.m1", "a02.m2"]
    assert [t.value for t in d.targets] == [500, 3000, 240, 5, 50, 3000, 305, 1000]
