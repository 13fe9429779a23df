"""Plan text pasted from web pages and PDFs: full-width characters, thousands separators, spaces inside numbers,
lines broken inside a sentence, traditional characters, percentage points and a period as a baseline.

The sentences are written here in the style of provincial plans; the expected values are read off each by hand.
"""

from __future__ import annotations

from tanfeng.plan.extract import extract_text
from tanfeng.plan.textio import normalize_for_matching


def _rows(text: str) -> list[tuple[str | None, int | None, str, float, str]]:
    d = extract_text(text)
    for t in d.targets:
        assert t.match_text in text[t.start:t.end].replace("\n", "")  # the span points at the original text
    return [(t.indicator, t.year, t.comparator.value, t.value, t.unit) for t in d.targets]


def test_full_width_digits_percent_and_decimal_point() -> None:
    text = "到２０２５年，全省非化石能源消费比重达到２２．５％以上。"
    assert _rows(text) == [("非化石能源消费比重", 2025, "≥", 22.5, "%")]


def test_thousands_separators_and_narrow_spaces() -> None:
    text = "到2025年,全省风电装机达到1,250万千瓦,光伏装机达到2\u2009400万千瓦,储能规模达到1 050万千瓦。"
    assert [r[3] for r in _rows(text)] == [1250, 2400, 1050]
    d = extract_text(text)
    assert d.targets[0].match_text == "1,250万千瓦"


def test_spaces_between_value_and_unit_or_around_a_decimal_point() -> None:
    text = "到2025年,森林覆盖率达到 46. 5 %,新能源汽车保有量达到 60 万辆。"
    assert [(r[3], r[4]) for r in _rows(text)] == [(46.5, "%"), (60, "万辆")]


def test_a_list_of_small_numbers_is_not_joined() -> None:
    assert normalize_for_matching("分别为12,30个") == "分别为12,30个"
    assert normalize_for_matching("表 95 100%") == "表 95 100%"


def test_line_broken_inside_a_sentence() -> None:
    text = ("到2025年,全省单位地区生产总值能耗比2020年下降\n"
            "14%,非化石能源消费比重达到25%,光伏装机达到1200\n"
            "万千瓦,城镇新建建筑全面执行绿色建筑标准。\n"
            "二、重点任务\n")
    assert _rows(text) == [
        ("单位地区生产总值能耗", 2025, "decrease_by", 14, "%"),
        ("非化石能源消费比重", 2025, "=", 25, "%"),
        ("光伏装机", 2025, "=", 1200, "万千瓦"),
    ]
    d = extract_text(text)
    assert [t.line for t in d.targets] == [1, 1, 1]


def test_a_title_line_is_not_joined_to_the_paragraph_after_it() -> None:
    text = "关于加快建立健全绿色低碳循环发展经济体系的实施意见\n各市、县人民政府,省各委办厅局:到2025年,森林覆盖率达到40%。"
    assert normalize_for_matching(text).count("\n") == 1
    assert _rows(text) == [("森林覆盖率", 2025, "=", 40, "%")]


def test_a_table_row_is_not_joined() -> None:
    text = "1 单位地区生产总值能耗降低 % 约束性 完成省下达任务\n2 森林覆盖率 % 约束性 45.2 46\n"
    assert normalize_for_matching(text).count("\n") == 2


def test_traditional_characters() -> None:
    text = "到2025年,全省單位地區生產總值能耗比2020年下降14%,煤炭消費總量控制在1.2億噸標準煤以內,光伏裝機達到800萬千瓦。"
    assert _rows(text) == [
        ("单位地区生产总值能耗", 2025, "decrease_by", 14, "%"),
        ("煤炭消费总量", 2025, "≤", 1.2, "亿吨标准煤"),
        ("光伏装机", 2025, "=", 800, "万千瓦"),
    ]
    d = extract_text(text)
    assert d.targets[1].match_text == "1.2億噸標準煤以內"


def test_percentage_points_and_a_period_as_baseline() -> None:
    text = "到2025年,全市单位地区生产总值能耗比“十三五”末下降14%,非化石能源消费比重较十三五期末提高3个百分点。"
    d = extract_text(text)
    assert [(t.comparator.value, t.value, t.unit, t.baseline_year, t.year) for t in d.targets] == [
        ("decrease_by", 14, "%", 2020, 2025), ("increase_by", 3, "个百分点", 2020, 2025)]


def test_a_date_on_its_own_line_or_in_a_page_field_dates_the_text() -> None:
    for head in ("2021年12月\n", "日期:2021-05-21\n", "发布时间:2021-03-23 来源:市发展改革委\n"):
        text = head + "“十三五”期间,全市森林覆盖率达到45%。到2025年,森林覆盖率达到48%。"
        assert [(t.year, t.value) for t in extract_text(text).targets] == [(2025, 48)], head


