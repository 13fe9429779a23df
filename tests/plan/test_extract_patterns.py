"""Target forms from issue 17, one test per pattern, and the precision guard.

The sentences are written after the wording of published plans (provincial 碳达峰实施方案, the national
data-centre and building-energy plans); the expected values are read off each sentence by hand.
"""

from __future__ import annotations

from tanfeng.plan.extract import extract_text


def _rows(text: str) -> list[tuple[int | None, str, float, float | None, str]]:
    d = extract_text(text)
    return [(t.year, t.comparator.value, t.value, t.value_high, t.unit) for t in d.targets]


# --------------------------------------------------------------------------- 全部 … → 100 %


def test_all_with_a_year_is_100_percent() -> None:
    d = extract_text("到2030年,省级以上重点产业园区全部实施循环化改造。")
    assert [(t.year, t.comparator.value, t.value, t.unit, t.match_text) for t in d.targets] == [
        (2030, "=", 100, "%", "全部")]
    t = d.targets[0]
    assert t.indicator == "省级以上重点产业园区全部实施循环化改造"
    assert "all_as_100" in [r.code for r in t.reasons]
    assert t.confidence < 0.95


def test_all_with_the_year_at_the_head_of_a_long_sentence() -> None:
    text = ("到2025年,城镇新建建筑全面执行绿色建筑标准,星级绿色建筑占比达到30%,"
            "新增和更新的城市公交车、出租车全部使用新能源汽车,城市绿色出行比例不低于70%。")
    d = extract_text(text)
    assert [(t.year, t.comparator.value, t.value, t.unit) for t in d.targets] == [
        (2025, "=", 30, "%"), (2025, "=", 100, "%"), (2025, "≥", 70, "%")]
    assert d.targets[1].indicator == "新增和更新的城市公交车、出租车全部使用新能源汽车"


def test_all_without_a_year_or_with_all_departments_is_no_target() -> None:
    assert _rows("重点用能单位全部接入能耗在线监测系统。") == []
    assert _rows("到2025年,全部门协同推进节能降碳工作。") == []


# --------------------------------------------------------------------------- values with no unit or an uncommon one


def test_unitless_ratio_after_a_comparator() -> None:
    d = extract_text("到2025年,新建大型、超大型数据中心电能利用效率(PUE)降到1.3以下。")
    assert [(t.year, t.comparator.value, t.value, t.unit) for t in d.targets] == [(2025, "≤", 1.3, "")]
    assert d.targets[0].indicator is not None
    assert "PUE" in d.targets[0].indicator


def test_unitless_number_that_is_no_ratio_is_ignored() -> None:
    # a bare number after 达到 with nothing that is measured as a ratio: not read
    assert _rows("到2025年,示范项目数量达到12。") == []


def test_days_of_reserve() -> None:
    d = extract_text("到2025年,政府煤炭储备能力达到本省日均消费量5天以上。")
    assert [(t.year, t.comparator.value, t.value, t.unit) for t in d.targets] == [(2025, "≥", 5, "天")]
    assert _rows("到2025年,天然气产量稳步增长。") == []


# --------------------------------------------------------------------------- ranges


def test_count_range_kept_as_a_range() -> None:
    assert _rows("到2025年,建成3-5个零碳产业园区。") == [(2025, "between", 3, 5, "个")]
    assert _rows("到2025年,建成3—5个零碳产业园区。") == [(2025, "between", 3, 5, "个")]
    assert _rows("到2030年,培育10至15家绿色工厂。") == [(2030, "between", 10, 15, "家")]


# --------------------------------------------------------------------------- precision guard: scope, not target


def test_energy_use_threshold_is_scope() -> None:
    d = extract_text("年综合能耗1万吨标准煤以上的重点用能单位全部开展能源审计。")
    assert d.targets == []
    assert [(s.text, s.match_text) for s in d.scopes] == [("年综合能耗1万吨标准煤以上的重点用能单位", "1万吨标准煤以上")]


def test_data_centre_threshold_is_scope_even_with_all_and_a_year() -> None:
    d = extract_text("到2025年,年综合能耗5000吨标准煤以上数据中心全部纳入能耗在线监测。")
    assert d.targets == []
    assert [s.text for s in d.scopes] == ["年综合能耗5000吨标准煤以上数据中心"]


def test_building_saving_rate_threshold_is_scope() -> None:
    d = extract_text("到2025年,城镇新建居住建筑全面执行节能率达到75%以上的建筑节能标准。")
    assert d.targets == []
    assert len(d.scopes) == 1
    assert d.scopes[0].match_text == "75%以上"


