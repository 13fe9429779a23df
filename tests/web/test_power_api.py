"""``/api/power``: who may read and run studies, the run JSON shape of issue 12, errors and downloads."""

from __future__ import annotations

from fastapi.testclient import TestClient

RUN_KEYS = {"study", "year", "snapshots", "objective", "co2_mt", "renewable_share_pct", "curtailment_rate_pct",
            "curtailment_by_carrier", "channels", "solve_seconds"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_public_is_refused_and_auditor_reads_but_does_not_run(client: TestClient,
                                                              role_clients: dict[str, TestClient]) -> None:
    assert client.get("/api/power/studies").status_code == 401
    auditor = role_clients["auditor"]
    studies = auditor.get("/api/power/studies")
    assert studies.status_code == 200
    assert {"im2g-2025", "im2g-2030"} <= {s["id"] for s in studies.json()}
    assert auditor.post("/api/power/studies/im2g-2025/run?hours=24").status_code == 403
    assert role_clients["enterprise"].get("/api/power/studies").status_code == 403


def test_run_answers_the_cli_shape(role_clients: dict[str, TestClient]) -> None:
    admin = role_clients["region_admin"]
    r = admin.post("/api/power/studies/im2g-2025/run", params={"hours": 24})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == RUN_KEYS
    assert body["snapshots"] == 24
    assert {c["name"] for c in body["channels"]} >= {"mengxi_jjj", "shanghaimiao_linyi"}


def test_errors_name_the_problem(role_clients: dict[str, TestClient]) -> None:
    admin = role_clients["region_admin"]
    missing = admin.post("/api/power/studies/nope/run", params={"hours": 24})
    assert missing.status_code == 404
    assert "im2g-2025" in missing.json()["detail"]["hint"]
    bad = admin.post("/api/power/studies/im2g-2025/run", params={"hours": 24, "measure_off": "nuclear"})
    assert bad.status_code == 422
    assert bad.json()["detail"]["field"] == "measure"


def test_network_map_and_excel_download(role_clients: dict[str, TestClient]) -> None:
    admin = role_clients["region_admin"]
    net = admin.get("/api/power/studies/im12-2030/map").json()
    assert len([b for b in net["buses"] if b["grid"] in {"west", "east"} and b["name"].isdigit()]) == 12
    xlsx = admin.get("/api/power/studies/im2g-2025/export.xlsx", params={"hours": 24})
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"] == XLSX
