"""``/api/scenarios``: the same shapes as ``tanfeng scenario --format json``; login to read, plan update to store."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from fastapi.testclient import TestClient


def test_list_and_run_shapes(role_clients: dict[str, TestClient]) -> None:
    office = role_clients["office"]
    listed = office.get("/api/scenarios").json()
    assert {s["name"] for s in listed} >= {"bau", "plan", "enhanced"}
    run = office.get("/api/scenarios/plan/run", params={"draws": 100}).json()
    assert run["scenario"] == "plan"
    assert run["electricity_accounting"] == "production"
    assert run["regions"][0]["region"] == "150000"
    assert len(run["regions"]) == 13
    assert set(run["regions"][0]) == {"region", "peak_year", "peak_value_mtco2", "p_peak_by_2030",
                                      "base_year_mtco2", "emissions"}


def test_detail_has_wedges_lmdi_leagues_and_history(role_clients: dict[str, TestClient]) -> None:
    detail = role_clients["league"].get("/api/scenarios/plan/detail", params={"draws": 50}).json()
    assert detail["lmdi"]["effects"] == ["activity", "structure", "intensity", "mix", "factor", "export"]
    assert len(detail["leagues"]) == 12
    assert {w["lever"] for w in detail["wedges"]} >= {"new_energy_buildout", "supply_coal_rate_305"}
    assert detail["history"]["province"][-1] == {"year": 2019, "mtco2": 794.279}
    assert "never reconciled" in detail["history"]["note"]
    region_sink = next(r for r in detail["sinks"]["regions"] if r["region"] == "150000")
    # the sink is known up to the plan's last forest target (2025); the path starts in the base year
    assert [y["year"] for y in region_sink["years"]] == list(range(2020, 2026))
    y2025 = region_sink["years"][-1]
    assert y2025["net_mtco2"] == pytest.approx(y2025["gross_mtco2"] - y2025["sink_mtco2"], abs=1e-5)


def test_iamc_download_reads_back(role_clients: dict[str, TestClient]) -> None:
    r = role_clients["office"].get("/api/scenarios/enhanced/iamc.csv", params={"draws": 20})
    assert r.status_code == 200
    frame = pd.read_csv(io.StringIO(r.text))
    assert list(frame.columns) == ["model", "scenario", "region", "variable", "unit", "year", "value"]
    assert set(frame["scenario"]) == {"enhanced"}


def test_public_is_refused_and_only_admins_store(client: TestClient, role_clients: dict[str, TestClient]) -> None:
    assert client.get("/api/scenarios").status_code == 401
    text = "name: api_test\ntitle_zh: 测试\ntitle_en: Test\nparent: bau\ndescription: api\n"
    assert role_clients["office"].post("/api/scenarios", json={"text": text}).status_code == 403
    saved = role_clients["region_admin"].post("/api/scenarios", json={"text": text})
    assert saved.status_code == 201
    assert saved.json() == {"name": "api_test", "version": 1, "changed": True}
    bad = role_clients["region_admin"].post("/api/scenarios", json={"text": text.replace("bau", "nowhere")})
    assert bad.status_code == 422
    assert role_clients["office"].get("/api/scenarios/nope/run").status_code == 404
