"""The reviewed plan 《内蒙古自治区碳达峰实施方案》 (内党发〔2022〕19号) against its seed text.

Expected values are read off the seed text (``inner_mongolia_2022.source.txt``, a verbatim copy of the
newspaper print) and off ``docs/reference/policy_rules_and_data.md`` §1.2 (a) for the companion
实施意见 (内党发〔2022〕8号); never off the loader's own output.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tanfeng.plan.loader import PLANS_DIR, filter_targets, load_builtin_plan
from tanfeng.plan.model import Certainty, Measure, Plan, Target

SEED = (PLANS_DIR / "inner_mongolia_2022.source.txt").read_text(encoding="utf-8")

# The 12 actions of 重点任务, as headed in the print ((一)'s heading is not in the print: recalled).
ACTIONS = [
    ("一", "能源绿色低碳转型行动"),
    ("二", "节能降碳增效行动"),
    ("三", "工业领域碳达峰行动"),
    ("四", "农牧业绿色发展行动"),
    ("五", "城乡建设碳达峰行动"),
    ("六", "交通运输绿色低碳行动"),
    ("七", "循环经济助力降碳行动"),
    ("八", "绿色低碳科技创新行动"),
    ("九", "碳汇能力巩固提升行动"),
    ("十", "绿色低碳全民行动"),
    ("十一", "梯次有序碳达峰行动"),
    ("十二", "碳达峰碳中和试点示范建设行动"),
]

# Numbered items per action, counted in the print (first occurrences only); (一) adds the recalled item 1,
# (十一) adds item 3 from the summary box.
MEASURE_COUNTS = {"a01": 5, "a02": 5, "a03": 6, "a04": 2, "a05": 4, "a06": 3, "a07": 4, "a08": 4, "a09": 3,
                  "a10": 3, "a11": 3, "a12": 2}

# Golden reference: the 29 quantified targets of the print, read off the seed text by hand
# (全部实施循环化改造 is 100 %).
# (measure, indicator_id, year, comparator, value, unit, baseline_year, aspirational, scope)
GOLDEN = [
    ("a01.m2", "new_energy_storage_capacity", 2025, "≥", 500, "万千瓦", None, False, "150000"),
    ("a01.m2", "coal_power_flexibility_retrofit", 2025, "≈", 3000, "万千瓦", None, False, "150000"),
    ("a01.m2", "pumped_storage_capacity", 2030, "=", 240, "万千瓦", None, False, "150000"),
    ("a01.m2", "peak_load_response_capacity", 2030, "≥", 5, "%", None, False, "150000"),
    ("a01.m3", "new_transmission_channel_renewable_share", None, "≥", 50, "%", None, False, "150000"),
    ("a02.m2", "coal_power_energy_saving_retrofit", 2025, "=", 3000, "万千瓦", None, True, "150000"),
    ("a02.m2", "coal_power_supply_coal_consumption", 2025, "≈", 305, "克标准煤/千瓦时", None, False, "150000"),
    ("a02.m2", "building_energy_retrofit_area", 2025, "=", 1000, "万平方米", None, False, "150000"),
    ("a04.m1", "high_standard_farmland_area", 2025, "=", 5470, "万亩", None, False, "150000"),
    ("a04.m1", "black_soil_protection_area", 2025, "=", 1500, "万亩", None, False, "150000"),
    ("a05.m1", "prefabricated_building_share", 2025, "≈", 30, "%", None, False, "150000"),
    ("a05.m1", "prefabricated_building_share", 2025, "≈", 40, "%", None, False, "呼和浩特、包头主城区"),
    ("a05.m1", "prefabricated_building_share", 2030, "≈", 40, "%", None, False, "150000"),
    ("a06.m1", "new_energy_vehicle_share_new_and_replaced", 2025, "=", 85, "%", None, False, "150000"),
    ("a06.m1", "commercial_vehicle_carbon_intensity", 2025, "decrease_by", 5, "%", 2020, False, "150000"),
    ("a06.m1", "new_clean_energy_vehicle_share", 2025, "≈", 20, "%", None, False, "150000"),
    ("a06.m1", "commercial_vehicle_carbon_intensity", 2030, "decrease_by", 10, "%", 2020, False, "150000"),
    ("a06.m1", "new_clean_energy_vehicle_share", 2030, "≈", 40, "%", None, False, "150000"),
    ("a06.m2", "public_transport_motorised_trip_share", 2025, "=", 20, "%", None, False, "150000"),
    ("a06.m2", "green_travel_share", 2025, "=", 65, "%", None, False, "150000"),
    ("a06.m2", "green_travel_share", 2030, "≥", 70, "%", None, False, "城区常住人口100万以上的城市"),
    ("a07.m1", "park_circular_retrofit_share", 2030, "=", 100, "%", None, False, "150000"),
    ("a07.m4", "waste_incineration_power_capacity", 2025, "≥", 1, "万吨/日", None, False, "150000"),
    ("a07.m4", "household_waste_harmless_treatment_rate", 2025, "=", 100, "%", None, False, "150000"),
    ("a07.m4", "reclaimed_water_reuse_rate", 2025, "≥", 40, "%", None, False, "150000"),
    ("a07.m4", "waste_incineration_power_capacity", 2030, "≥", 1.2, "万吨/日", None, False, "150000"),
    ("a09.m2", "forest_grassland_ecological_construction", 2025, "=", 10800, "万亩", None, False, "150000"),
    ("a09.m2", "desertified_land_treatment_area", 2025, "=", 2650, "万亩", None, False, "150000"),
    ("a09.m2", "forest_coverage", 2025, "=", 23.5, "%", None, False, "150000"),
]

# Companion 实施意见 (内党发〔2022〕8号), values as quoted in policy_rules_and_data.md §1.2 (a):
# (indicator, year, comparator, value, unit)
COMPANION = [
    ("煤炭消费比重", 2025, "≤", 75, "%"),  # 下降至75%以下
    ("非化石能源消费比重", 2025, "=", 18, "%"),  # 达到18%
    ("森林蓄积量", 2025, "=", 15.5, "亿立方米"),  # 15.5 亿立方米
    ("非化石能源消费比重", 2030, "≈", 25, "%"),  # 25%左右
    ("新能源发电总装机容量", 2030, ">", 2, "亿千瓦"),  # 超过2亿千瓦
]
COMPANION_URLS = {"http://bcc.com.cn/index/shows?catid=29&id=727",
                  "http://hhygw.cn/tanzhonghe/dongtai/2022-06-29/156057.html"}


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_builtin_plan("im2022")


def seed_targets(plan: Plan) -> list[Target]:
    return [t for t in plan.targets if t.source.file is not None]


def written(value: float) -> str:
    """A value as the print writes it: 500, 1.2, 23.5."""
    return f"{value:g}"


def wording(sentence: str, figure: str) -> tuple[str, int | None]:
    """The comparator (and baseline year) that the words around ``figure`` (value+unit) express."""
    i = sentence.index(figure)
    pre, post = sentence[:i], sentence[i + len(figure):]
    if m := re.search(r"比(\d{4})年下降$", pre):
        return "decrease_by", int(m.group(1))
    if post.startswith("以上") or pre.endswith(("不低于", "不少于")):
        return "≥", None
    if post.startswith("以下") or pre.endswith(("不高于", "不超过")):
        return "≤", None
    if figure == "全部":
        return "=", None
    if post.startswith("左右"):
        return "≈", None
    if pre.endswith(("超过", "高于")):
        return ">", None
    clause = re.split(r"[,;。]", pre)[-1]
    assert "达到" in clause or "完成" in clause, f"no wording for a point value before {figure}: {sentence}"
    return "=", None


def item_prefix(plan: Plan, m: Measure) -> str:
    """What stands before a printed item's text: "\nN." for an action's item, "(一)" for 政策保障/组织实施."""
    if any(m in p.measures for p in plan.parts):
        return "\n(" + "一二三四五六七八九十"[m.number - 1] + ")"
    return f"\n{m.number}."


def clause_of(sentence: str, figure: str) -> str:
    """The comma-separated clause of ``sentence`` that holds ``figure``."""
    i = sentence.index(figure)
    start = max(sentence.rfind(c, 0, i) for c in ",;。") + 1
    ends = [j for j in (sentence.find(c, i) for c in ",;。") if j >= 0]
    return sentence[start:min(ends) + 1 if ends else len(sentence)]


# --------------------------------------------------------------------------- document and structure


def test_document_identity(plan: Plan) -> None:
    assert plan.id == "im2022"
    assert plan.region == "150000"
    assert plan.document_number == "内党发〔2022〕19号"
    assert plan.title == "内蒙古自治区碳达峰实施方案"
    assert plan.source_file == "inner_mongolia_2022.source.txt"
    assert plan.title in SEED.splitlines()[2]


def test_parts(plan: Plan) -> None:
    assert [(p.kind, p.title) for p in plan.parts] == [
        ("main_targets", "主要目标"), ("key_tasks", "重点任务"), ("policy_support", "政策保障"),
        ("implementation", "组织实施")]


def test_exactly_twelve_actions_with_their_titles(plan: Plan) -> None:
    assert [(a.numeral, a.title) for a in plan.actions] == ACTIONS
    assert [a.number for a in plan.actions] == list(range(1, 13))
    assert [a.id for a in plan.actions] == [f"a{n:02d}" for n in range(1, 13)]


def test_action_titles_stand_in_the_print(plan: Plan) -> None:
    for a in plan.actions[1:]:
        heading = f"({a.numeral}){a.title}"
        assert heading in SEED
        assert a.source.start is not None
        assert a.source.end is not None
        assert SEED[a.source.start:a.source.end] == a.title
        # the first occurrence of the heading
        assert SEED.index(heading) + len(a.numeral) + 2 == a.source.start


def test_action_one_title_and_item_one_are_recalled(plan: Plan) -> None:
    a01 = plan.actions[0]
    assert "能源绿色低碳转型行动" not in SEED
    assert a01.source.certainty is Certainty.RECALLED
    assert a01.source.note
    m1 = a01.measures[0]
    assert (m1.number, m1.title, m1.text) == (1, "大力发展新能源", "")
    assert m1.source.certainty is Certainty.RECALLED
    assert m1.source.note
    assert "大力发展新能源" not in SEED
    first_item = re.search(r"^\d+\.(.*?)。", SEED, re.MULTILINE)
    assert first_item is not None
    assert first_item.group(0) == "2.加快构建新型电力系统。"


def test_measure_counts(plan: Plan) -> None:
    assert {a.id: len(a.measures) for a in plan.actions} == MEASURE_COUNTS
    for a in plan.actions:
        assert [m.number for m in a.measures] == list(range(1, len(a.measures) + 1))
        assert [m.id for m in a.measures] == [f"{a.id}.m{n}" for n in range(1, len(a.measures) + 1)]
    parts = {p.kind: p for p in plan.parts}
    assert [m.title for m in parts["policy_support"].measures] == [
        "建立健全统计核算体系和标准", "完善财税价格金融政策", "建立健全市场化机制"]
    assert [m.title for m in parts["implementation"].measures] == [
        "加强组织领导", "严格监督考核", "强化宣传引导", "加强人才支撑"]
    assert [m.id for m in parts["implementation"].measures] == ["impl.m1", "impl.m2", "impl.m3", "impl.m4"]


def test_every_printed_measure_text_stands_at_its_place(plan: Plan) -> None:
    checked = 0
    for m in plan.measures:
        src = m.source
        if src.file is None:
            continue
        assert src.start is not None
        assert src.end is not None
        raw = SEED[src.start:src.end]
        assert raw.replace("\n", "") == m.text
        assert src.line == SEED.count("\n", 0, src.start) + 1
        if src.certainty is Certainty.PRIMARY:
            assert m.text.startswith(m.title + "。")
            # the item's number stands right before its text
            assert SEED[:src.start].endswith(item_prefix(plan, m))
            assert m.text.endswith("。")
        checked += 1
    assert checked == 50  # 51 measures less a01.m1 (recalled; a11.m3 from the summary box is in the file)


def test_page_breaks_are_joined(plan: Plan) -> None:
    by_id = {m.id: m for m in plan.measures}
    assert "开展在建项目能效排查。" in by_id["a03.m6"].text
    assert "推进以焚烧发电为主的生活垃圾处理体系建设;" in by_id["a07.m4"].text
    assert "湿地和野生动植物保护工程。深入推进大规模国土绿化行动。" in by_id["a09.m2"].text


def test_action_eleven_and_twelve(plan: Plan) -> None:
    a11, a12 = plan.actions[10], plan.actions[11]
    assert [m.title for m in a11.measures] == ["科学合理确定碳达峰目标", "实现经济增长与碳排放脱钩",
                                               "上下联动制定碳达峰方案"]
    assert a11.measures[1].text == "实现经济增长与碳排放脱钩。"
    m3 = a11.measures[2]
    assert m3.source.certainty is Certainty.SECONDARY
    assert m3.source.note
    assert "summary box" in m3.source.note
    assert "►上下联动制定碳达峰方案,各盟市制定本地区碳达峰实施方案,经自治区碳达峰碳中和工作领导小组审核后印发实施。" in SEED
    # (十二)'s real items stand after the (二十二) block, not the copy of (十一) under its first heading
    assert [m.title for m in a12.measures] == ["全面开展碳达峰碳中和试点建设", "加强碳达峰典型经验宣传"]
    assert a12.measures[0].source.start is not None
    assert a12.measures[0].source.start > SEED.index("(二十二)梯次有序碳达峰行动")


def test_noise_creates_nothing(plan: Plan) -> None:
    texts = [m.text for m in plan.measures]
    titles = [m.title for m in plan.measures]
    # (十三)–(二十二) and the doubled (十)/(十一)/(十二) blocks: each item is there once
    assert Counter(titles)["科学合理确定碳达峰目标"] == 1
    assert Counter(titles)["实现经济增长与碳排放脱钩"] == 1
    assert Counter(titles)["加强生态文明宣传教育"] == 1
    assert len(set(texts) - {""}) == len(texts) - 1
    assert not any(t.startswith("程。") for t in texts)
    # the summary box and the closing summary
    assert "深化产业园区循环化改造" not in [m.title for p in plan.parts for m in p.measures]
    assert not any("►" in t for t in texts)
    assert all(t.source.start is None or t.source.start < SEED.index("\n(五)深化产业园区循环化改造")
               for t in plan.targets)
    box = {m.id for m in plan.measures if m.source.start is not None and m.source.start > SEED.index("►")}
    assert box == {"a11.m3"}
    # every measure and target points at a first occurrence
    for m in plan.measures:
        if m.source.certainty is Certainty.PRIMARY:
            prefix = item_prefix(plan, m)
            assert SEED.index(prefix + m.text[:30]) + len(prefix) == m.source.start
    for t in seed_targets(plan):
        assert SEED.index(t.source_text) == t.source.start


def test_departments_are_empty(plan: Plan) -> None:
    assert all(not m.departments for m in plan.measures)
    assert all(not t.departments for t in plan.targets)


# --------------------------------------------------------------------------- targets


def test_golden_seed_targets(plan: Plan) -> None:
    got = [(t.measure, t.indicator_id, t.year, t.comparator.value, t.value, t.unit, t.baseline_year, t.aspirational,
            t.scope) for t in seed_targets(plan)]
    assert got == GOLDEN
    assert len(got) == 29


def test_target_ids(plan: Plan) -> None:
    for t in seed_targets(plan):
        assert t.measure is not None
        assert t.action == t.measure.split(".")[0]
        assert re.fullmatch(rf"im2022\.{re.escape(t.measure)}\.t\d+", t.id)
    counters: Counter[str] = Counter()
    for t in seed_targets(plan):
        assert t.measure is not None
        counters[t.measure] += 1
        assert t.id.endswith(f".t{counters[t.measure]}")


def test_no_duplicate_targets(plan: Plan) -> None:
    keys = [(t.indicator, t.scope, t.year, t.comparator, t.value) for t in plan.targets]
    assert len(keys) == len(set(keys))
    assert len({t.id for t in plan.targets}) == len(plan.targets) == 34


@pytest.mark.parametrize("index", range(29))
def test_each_seed_target_against_its_sentence(plan: Plan, index: int) -> None:
    t = seed_targets(plan)[index]
    src = t.source
    assert src.file == "inner_mongolia_2022.source.txt"
    assert src.certainty is Certainty.PRIMARY
    assert src.start is not None
    assert src.end is not None
    sentence = SEED[src.start:src.end]
    assert sentence == t.source_text
    assert src.line == SEED.count("\n", 0, src.start) + 1
    # a whole sentence: from after a 。/; (or the item's number) to the 。/; that ends it
    assert sentence[-1] in "。;"
    assert SEED[src.start - 1] in "。;" or re.search(r"\n\d+\.$", SEED[:src.start])
    assert not re.search(r"[。;]", sentence[:-1])
    # the figure (value as written, unit as written), the indicator and the year stand in the sentence
    figure = written(t.value) + t.unit
    if figure not in sentence and (t.value, t.unit) == (100, "%"):
        figure = "全部"  # 全部实施…: every one of them
    assert figure in sentence
    assert t.indicator in sentence
    if t.year is None:
        assert not re.search(r"到20\d\d年", sentence)
    else:
        assert f"到{t.year}年" in sentence
    # the comparator (and baseline) follow the wording around the figure
    comparator, baseline = wording(sentence, figure)
    assert t.comparator.value == comparator
    assert t.baseline_year == baseline
    # 力争 in the figure's clause makes the target aspirational
    assert t.aspirational == ("力争" in clause_of(sentence, figure))
    # scope: 全区/自治区 → 150000, or a named sub-scope written in the sentence
    if t.scope == "150000":
        assert t.scope_regions == []
    else:
        assert t.scope in sentence


def test_sub_scopes(plan: Plan) -> None:
    by_scope = {t.scope: t for t in plan.targets if t.scope != "150000"}
    assert set(by_scope) == {"呼和浩特、包头主城区", "城区常住人口100万以上的城市"}
    assert by_scope["呼和浩特、包头主城区"].scope_regions == ["150100", "150200"]  # 呼和浩特市, 包头市 (GB/T 2260)
    assert by_scope["城区常住人口100万以上的城市"].scope_regions == []


def test_companion_targets(plan: Plan) -> None:
    main = [t for t in plan.targets if t.action == "main"]
    assert [(t.indicator, t.year, t.comparator.value, t.value, t.unit) for t in main] == COMPANION
    for t in main:
        assert t.id.startswith("im2022.main.t")
        assert t.measure is None
        assert t.source.certainty is Certainty.PRIMARY
        assert t.source.url in COMPANION_URLS
        assert "内党发〔2022〕8号" in t.source.document
        assert t.source.file is None
        figure = written(t.value) + t.unit
        assert figure in t.source_text
        assert t.indicator in t.source_text
        assert wording(t.source_text, figure)[0] == t.comparator.value


def test_forest_coverage_is_not_duplicated(plan: Plan) -> None:
    forest = [t for t in plan.targets if t.indicator_id == "forest_coverage"]
    assert len(forest) == 1
    assert (forest[0].year, forest[0].value, forest[0].unit) == (2025, 23.5, "%")
    assert forest[0].note
    assert "内党发〔2022〕8号" in forest[0].note


def test_every_target_is_under_a_known_action_or_part(plan: Plan) -> None:
    ids = {a.id for a in plan.actions} | {"main"}
    assert all(t.action in ids for t in plan.targets)


def test_filters_on_the_plan(plan: Plan) -> None:
    assert [t.id for t in filter_targets(plan, action="a05")] == [
        "im2022.a05.m1.t1", "im2022.a05.m1.t2", "im2022.a05.m1.t3"]
    assert {t.year for t in filter_targets(plan, year=2030)} == {2030}
    assert len(filter_targets(plan, year=2030)) == 10  # 8 in the print, 2 of the companion
    assert [t.id for t in filter_targets(plan, scope="150100")] == ["im2022.a05.m1.t2"]
    assert len(filter_targets(plan, indicator="装配式")) == 3
    assert len(filter_targets(plan, indicator="green_travel_share")) == 2
    assert [t.id for t in filter_targets(plan, action="a06", year=2025, indicator="绿色出行")] == [
        "im2022.a06.m2.t2"]
    assert len(filter_targets(plan, action="main")) == 5
