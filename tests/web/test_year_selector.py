"""The year selector of the overview and the board offers the years the store has data for and the plan's
target years, newest first, with the year on screen marked (issue 10).

The sample store holds energy consumption of the region and its leagues for 2015–2025 (statistics and the
sample generator); the plan im2022 sets targets for 2025 and 2030. 2026–2029 have neither.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

OFFERED = [2030, 2025, 2024, 2023, 2022, 2021, 2020, 2019, 2018, 2017, 2016, 2015]


def _selector(html: str) -> tuple[list[int], str | None]:
    """The years the selector links to, in order, and the one marked current ('' for 最新)."""
    nav = re.search(r'<nav class="year-select".*?</nav>', html, re.S)
    assert nav is not None
    links = re.findall(r'<a href="[^"]*"( aria-current="true")? data-year="(\d*)"', nav.group(0))
    current = [y for mark, y in links if mark]
    return [int(y) for _m, y in links if y], current[0] if current else None


@pytest.mark.parametrize("page", ["/overview", "/board"])
def test_the_selector_offers_the_years_with_data_and_the_target_years(client: TestClient, page: str) -> None:
    years, current = _selector(client.get(page).text)
    assert years == OFFERED
    assert current == ""
    years, current = _selector(client.get(page, params={"year": 2019}).text)
    assert years == OFFERED
    assert current == "2019"


@pytest.mark.parametrize("page", ["/overview", "/board"])
def test_a_year_chosen_outside_the_list_stays_in_it(client: TestClient, page: str) -> None:
    years, current = _selector(client.get(page, params={"year": 2027, "lang": "en"}).text)
    assert years == sorted([*OFFERED, 2027], reverse=True)
    assert current == "2027"


def test_the_overview_of_2019_shows_its_figures_and_says_it_has_no_levels(client: TestClient) -> None:
    html = client.get("/overview", params={"year": 2019}).text
    assert re.search(r'<h1>.*<span class="sub">2019</span></h1>', html)
    assert "数据截至2019年" in html
    assert "预警晴雨表自方案基期年（2020年）起：2019年只有指标数据，没有预警等级。" in html


def test_the_board_of_2019_tracks_the_targets_with_values_of_2019(client: TestClient) -> None:
    r = client.get("/board", params={"year": 2019})
    assert r.status_code == 200
    board = client.get("/api/tracking/targets/board", params={"year": 2019}).json()
    years = {t["actual_year"] for t in board if t["actual_year"] is not None}
    assert years
    assert max(years) <= 2019
    assert 'href="/api/tracking/targets/board.csv?year=2019&amp;lang=zh"' in r.text
