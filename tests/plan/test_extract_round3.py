"""Forms found in plans the extractor had not seen (third round): 各新增, an aspirational second value of a change,
a comparator before 每年, sizes of equipment, ratings of several units and a past fact told by 已经.

The sentences are written here in the style of Chinese plans; the expected values are read off each by hand.
"""

from __future__ import annotations

from tanfeng.plan.extract import extract_text


def _rows(text: str, as_of: int | None = None) -> list[tuple[str | None, int | None, str, float, str, int | None]]:
    d = extract_text(text, as_of=as_of)
    return [(t.indicator, t.year, t.comparator.value, t.value, t.unit, t.baseline_year) for t in d.targets]


def test_each_added_is_an_increase_for_each_indicator() -> None:
    got = _rows("“十四五”期间,全省风电和光伏发电装机各新增500万千瓦。", as_of=2021)
    assert [(r[0], r[2], r[3], r[4]) for r in got] == [
        ("风电装机", "increase_by", 500, "万千瓦"), ("光伏发电装机", "increase_by", 500, "万千瓦")]


def test_a_value_striven_for_after_a_change_is_a_second_change() -> None:
    d = extract_text("到2025年,全县单位地区生产总值能耗比2020年下降14%,力争完成15%的激励目标。")
    assert [(t.indicator, t.comparator.value, t.value, t.baseline_year, t.aspirational) for t in d.targets] == [
        ("单位地区生产总值能耗", "decrease_by", 14, 2020, False),
        ("单位地区生产总值能耗", "decrease_by", 15, 2020, True)]


def test_a_level_striven_for_after_a_level_is_left_alone() -> None:
    got = _rows("到2025年,森林覆盖率达到45%,力争达到46%。")
    assert [(r[2], r[3]) for r in got] == [("=", 45), ("=", 46)]


def test_comparator_before_a_yearly_word() -> None:
    got = _rows("各年度重点工程减排量不低于每年20%的累计进度要求。")
    assert [(r[1], r[2], r[3]) for r in got] == [(None, "≥", 20)]


def test_size_of_equipment_and_rating_of_several_units_are_no_target() -> None:
    d = extract_text("推进10兆瓦及以上大功率风电机组应用,实施某电厂2×300MW机组灵活性改造,"
                     "到2025年风电装机达到500万千瓦以上。")
    assert [(t.comparator.value, t.value, t.unit) for t in d.targets] == [("≥", 500, "万千瓦")]
    assert [s.reason.code for s in d.scopes] == ["scope_threshold"]


def test_a_size_reached_is_still_a_target() -> None:
    got = _rows("到2025年,单机容量达到10兆瓦以上风电机组占新增装机比重超过50%。")
    assert (2025, ">", 50, "%") in [(r[1], r[2], r[3], r[4]) for r in got]


def test_already_with_any_verb_is_a_fact_of_the_past() -> None:
    d = extract_text("2022年,全市分布式光伏项目已经提前锁定2GW并网规模。到2025年,分布式光伏装机达到5GW。", as_of=2022)
    assert [(t.year, t.value) for t in d.targets] == [(2025, 5)]
    assert [s.reason.code for s in d.scopes] == ["past_fact"]


def test_last_year_of_the_period_before_the_aimed_one_is_past() -> None:
    text = ("“十三五”期间,全省节能工作取得积极成效。2020年,全省能源消费总量1.6亿吨标准煤,森林覆盖率达到42%。\n"
            "到2025年,“十四五”时期森林覆盖率达到43%。")
    d = extract_text(text)
    assert [(t.year, t.value) for t in d.targets] == [(2025, 43)]
    assert {s.reason.code for s in d.scopes} == {"past_fact"}


def test_a_plan_for_that_year_keeps_its_targets() -> None:
    text = "2020年,全市单位地区生产总值能耗比2015年下降15%,森林覆盖率达到42%。"
    assert [(t.year, t.value) for t in extract_text(text).targets] == [(2020, 15), (2020, 42)]


def test_all_said_of_several_industries_is_one_target_each() -> None:
    d = extract_text("到2025年,化工、建材和有色行业全部完成节能诊断,县级及以上医院全部使用清洁能源。")
    assert [(t.indicator, t.value) for t in d.targets] == [
        ("化工行业全部完成节能诊断", 100), ("建材行业全部完成节能诊断", 100), ("有色行业全部完成节能诊断", 100),
        ("县级及以上医院全部使用清洁能源", 100)]


