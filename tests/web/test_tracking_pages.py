"""The tracking pages as HTML: overview, target board, region drill-down; Chinese first, ``?lang=en``."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from fastapi.testclient import TestClient

LEAGUE_NAMES = ("呼和浩特市", "包头市", "乌海市", "赤峰市", "通辽市", "鄂尔多斯市", "呼伦贝尔市", "巴彦淖尔市",
                "乌兰察布市", "兴安盟", "锡林郭勒盟", "阿拉善盟")


def test_overview_in_chinese(client: TestClient) -> None:
    r = client.get("/overview", params={"lang": "zh"})
    assert r.status_code == 200
    html = r.text
    assert "双控总览" in html
    assert 'id="sample-banner"' in html
    assert "示例数据" in html
    for name in LEAGUE_NAMES:
        assert name in html
    # the region's main targets against their 2025 and 2030 values (内党发〔2022〕19号: 18 %, 25 %左右)
    row = re.search(r'<tr data-indicator="non_fossil_energy_share">(.*?)</tr>', html, re.S)
    assert row is not None
    assert "18%" in row.group(1)
    assert "25%左右" in row.group(1)
    # 乌海市 and 阿拉善盟 rise in 2025 by the sample's design: two level-1 leagues
    counts = re.search(r'data-level="1">一级预警 <b>(\d+)</b>', html)
    assert counts is not None
    assert counts.group(1) == "2"
    data = json.loads(re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S)
                      .group(1))  # type: ignore[union-attr]
    assert len(data) == 12
    assert {d["code"] for d in data if d["level"] == 1} == {"150300", "152900"}
    assert "/static/vendor/echarts/echarts.min.js" in html
    assert "/api/tracking/warnings.xlsx?period=2025" in html


def test_overview_in_english(client: TestClient) -> None:
    html = client.get("/overview", params={"lang": "en", "colour": "energy_intensity"}).text
    assert "Dual-control overview" in html
    assert "Download PNG" in html
    assert "示例数据" in html  # the sample mark stays in Chinese
    assert '<option value="energy_intensity" selected>' in html


def test_board_lists_every_target(client: TestClient) -> None:
    html = client.get("/board", params={"lang": "zh"}).text
    api = client.get("/api/tracking/targets/board").json()
    assert html.count('<tr data-action=') == len(api)
    assert 'id="f-league"' in html
    assert 'id="f-status"' in html
    assert "示例数据" in html
    assert '<option value="150100" lang="zh-CN">呼和浩特市</option>' in html
    assert 'class="spark"' in html
    assert "Target board" in client.get("/board", params={"lang": "en"}).text


def test_board_shows_the_formula_and_the_rule_on_hover(client: TestClient) -> None:
    html = client.get("/board", params={"lang": "zh"}).text
    row = html[html.index('data-target="im2022.a02.m2.t2"'):]
    row = row[:row.index("</tr>")]
    # 平均供电煤耗 305左右, lower is better: the ±1 % band of tracking/data/status_rules.yaml
    assert 'title="左右: 实际值 ≤ 308.05 (目标 305 加上 ±3.05 容差, 越低越好)"' in row
    assert 'title="进度 = (实际值 − 基期值) / (目标值 − 基期值) = (' in row
    assert "进度要求 = (路径要求值 − 基期值) / (目标值 − 基期值) = " in row


def test_region_drill_down(client: TestClient) -> None:
    top = client.get("/regions/150000", params={"lang": "zh"}).text
    for name in LEAGUE_NAMES:
        assert name in top
    assert 'href="/regions/150300?lang=zh' in top
    wuhai = client.get("/regions/150300", params={"lang": "zh"}).text
    crumbs = re.search(r'<nav class="crumbs" id="breadcrumbs"[^>]*>(.*?)</nav>', wuhai, re.S)
    assert crumbs is not None
    assert 'href="/regions/150000' in crumbs.group(1)
    assert '<b lang="zh-CN">乌海市</b>' in crumbs.group(1)
    assert 'id="region-level">一级预警' in wuhai
    assert "发改运行〔2022〕1258号" in wuhai  # rules applied are listed
    assert "海勃湾区" in wuhai  # its counties, one level down
    county = client.get("/regions/150302", params={"lang": "zh"}).text
    assert 'id="no-data"' in county
    assert "乌海市</a>" in county
    assert "示例数据" not in county.split("</header>")[1]  # nothing of the sample is shown there


def test_legacy_and_unknown_codes(client: TestClient) -> None:
    legacy = client.get("/regions/152800")  # 巴彦淖尔盟, now 150800
    assert legacy.status_code == 200
    assert "巴彦淖尔市" in legacy.text
    assert client.get("/regions/159999").status_code == 404  # a code the catalogue does not know: not found



def test_the_co2_history_shows_both_ceads_series_each_with_why_it_differs(client: TestClient) -> None:
    # the region page's trend chart reads this series. CEADs 2019: province energy activity
    # 794.279 − 9.816 = 784.464 MtCO2 = 78 446.4 万tCO2; 鄂尔多斯市 city total 313.4199 MtCO2 = 31 341.99 万tCO2
    def co2(code: str) -> dict[int, dict[str, object]]:
        rows = client.get("/api/tracking/indicators", params={"region": code, "indicator": "co2_emissions"}).json()
        return {r["year"]: r for r in rows}

    top, ordos = co2("150000"), co2("150600")
    assert top[2019]["value"] == pytest.approx(78446.4, abs=0.1)
    assert ordos[2019]["value"] == pytest.approx(31341.99, abs=0.01)
    assert "CEADs provincial inventory, energy activity" in str(top[2019]["source"])
    assert "scope-1 total minus cement process" in str(top[2019]["note"])
    assert "CEADs 290-city inventory" in str(ordos[2019]["source"])
    assert "city total incl. process" in str(ordos[2019]["note"])
    assert "never summed to the province" in str(ordos[2019]["note"])
    assert (top[2020]["sample"], ordos[2020]["sample"]) == (True, True)  # CEADs ends in 2019


def test_the_overview_and_the_region_page_show_the_same_league_counts(client: TestClient) -> None:
    """One count (issue 10 item 2): both pages count leagues at each level of the energy-intensity warning and
    say so; in the sample's design 乌海市 and 阿拉善盟 rise (一级) and all 12 leagues have a level."""
    def counts(html: str, block: str) -> dict[int, int]:
        part = html.split(f'id="{block}"', 1)[1].split("</p>" if block.startswith("region") else "</div>", 1)[0]
        return {int(lv): int(n) for lv, n in re.findall(r'data-level="(\d)">[^<]*<b>(\d+)</b>', part)}

    overview = client.get("/overview", params={"lang": "zh", "year": 2025}).text
    region = client.get("/regions/150000", params={"lang": "zh", "year": 2025}).text
    assert counts(overview, "warning-counts")[1] == 2
    assert sum(counts(overview, "warning-counts").values()) == 12
    assert counts(region, "region-warning-counts") == counts(overview, "warning-counts")
    assert "盟市数" in overview.split('id="warning-counts"', 1)[0].rsplit("<section>", 1)[1]