def test_a_headline_is_not_joined_to_the_page_field_after_it() -> None:
    text = "某省:“十四五”计划风、光各新增10GW\n日期:2021-05-21\n到2020年底,全省风电装机为426万千瓦。"
    assert normalize_for_matching(text).count("\n") == 2
    assert [t.value for t in extract_text(text).targets] == [10, 10]


def test_a_line_cut_short_by_an_ellipsis_is_not_joined() -> None:
    text = "加快建设新型电力系统,新建通道可再生能源电量比例原则上不低于50%……\n到2025年,森林覆盖率达到40%。"
    assert [t.line for t in extract_text(text).targets] == [1, 2]


def test_a_full_width_comma_lists_numbers() -> None:
    text = "到2020年底,全省风电、光伏装机分别为426，191万千瓦。"
    assert normalize_for_matching(text) == "到2020年底,全省风电、光伏装机分别为426,191万千瓦。"


def test_a_long_paragraph_without_a_full_stop_is_not_joined() -> None:
    first = "到2025年,全省可再生能源发电装机容量达到5000万千瓦," + "新型储能装机规模进一步扩大,电力系统调节能力显著增强" * 2
    text = first + "\n" + "到2030年,全省森林覆盖率达到45%,森林蓄积量持续增长,生态系统碳汇能力进一步巩固提升。"
    assert len(first) > 80
    assert normalize_for_matching(text).count("\n") == 1


def test_line_broken_inside_a_word_or_a_unit() -> None:
    text = ("到2025年,全省单位地区生产总值能耗比2020年下\n"
            "降14%,光伏发电装机容量达到1200万千\n"
            "瓦以上,新能源汽车保有量达到30万辆。\n")
    d = extract_text(text)
    assert [(t.indicator, t.comparator.value, t.value, t.unit, t.match_text) for t in d.targets] == [
        ("单位地区生产总值能耗", "decrease_by", 14, "%", "14%"),
        ("光伏发电装机容量", "≥", 1200, "万千瓦", "1200万千瓦以上"),
        ("新能源汽车保有量", "=", 30, "万辆", "30万辆")]
    assert d.targets[0].source_text == text.replace("\n", "")
    assert (d.targets[0].start, d.targets[0].end) == (0, len(text) - 1)


PDF_TRADITIONAL = """某市碳達峰實施方案
一、主要目標
到2025年，全市非化石能源消費比重達到20%左右，單位地區生產
總值能源消耗和二氧化碳排放分別比2020年下降14%和18%，為實現
碳達峰奠定堅實基礎。到2030年，非化石能源消費比重達到25%
左右，單位地區生產總值二氧化碳排放比2005年下降65%以上。
二、重點任務
（一）能源綠色低碳轉型行動
1.大力發展新能源。到2025年，全市光伏發電裝機容量達到1,500萬
千瓦，風電裝機容量達到800萬千瓦；“十四五”期間新增抽水蓄能
裝機120萬千瓦。
"""


def test_a_pdf_page_in_traditional_characters_with_lines_cut_anywhere() -> None:
    d = extract_text(PDF_TRADITIONAL)
    assert [(t.line, t.indicator, t.year, t.comparator.value, t.value, t.unit, t.baseline_year) for t in d.targets] == [
        (3, "非化石能源消费比重", 2025, "≈", 20, "%", None),
        (3, "单位地区生产总值能源消耗", 2025, "decrease_by", 14, "%", 2020),
        (3, "单位地区生产总值二氧化碳排放", 2025, "decrease_by", 18, "%", 2020),
        (5, "非化石能源消费比重", 2030, "≈", 25, "%", None),
        (5, "单位地区生产总值二氧化碳排放", 2030, "decrease_by", 65, "%", 2005),
        (9, "光伏发电装机容量", 2025, "=", 1500, "万千瓦", None),
        (9, "风电装机容量", 2025, "=", 800, "万千瓦", None),
        (9, "新增抽水蓄能装机", 2025, "=", 120, "万千瓦", None),
    ]
    assert d.targets[5].match_text == "1,500萬千瓦"
    for t in d.targets:
        assert t.match_text in PDF_TRADITIONAL[t.start:t.end].replace("\n", "")


def test_units_written_in_latin_letters() -> None:
    d = extract_text("到2025年,全省储能装机达到3GW,光伏装机达到500万kW,年发电量达到120亿kWh,能源消费总量控制在2.5亿tce以内。")
    assert [(t.value, t.unit, t.comparator.value) for t in d.targets] == [
        (3, "GW", "="), (500, "万kW", "="), (120, "亿kWh", "="), (2.5, "亿tce", "≤")]