def test_a_table_row_read_by_its_attribute_cell_without_a_header() -> None:
    text = ("资源利用 5 单位地区生产总值用水量降低 % 约束性 / [16]\n"
            "6 城市生活污水集中收集率 % 预期性 68.2 ≥75\n"
            "7 受污染耕地安全利用率 % 约束性 93 完成省下达任务\n"
            "环境质量 8 地表水优良水体比例 % 约束性 90 92\n")
    d = extract_text(text)
    assert [(t.indicator, t.year, t.comparator.value, t.value, t.unit, t.line) for t in d.targets] == [
        ("单位地区生产总值用水量降低", None, "decrease_by", 16, "%", 1),
        ("城市生活污水集中收集率", None, "≥", 75, "%", 2),
        ("地表水优良水体比例", None, "=", 92, "%", 4)]
    assert all("from_table_by_attribute" in [r.code for r in t.reasons] for t in d.targets)


def test_a_paragraph_printed_twice_in_a_row_is_read_twice() -> None:
    para = "据悉,到2025年,全省新型储能装机规模达到300万千瓦。"
    d = extract_text(f"某省发布储能规划\n{para}\n{para}\n")
    assert [(t.line, t.value) for t in d.targets] == [(2, 300), (3, 300)]
    assert any("printed twice" in w for w in d.warnings)


def test_a_repeat_under_a_part_heading_is_still_dropped() -> None:
    para = "到2025年,全省新型储能装机规模达到300万千瓦。"
    d = extract_text(f"一、主要目标\n{para}\n{para}\n")
    assert [(t.line, t.value) for t in d.targets] == [(2, 300)]


def test_a_value_striven_for_with_its_own_indicator_keeps_it() -> None:
    d = extract_text("到2025年,全市单位地区生产总值能耗比2020年下降13%,力争达到25%的非化石能源消费比重。")
    assert [(t.indicator, t.comparator.value, t.value) for t in d.targets] == [
        ("单位地区生产总值能耗", "decrease_by", 13), ("非化石能源消费比重", "=", 25)]


def test_all_said_of_groups_of_two_kinds_stays_one_target() -> None:
    d = extract_text("到2025年,重点行业和重点企业全部完成清洁生产审核。")
    assert [(t.indicator, t.value) for t in d.targets] == [("重点行业和重点企业全部完成清洁生产审核", 100)]


def test_short_kinds_share_the_head_after_the_group_word() -> None:
    d = extract_text("到2025年,钢铁、水泥、平板玻璃行业能效标杆水平以上产能比例均达到30%。")
    assert [t.indicator for t in d.targets] == [
        "钢铁行业能效标杆水平以上产能比例", "水泥行业能效标杆水平以上产能比例", "平板玻璃行业能效标杆水平以上产能比例"]


def test_an_indicator_with_a_head_of_its_own_takes_no_other() -> None:
    d = extract_text("到2025年,全市公共机构单位建筑面积能耗和人均综合能耗分别比2020年下降5%和6%。")
    assert [(t.indicator, t.value) for t in d.targets] == [("公共机构单位建筑面积能耗", 5), ("人均综合能耗", 6)]


def test_a_year_report_told_after_the_value_is_past() -> None:
    d = extract_text("2021年,全省完成营造林面积120万亩,同比增长5%。到2025年,森林覆盖率达到30%。")
    assert [(t.year, t.value) for t in d.targets] == [(2025, 30)]
    assert {s.reason.code for s in d.scopes} == {"past_fact"}


def test_a_second_change_striven_for_keeps_the_baseline() -> None:
    d = extract_text("到2025年,全市万元地区生产总值能耗比2020年下降14.5%,力争下降15%。")
    assert [(t.comparator.value, t.value, t.baseline_year, t.aspirational) for t in d.targets] == [
        ("decrease_by", 14.5, 2020, False), ("decrease_by", 15, 2020, True)]
    assert "baseline_from_previous_target" in [r.code for r in d.targets[1].reasons]


def test_a_status_date_tells_a_fact_and_micrograms_are_a_unit() -> None:
    d = extract_text("截至2022年底,全省光伏装机达到1200万千瓦。到2025年,PM2.5平均浓度控制在30微克/立方米以内。")
    assert [(t.year, t.comparator.value, t.value, t.unit) for t in d.targets] == [(2025, "≤", 30, "微克/立方米")]
    assert [s.reason.code for s in d.scopes] == ["past_fact"]