def test_a_year_before_the_barometer_renders_its_figures(client: TestClient) -> None:
    # 2019 has figures (CEADs, the yearbook) but precedes the plan's base year 2020, where the 629号 levels start
    for path in ("/regions/150000", "/regions/150600", "/overview"):
        r = client.get(path, params={"lang": "zh", "year": 2019})
        assert r.status_code == 200, path
        assert "预警晴雨表自方案基期年（2020年）起：2019年只有指标数据，没有预警等级。" in r.text, path
    region = client.get("/regions/150000", params={"lang": "zh", "year": 2019}).text
    assert '<tr data-indicator="energy_consumption">' in region
    assert 'id="region-warning-counts"' not in region
    overview = client.get("/overview", params={"lang": "zh", "year": 2019}).text
    assert 'id="warning-counts"' not in overview
    assert "/api/tracking/warnings.csv?period=2019" not in overview  # the API has no levels for 2019
    english = client.get("/regions/150000", params={"lang": "en", "year": 2019}).text
    assert "The barometer starts with the base year of the plan, 2020: 2019 has figures but no warning levels." in english


def test_a_year_after_the_plan_is_refused_naming_the_years_in_the_pages_language(client: TestClient) -> None:
    zh = client.get("/regions/150000", params={"lang": "zh", "year": 2031})
    assert zh.status_code == 422
    assert "2031年不在可查看的年份范围内（2000–2030年）" in zh.text
    en = client.get("/regions/150000", params={"lang": "en", "year": 2031})
    assert en.status_code == 422
    assert "year 2031 is outside the years tracked (2000–2030)" in en.text


ENGLISH_STATUSES = {"On track", "Behind", "Achieved", "Missed", "No data", "Standing"}


def test_english_status_labels_read_as_labels_on_every_page_and_export(client: TestClient) -> None:
    badge = re.compile(r'<span class="st st-([a-z_]+)"[^>]*>([^<]+?)\s*(?:<b>|</span>)')
    pages = {path: client.get(path, params={"lang": "en"}).text for path in ("/board", "/overview", "/regions/150000")}
    for path, html in pages.items():
        shown = {label for _, label in badge.findall(html)}
        assert shown, path
        assert shown <= ENGLISH_STATUSES, (path, shown - ENGLISH_STATUSES)
    assert '<option value="missed">Missed</option>' in pages["/board"]
    assert '<span class="st st-missed" data-status="missed">Missed <b>' in pages["/overview"]
    rows = client.get("/api/tracking/targets/board.csv", params={"lang": "en"}).content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(rows.partition("\n\n")[2])))
    assert {r["status"] for r in table} <= ENGLISH_STATUSES
    assert "Missed" in {r["status"] for r in table}
    client.get("/board", params={"lang": "zh"})  # the shared client back to Chinese (the choice is a cookie)


def test_the_other_english_state_labels_read_as_labels_too() -> None:
    # the dispatch round's badge, a unit's annual report, an account's compliance (a code stood in for the first)
    from tanfeng.web.i18n import pgettext, translator

    t = translator("en")
    assert [t["period_open"], t["period_closed"]] == ["Open", "Closed"]
    assert [pgettext("en", "report state", s) for s in ("draft", "submitted", "under_review", "approved", "returned")] \
        == ["Draft", "Submitted", "Under review", "Approved", "Returned"]
    assert [pgettext("en", "compliance status", s) for s in ("complete", "open", "overdue", "no_obligation")] \
        == ["Complete", "Open", "Overdue", "No verified emissions"]
