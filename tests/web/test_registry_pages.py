"""The registry and sinks pages: login needed, each shows only what the caller may read, sample data marked."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_registry_page_lists_accounts_and_compliance(role_clients: dict[str, TestClient]) -> None:
    page = role_clients["auditor"].get("/registry", params={"year": 2023})
    assert page.status_code == 200
    assert "示例数据" in page.text
    assert "CEA-S-PWR-BT01" in page.text
    assert 'class="status-complete"' in page.text  # the sample surrender of 2023 is complete
    assert "2024-12-31" in page.text  # its deadline
    en = role_clients["auditor"].get("/registry", params={"lang": "en"})
    assert "Compliance status" in en.text


def test_statement_page_has_the_running_balance(role_clients: dict[str, TestClient]) -> None:
    page = role_clients["region_admin"].get("/registry/accounts/CEA-S-PWR-BT01")
    assert page.status_code == 200
    assert "statement.xlsx" in page.text
    assert "-3,450,000 吨二氧化碳当量" in page.text  # the sample surrender line
    assert "228,550 吨二氧化碳当量" in page.text  # the balance after it
    assert "清缴" in page.text  # the kind of the line, named
    en = role_clients["region_admin"].get("/registry/accounts/CEA-S-PWR-BT01", params={"lang": "en"})
    assert "-3,450,000 tCO2e" in en.text
    assert "surrender" in en.text


def test_enterprise_and_public_are_kept_out(role_clients: dict[str, TestClient]) -> None:
    assert role_clients["enterprise"].get("/registry/accounts/CEA-S-PWR-BT01").status_code == 403
    assert "CEA-S-PWR-BT01" not in role_clients["enterprise"].get("/registry").text
    r = role_clients["public"].get("/registry", follow_redirects=False)
    assert r.status_code == 303
    assert "/login" in r.headers["location"]


def test_sinks_page(role_clients: dict[str, TestClient]) -> None:
    page = role_clients["league"].get("/sinks", params={"year": 2024})
    assert page.status_code == 200
    assert "万吨二氧化碳" in page.text
    assert "示例数据" in page.text
    assert "表4.5" in page.text  # the source of the BCEF, in Chinese
    en = role_clients["league"].get("/sinks", params={"year": 2024, "lang": "en"})
    assert "Table 4.5" in en.text
    assert role_clients["league"].get("/sinks", params={"year": 2040}).status_code == 422
