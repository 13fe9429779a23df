"""``/api/registry`` by role: the region issues, an enterprise sees and moves only its own accounts, a league
officer reads its league's, auditors read everything; repeated requests move units once."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def accounts(role_clients: dict[str, TestClient]) -> dict[str, str]:
    admin = role_clients["region_admin"]
    for owner, region in (("unit-A", "150600"), ("unit-B", "150200")):
        r = admin.post("/api/registry/accounts", json={"instrument": "EUR", "kind": "enterprise", "owner": owner,
                                                       "name": f"{owner} 用能权", "region": region})
        assert r.status_code == 201, r.text
        r = admin.post("/api/registry/issue", json={"idempotency_key": f"api-{owner}", "account": f"EUR-{owner}",
                                                    "vintage": 2025, "amount": 5000, "basis": "confirmation"})
        assert r.status_code == 201, r.text
    return {"A": "EUR-unit-A", "B": "EUR-unit-B"}


def _transfer(client: TestClient, key: str, source: str, target: str, amount: int) -> Any:
    return client.post("/api/registry/transfers", json={"idempotency_key": key, "source": source, "target": target,
                                                         "amount": amount, "transfer_kind": "stock"})


def test_an_enterprise_sees_and_moves_only_its_own(role_clients: dict[str, TestClient],
                                                   accounts: dict[str, str]) -> None:
    ent = role_clients["enterprise"]
    mine = ent.get("/api/registry/accounts").json()
    assert [a["account"] for a in mine] == [accounts["A"]]
    assert set(mine[0]) == {"account", "owner", "instrument", "balance"}
    assert ent.get(f"/api/registry/accounts/{accounts['B']}/statement").status_code == 403
    assert _transfer(ent, "e-steal", accounts["B"], accounts["A"], 10).status_code == 403
    first = _transfer(ent, "e-sell", accounts["A"], accounts["B"], 1200)
    again = _transfer(ent, "e-sell", accounts["A"], accounts["B"], 1200)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["replayed"] is True
    assert again.json()["tx_id"] == first.json()["tx_id"]
    lines = ent.get(f"/api/registry/accounts/{accounts['A']}/statement").json()
    assert [ln["balance"] for ln in lines] == [5000, 3800]
    xlsx = ent.get(f"/api/registry/accounts/{accounts['A']}/statement.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_only_the_region_issues(role_clients: dict[str, TestClient], accounts: dict[str, str]) -> None:
    body = {"idempotency_key": "ent-issue", "account": accounts["A"], "vintage": 2025, "amount": 1}
    for role in ("enterprise", "league", "auditor", "office"):
        assert role_clients[role].post("/api/registry/issue", json=body).status_code == 403, role


def test_league_reads_its_league_and_auditor_reads_all(role_clients: dict[str, TestClient],
                                                       accounts: dict[str, str]) -> None:
    league = {a["account"] for a in role_clients["league"].get("/api/registry/accounts").json()}
    assert accounts["A"] in league  # unit-A is in 150600, the officer's league
    assert accounts["B"] not in league
    everything = {a["account"] for a in role_clients["auditor"].get("/api/registry/accounts").json()}
    assert {accounts["A"], accounts["B"], "CEA-S-PWR-BT01"} <= everything
    verify = role_clients["auditor"].get("/api/registry/verify").json()
    assert verify["ok"] is True
    assert set(verify) == {"ok", "entries", "accounts", "issued", "retired", "in_circulation", "first_bad_entry"}
    assert role_clients["enterprise"].get("/api/registry/verify").status_code == 403


def test_bad_requests_are_refused(role_clients: dict[str, TestClient], accounts: dict[str, str]) -> None:
    admin = role_clients["region_admin"]
    before = admin.get("/api/registry/verify").json()["entries"]
    assert _transfer(admin, "bad-1", accounts["A"], "EUR-nope", 1).status_code == 404
    assert _transfer(admin, "bad-2", accounts["A"], "CEA-S-PWR-BT01", 1).status_code == 422
    assert _transfer(admin, "bad-3", accounts["A"], accounts["B"], -1).status_code == 422
    r = admin.post("/api/registry/surrenders", json={
        "idempotency_key": "bad-4", "account": accounts["B"], "compliance_year": 2026, "on": "2026-12-01",
        "obligation": 100, "lines": [{"instrument": "EUR", "vintage": 2025, "amount": 100}]})
    assert r.status_code == 422
    assert "expired" in r.json()["detail"]["message"]
    assert admin.get("/api/registry/verify").json()["entries"] == before


def test_sinks_need_a_login(role_clients: dict[str, TestClient]) -> None:
    assert role_clients["public"].get("/api/sinks/account", params={"year": 2024}).status_code == 401
    r = role_clients["league"].get("/api/sinks/account", params={"year": 2024, "region": "150600"})
    assert r.status_code == 200
    assert r.json()["region"] == "150600"
    assert len(role_clients["auditor"].get("/api/sinks/leagues", params={"year": 2024}).json()) == 12
    assert role_clients["auditor"].get("/api/sinks/account", params={"year": 2040}).status_code == 422
