"""The league map and the trend chart in a real Chromium: a legend, the boundary note, the data date and source,
a league's value with its unit on hover, its warning colour kept while hovered; the trend chart's target and
required path (issue 10, item 4). Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

ALXA = "152900"  # 阿拉善盟: level 1 in 2025 by the sample's design, and a large shape to point at


@pytest.fixture
def context(browser: Any) -> Any:
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    yield ctx
    ctx.close()


def _map(page: Any) -> tuple[float, float]:
    """Wait for the map, scroll it into view; the page position of a point inside 阿拉善盟 (left of its name)."""
    page.wait_for_selector("#league-map[data-ready='1']", timeout=20000)
    page.locator("#league-map").scroll_into_view_if_needed()
    x, y = page.evaluate(f"window.tanfengMap.pixelOf('{ALXA}')")
    box = page.locator("#league-map").bounding_box()
    return box["x"] + x - 30, box["y"] + y + 12


def _pixel(page: Any, x: float, y: float) -> tuple[int, int, int]:
    png = page.screenshot(clip={"x": x, "y": y, "width": 1, "height": 1})
    r, g, b = Image.open(io.BytesIO(png)).convert("RGB").getpixel((0, 0))
    return r, g, b


def _settled_pixel(page: Any, x: float, y: float) -> tuple[int, int, int]:
    """The pixel once the chart's hover transition has run (it changes for a few frames, then holds)."""
    last = _pixel(page, x, y)
    for _ in range(40):
        page.wait_for_timeout(100)
        now = _pixel(page, x, y)
        if now == last:
            return now
        last = now
    return last


def _hover(page: Any, x: float, y: float) -> str:
    page.mouse.move(x - 40, y - 40)
    page.mouse.move(x, y, steps=6)
    page.wait_for_selector(".map-tooltip", state="visible")
    return str(page.inner_text(".map-tooltip"))


def test_the_map_has_a_legend_a_boundary_note_and_values_on_hover(context: Any, live_server: str,
                                                                  artifacts: Path) -> None:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server + "/overview")
    x, y = _map(page)
    option = page.evaluate("""() => { const o = window.tanfengMap.chart.getOption();
        return {pieces: o.visualMap[0].pieces.map(p => p.label), title: o.visualMap[0].text[0],
                note: o.graphic[0].elements.map(e => e.style.text), subtext: o.title[0].subtext}; }""")
    assert option["pieces"] == ["一级预警", "二级预警", "三级预警", "无预警等级"]
    assert option["title"] == "预警等级（单位GDP能耗同比变化）"
    assert option["note"] == ["示意图，非标准地图"]
    assert option["subtext"] == "数据截至2025年 · 来源: 示例数据"
    assert "数据截至2025年" in page.inner_text("#map-provenance")
    before = _pixel(page, x, y)
    assert before == (0xD9, 0x30, 0x25)  # 一级预警 red
    tip = _hover(page, x, y)
    assert tip.splitlines()[0] == "阿拉善盟"
    assert "一级预警 · 能耗强度变化 +" in tip
    assert tip.splitlines()[1].endswith(" %")
    assert "数据截至2025年 · 来源: 示例数据" in tip
    hovered = _settled_pixel(page, x, y)
    # hovered, the league keeps its warning colour (within the anti-aliasing of the darker border drawn around it;
    # the chart's default hover colour would be far off)
    assert max(abs(a - b) for a, b in zip(hovered, before, strict=True)) <= 12, (hovered, before)
    page.locator("#map-figure").screenshot(path=str(artifacts / "tracking-map-legend-hover.png"))

    # coloured by an indicator: classes with the unit in the legend, the value with its unit on hover
    page.select_option("#map-colour", "energy_intensity")
    page.wait_for_selector("#map-provenance [data-colour='energy_intensity']:not([hidden])")
    labels = page.evaluate("() => window.tanfengMap.chart.getOption().visualMap[0].pieces.map(p => p.label)")
    assert len(labels) >= 2
    assert all(label.endswith(" 吨标准煤/万元") for label in labels)
    page.mouse.move(5, 5)
    tip = _hover(page, x, y)
    line = next(t for t in tip.splitlines() if t.startswith("单位GDP能耗: "))
    value, unit = line.removeprefix("单位GDP能耗: ").split(" ", 1)
    assert float(value) > 0
    assert unit == "吨标准煤/万元"
    assert errors == []


def test_the_map_in_english(context: Any, live_server: str) -> None:
    page = context.new_page()
    page.goto(live_server + "/overview?lang=en")
    x, y = _map(page)
    note = page.evaluate("() => window.tanfengMap.chart.getOption().graphic[0].elements[0].style.text")
    assert note == "Schematic, not a standard map"
    tip = _hover(page, x, y)
    assert "Data as of 2025 · Source: sample data" in tip


def test_the_trend_chart_draws_the_target_and_the_required_path(context: Any, live_server: str,
                                                                artifacts: Path) -> None:
    page = context.new_page()
    page.goto(live_server + "/regions/150000?indicator=non_fossil_energy_share")
    page.wait_for_selector("#trend-chart[data-ready='1']", timeout=20000)
    option = page.evaluate("""() => { const o = window.tanfengTrend.chart.getOption();
        return {y: o.yAxis[0].name, x: o.xAxis[0].name, years: o.xAxis[0].data, legend: o.legend[0].data,
                series: o.series.map(s => [s.name, s.data])}; }""")
    assert (option["y"], option["x"]) == ("%", "年份")
    assert option["legend"] == ["实际", "目标路径（2020–2025年）", "方案目标（2025年）", "目标路径（2020–2030年）",
                                "方案目标（2030年）"]
    series = {name: dict(zip(option["years"], data, strict=True)) for name, data in option["series"]}
    # 内党发〔2022〕19号: 非化石能源消费比重 18 % in 2025, 25 %左右 in 2030, each on a path from 2020
    assert series["方案目标（2025年）"]["2025"] == 18
    assert series["方案目标（2030年）"]["2030"] == 25
    assert series["目标路径（2020–2030年）"]["2030"] == 25
    assert series["目标路径（2020–2025年）"]["2020"] == series["实际"]["2020"]
    caption = page.inner_text("#trend-provenance")
    assert caption.startswith("数据截至2025年 · 来源: ")
    # the sample's years and the year of the published figure (2019) are told apart
    assert caption.endswith("示例数据 (2015–2018, 2020–2025); NDRC环资司约谈内蒙古 2020-09-18 (2019)")
    page.locator("figure[data-figure='trend']").screenshot(path=str(artifacts / "tracking-trend-targets.png"))
    # an indicator the plan sets no target on here says so
    page.select_option("#trend-indicator", "energy_consumption")
    page.wait_for_selector("#trend-chart[data-ready='1'][data-indicator='energy_consumption']", timeout=20000)
    sub = page.evaluate("() => window.tanfengTrend.chart.getOption().title[0].subtext")
    assert sub == "方案未对本地区该指标设定量化目标"
    assert page.evaluate("() => window.tanfengTrend.chart.getOption().yAxis[0].name") == "万吨标准煤"
