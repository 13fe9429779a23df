"""``/api/units``: registry scoped by who asks, report workflow with If-Match → 409, Excel template, assessment."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tanfeng.config import Settings
from tanfeng.enterprises.registry import KeyUnit, Meter, credit_code_check_char
from tanfeng.services import accounts
from tanfeng.services import key_units as units
from tanfeng.store import upgrade
from tanfeng.web.app import create_app


def code(n: int, county: str) -> str:
    first17 = f"91{county}MA{n:07d}"
    return first17 + credit_code_check_char(first17)


U1, U2 = code(1, "150202"), code(2, "150602")
ALL = ["read", "create", "update", "submit", "review", "delete", "ingest", "admin"]
COAL = {"fuels": [{"product": "raw_coal", "quantity": 1000, "unit": "t"}], "measures": ["余热发电"]}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> dict[str, TestClient]:
    from argon2 import PasswordHasher

    root = tmp_path_factory.mktemp("units-api")
    settings = Settings(database_url=f"sqlite:///{root / 't.db'}", data_dir=root / "data")
    upgrade(settings.database_url)
    app = create_app(settings)
    actor = accounts.Actor(name="test-setup")
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    pw = "Vault-Horse-Battery-42!"
    with app.state.sessions() as session:
        for c, league, county, ind in ((U1, "150200", "150202", "C3216"), (U2, "150600", "150602", "C3011")):
            units.upsert_unit(session, KeyUnit(
                code=c, name=f"单位{c[-3:]}", league=league, county=county, industry=ind, level="league",
                meters=(Meter(meter_id=f"{c}-E1", unit_code=c, product="electricity", unit="kWh", kind="interval"),)),
                actor="test-setup")
        tokens = {}
        for user, role, attrs in (("u_admin", "region_admin", {}), ("u_ent", "enterprise", {"unit_id": U2}),
                                  ("u_league", "league", {"region_code": "150600"})):
            accounts.add_user(session, username=user, role=role, password=pw, actor=actor, hasher=cheap, **attrs)
            scopes = [s for s in ALL if s not in ("admin", "delete")] if role != "region_admin" else ALL
            tokens[role] = accounts.issue_api_token(session, username=user, scopes=scopes, actor=actor,
                                                    unit_id=attrs.get("unit_id")).token
        session.commit()
    out = {}
    for role, token in tokens.items():
        c = TestClient(app)
        c.headers["Authorization"] = f"Bearer {token}"
        out[role] = c
    out["public"] = TestClient(app)
    return out


def test_list_is_filtered_and_scoped(clients: dict[str, TestClient]) -> None:
    admin = clients["region_admin"]
    assert [u["code"] for u in admin.get("/api/units").json()] == sorted([U1, U2])
    assert [u["code"] for u in admin.get("/api/units", params={"league": "150200"}).json()] == [U1]
    assert [u["code"] for u in admin.get("/api/units", params={"industry": "C30"}).json()] == [U2]
    assert [u["code"] for u in clients["enterprise"].get("/api/units").json()] == [U2]
    assert [u["code"] for u in clients["league"].get("/api/units").json()] == [U2]
    assert clients["public"].get("/api/units").status_code == 401
    assert clients["enterprise"].get(f"/api/units/{U1}").status_code == 403
    got = clients["enterprise"].get(f"/api/units/{U2}")
    assert got.status_code == 200
    assert got.json()["meter_list"][0]["meter_id"] == f"{U2}-E1"
    assert clients["enterprise"].get(f"/api/units/{U2}/meters").json()[0]["kind"] == "interval"
    assert admin.get(f"/api/units/{code(7, '150202')}").status_code == 404


def test_report_workflow_over_http_with_if_match(clients: dict[str, TestClient]) -> None:
    ent, league = clients["enterprise"], clients["league"]
    r = ent.post(f"/api/units/{U2}/reports", json={"year": 2024, "kind": "energy", "content": COAL})
    assert r.status_code == 201, r.text
    rid, etag = r.json()["id"], r.headers["ETag"]
    assert r.json()["figures"]["energy_tce"] == pytest.approx(714.3, rel=1e-12)
    url = f"/api/units/{U2}/reports/{rid}"
    ok = ent.put(url, json={"content": {**COAL, "purchased_electricity": 10}}, headers={"If-Match": etag})
    assert ok.status_code == 200, ok.text
    stale = ent.put(url, json={"content": {**COAL, "purchased_electricity": 20}}, headers={"If-Match": etag})
    assert stale.status_code == 409
    assert stale.json()["detail"]["error"] == "ConflictError"
    assert "changed by u_ent" in stale.json()["detail"]["message"]
    assert ent.put(url, json={"content": COAL}).status_code == 422  # no lock version at all
    assert ent.post(f"{url}/submit").status_code == 200
    assert ent.post(f"{url}/approve").status_code == 403  # nobody approves their own report
    assert league.post(f"{url}/review").json()["state"] == "under_review"
    back = league.post(f"{url}/return", json={"comments": "补充节能措施"})
    assert back.json()["state"] == "returned"
    assert back.json()["comments"] == "补充节能措施"
    versions = ent.get(f"{url}/versions").json()
    assert [v["action"] for v in versions] == ["create", "edit", "submit", "review", "return"]
    d = ent.get(f"{url}/diff", params={"from": 1, "to": 2}).json()
    assert any(c["path"] == "/content/purchased_electricity" for c in d["changes"])


def test_template_download_and_upload(clients: dict[str, TestClient]) -> None:
    ent = clients["enterprise"]
    t = ent.get(f"/api/units/{U2}/reports/template.xlsx", params={"year": 2023, "kind": "ghg"})
    assert t.status_code == 200
    assert t.headers["content-type"] == XLSX
    wb = load_workbook(io.BytesIO(t.content))
    wb["能源消费"].append(["raw_coal", 500, "t"])
    wb["电力热力"].cell(2, 2, "很多")
    buf = io.BytesIO()
    wb.save(buf)
    bad = ent.post(f"/api/units/{U2}/reports/upload", content=buf.getvalue(), headers={"Content-Type": XLSX})
    assert bad.status_code == 422
    assert (bad.json()["detail"]["file"], bad.json()["detail"]["row"], bad.json()["detail"]["field"]) == (
        "upload.xlsx / 电力热力", 2, "value")
    wb["电力热力"].cell(2, 2, 100)
    buf = io.BytesIO()
    wb.save(buf)
    ok = ent.post(f"/api/units/{U2}/reports/upload", content=buf.getvalue(), headers={"Content-Type": XLSX})
    assert ok.status_code == 200, ok.text
    assert (ok.json()["kind"], ok.json()["year"], ok.json()["state"]) == ("ghg", 2023, "draft")
    assert ok.json()["content"]["purchased_electricity"] == 100


def test_hostile_workbooks_over_http_are_422_naming_sheet_row_and_field(clients: dict[str, TestClient]) -> None:
    """A formula, a header-only template and a damaged file answer 422 with the place named, and store nothing;
    a workbook whose <dimension> tag says A1:A1 is read whole."""
    import re
    import zipfile

    ent = clients["enterprise"]
    url = f"/api/units/{U2}/reports/upload"
    blank = ent.get(f"/api/units/{U2}/reports/template.xlsx", params={"year": 2021, "kind": "energy"}).content
    wb = load_workbook(io.BytesIO(blank))
    wb["能源消费"].append(["raw_coal", "=500*2", "t"])
    formula = io.BytesIO()
    wb.save(formula)
    r = ent.post(url, content=formula.getvalue(), headers={"Content-Type": XLSX})
    assert r.status_code == 422
    assert (r.json()["detail"]["file"], r.json()["detail"]["row"], r.json()["detail"]["field"]) == (
        "upload.xlsx / 能源消费", 2, "B2")
    r = ent.post(url, content=blank, headers={"Content-Type": XLSX})
    assert r.status_code == 422
    assert "reports nothing" in r.json()["detail"]["message"]
    r = ent.post(url, content=blank[: len(blank) // 2], headers={"Content-Type": XLSX})
    assert r.status_code == 422
    assert r.json()["detail"]["file"] == "upload.xlsx"
    assert ent.get(f"/api/units/{U2}/reports", params={"year": 2021}).json() == []
    wb["能源消费"]["B2"] = 1000
    good = io.BytesIO()
    wb.save(good)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:A1"/>',
                                      src.read(info.filename)))
    r = ent.post(url, content=out.getvalue(), headers={"Content-Type": XLSX})
    assert r.status_code == 200, r.text
    assert r.json()["content"]["fuels"] == [{"product": "raw_coal", "quantity": 1000.0, "unit": "t"}]


def test_budget_and_assessment(clients: dict[str, TestClient]) -> None:
    league, ent = clients["league"], clients["enterprise"]
    assert ent.put(f"/api/units/{U2}/budgets/2024", json={"budget_tce": 800}).status_code == 403
    b = league.put(f"/api/units/{U2}/budgets/2024", json={"budget_tce": 800, "source": "盟市下达"})
    assert b.status_code == 200, b.text
    assert b.json()["budget_tce"] == 800
    a = ent.get(f"/api/units/{U2}/assessment", params={"year": 2024})
    assert a.status_code == 200, a.text
    crit = {c["criterion"]: c for c in a.json()["criteria"]}
    assert set(crit) == {"target_met", "report_on_time", "data_quality", "measures"}
    assert all(c["reason"] for c in crit.values())


def test_unit_and_league_pages(clients: dict[str, TestClient]) -> None:
    ent = clients["enterprise"]
    page = ent.get(f"/units/{U2}")
    assert page.status_code == 200, page.text
    assert 'id="monthly"' in page.text
    assert 'id="meters"' in page.text
    assert f"{U2}-E1" in page.text
    assert "示例数据" not in page.text  # no sample unit here
    assert ent.get(f"/units/{U1}").status_code == 403
    league = clients["league"].get("/leagues/150600/units")
    assert league.status_code == 200
    assert U2 in league.text
    assert U1 not in league.text
    anonymous = clients["public"].get(f"/units/{U2}", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login")


def test_the_template_keeps_a_units_text_as_text(clients: dict[str, TestClient]) -> None:
    """Measures typed as ``=cmd|…`` and ``@SUM(…)`` come back in the pre-filled template as text, not formulas."""
    ent = clients["enterprise"]
    hostile = ["=cmd|' /C calc'!A0", "@SUM(1+1)"]
    r = ent.post(f"/api/units/{U2}/reports", json={"year": 2022, "kind": "energy",
                                                   "content": {**COAL, "measures": hostile}})
    assert r.status_code == 201, r.text
    t = ent.get(f"/api/units/{U2}/reports/template.xlsx", params={"year": 2022, "kind": "energy"})
    assert t.status_code == 200
    wb = load_workbook(io.BytesIO(t.content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [row[0] for row in wb["节能措施"].iter_rows(min_row=2, values_only=True)] == hostile
