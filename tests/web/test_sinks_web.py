"""Sinks beside the inventory and forestry carbon projects over HTTP and on the pages, by role."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient


def test_net_needs_a_login_and_shows_gross_sink_net(role_clients: dict[str, TestClient]) -> None:
    assert role_clients["public"].get("/api/sinks/net").status_code == 401
    rows = role_clients["auditor"].get("/api/sinks/net").json()
    assert [r["year"] for r in rows] == list(range(2009, 2020))
    assert rows[-1]["gross_mtco2"] == 794.279
    assert rows[-1]["net_mtco2"] == pytest.approx(794.279 - rows[-1]["sink_mtco2"], abs=1e-5)
    assert role_clients["auditor"].get("/api/sinks/net", params={"region": "150602"}).status_code == 422


def test_sinks_page_has_the_net_table(role_clients: dict[str, TestClient]) -> None:
    page = role_clients["league"].get("/sinks", params={"year": 2024})
    assert page.status_code == 200
    assert 'id="net"' in page.text
    assert "79,427.9 万吨二氧化碳" in page.text  # CEADs 2019: 794.279 MtCO2
    assert "鄂尔多斯市" in page.text  # leagues by name, not code
    assert "/sinks/projects" in page.text


def test_projects_are_read_by_role(role_clients: dict[str, TestClient]) -> None:
    sample = "S-FP-150700-01"  # 呼伦贝尔市's sample project
    listed = [p["project_id"] for p in role_clients["auditor"].get("/api/sinks/projects").json()]
    assert sample in listed
    assert sample not in [p["project_id"] for p in role_clients["league"].get("/api/sinks/projects").json()]
    assert role_clients["league"].get(f"/api/sinks/projects/{sample}").status_code == 403
    assert role_clients["public"].get("/api/sinks/projects").status_code == 401
    page = role_clients["auditor"].get(f"/sinks/projects/{sample}", params={"lang": "zh"})
    assert page.status_code == 200
    assert "已核证" in page.text or "已签发" in page.text
    assert "示例" in role_clients["auditor"].get("/sinks/projects", params={"lang": "zh"}).text


def test_register_and_credit_a_project(role_clients: dict[str, TestClient]) -> None:
    admin = role_clients["region_admin"]
    r = admin.post("/api/registry/accounts", json={"instrument": "CCER", "kind": "league", "owner": "150600",
                                                   "name": "鄂尔多斯市 林业碳汇", "region": "150600"})
    assert r.status_code in (201, 409), r.text
    account = "CCER-150600"
    body = {"project_id": "T-FP-150600-01", "name": "测试 造林碳汇项目", "region": "150600", "area_ha": 1200,
            "credit_account": account, "document": "PDD v1"}
    assert role_clients["league"].post("/api/sinks/projects", json=body).status_code == 403
    assert role_clients["enterprise"].post("/api/sinks/projects", json=body).status_code == 403
    r = admin.post("/api/sinks/projects", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["state"] == "registered"
    assert admin.post("/api/sinks/projects", json=body).status_code == 409
    steps = "/api/sinks/projects/T-FP-150600-01/steps"
    assert admin.post(steps, json={"to": "credited", "document": "x"}).status_code == 422  # must be monitored first
    assert admin.post(steps, json={"to": "monitored", "document": "监测报告 2025"}).status_code == 201
    assert admin.post(steps, json={"to": "verified", "document": "核查报告 2025", "tco2e": 3400}).status_code == 201
    r = admin.post(steps, json={"to": "credited", "document": "签发通知"})
    assert r.status_code == 201, r.text
    assert r.json()["credited_tco2e"] == 3400
    assert r.json()["steps"][-1]["tx_id"]
    statement = admin.get(f"/api/registry/accounts/{account}/statement").json()
    assert statement[-1]["amount"] == 3400
    assert role_clients["league"].get("/api/sinks/projects/T-FP-150600-01").status_code == 200


def test_project_states_are_named_by_the_catalogue(role_clients: dict[str, TestClient]) -> None:
    from tanfeng.web.i18n import pgettext

    states = ("registered", "monitored", "verified", "credited")
    assert [pgettext("zh", "project state", s) for s in states] == ["已备案", "已监测", "已核证", "已签发"]
    assert [pgettext("en", "project state", s) for s in states] == ["Registered", "Monitored", "Verified", "Credited"]
    auditor = role_clients["auditor"]
    sample = "S-FP-150700-01"
    zh = auditor.get(f"/sinks/projects/{sample}", params={"lang": "zh"}).text
    assert re.search(r'<b id="state">(已备案|已监测|已核证|已签发)</b>', zh)
    en = auditor.get(f"/sinks/projects/{sample}", params={"lang": "en"}).text
    assert re.search(r'<b id="state">(Registered|Monitored|Verified|Credited)</b>', en)
    listed = auditor.get("/sinks/projects", params={"lang": "en"}).text
    row = listed.split(f'data-project="{sample}"', 1)[1].split("</tr>", 1)[0]
    assert re.search(r"<td>(Registered|Monitored|Verified|Credited)</td>", row)
    auditor.get("/sinks/projects", params={"lang": "zh"})  # the shared client back to Chinese (the choice is a cookie)
