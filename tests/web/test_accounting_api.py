"""``/api/accounting``: conversion, combustion, electricity, stored inventories and enterprise reports.

Expected values are the published ones (see tests/golden/accounting/ for their sources):
- GB/T 2589-2008 附录A: raw coal 0.7143 kgce/kg, electricity 0.1229 kgce/kWh (当量值);
- China default fuel table (省级温室气体清单编制指南 carbon columns): raw coal 1.9003 tCO2/t, diesel 3.0959 tCO2/t;
- MEE/NBS provincial electricity factor, Inner Mongolia 2022: 0.6849 tCO2/MWh.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

BALANCE = "项目,原煤(万吨)\n一次能源生产量,10\n工业,10\n"
"""10 万吨 raw coal produced and burnt by industry: 100 000 t × 1.9003 = 190 030 tCO2; × 0.7143 = 71 430 tce."""


@pytest.fixture
def admin(role_clients: dict[str, TestClient]) -> TestClient:
    """Stored runs are records: they need a login (here the region administrator)."""
    return role_clients["region_admin"]


def test_convert_one_tonne_raw_coal(client: TestClient) -> None:
    r = client.post("/api/accounting/convert", json={"value": 1, "unit": "t", "product": "原煤"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["value"] == pytest.approx(0.7143, abs=1e-12)
    assert data["unit"] == "tce"
    assert data["coefficient"] == 0.7143
    assert "GB/T 2589" in data["source"]
    kg = client.post("/api/accounting/convert", json={"value": 1, "unit": "t", "product": "原煤", "to": "kgce"}).json()
    assert kg["value"] == pytest.approx(714.3, abs=1e-9)


def test_convert_electricity_equal_value_needs_the_coal_rate(client: TestClient) -> None:
    r = client.post("/api/accounting/convert", json={"value": 1000, "unit": "kWh", "product": "electricity"})
    assert r.json()["value"] == pytest.approx(0.1229, abs=1e-12)  # 当量值 0.1229 kgce/kWh
    r = client.post("/api/accounting/convert",
                    json={"value": 1000, "unit": "kWh", "product": "electricity", "electricity": "equal"})
    assert r.status_code == 422
    assert "supply coal rate" in r.json()["detail"]["message"]


def test_combustion_one_tonne_diesel(client: TestClient) -> None:
    r = client.post("/api/accounting/combustion", json={"value": 1, "unit": "t", "product": "diesel", "factors": "china"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["tco2"] == pytest.approx(3.0959, abs=1e-12)
    assert data["run_id"] is None
    assert data["factors"][0]["source"]


def test_combustion_stored_as_a_run(admin: TestClient) -> None:
    r = admin.post("/api/accounting/combustion", json={"value": 1, "unit": "t", "product": "diesel", "store": True})
    run_id = r.json()["run_id"]
    assert isinstance(run_id, int)
    run = admin.get(f"/api/accounting/runs/{run_id}").json()
    assert run["kind"] == "combustion"
    assert run["tco2"] == pytest.approx(3.0959, abs=1e-12)


def test_electricity_inner_mongolia_2022(client: TestClient) -> None:
    r = client.post("/api/accounting/electricity",
                    json={"value": 1000, "unit": "MWh", "region": "150000", "year": 2022})
    assert r.status_code == 200, r.text
    assert r.json()["tco2"] == pytest.approx(684.9, abs=1e-9)
    missing = client.post("/api/accounting/electricity",
                          json={"value": 1000, "unit": "MWh", "region": "150000", "year": 2019})
    assert missing.status_code == 422
    assert "2021, 2022" in (missing.json()["detail"]["hint"] or "")


def test_upload_a_balance_stores_a_run(admin: TestClient) -> None:
    r = admin.post("/api/accounting/inventories",
                    files={"file": ("im-2022.csv", BALANCE.encode("utf-8"), "text/csv")},
                    data={"region": "150000", "year": "2022"})
    assert r.status_code == 201, r.text
    run = r.json()
    assert run["kind"] == "inventory"
    assert run["region"] == "150000"
    assert run["year"] == 2022
    assert run["source_name"] == "im-2022.csv"
    assert run["tco2"] == pytest.approx(100_000 * 1.9003, rel=1e-12)
    assert run["energy_tce"] == pytest.approx(100_000 * 0.7143, rel=1e-12)
    assert run["electricity_conversion"] == "equivalent"
    listed = admin.get("/api/accounting/runs", params={"kind": "inventory", "region": "150000"}).json()
    assert run["id"] in [x["id"] for x in listed]
    lines = admin.get(f"/api/accounting/runs/{run['id']}/lines", params={"category": "combustion"}).json()
    assert [(ln["sector"], ln["product"], ln["factor_id"]) for ln in lines] == [
        ("industry", "raw_coal", "cn-provincial-2011:co2:raw_coal")]
    again = admin.post(f"/api/accounting/runs/{run['id']}/recompute").json()
    assert again["equal"] is True
    assert again["differences"] == []
    explained = admin.get(f"/api/accounting/runs/{run['id']}/explain", params={"line": 1}).json()
    assert explained["factors"][0]["value"] == 1.9003


def test_bad_upload_is_422_with_row_and_field_and_stores_nothing(admin: TestClient) -> None:
    before = len(admin.get("/api/accounting/runs").json())
    bad = "项目,原煤(万吨)\n一次能源生产量,10\n工业,ten\n"
    r = admin.post("/api/accounting/inventories", files={"file": ("bad.csv", bad.encode("utf-8"), "text/csv")},
                    data={"region": "150000", "year": "2022"})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert (detail["error"], detail["file"], detail["row"], detail["field"]) == (
        "ImportDataError", "bad.csv", 3, "原煤(万吨)")
    garbage = admin.post("/api/accounting/inventories",
                          files={"file": ("b.xlsx", b"not a workbook", "application/octet-stream")},
                          data={"region": "150000", "year": "2022"})
    assert garbage.status_code == 422
    assert garbage.json()["detail"]["file"] == "b.xlsx"
    no_rate = admin.post("/api/accounting/inventories",
                          files={"file": ("im.csv", BALANCE.encode("utf-8"), "text/csv")},
                          data={"region": "150000", "year": "2022", "electricity_conversion": "equal"})
    assert no_rate.status_code == 422
    assert no_rate.json()["detail"]["field"] == "supply_coal_rate"
    no_grid_year = admin.post("/api/accounting/inventories",
                               files={"file": ("im.csv", BALANCE.encode("utf-8"), "text/csv")},
                               data={"region": "150000", "year": "2019", "electricity_region": "150000"})
    assert no_grid_year.status_code == 422
    assert len(admin.get("/api/accounting/runs").json()) == before


def test_enterprise_report_as_json_body_and_as_upload(admin: TestClient) -> None:
    report = {"enterprise": "测试企业", "year": 2022, "fuels": [{"product": "raw_coal", "quantity": 1000, "unit": "t"}]}
    r = admin.post("/api/accounting/enterprise-reports", json=report)
    assert r.status_code == 201, r.text
    assert r.json()["tco2e"] == pytest.approx(1900.3, rel=1e-12)  # 1 000 t × 1.9003
    assert r.json()["unit_id"] == "测试企业"
    up = admin.post("/api/accounting/enterprise-reports",
                     files={"file": ("r.json", json.dumps(report).encode("utf-8"), "application/json")})
    assert up.status_code == 201, up.text
    assert up.json()["source_name"] == "r.json"
    bad = admin.post("/api/accounting/enterprise-reports",
                      json={**report, "fuels": [{"product": "raw_coal", "quantity": -1, "unit": "t"}]})
    assert bad.status_code == 422
    assert bad.json()["detail"]["row"] == 1
    assert bad.json()["detail"]["field"] == "quantity"


def test_unknown_run_is_404(admin: TestClient) -> None:
    for path in ("/api/accounting/runs/999999", "/api/accounting/runs/999999/lines"):
        r = admin.get(path)
        assert r.status_code == 404
        assert r.json()["detail"]["error"] == "NotFoundError"
    assert admin.post("/api/accounting/runs/999999/recompute").status_code == 404


def test_factors_with_their_sources(client: TestClient) -> None:
    rows = client.get("/api/accounting/factors", params={"what": "grid_co2", "region": "内蒙古", "year": 2022}).json()
    assert [r["value"] for r in rows] == [0.6849]
    assert rows[0]["source"]
    coal = client.get("/api/accounting/factors", params={"what": "coal_coefficient", "key": "raw_coal"}).json()
    assert [r["value"] for r in coal] == [0.7143]


def test_storing_and_reading_runs_needs_a_login_and_the_right_scope(role_clients: dict[str, TestClient]) -> None:
    public, league, auditor = role_clients["public"], role_clients["league"], role_clients["auditor"]
    upload = {"file": ("im.csv", BALANCE.encode("utf-8"), "text/csv")}
    assert public.post("/api/accounting/inventories", files=upload, data={"region": "150000"}).status_code == 401
    assert public.get("/api/accounting/runs").status_code == 401
    # the league officer of 鄂尔多斯市 (150600) may store its own league's inventory, not the region's
    assert league.post("/api/accounting/inventories", files=upload,
                       data={"region": "150000", "year": "2022"}).status_code == 403
    own = league.post("/api/accounting/inventories", files={"file": ("ordos.csv", BALANCE.encode("utf-8"), "text/csv")},
                      data={"region": "150600", "year": "2022"})
    assert own.status_code == 201, own.text
    run = own.json()
    assert run["created_by"] == "t_league"
    region_run = role_clients["region_admin"].post(
        "/api/accounting/inventories", files={"file": ("im.csv", BALANCE.encode("utf-8"), "text/csv")},
        data={"region": "150000", "year": "2022"}).json()
    assert league.get(f"/api/accounting/runs/{run['id']}").status_code == 200
    assert league.get(f"/api/accounting/runs/{region_run['id']}").status_code == 403
    assert region_run["id"] not in [r["id"] for r in league.get("/api/accounting/runs").json()]
    # the auditor reads everything and stores nothing
    assert auditor.get(f"/api/accounting/runs/{region_run['id']}").status_code == 200
    assert auditor.post("/api/accounting/inventories", files=upload, data={"region": "150000"}).status_code == 403
    # compute-only calculations stay public
    assert public.post("/api/accounting/convert", json={"value": 1, "unit": "t", "product": "原煤"}).status_code == 200
