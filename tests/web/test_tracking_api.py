"""``/api/tracking`` over an initialised embedded store (sample data loaded by init).

Expected levels come from published figures (``tests/golden/tracking``) and from the sample generator's
documented design (乌海市 and 阿拉善盟 see energy intensity rise in 2025), not from the service's output.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from export_files import read_csv_export
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from tanfeng.store.models import AuditRow
from tanfeng.store.models_tracking import IndicatorValueRow

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "tracking"
RISING_LEAGUES = {"150300", "152900"}  # 乌海市, 阿拉善盟 (tanfeng.tracking.sample docstring)
LEAGUES = {"150100", "150200", "150300", "150400", "150500", "150600", "150700", "150800", "150900", "152200",
           "152500", "152900"}
STATUSES = {"on_track", "behind", "achieved", "missed", "no_data", "no_path"}


def _published_2020_im() -> dict[str, float]:
    with (GOLDEN / "nbs_2020_province_energy_intensity_change.csv").open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["province_zh"] == "内蒙古")
    return {k: float(v) for k, v in row.items() if k != "province_zh"}


def test_status_of_the_region_and_leagues(client: TestClient) -> None:
    r = client.get("/api/tracking/status", params={"year": 2025})
    assert r.status_code == 200, r.text
    rows = r.json()
    assert {x["region"] for x in rows} == {"150000", *LEAGUES}
    region = next(x for x in rows if x["region"] == "150000")
    f = {x["indicator"]: x for x in region["figures"]}
    assert f["energy_intensity"]["value"] == round(f["energy_consumption"]["value"] / f["gdp"]["value"], 6)
    assert all(x["unit"] for x in region["figures"])
    assert region["sample"] is True
    assert region["gdp_price_base"] == 2020
    assert any("803号" in line for line in region["rules_applied"])


def test_warnings_of_the_sample(client: TestClient) -> None:
    rows = client.get("/api/tracking/warnings", params={"period": "2025Q3"}).json()
    level1 = {w["region"] for w in rows if w["intensity"] and w["intensity"]["level"] == 1}
    assert level1 == RISING_LEAGUES
    wuhai = next(w for w in rows if w["region"] == "150300")
    assert wuhai["intensity"]["consequences"][0]["document"] == "发改办环资〔2021〕629号"
    assert wuhai["sample"] is True


def test_warnings_for_2020_use_the_published_figure(client: TestClient) -> None:
    published = _published_2020_im()
    w = next(x for x in client.get("/api/tracking/warnings", params={"period": "2020"}).json()
             if x["region"] == "150000")
    assert w["intensity"]["value_pct"] == published["energy_intensity_change_pct"]
    assert w["intensity"]["level"] == 1
    assert "国家统计局" in w["intensity_source"]


def test_bad_periods_are_422(client: TestClient) -> None:
    assert client.get("/api/tracking/warnings", params={"period": "2040"}).status_code == 422
    assert client.get("/api/tracking/warnings", params={"period": "2025Q7"}).status_code == 422


def test_analyses(client: TestClient) -> None:
    d = client.get("/api/tracking/decoupling", params={"region": "150000", "start": 2020, "end": 2025})
    assert d.status_code == 200, d.text
    assert d.json()["sample"] is True
    assert d.json()["result"]["state"] in {"强脱钩", "弱脱钩", "扩张连接", "扩张负脱钩"}  # GDP grew 2020→2025
    p = client.get("/api/tracking/peak", params={"region": "150300"})
    assert p.status_code == 200, p.text
    assert p.json()["unit"] == "万tCO2"
    fc = client.get("/api/tracking/forecast",
                    params={"region": "150000", "indicator": "non_fossil_energy_share", "target_year": 2030})
    assert fc.status_code == 200, fc.text
    assert fc.json()["target_id"] == "im2022.main.t4"  # 非化石能源消费比重 2030年 25%左右
    assert 0.0 <= fc.json()["result"]["probability_met"] <= 1.0
    assert client.get("/api/tracking/forecast", params={"region": "150000", "indicator": "gdp",
                                                        "target_year": 2025}).status_code == 422


def test_target_board(client: TestClient) -> None:
    board = client.get("/api/tracking/targets/board").json()
    plan_ids = {t["id"] for t in client.get("/api/plans/im2022/targets").json()}
    assert {b["target_id"] for b in board} == plan_ids
    assert {b["status"] for b in board} <= STATUSES
    prefab = [b for b in board if b["target_id"] == "im2022.a05.m1.t2"]  # 呼和浩特、包头主城区
    assert {b["scope"] for b in prefab} == {"150100", "150200"}
    nf = next(b for b in board if b["target_id"] == "im2022.main.t2")
    assert nf["series"][0][0] == 2020
    assert nf["status"] == "missed"  # the sample region misses 18 % in 2025 (generator design)
    csv_text = client.get("/api/tracking/targets/board.csv").content.decode("utf-8-sig")
    assert "im2022.main.t2" in csv_text


def test_indicator_values_and_downloads(client: TestClient) -> None:
    rows = client.get("/api/tracking/indicators",
                      params={"region": "150000", "indicator": "energy_intensity_change_vs_prev_year"}).json()
    y2020 = next(r for r in rows if r["period"] == "2020")
    assert (y2020["origin"], y2020["sample"]) == ("reference_statistics", False)
    assert y2020["value"] == _published_2020_im()["energy_intensity_change_pct"]
    assert next(r for r in rows if r["period"] == "2024")["sample"] is True
    r = client.get("/api/tracking/indicators.csv", params={"region": "150300", "indicator": "energy_consumption"})
    assert r.status_code == 200
    assert r.content.startswith(b"\xef\xbb\xbf")
    notes, back = read_csv_export(r.content)
    assert notes[1] == "筛选条件: 地区=乌海市 (150300); 指标=energy_consumption"
    assert len(back) == 11  # 2015–2025
    assert {x["单位"] for x in back} == {"万tce"}
    assert {x["示例数据"] for x in back} == {"示例数据"}
    x = client.get("/api/tracking/indicators.xlsx", params={"region": "150300"})
    wb = load_workbook(io.BytesIO(x.content))
    assert "示例数据" in wb.sheetnames[0]
    assert next(wb.worksheets[0].iter_rows(values_only=True))[:2] == ("地区代码", "地区")


def test_writes_need_a_login_and_the_right_role(role_clients: dict[str, TestClient]) -> None:
    body = {"id": "2026Q1", "due_date": "2030-04-10"}
    assert role_clients["public"].post("/api/tracking/periods", json=body).status_code == 401
    assert role_clients["league"].post("/api/tracking/periods", json=body).status_code == 403
    office = role_clients["office"]
    assert office.post("/api/tracking/periods", json={"id": "2031Q1", "due_date": "2031-04-10"}).status_code == 422
    r = office.post("/api/tracking/periods", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["opened_by"] == "t_office"
    assert office.post("/api/tracking/periods", json=body).status_code == 409
    assert "2026Q1" in {p["id"] for p in office.get("/api/tracking/periods").json()}


def test_entries_are_versioned_and_scoped_to_the_users_league(role_clients: dict[str, TestClient],
                                                              app: FastAPI) -> None:
    office, league = role_clients["office"], role_clients["league"]  # the league officer is of 鄂尔多斯 150600
    office.post("/api/tracking/periods", json={"id": "2026Q2", "due_date": "2030-07-10"})
    url = "/api/tracking/periods/2026Q2/entries"
    entry = {"unit": "150600", "target_id": "im2022.a01.m2.t1", "value": 120.0, "value_unit": "万千瓦",
             "evidence": "储能项目并网清单", "as_of": "2026-06-30"}
    assert league.post(url, json=entry).status_code == 201
    second = league.post(url, json={**entry, "value": 125.0})
    assert second.status_code == 201
    assert second.json()["version"] == 2
    # another league: refused, nothing stored
    other = league.post(url, json={**entry, "unit": "150300"})
    assert other.status_code == 403
    # wrong unit of the value: refused, nothing stored
    assert league.post(url, json={**entry, "value": 1.2e6, "value_unit": "kW"}).status_code == 422
    history = office.get(url).json()
    assert [(h["responsible_unit"], h["version"], h["actual_value"], h["entered_by"], h["current"]) for h in history] \
        == [("150600", 1, 120.0, "t_league", False), ("150600", 2, 125.0, "t_league", True)]
    missing = {m["unit"] for m in office.get("/api/tracking/periods/2026Q2/missing").json()}
    assert missing == LEAGUES - {"150600"}
    with app.state.sessions() as session:
        audits = session.scalars(select(AuditRow).where(AuditRow.entity == "dispatch_entry",
                                                        AuditRow.entity_id.like("2026Q2/%"))
                                 .order_by(AuditRow.id)).all()
    assert [(a.actor, a.actor_role, a.action) for a in audits] == [
        ("t_league", "league", "insert"), ("t_league", "league", "new_version")]
    assert audits[1].before is not None
    assert audits[1].before["actual_value"] == 120.0


def test_the_office_closes_a_period_and_it_refuses_entries(role_clients: dict[str, TestClient],
                                                           app: FastAPI) -> None:
    office, league = role_clients["office"], role_clients["league"]
    assert office.post("/api/tracking/periods", json={"id": "2026Q3", "due_date": "2030-10-10"}).status_code == 201
    url = "/api/tracking/periods/2026Q3/close"
    assert role_clients["public"].post(url).status_code == 401
    assert league.post(url).status_code == 403
    assert role_clients["auditor"].post(url).status_code == 403
    r = office.post(url)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "closed"
    assert office.post(url).status_code == 409  # already closed
    assert office.post("/api/tracking/periods/2029Q4/close").status_code == 404  # never opened
    listed = {p["id"]: p["status"] for p in office.get("/api/tracking/periods").json()}
    assert listed["2026Q3"] == "closed"
    entry = {"unit": "150600", "measure_id": "a01.m2", "measure_status": "done", "as_of": "2026-09-30"}
    assert league.post("/api/tracking/periods/2026Q3/entries", json=entry).status_code == 409
    assert office.get("/api/tracking/periods/2026Q3/entries").json() == []
    with app.state.sessions() as session:
        audits = session.scalars(select(AuditRow).where(AuditRow.entity == "dispatch_period",
                                                        AuditRow.entity_id == "2026Q3").order_by(AuditRow.id)).all()
    assert [(a.actor, a.action) for a in audits] == [("t_office", "insert"), ("t_office", "update")]
    assert audits[1].after is not None
    assert audits[1].after["status"] == "closed"


def test_a_league_enters_values_for_itself_and_its_counties(role_clients: dict[str, TestClient],
                                                            app: FastAPI) -> None:
    league = role_clients["league"]  # 鄂尔多斯市 150600
    url = "/api/tracking/indicators"
    body = {"region": "150600", "indicator": "energy_consumption", "period": "2025-06", "value": 4200.0,
            "unit": "万tce", "source": "鄂尔多斯市统计局 月报"}
    first = league.post(url, json=body)
    assert first.status_code == 201, first.text
    assert (first.json()["version"], first.json()["entered_by"], first.json()["sample"]) == (1, "t_league", False)
    # tce converts to the indicator's 万tce (1 万tce = 10 000 tce); a new version, the old one kept
    second = league.post(url, json={**body, "value": 42_150_000.0, "unit": "tce"})
    assert second.status_code == 201, second.text
    out = second.json()
    assert (out["version"], out["unit"]) == (2, "万tce")
    assert abs(out["value"] - 4215.0) < 1e-6
    assert "tce" in (out["note"] or "")
    # its county (东胜区 150602) is its own too
    county = league.post(url, json={**body, "region": "150602", "value": 300.0})
    assert county.status_code == 201, county.text
    with app.state.sessions() as session:
        audits = session.scalars(select(AuditRow).where(AuditRow.entity == "indicator_value",
                                                        AuditRow.entity_id == "150600/energy_consumption/2025-06")
                                 .order_by(AuditRow.id)).all()
    assert [(a.actor, a.actor_role, a.action) for a in audits] == [
        ("t_league", "league", "insert"), ("t_league", "league", "new_version")]
    assert audits[1].before is not None
    assert audits[1].before["value"] == 4200.0


def test_a_value_for_another_region_or_in_a_foreign_unit_is_refused(role_clients: dict[str, TestClient],
                                                                    app: FastAPI) -> None:
    url = "/api/tracking/indicators"
    body = {"region": "150300", "indicator": "energy_consumption", "period": "2025-07", "value": 900.0,
            "unit": "万tce", "source": "x"}
    with app.state.sessions() as session:
        before = (session.scalar(select(func.count()).select_from(IndicatorValueRow)),
                  session.scalar(select(func.count()).select_from(AuditRow)))
    assert role_clients["public"].post(url, json=body).status_code == 401
    assert role_clients["league"].post(url, json=body).status_code == 403  # 乌海市 is another league
    assert role_clients["county"].post(url, json={**body, "region": "150600"}).status_code == 403  # its league
    assert role_clients["office"].post(url, json=body).status_code == 403
    wrong = role_clients["league"].post(url, json={**body, "region": "150600", "unit": "MW"})
    assert wrong.status_code == 422
    assert wrong.json()["detail"]["field"] == "unit"
    unknown = role_clients["league"].post(url, json={**body, "region": "150600", "indicator": "happiness"})
    assert unknown.status_code == 422
    with app.state.sessions() as session:
        after = (session.scalar(select(func.count()).select_from(IndicatorValueRow)),
                 session.scalar(select(func.count()).select_from(AuditRow)))
    assert after == before
