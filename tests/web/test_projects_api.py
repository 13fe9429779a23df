"""``/api/projects`` and ``/api/assessment`` by role: leagues see and enter their own projects, enterprises
their own, the region reviews region-level projects, the office runs the assessment; PDFs and downloads."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from httpx import Response
from openpyxl import load_workbook
from pypdf import PdfReader

from tanfeng.projects.registry import Project
from tanfeng.projects.workbook import write_workbook

REVIEW_KEYS = {"project", "level", "impact_class", "increment_share_pct", "intensity_effect_pct", "co2_t",
               "efficiency_level", "suspended", "rules"}


def _xlsx(*projects: Project) -> bytes:
    return write_workbook(list(projects))


def _p(code: str, league: str, county: str | None = None, **kw: object) -> Project:
    data: dict[str, object] = {"code": code, "name": f"接口测试{code}", "league": league, "county": county,
                               "industry": "C2614", "stage": "拟建", "energy_equal_tce": 3_000.0,
                               "energy_equiv_tce": 3_500.0, "value_added_10k_yuan": 2_000.0}
    data.update(kw)
    return Project.model_validate(data)


def _upload(client: TestClient, content: bytes) -> Response:
    return client.post("/api/projects/import", files={"file": ("清单.xlsx", content, "application/octet-stream")})


def test_league_sees_only_its_projects(role_clients: dict[str, TestClient]) -> None:
    rows = role_clients["league"].get("/api/projects").json()
    assert rows
    assert {r["league"] for r in rows} == {"150600"}
    assert len(role_clients["region_admin"].get("/api/projects").json()) > len(rows)
    assert role_clients["league"].get("/api/projects/SAMPLE-150200-01").status_code == 403


def test_league_enters_its_own_projects_and_not_others(role_clients: dict[str, TestClient]) -> None:
    r = _upload(role_clients["league"], _xlsx(_p("API-150600-1", "150600", "150602")))
    assert r.status_code == 200, r.text
    r = _upload(role_clients["league"], _xlsx(_p("API-150600-2", "150600"), _p("API-150200-1", "150200")))
    assert r.status_code == 403
    assert role_clients["region_admin"].get("/api/projects/API-150600-2").status_code == 404  # nothing half-imported


def test_bad_workbook_is_refused_with_row_and_field(role_clients: dict[str, TestClient]) -> None:
    wb = load_workbook(io.BytesIO(_xlsx(_p("API-BAD-1", "150600"), _p("API-BAD-2", "150600"))))
    ws = wb["项目清单"]
    ws.cell(row=3, column=[c.value for c in ws[1]].index("阶段") + 1, value="规划")
    buf = io.BytesIO()
    wb.save(buf)
    r = _upload(role_clients["region_admin"], buf.getvalue())
    assert r.status_code == 422
    body = r.json()["detail"]
    assert (body["row"], body["field"]) == (3, "阶段")
    assert role_clients["region_admin"].get("/api/projects/API-BAD-1").status_code == 404


def test_enterprise_sees_its_own_projects(role_clients: dict[str, TestClient]) -> None:
    r = _upload(role_clients["region_admin"], _xlsx(_p("API-ENT-1", "150600", owner_code="unit-A")))
    assert r.status_code == 200
    rows = role_clients["enterprise"].get("/api/projects").json()
    assert [x["code"] for x in rows] == ["API-ENT-1"]


def test_review_json_and_who_keeps_it(role_clients: dict[str, TestClient]) -> None:
    out = role_clients["league"].get("/api/projects/SAMPLE-150600-01/review").json()
    assert set(out) == REVIEW_KEYS
    assert out["level"] == "region"
    assert role_clients["league"].post("/api/projects/SAMPLE-150600-01/review").status_code == 403
    assert role_clients["region_admin"].post("/api/projects/SAMPLE-150600-01/review").status_code == 201
    detail = role_clients["league"].get("/api/projects/SAMPLE-150600-01/review/detail").json()
    assert detail["reasons"]


def test_review_pdf_and_two_high_downloads(role_clients: dict[str, TestClient]) -> None:
    pdf = role_clients["league"].get("/api/projects/SAMPLE-150600-01/review.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "节能审查意见" in text
    assert "示例数据" in text
    assert "629号" in text or "令2023年第2号" in text
    xlsx = role_clients["region_admin"].get("/api/projects/two-high.xlsx", params={"stage": "存量"})
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert "示例数据" in wb.sheetnames[0]
    csv = role_clients["league"].get("/api/projects/two-high.csv").text
    assert "SAMPLE-150600-01" in csv
    assert "SAMPLE-150200" not in csv


def test_assessment_roles_and_shape(role_clients: dict[str, TestClient]) -> None:
    rows = role_clients["league"].get("/api/assessment/leagues", params={"year": 2025}).json()
    assert len(rows) == 12
    assert all(set(r) == {"league", "score", "rank", "result", "points"} for r in rows)
    assert role_clients["league"].post("/api/assessment/leagues", params={"year": 2025}).status_code == 403
    assert role_clients["enterprise"].get("/api/assessment/leagues", params={"year": 2025}).status_code == 403
    assert role_clients["office"].post("/api/assessment/leagues", params={"year": 2025}).status_code == 201
    hist = role_clients["auditor"].get("/api/assessment/history", params={"league": "150600"}).json()
    assert [h["year"] for h in hist] == [2025]
    pdf = role_clients["office"].get("/api/assessment/leagues/150600/scorecard.pdf", params={"year": 2025})
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
