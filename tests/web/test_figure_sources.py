"""Every figure on the tracking pages says the year its numbers are of (数据截至) and where they come from
(来源: 示例数据, 调度报送 and who, a statistic's institution), issue 10 item 4.

A figure is an element marked ``data-figure`` (a card, a table, a chart, the map); its caption is the element of
class ``provenance`` inside it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import ClassVar

import pytest
from clients import add_test_user, login_client, store_app
from fastapi import FastAPI
from fastapi.testclient import TestClient


class _Figures(HTMLParser):
    """Each ``data-figure`` element's kind and the texts of the visible ``provenance`` captions inside it."""

    VOID: ClassVar[set[str]] = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[tuple[str, list[str]]] = []
        self._stack: list[tuple[str, bool, bool]] = []  # tag, opens a figure, opens a visible caption
        self._caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        a = dict(attrs)
        figure = "data-figure" in a
        if figure:
            self.figures.append((str(a["data-figure"]), []))
        caption = "provenance" in (a.get("class") or "").split() and "hidden" not in a and bool(self.figures)
        if caption:
            self._caption = []
        self._stack.append((tag, figure, caption))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            t, _figure, caption = self._stack.pop()
            if caption and self._caption is not None:
                self.figures[-1][1].append(" ".join("".join(self._caption).split()))
                self._caption = None
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption.append(data)


def figures_of(html: str) -> list[tuple[str, list[str]]]:
    p = _Figures()
    p.feed(html)
    return p.figures


def test_every_figure_on_the_overview_shows_its_date_and_source(client: TestClient) -> None:
    html = client.get("/overview", params={"lang": "zh"}).text
    figures = figures_of(html)
    kinds = [k for k, _ in figures]
    # six headline cards, the targets table, the warning counts, the map and the leagues' table
    assert kinds.count("card") == 6
    assert {"headline", "warning-counts", "map", "league-table"} <= set(kinds)
    for kind, captions in figures:
        assert captions, f"{kind}: no caption"
        for text in captions:
            assert re.search(r"数据截至20\d\d年 · 来源: \S", text), (kind, text)
    # the sample's values are named as such, not as an official statistic
    assert all("来源: 示例数据" in c for _, cs in figures for c in cs)
    en = figures_of(client.get("/overview", params={"lang": "en"}).text)
    assert all(re.search(r"Data as of 20\d\d · Source: \S", c) for _, cs in en for c in cs)


def test_a_published_statistic_is_named_by_its_institution_and_file(client: TestClient) -> None:
    # 2020: the intensity change of the region is the NBS/NDRC/NEA bulletin of 2021-08-23, shipped as a file
    html = client.get("/regions/150000", params={"year": "2020", "lang": "zh"}).text
    row = re.search(r'<tr data-indicator="energy_intensity_change_vs_prev_year">(.*?)</tr>', html, re.S)
    assert row is not None
    assert "数据截至2020年" in row.group(1)
    src = re.search(r'<span class="src src-statistic" title="([^"]*)" lang="zh-CN" translate="no">([^<]*)</span>',
                    row.group(1))
    assert src is not None
    assert src.group(2).startswith("国家统计局")
    assert "nbs_2020_province_energy_intensity_change.csv" in src.group(1)
    for kind, captions in figures_of(html):
        if kind != "trend":  # the trend chart's caption is written by its script
            assert captions, kind
            assert all("数据截至" in c for c in captions), kind


def test_the_board_and_region_tables_date_each_value(client: TestClient) -> None:
    board = client.get("/board", params={"lang": "zh"}).text
    rows = re.findall(r'<tr data-action=.*?</tr>', board, re.S)
    assert rows
    assert all("数据截至" in r and "来源: " in r for r in rows if "<td class=\"num\">—" not in r)
    assert dict(figures_of(board))["board"]
    region = client.get("/regions/150000", params={"lang": "zh"}).text
    assert {"figures", "trend", "targets"} <= {k for k, _ in figures_of(region)}
    assert 'id="trend-targets"' in region


PASSWORD = "figures-test-password-1"


@pytest.fixture(scope="module")
def own_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """A store of its own: a league officer reports a value there."""
    app = store_app(tmp_path_factory.mktemp("figures-web"))
    add_test_user(app, "f_league", "league", PASSWORD, region_code="150600", display_name="鄂尔多斯市发改委 王工")
    return app


@pytest.fixture(scope="module")
def league(own_app: FastAPI) -> TestClient:
    return login_client(own_app, "f_league", PASSWORD)


def test_a_reported_value_names_the_report_and_who_made_it(own_app: FastAPI, league: TestClient) -> None:
    body = {"region": "150602", "indicator": "energy_consumption", "period": "2025", "value": 812.5,
            "unit": "万tce", "source": "东胜区发展改革委 2025年能耗调度"}
    r = league.post("/api/tracking/indicators", json=body)
    assert r.status_code == 201, r.text
    page = league.get("/regions/150602", params={"lang": "zh"}).text
    row = re.search(r'<tr data-indicator="energy_consumption">(.*?)</tr>', page, re.S)
    assert row is not None
    assert "812.5" in row.group(1)
    assert "数据截至2025年" in row.group(1)
    assert '<span class="src src-reported" title="东胜区发展改革委 2025年能耗调度">调度报送 · 鄂尔多斯市发改委 王工</span>' \
        in row.group(1)
    # the public sees that it was reported, not by whom
    public = TestClient(own_app).get("/regions/150602", params={"lang": "zh"}).text
    assert ">调度报送</span>" in public
    assert "王工" not in public