def test_scope_threshold_names_the_scope_of_the_target_after_it() -> None:
    d = extract_text("到2025年,年综合能耗1万吨标准煤以上的重点用能单位能效达标率达到90%。")
    assert [(t.year, t.value, t.unit, t.scope) for t in d.targets] == [
        (2025, 90, "%", "年综合能耗1万吨标准煤以上的重点用能单位")]


def test_grid_structure_numbers_are_no_targets() -> None:
    d = extract_text("到2025年,全省形成“三横四纵”的500千伏主网架,由12条省际联络线和36座枢纽变电站构成,"
                     "新型储能装机达到300万千瓦。")
    assert [(t.value, t.unit) for t in d.targets] == [(300, "万千瓦")]
    assert [s.reason.code for s in d.scopes] == ["grid_structure"]


# --------------------------------------------------------------------------- standing rules keep no borrowed year


def test_standing_rule_in_the_same_sentence_gets_no_year() -> None:
    d = extract_text("到2025年,非化石能源消费比重达到20%;新建通道可再生能源电量比例原则上不低于50%。")
    assert [(t.year, t.value) for t in d.targets] == [(2025, 20), (None, 50)]
    assert "standing_rule_no_year" in [r.code for r in d.targets[1].reasons]


def test_standing_rule_after_a_sentence_with_a_year_gets_no_year() -> None:
    d = extract_text("到2025年,煤电机组平均供电煤耗降至300克标准煤/千瓦时。新建煤电机组一律不高于270克标准煤/千瓦时。")
    assert [(t.year, t.value) for t in d.targets] == [(2025, 300), (None, 270)]


def test_goal_after_a_year_still_takes_it() -> None:
    # control: a clause with no marker of a standing rule keeps the year named before it
    d = extract_text("到2025年,非化石能源消费比重达到20%,新型储能装机达到500万千瓦。")
    assert [(t.year, t.value) for t in d.targets] == [(2025, 20), (2025, 500)]


# --------------------------------------------------------------------------- figures of the past are no targets


def test_values_of_a_period_before_the_text_was_written_are_past() -> None:
    text = ("“十三五”期间,全市非化石能源消费比重达到12%,累计建成充电桩3000个。"
            "到2025年,非化石能源消费比重达到15%。")
    d = extract_text(text, as_of=2022)
    assert [(t.year, t.value) for t in d.targets] == [(2025, 15)]
    assert [(s.reason.code, s.match_text) for s in d.scopes] == [("past_value", "12%"), ("past_value", "3000个")]
    # without the publication year, a text that aims at 2025 and names “十四五” says that “十三五” is over
    d = extract_text("“十四五”时期是碳达峰的关键期。" + text)
    assert [(t.year, t.value) for t in d.targets] == [(2025, 15)]
    assert [(s.reason.code, s.match_text) for s in d.scopes] == [("past_fact", "12%"), ("past_fact", "3000个")]
    # with neither a date nor the next period named, nothing says the period is over: its values stay (for 2020)
    assert [(t.year, t.value) for t in extract_text(text).targets] == [(2020, 12), (2020, 3000), (2025, 15)]


def test_the_text_s_own_issue_date_or_baseline_tells_when_it_was_written() -> None:
    dated = "“十三五”期间,森林覆盖率达到21%。到2025年,森林覆盖率达到23%。\n某某市人民政府\n2022年6月30日\n"
    assert [(t.year, t.value) for t in extract_text(dated).targets] == [(2025, 23)]
    based = "“十三五”期间,单位地区生产总值能耗下降15%。到2025年,单位地区生产总值能耗比2020年下降13%。"
    assert [(t.year, t.value) for t in extract_text(based).targets] == [(2025, 13)]


def test_the_value_a_change_starts_from_is_no_target() -> None:
    d = extract_text("到2025年,全省森林覆盖率由22%提高到25%,湿地面积将达到120万公顷。")
    assert [(t.year, t.comparator.value, t.value, t.unit, t.indicator) for t in d.targets] == [
        (2025, "=", 25, "%", "森林覆盖率"), (2025, "=", 120, "万公顷", "湿地面积")]
    assert [(s.reason.code, s.match_text) for s in d.scopes] == [("past_value", "22%")]


# --------------------------------------------------------------------------- counts: covered, listed, to be made


