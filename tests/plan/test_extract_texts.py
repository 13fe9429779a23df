"""The extractor on published plan texts (tests/plan/texts/*.txt).

Each file starts with a "# 来源: …" line naming the document and where the text was copied from. The
expected tables below were read off each text by hand; they are the golden values.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_extract_seed import Expect, check_expected

from tanfeng.plan.extract import PlanDraft, extract_file

TEXTS = Path(__file__).parent / "texts"


def _draft(name: str, region: str | None = None) -> PlanDraft:
    return extract_file(TEXTS / name, region_code=region)


def _extra(draft: PlanDraft) -> list[tuple[str, str | None, float, str]]:
    return [(t.id, t.indicator, t.value, t.unit) for t in draft.targets]


def test_guofa_2021_23_main_targets() -> None:
    """国发〔2021〕23号: 十四五/十五五 headline targets; the 2005 baseline with 以上 as qualifier."""
    d = _draft("guofa_2021_23_main_targets.txt", region="000000")
    extra = check_expected(d, [
        Expect("非化石能源消费比重", 2025, "≈", 20, "%"),
        Expect("单位国内生产总值能源消耗", 2025, "decrease_by", 13.5, "%", baseline_year=2020),
        Expect("单位国内生产总值二氧化碳排放", 2025, "decrease_by", 18, "%", baseline_year=2020),
        Expect("非化石能源消费比重", 2030, "≈", 25, "%"),
        Expect("单位国内生产总值二氧化碳排放", 2030, "decrease_by", 65, "%", baseline_year=2005, qualifier="≥"),
    ])
    assert extra == []
    assert [p.kind for p in d.parts] == ["other", "main_targets", "key_tasks"]
    assert {t.part for t in d.targets} == {"p2"}
    assert [a.title for a in d.actions] == ["能源绿色低碳转型行动"]
    # (一)指导思想 under 总体要求 is a measure of the part, not an action
    assert [m.title for m in d.measures if m.part == "p1"] == ["指导思想", "工作原则"]
    # "2030年前碳达峰", "十大行动" and the document number in the comment line give no target
    assert all(t.year in (2025, 2030) for t in d.targets)


def test_zhongfa_2021_36_full_width_and_year_across_sentences() -> None:
    """中发〔2021〕36号, printed with full-width punctuation; the year is stated in the sentence before."""
    d = _draft("zhongfa_2021_36_main_targets.txt")
    extra = check_expected(d, [
        Expect("单位国内生产总值能耗", 2025, "decrease_by", 13.5, "%", baseline_year=2020),
        Expect("单位国内生产总值二氧化碳排放", 2025, "decrease_by", 18, "%", baseline_year=2020),
        Expect("非化石能源消费比重", 2025, "≈", 20, "%"),
        Expect("森林覆盖率", 2025, "=", 24.1, "%"),
        Expect("森林蓄积量", 2025, "=", 180, "亿立方米"),
        Expect("单位国内生产总值二氧化碳排放", 2030, "decrease_by", 65, "%", baseline_year=2005, qualifier="≥"),
        Expect("非化石能源消费比重", 2030, "≈", 25, "%"),
        Expect("风电、太阳能发电总装机容量", 2030, "≥", 12, "亿千瓦"),
        Expect("森林覆盖率", 2030, "≈", 25, "%"),
        Expect("森林蓄积量", 2030, "=", 190, "亿立方米"),
        Expect("非化石能源消费比重", 2060, "≥", 80, "%"),
    ])
    assert extra == []  # "第五代移动通信(5G)" is not a target
    raw = (TEXTS / "zhongfa_2021_36_main_targets.txt").read_text(encoding="utf-8")
    t = next(t for t in d.targets if t.value == 24.1)
    assert "year_from_earlier_sentence" in [r.code for r in t.reasons]
    # a sentence runs to 。: the ；-separated list is one sentence
    assert raw[t.start:t.end] == (
        "单位国内生产总值能耗比2020年下降13.5%；单位国内生产总值二氧化碳排放比2020年下降18%；"
        "非化石能源消费比重达到20%左右；森林覆盖率达到24.1%，森林蓄积量达到180亿立方米，"
        "为实现碳达峰、碳中和奠定坚实基础。")
    assert t.match_text == "24.1%"


def test_guofa_2021_33_respectively() -> None:
    """国发〔2021〕33号: 化学需氧量、氨氮、…排放总量比2020年分别下降8%、8%、10%以上、10%以上."""
    d = _draft("guofa_2021_33_jienengjianpai.txt", region="000000")
    extra = check_expected(d, [
        Expect("单位国内生产总值能源消耗", 2025, "decrease_by", 13.5, "%", baseline_year=2020, scope="全国"),
        Expect("化学需氧量排放总量", 2025, "decrease_by", 8, "%", baseline_year=2020),
        Expect("氨氮排放总量", 2025, "decrease_by", 8, "%", baseline_year=2020),
        Expect("氮氧化物排放总量", 2025, "decrease_by", 10, "%", baseline_year=2020, qualifier="≥"),
        Expect("挥发性有机物排放总量", 2025, "decrease_by", 10, "%", baseline_year=2020, qualifier="≥"),
    ])
    assert extra == []
    assert d.targets[0].scope_code == "000000"
    assert {t.indicator_id for t in d.targets} >= {"cod_emissions", "nox_emissions", "energy_intensity"}


def test_qianjiang_respectively_reach_tonnes() -> None:
    """黔江府发〔2023〕8号: …等重点工程减排量分别达到245吨、18吨、659.1吨、103.9吨; document numbers ignored."""
    d = _draft("qianjiang_2023_jienengjianpai.txt")
    extra = check_expected(d, [
        Expect("单位地区生产总值能源消耗", 2025, "decrease_by", 14.5, "%", baseline_year=2020, scope="全区"),
        Expect("化学需氧量", 2025, "=", 245, "吨"),
        Expect("氨氮", 2025, "=", 18, "吨"),
        Expect("氮氧化物", 2025, "=", 659.1, "吨"),
        Expect("挥发性有机物", 2025, "=", 103.9, "吨"),
    ])
    assert extra == []


def test_shandong_main_targets() -> None:
    """山东省碳达峰实施方案: 单位地区生产总值能源消耗、二氧化碳排放分别比2020年下降14.5%、20.5%."""
    d = _draft("shandong_2022_main_targets.txt", region="370000")
    extra = check_expected(d, [
        Expect("非化石能源消费比重", 2025, "≈", 13, "%"),
        Expect("单位地区生产总值能源消耗", 2025, "decrease_by", 14.5, "%", baseline_year=2020),
        Expect("单位地区生产总值二氧化碳排放", 2025, "decrease_by", 20.5, "%", baseline_year=2020),
        Expect("非化石能源消费占比", 2030, "≈", 20, "%"),
        Expect("单位地区生产总值二氧化碳排放", 2030, "decrease_by", 68, "%", baseline_year=2005, qualifier="≥"),
    ])
    assert extra == []
    assert all(t.scope_code == "370000" for t in d.targets)


def test_ningxia_draft_aspirational_and_no_baseline() -> None:
    """宁夏 征求意见稿: 力争达到; 提高到…以上; a standing rule; 分别下降 with no baseline year."""
    d = _draft("ningxia_2022_draft.txt")
    extra = check_expected(d, [
        Expect("新能源装机规模", 2025, "=", 5000, "万千瓦", aspirational=True),
        Expect("非化石能源发电量占比", 2025, "≥", 30, "%", aspirational=False),
        Expect("非水可再生能源电力消纳比重", 2025, "≥", 28, "%"),
        Expect("风电装机规模", 2030, "=", 2450, "万千瓦", aspirational=True),
        Expect("光伏装机", 2030, "=", 5000, "万千瓦"),
        Expect("可再生能源电力消纳比重", 2030, "≥", 40, "%"),
        Expect("非水可再生能源电力消纳比重", 2030, "≥", 35.2, "%"),
        Expect("新建通道可再生能源电量比例", None, "≥", 50, "%"),
        Expect("单位电石生产综合能耗", 2025, "decrease_by", 10, "%"),
        Expect("单位甲醇生产综合能耗", 2025, "decrease_by", 6, "%"),
    ])
    assert extra == []  # "百万千瓦级光伏基地" and "±800千伏" are not targets
    no_base = next(t for t in d.targets if t.value == 6)
    assert "no_baseline" in [r.code for r in no_base.reasons]
    assert no_base.confidence < next(t for t in d.targets if t.value == 35.2).confidence


def test_henan_transport() -> None:
    """河南省碳达峰实施方案: 100%(不含应急保障车辆); 比2020年下降4.5%左右 (qualifier ≈)."""
    d = _draft("henan_2023_transport.txt")
    extra = check_expected(d, [
        Expect("城市地面公交新能源车替代率", 2025, "=", 100, "%"),
        Expect("营运交通工具单位换算周转量碳排放强度", 2025, "decrease_by", 4.5, "%", baseline_year=2020,
               qualifier="≈"),
    ])
    assert extra == []


def test_jienengjiangtan_2024_2025() -> None:
    """2024—2025年节能降碳行动方案: "2024年," as the year; 约 (≈); 分别降低…左右; 35蒸吨/小时 not a target."""
    d = _draft("jienengjiangtan_2024_2025.txt")
    extra = check_expected(d, [
        Expect("单位国内生产总值能源消耗", 2024, "decrease_by", 2.5, "%", qualifier="≈"),
        Expect("单位国内生产总值二氧化碳排放", 2024, "decrease_by", 3.9, "%", qualifier="≈"),
        Expect("规模以上工业单位增加值能源消耗", 2024, "decrease_by", 3.5, "%", qualifier="≈"),
        Expect("非化石能源消费占比", 2024, "≈", 18.9, "%"),
        Expect("节能量", 2024, "≈", 5000, "万吨标准煤"),
        Expect("减排二氧化碳", 2024, "≈", 1.3, "亿吨"),
        Expect("非化石能源消费占比", 2025, "≈", 20, "%"),
        Expect("节能量", 2025, "≈", 5000, "万吨标准煤"),
        Expect("减排二氧化碳", 2025, "≈", 1.3, "亿吨"),
        Expect("非化石能源发电量占比", 2025, "≈", 39, "%", scope="全国"),
    ])
    assert extra == []


def test_ningxia_climate_plan_ranges_and_known_false_positives() -> None:
    """宁夏应对气候变化“十四五”规划 (press summary): 12个以上、100家以上; 1-2座; 下降幅度达到16%."""
    d = _draft("ningxia_2021_climate_plan.txt")
    extra = check_expected(d, [
        Expect("单位地区生产总值二氧化碳排放", 2025, "decrease_by", 16, "%", scope="全区"),
        Expect("绿色园区", 2025, "≥", 12, "个"),
        Expect("绿色工厂", 2025, "≥", 100, "家"),
        Expect("新能源汽车销量占新车销量比例", 2025, "≥", 15, "%"),
        Expect("新能源公交车比例", 2025, "=", 45, "%"),
        Expect("市政车辆全部实现新能源替代", 2025, "=", 100, "%"),  # 全部: every municipal vehicle
        Expect("加氢站", 2025, "between", 1, "座", value_high=2, aspirational=True),
        Expect("示范公交线路", 2025, "between", 1, "条", value_high=2),
    ])
    # Known false positives on this text, listed so that a change shows up here: project sizes in a
    # list of projects (1400万千瓦光伏, 450万千瓦风电, 4GW 硅片), read with no year and a garbled indicator.
    assert sorted((t.value, t.unit, t.year) for t in extra) == [(4.0, "GW", None), (450.0, "万千瓦", None),
                                                                (1400.0, "万千瓦", None)]
    assert all(t.confidence < 0.8 for t in extra)


@pytest.mark.parametrize("name", sorted(p.name for p in TEXTS.glob("*.txt")))
def test_every_text_reads_and_has_targets(name: str) -> None:
    d = _draft(name)
    assert d.encoding == "utf-8"
    assert d.targets
    raw = (TEXTS / name).read_text(encoding="utf-8")
    assert raw.startswith("# 来源")
    for t in d.targets:
        assert t.match_text in raw[t.start:t.end]
        assert t.line > 1  # never from the source comment line
