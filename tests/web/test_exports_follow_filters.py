"""Exports hold what the screen's filters show, and say which filters and when (issue 10, item 7).

The board filters in the page (action, league, status, indicator search); its download links carry the same
parameters, and the server selects the same rows (:func:`tanfeng.services.tracking.filter_board`, the match of
the rows' ``data-search``). Each file starts with what it is, the filters, the export time in Beijing time and the
row count (CSV: lines before the table; Excel: the sheet 导出说明); Chinese headers, English with ``?lang=en``.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from export_files import BEIJING_STAMP, read_csv_export, read_xlsx_export
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tanfeng.enterprises.registry import KeyUnit, credit_code_check_char
from tanfeng.services import key_units as units


def _board_rows(html: str) -> list[dict[str, str]]:
    """The board's rows as the page's script filters them (their data attributes)."""
    return [dict(re.findall(r'data-([a-z]+)="([^"]*)"', m)) for m in re.findall(r"<tr (data-action=[^>]*)>", html)]


def _link(html: str, anchor_id: str) -> str:
    m = re.search(rf'<a id="{anchor_id}" href="([^"]+)"', html)
    assert m is not None, anchor_id
    return unescape(m.group(1))


def _with(url: str, **params: str) -> tuple[str, dict[str, str]]:
    """``url`` with ``params`` set, as the page's script sets them on the download links."""
    parts = urlsplit(url)
    return parts.path, {**dict(parse_qsl(parts.query)), **params}


@pytest.mark.parametrize("filters", [
    {"status": "missed", "league": "150000"},
    {"action": "main", "q": "非化石"},
    {"q": "vehicle"},  # the English name
    {"q": "im2022.a05", "league": "150200"},  # a target id; 包头市 is one of the two scopes of 装配式建筑
])
def test_the_board_export_holds_the_rows_the_filters_show(client: TestClient, filters: dict[str, str]) -> None:
    html = client.get("/board", params={"lang": "zh"}).text
    shown = {(r["target"], r["league"]) for r in _board_rows(html)
             if all(r[k if k != "q" else "search"] == v if k != "q" else v.lower() in r["search"]
                    for k, v in filters.items())}
    assert shown  # every case selects something
    path, params = _with(_link(html, "board-csv"), **filters)
    assert (path, params["lang"]) == ("/api/tracking/targets/board.csv", "zh")
    notes, rows = read_csv_export(client.get(path, params=params).content)
    assert {(r["目标编号"], r["地区代码"]) for r in rows} == shown
    assert notes[0] == "目标看板"
    assert notes[1].startswith("筛选条件: ")
    assert BEIJING_STAMP.search(notes[2])
    assert notes[2].startswith("导出时间（北京时间）: ")
    assert notes[3] == f"共 {len(rows)} 行"
    xlsx_path, xlsx_params = _with(_link(html, "board-xlsx"), **filters)
    xnotes, xrows = read_xlsx_export(client.get(xlsx_path, params=xlsx_params).content)
    assert {(r["目标编号"], r["地区代码"]) for r in xrows} == shown
    assert xnotes[:2] == notes[:2]


def test_the_board_export_writes_the_filters_and_english_headers(client: TestClient) -> None:
    params = {"status": "missed", "league": "150000", "q": "share", "lang": "en"}
    notes, rows = read_csv_export(client.get("/api/tracking/targets/board.csv", params=params).content)
    assert notes[0] == "Target board"
    assert notes[1] == "Filters: league=内蒙古自治区 (150000); status=Missed; indicator search=share"
    assert notes[2].startswith("Exported at (Beijing time): ")
    assert rows
    assert set(rows[0]) >= {"target id", "indicator", "status", "actual", "year of actual", "source"}
    assert {r["status"] for r in rows} == {"Missed"}
    zh = read_csv_export(client.get("/api/tracking/targets/board.csv", params={**params, "lang": "zh"}).content)
    assert zh[0][1] == "筛选条件: 盟市=内蒙古自治区 (150000); 状态=未完成; 指标搜索=share"
    assert {r["状态"] for r in zh[1]} == {"未完成"}
    assert [r["目标编号"] for r in zh[1]] == [r["target id"] for r in rows]
    # nothing chosen: said so
    assert read_csv_export(client.get("/api/tracking/targets/board.csv").content)[0][1] == "筛选条件: 无（全部）"