def test_full_coverage_with_a_count_is_100_percent_and_the_count_its_scope() -> None:
    d = extract_text("到2025年,基本建成生活垃圾分类处理系统。推动8个市州实现城市生活垃圾分类全覆盖。")
    assert [(t.year, t.comparator.value, t.value, t.unit) for t in d.targets] == [(2025, "=", 100, "%")]
    assert "year_from_earlier_sentence" in [r.code for r in d.targets[0].reasons]
    assert [(s.reason.code, s.match_text) for s in d.scopes] == [("count_of_covered", "8个")]
    assert [(t.value, t.unit) for t in extract_text("到2025年,建成30个生活垃圾分类示范片区。").targets] == [(30, "个")]


def test_a_count_of_those_a_rule_covers_is_no_target() -> None:
    d = extract_text("10家试点企业均须按年度完成碳排放核查。")
    assert d.targets == []
    assert [s.reason.code for s in d.scopes] == ["count_of_covered"]


def test_a_count_of_cities_to_begin_with_is_a_target() -> None:
    d = extract_text("在50个左右城市率先开展气候适应型城市建设试点。")
    assert [(t.comparator.value, t.value, t.unit) for t in d.targets] == [("≈", 50, "个")]


def test_a_count_of_the_items_just_listed_is_no_target() -> None:
    d = extract_text("方案提出了优化能源结构、推进节能降碳、发展循环经济等9项重点任务。")
    assert d.targets == []
    assert [(s.reason.code, s.match_text) for s in d.scopes] == [("count_of_listed", "9项")]


# --------------------------------------------------------------------------- values written otherwise


def test_one_value_in_chinese_numerals_for_each_of_two_indicators() -> None:
    d = extract_text("到2030年,新能源装备制造业、储能产业产值分别突破两千亿元。")
    got = [(t.year, t.comparator.value, t.value, t.unit, t.indicator) for t in d.targets]
    assert got == [(2030, ">", 2000, "亿元", "新能源装备制造业产值"), (2030, ">", 2000, "亿元", "储能产业产值")]
    assert {"chinese_numeral", "value_for_each"} <= {r.code for r in d.targets[0].reasons}
    # a class of size is no value: 千万千瓦级
    assert extract_text("到2025年,建成两个千万千瓦级风电基地。").targets == []


def test_trillions_and_spaces_between_number_and_unit() -> None:
    assert _rows("到2025年,绿色低碳产业产值达到1.2万亿元。") == [(2025, "=", 1.2, None, "万亿元")]
    assert _rows("到 2025 年,城市新能源公交车辆占比提高到 75%。") == [(2025, "=", 75, None, "%")]


def test_a_year_named_as_a_baseline_is_not_the_target_year() -> None:
    d = extract_text("到2030年,单位产品能耗在2025年的基础上再下降5%,清洁取暖率达到90%。")
    assert [(t.year, t.value) for t in d.targets] == [(2030, 5), (2030, 90)]


# --------------------------------------------------------------------------- doubling in words (翻一番, 翻两番)


def test_doubling_in_words_is_an_increase_by_100_percent_over_the_baseline() -> None:
    d = extract_text("到2025年,全省数字经济核心产业增加值比2020年翻一番。")
    got = [(t.year, t.comparator.value, t.value, t.unit, t.baseline_year, t.match_text) for t in d.targets]
    assert got == [(2025, "increase_by", 100, "%", 2020, "翻一番")]
    assert d.targets[0].indicator == "数字经济核心产业增加值"
    assert "doubling_in_words" in [r.code for r in d.targets[0].reasons]


def test_doubling_twice_is_an_increase_by_300_percent() -> None:
    d = extract_text("到2035年,全市节能环保产业营业收入在2020年基础上翻两番以上。")
    t = d.targets[0]
    assert (t.year, t.comparator.value, t.value, t.unit, t.baseline_year, t.qualifier) == (
        2035, "increase_by", 300, "%", 2020, "≥")


def test_doubling_of_a_period_takes_the_period_s_base() -> None:
    d = extract_text("“十四五”期间,全区新能源装机规模实现翻番。")
    assert [(t.year, t.comparator.value, t.value, t.baseline_year) for t in d.targets] == [
        (2025, "increase_by", 100, 2020)]
    assert "baseline_from_period" in [r.code for r in d.targets[0].reasons]


# --------------------------------------------------------------------------- counts of the plan's own parts


