"""The tracking pages in a real Chromium: the league map, drill-down, board filters, downloads.

Screenshots are kept in ``test-artifacts/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from export_files import read_csv_export

LEAGUES = {"150100", "150200", "150300", "150400", "150500", "150600", "150700", "150800", "150900", "152200",
           "152500", "152900"}
RISING_LEAGUES = {"150300", "152900"}  # 乌海市, 阿拉善盟: intensity rises in 2025 by the sample's design


@pytest.fixture
def context(browser: Any) -> Any:
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    yield ctx
    ctx.close()


def _map_ready(page: Any) -> None:
    page.wait_for_selector("#league-map[data-ready='1']", timeout=20000)


def test_map_renders_twelve_league_shapes(context: Any, live_server: str, artifacts: Path) -> None:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server + "/overview")
    _map_ready(page)
    assert page.evaluate("window.tanfengMap.features") == 12
    assert set(page.evaluate("window.tanfengMap.codes")) == LEAGUES
    # every league's label point lies inside a drawn shape of the map series
    inside = page.evaluate("""() => window.tanfengMap.codes.map(c =>
        window.tanfengMap.chart.containPixel({seriesIndex: 0}, window.tanfengMap.pixelOf(c)))""")
    assert inside == [True] * 12
    colours = page.evaluate("""() => Object.fromEntries(window.tanfengMap.chart.getOption().series[0].data
        .map(d => [d.code, d.itemStyle.areaColor]))""")
    assert {c for c, col in colours.items() if col == "#D93025"} == RISING_LEAGUES
    assert "示例数据" in page.inner_text("#sample-banner")
    page.screenshot(path=str(artifacts / "tracking-overview-map.png"), full_page=True)
    assert errors == []


def test_map_colour_by_indicator_and_png(context: Any, live_server: str) -> None:
    page = context.new_page()
    page.goto(live_server + "/overview?lang=en")
    _map_ready(page)
    page.select_option("#map-colour", "non_fossil_energy_share")
    assert "colour=non_fossil_energy_share" in page.url
    assert page.evaluate("window.tanfengMap.chart.getOption().visualMap.length") == 1
    assert "indicator=non_fossil_energy_share" in page.get_attribute("#map-csv", "href")
    with page.expect_download() as info:
        page.click("#map-png")
    assert Path(info.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_click_a_league_drills_down(context: Any, live_server: str, artifacts: Path) -> None:
    page = context.new_page()
    page.goto(live_server + "/overview")
    _map_ready(page)
    page.locator("#league-map").scroll_into_view_if_needed()
    x, y = page.evaluate("window.tanfengMap.pixelOf('150600')")  # 鄂尔多斯市, a large league
    box = page.locator("#league-map").bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + x, box["y"] + y)
    assert "/regions/150600" in page.url
    assert "鄂尔多斯市" in page.inner_text("h1")
    crumbs = page.inner_text("#breadcrumbs")
    assert "内蒙古自治区" in crumbs
    page.wait_for_selector("#trend-chart[data-ready='1']", timeout=20000)
    # one level further down: a county, with breadcrumbs back up
    with page.expect_navigation():
        page.click("#children a[data-code='150602']")
    assert "/regions/150602" in page.url
    assert page.inner_text("#breadcrumbs").split("›")[:2] == ["内蒙古自治区 ", " 鄂尔多斯市 "]
    with page.expect_navigation():
        page.click("#breadcrumbs a >> text=鄂尔多斯市")
    assert "/regions/150600" in page.url
    page.screenshot(path=str(artifacts / "tracking-region-150600.png"), full_page=True)


def test_board_filters(context: Any, live_server: str, artifacts: Path) -> None:
    page = context.new_page()
    page.goto(live_server + "/board")
    page.wait_for_selector("#board-table[data-ready='1']")
    total = int(page.inner_text("#n-shown"))
    assert total >= 33
    page.select_option("#f-status", "missed")
    statuses = page.eval_on_selector_all("#board-table tbody tr:not([hidden])", "rs => rs.map(r => r.dataset.status)")
    assert statuses
    assert set(statuses) == {"missed"}
    page.select_option("#f-status", "")
    page.select_option("#f-league", "150100")
    targets = page.eval_on_selector_all("#board-table tbody tr:not([hidden])", "rs => rs.map(r => r.dataset.target)")
    assert targets == ["im2022.a05.m1.t2"]  # 呼和浩特、包头主城区 装配式建筑 40%左右
    page.select_option("#f-league", "")
    page.select_option("#f-action", "main")
    shown = int(page.inner_text("#n-shown"))
    assert shown == 5  # the plan's five main targets
    assert "action=main" in page.url
    # sparklines are drawn
    assert page.eval_on_selector_all("svg.spark polyline", "ps => ps.length") >= total
    page.screenshot(path=str(artifacts / "tracking-board-main.png"), full_page=False)
    # the filtered state is shareable
    again = context.new_page()
    again.goto(page.url)
    again.wait_for_selector("#board-table[data-ready='1']")
    assert int(again.inner_text("#n-shown")) == 5


def test_csv_download_reads_back(context: Any, live_server: str) -> None:
    page = context.new_page()
    page.goto(live_server + "/regions/150300")
    page.wait_for_selector("#trend-chart[data-ready='1']", timeout=20000)
    page.select_option("#trend-indicator", "energy_intensity")
    page.wait_for_selector("#trend-csv[href*='energy_intensity']", state="attached")  # no eval: the CSP forbids it
    with page.expect_download() as info:
        page.click("#trend-csv")
    notes, rows = read_csv_export(Path(info.value.path()).read_bytes())
    assert notes[1] == "筛选条件: 地区=乌海市 (150300); 指标=energy_intensity"
    assert [r["时期"] for r in rows] == [str(y) for y in range(2015, 2026)]
    assert {r["地区代码"] for r in rows} == {"150300"}
    assert {r["单位"] for r in rows} == {"tce/万元"}
    assert {r["示例数据"] for r in rows} == {"示例数据"}
    with page.expect_download() as info:
        page.click("#trend-png")
    assert Path(info.value.path()).read_bytes()[:4] == b"\x89PNG"