def test_the_map_downloads_hold_its_year_and_leagues(client: TestClient) -> None:
    html = client.get("/overview", params={"lang": "zh"}).text
    notes, rows = read_csv_export(client.get(_link(html, "map-csv")).content)
    assert notes[0] == "全区及各盟市预警等级（发改办环资〔2021〕629号）"
    assert notes[1] == "筛选条件: 时期=2025"
    assert BEIJING_STAMP.search(notes[2])
    assert {r["时期"] for r in rows} == {"2025"}
    assert {r["预警等级"] for r in rows} <= {"1", "2", "3"}
    assert {r["地区"] for r in rows if r["预警等级"] == "1" and r["预警指标"] == "单位GDP能耗变化率（同比）"} == {
        "乌海市", "阿拉善盟"}
    xnotes, _ = read_xlsx_export(client.get(_link(html, "map-xlsx")).content)
    assert xnotes[1] == "筛选条件: 时期=2025"
    # coloured by an indicator, the map's script links the values of the leagues in the map's year
    params = {"indicator": "energy_intensity", "period": "2025", "parent": "150000", "lang": "en"}
    notes, rows = read_csv_export(client.get("/api/tracking/indicators.csv", params=params).content)
    assert notes[1] == ("Filters: regions under=内蒙古自治区 (150000); indicator=energy_intensity; period=2025")
    assert len(rows) == 12
    assert {r["period"] for r in rows} == {"2025"}
    assert {r["unit"] for r in rows} == {"tce/万元"}


def test_the_trend_downloads_hold_the_region_and_indicator(client: TestClient) -> None:
    html = client.get("/regions/150300", params={"lang": "zh"}).text
    notes, rows = read_csv_export(client.get(_link(html, "trend-csv")).content)
    assert notes[1] == "筛选条件: 地区=乌海市 (150300); 指标=energy_consumption"
    assert rows
    assert {r["地区"] for r in rows} == {"乌海市"}
    assert {r["示例数据"] for r in rows} == {"示例数据"}


def _code(n: int, county: str) -> str:
    first17 = f"91{county}MA{n:07d}"
    return first17 + credit_code_check_char(first17)


UNITS = {_code(921, "150602"): "示例·导出测试煤化工企业", _code(922, "150603"): "示例·导出测试电力企业",
         _code(923, "150602"): "示例·导出测试电力企业二"}


@pytest.fixture(scope="module")
def league_units(app: FastAPI) -> dict[str, str]:
    """Three sample units of 鄂尔多斯市 in the shared store (code → name)."""
    with app.state.sessions() as session:
        for code, name in UNITS.items():
            units.upsert_unit(session, KeyUnit(code=code, name=name, league="150600", county=code[2:8],
                                               industry="C2614", level="league", sample=True), actor="test-setup")
        session.commit()
    return UNITS


@pytest.mark.parametrize("q", ["电力企业", "MA0000921"])
def test_the_units_export_follows_the_search_box(role_clients: dict[str, TestClient], league_units: dict[str, str],
                                                 q: str) -> None:
    office = role_clients["office"]
    page = office.get("/leagues/150600/units", params={"lang": "zh"}).text
    assert 'data-export="units-export"' in page
    rows_shown = re.findall(r'<tr data-unit="([^"]+)" data-search="([^"]*)">', page)
    expected = {c for c, text in rows_shown if q.lower() in text}
    assert expected & set(league_units)  # the fixture's units are among them (the store may hold others)
    notes, rows = read_csv_export(office.get("/leagues/150600/units/export.csv",
                                             params={"lang": "zh", "q": q}).content)
    assert {r["统一社会信用代码"] for r in rows} == expected
    assert notes[1] == f"筛选条件: 搜索={q}"
    assert BEIJING_STAMP.search(notes[2])