def test_counts_of_the_plan_s_own_aspects_and_tasks_are_no_targets() -> None:
    d = extract_text("《实施方案》从6个方面安排了25项任务措施,明确了各部门职责分工。")
    assert d.targets == []
    assert {s.reason.code for s in d.scopes} == {"count_of_own_parts"}
    assert "6个" in [s.match_text for s in d.scopes]
    assert _rows("方案提出12项重点任务,包括三大行动。") == []
    assert _rows("本方案共分为5个部分。") == []
    assert _rows("本方案共分为五个部分,部署了8项专项行动。") == []


def test_a_count_of_works_to_be_built_is_still_a_target() -> None:
    assert _rows("到2025年,建成12项节能降碳示范工程。") == [(2025, "=", 12, None, "项")]
    assert _rows("到2025年,完成30项重点用能设备更新任务。") == [(2025, "=", 30, None, "项")]


# --------------------------------------------------------------------------- facts of the past, without a date


def test_a_year_s_cumulative_change_from_an_old_base_is_past() -> None:
    text = ("2021年,全市单位地区生产总值能耗较2012年累计下降32%。"
            "到2025年,全市单位地区生产总值能耗比2020年下降14%。")
    d = extract_text(text)
    assert [(t.year, t.comparator.value, t.value, t.baseline_year) for t in d.targets] == [
        (2025, "decrease_by", 14, 2020)]
    assert [(s.reason.code, s.match_text) for s in d.scopes] == [("past_fact", "32%")]


def test_results_of_a_year_told_as_a_report_are_past() -> None:
    assert _rows("2023年全年完成营造林15万亩,新增新能源装机120万千瓦。") == []
    assert _rows("2022年,全省规模以上工业单位增加值能耗比上年下降5.1%。") == []
    assert _rows("截至2023年底,全省累计建成公共充电桩2.4万个。") == []


def test_the_aspect_of_a_finished_action_tells_a_fact() -> None:
    assert _rows("全市已完成“十三五”能耗双控目标,单位地区生产总值能耗下降16%。") == []
    assert _rows("“十三五”以来,全省淘汰了落后煤电机组120万千瓦。") == []
    d = extract_text("全省风电光伏装机已达到3200万千瓦。")
    assert d.targets == []
    assert [s.reason.code for s in d.scopes] == ["past_fact"]
    # a finished action that only says whom the value is about (已完成改造的企业) tells no fact
    assert _rows("对已完成改造的企业,能效达到标杆水平的比例达到30%。") == [(None, "=", 30, None, "%")]
    assert _rows("2024年全年计划完成造林20万亩。") == [(2024, "=", 20, None, "万亩")]


def test_goals_with_a_word_of_aim_or_a_milestone_year_stay_targets() -> None:
    assert _rows("到2025年,全省累计建成公共充电桩5万个。") == [(2025, "=", 5, None, "万个")]
    # the milestones of a two-year plan, each year named with no 到
    assert _rows("2024年,单位地区生产总值能耗降低2.5%左右。2025年,非化石能源消费比重达到20%左右。") == [
        (2024, "decrease_by", 2.5, None, "%"), (2025, "≈", 20, None, "%")]
    assert _rows("2025年,全省累计建成公共充电桩5万个。") == [(2025, "=", 5, None, "万个")]
    assert _rows("2024年,单位地区生产总值能耗比2020年下降11%。") == [(2024, "decrease_by", 11, None, "%")]
    assert _rows("力争2026年全省新型储能装机达到300万千瓦。") == [(2026, "=", 300, None, "万千瓦")]


def test_a_period_that_ended_before_the_text_s_first_aim_is_past() -> None:
    text = ("“十三五”期间,全省能源结构持续优化。煤炭消费比重下降到58%,风电装机达到1800万千瓦。"
            "面向“十四五”,到2025年,煤炭消费比重下降到52%。")
    d = extract_text(text)
    assert [(t.year, t.value) for t in d.targets] == [(2025, 52)]
    assert [(s.reason.code, s.match_text) for s in d.scopes] == [("past_fact", "58%"), ("past_fact", "1800万千瓦")]
    # without the next period named the period stays a target; so does a period the text aims at
    assert _rows("“十三五”期间,煤炭消费比重下降到58%。到2025年,煤炭消费比重下降到52%。") == [
        (2020, "=", 58, None, "%"), (2025, "=", 52, None, "%")]
    assert _rows("“十四五”期间,单位地区生产总值能耗下降14%。到2030年,非化石能源消费比重达到25%。") == [
        (2025, "decrease_by", 14, None, "%"), (2030, "=", 25, None, "%")]


# --------------------------------------------------------------------------- 超 / 超过 / 突破 / 以上 / 不低于


def test_comparators_of_more_than_and_at_least() -> None:
    assert _rows("到2025年,新能源汽车新车销售占比超30%。") == [(2025, ">", 30, None, "%")]
    assert _rows("到2030年,森林覆盖率超过25%。") == [(2030, ">", 25, None, "%")]
    assert _rows("到2025年,可再生能源发电装机突破6000万千瓦。") == [(2025, ">", 6000, None, "万千瓦")]
    assert _rows("到2025年,城镇新建建筑中绿色建筑占比逾90%。") == [(2025, ">", 90, None, "%")]
    assert _rows("到2025年,清洁能源装机占比达到60%以上。") == [(2025, "≥", 60, None, "%")]
    assert _rows("到2025年,城市绿色出行比例不低于70%。") == [(2025, "≥", 70, None, "%")]
    # 以上 after the value says "at least" even after 超过
    assert _rows("到2025年,光伏装机超过500万千瓦以上。") == [(2025, "≥", 500, None, "万千瓦")]
    # 超 as part of a word is no comparator
    assert _rows("到2025年,完成超低排放改造机组1200万千瓦。") == [(2025, "=", 1200, None, "万千瓦")]


# --------------------------------------------------------------------------- one value, several indicators (h-extract2)


def _ind_rows(text: str, as_of: int | None = None) -> list[tuple[int | None, str, float, str, str | None]]:
    d = extract_text(text, as_of=as_of)
    return [(t.year, t.comparator.value, t.value, t.unit, t.indicator) for t in d.targets]


def test_one_value_with_jun_or_ge_is_each_indicators() -> None:
    assert _ind_rows("到2025年,吨钢烟粉尘和二氧化硫排放量均达到0.25千克以下。") == [
        (2025, "≤", 0.25, "千克", "吨钢烟粉尘排放量"), (2025, "≤", 0.25, "千克", "二氧化硫排放量")]
    assert _ind_rows("到2030年,工业固体废物、建筑垃圾综合利用率各提高5个百分点。") == [
        (2030, "increase_by", 5, "个百分点", "工业固体废物综合利用率"),
        (2030, "increase_by", 5, "个百分点", "建筑垃圾综合利用率")]
    d = extract_text("到2025年,城市、县城污水处理率均达到95%以上。")
    assert [r.code for r in d.targets[0].reasons].count("value_for_each") == 1


def test_one_value_with_fenbie_after_a_baseline() -> None:
    got = _ind_rows("到2027年,全市氮氧化物和挥发性有机物排放量分别比2022年下降8%。")
    assert got == [(2027, "decrease_by", 8, "%", "氮氧化物排放量"), (2027, "decrease_by", 8, "%", "挥发性有机物排放量")]
    assert [t.baseline_year for t in extract_text("到2027年,全市氮氧化物和挥发性有机物排放量分别比2022年下降8%。").targets] \
        == [2022, 2022]


def test_one_value_for_indicators_named_together_without_a_word() -> None:
    d = extract_text("到2030年,全省能源消耗和温室气体排放水平下降15%左右。")
    assert [(t.year, t.comparator.value, t.value, t.qualifier, t.indicator) for t in d.targets] == [
        (2030, "decrease_by", 15, "≈", "能源消耗水平"), (2030, "decrease_by", 15, "≈", "温室气体排放水平")]
    assert "value_shared" in [r.code for r in d.targets[1].reasons]
    # kinds of one thing (超低能耗、近零能耗建筑), or a list with 等, name one indicator
    assert len(extract_text("到2025年,超低能耗、近零能耗建筑面积达到500万平方米。").targets) == 1
    assert len(extract_text("到2025年,公交、出租、环卫等车辆新能源使用率达到80%。").targets) == 1


def test_values_given_in_turn_pair_with_indicators_in_order() -> None:
    assert _ind_rows("到2025年,单位地区生产总值能耗和二氧化碳排放分别下降14%和18%。") == [
        (2025, "decrease_by", 14, "%", "单位地区生产总值能耗"), (2025, "decrease_by", 18, "%", "单位地区生产总值二氧化碳排放")]


def test_bare_numbers_in_a_list_take_the_list_unit() -> None:
    assert _ind_rows("到2030年,风电、光伏装机容量分别达到15、20万千瓦。") == [
        (2030, "=", 15, "万千瓦", "风电装机容量"), (2030, "=", 20, "万千瓦", "光伏装机容量")]
    # a text cut after the second value: the values are the first indicators', in order
    d = extract_text("2025年,二氧化硫减排量、氮氧化物减排量、颗粒物减排量分别不低于1.2万吨、0.8")
    assert [(t.comparator.value, t.value, t.unit, t.indicator) for t in d.targets] == [
        ("≥", 1.2, "万吨", "二氧化硫减排量"), ("≥", 0.8, "万吨", "氮氧化物减排量")]
    assert "fewer_values_than_indicators" in [r.code for r in d.targets[1].reasons]
    # a list number at the head of a line is no value
    assert _rows("1、20万千瓦以上的风电项目配建储能。") == []


# --------------------------------------------------------------------------- caps, compound units, years of a scope


def test_kongzhizai_caps_a_value() -> None:
    assert _ind_rows("到2025年,全市二氧化硫排放总量控制在12.5万吨。") == [(2025, "≤", 12.5, "万吨", "二氧化硫排放总量")]
    assert _rows("到2025年,能源消费总量控制在1.6亿吨标准煤左右。") == [(2025, "≈", 1.6, None, "亿吨标准煤")]


def test_compound_and_weight_units() -> None:
    assert _rows("到2025年,煤电机组平均供电煤耗控制在298克标煤/千瓦时以下。") == [(2025, "≤", 298, None, "克标煤/千瓦时")]
    assert _rows("到2025年,吨钢综合能耗降至540千克标煤/吨钢以下。") == [(2025, "≤", 540, None, "千克标煤/吨钢")]
    assert _rows("到2025年,规上工业单位增加值用水量降至12立方米/万元。") == [(2025, "=", 12, None, "立方米/万元")]


def test_a_year_that_says_which_things_is_no_target_year() -> None:
    # the vehicles registered before 2008 are the scope; the target's year is 2025 (written in 2022)
    got = _ind_rows("2025年全面淘汰2008年以前注册的老旧柴油货车,新增环卫、邮政车辆新能源比例达80%以上。", as_of=2022)
    assert got == [(2025, "≥", 80, "%", "新增环卫、邮政车辆新能源比例")]


def test_a_count_of_indicators_the_plan_sets_is_no_target() -> None:
    d = extract_text("2021年以来,编制完成全市碳达峰行动方案256项重点指标测算。")
    assert d.targets == []
    assert [s.reason.code for s in d.scopes] == ["count_of_own_parts"]


# --------------------------------------------------------------------------- tables flattened into lines


def test_a_table_is_read_by_its_columns() -> None:
    text = ("专栏1 “十四五”能源发展主要指标\n"
            "类别 | 指标 | 单位 | 2020年 | 2025年 | 属性\n"
            "结构 | 非化石能源消费比重 | % | 12.8 | 17 | 约束性\n"
            "效率 | 单位地区生产总值能耗降低 | % | — | [14] | 约束性\n"
            "单位地区生产总值二氧化碳排放降低 | % | — | 完成国家下达目标 | 约束性\n"
            "规模 | 可再生能源发电装机容量(万千瓦) |  | 2950 | 4500以上 | 预期性\n"
            "到2025年,森林覆盖率达到44%。\n")
    d = extract_text(text)
    got = [(t.line, t.indicator, t.year, t.comparator.value, t.value, t.unit, t.baseline_year) for t in d.targets]
    assert got == [
        (3, "非化石能源消费比重", 2025, "=", 17, "%", None),
        (4, "单位地区生产总值能耗降低", 2025, "decrease_by", 14, "%", 2020),
        (6, "可再生能源发电装机容量", 2025, "≥", 4500, "万千瓦", None),
        (7, "森林覆盖率", 2025, "=", 44, "%", None),
    ]
    assert d.targets[0].match_text == "17"
    assert "from_table" in [r.code for r in d.targets[0].reasons]


def test_a_table_with_tabs_and_a_target_column_without_a_year() -> None:
    text = "序号\t指标名称\t目标值\t指标属性\n1\t城镇新建建筑中绿色建筑面积占比(%)\t≥70\t约束性\n"
    d = extract_text(text)
    assert [(t.indicator, t.year, t.comparator.value, t.value, t.unit) for t in d.targets] == [
        ("城镇新建建筑中绿色建筑面积占比", None, "≥", 70, "%")]
    # prose with wide spaces is no table
    assert _rows("到2025年  全市新能源汽车保有量  达到20万辆。") == [(2025, "=", 20, None, "万辆")]
