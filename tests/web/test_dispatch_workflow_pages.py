"""The dispatch workflow through the pages (TestClient): a league reports with an evidence file, the file is
listed and downloadable by those allowed; the office reminds a missing unit (a notice for that unit, audited),
downloads the report as PDF and Excel (a league may not), and the public sees the counts only.

Period 2029Q1 belongs to this file (the app and its store are shared by the web tests).
"""

from __future__ import annotations

import io
import re
from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from tanfeng.access import Principal, Role
from tanfeng.services import tracking as svc
from tanfeng.store.models import AuditRow

PERIOD = "2029Q1"
PDF = b"%PDF-1.4\n% evidence of 150600, 2029Q1\n"


def _csrf(page: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert m is not None, "the page has no CSRF field"
    return m.group(1)


def _ensure_period(office: TestClient) -> None:
    if office.get(f"/api/tracking/periods/{PERIOD}/summary").status_code == 404:
        r = office.post("/api/tracking/periods", json={"id": PERIOD, "due_date": "2030-04-10"})
        assert r.status_code == 201, r.text


def _report(league: TestClient, files: list[tuple[str, tuple[str, bytes, str]]]) -> object:
    page = league.get(f"/dispatch/{PERIOD}").text
    data = {"csrf_token": _csrf(page), "unit": "150600", "item": "target:im2022.main.t4", "value": "21.5",
            "value_unit": "%", "evidence": "鄂尔多斯市统计局", "as_of": "2029-03-31"}
    return league.post(f"/dispatch/{PERIOD}/entries", data=data, files=files, follow_redirects=False)


def test_a_league_reports_with_evidence_and_the_file_is_listed_and_guarded(
        role_clients: dict[str, TestClient]) -> None:
    _ensure_period(role_clients["office"])
    league = role_clients["league"]
    form = league.get(f"/dispatch/{PERIOD}").text
    assert 'enctype="multipart/form-data"' in form
    assert '<option value="150600" selected' in form  # its unit, pre-filled
    assert 'value="target:im2022.a05.m1.t2"' not in form  # 呼和浩特/包头's target is not offered
    bad = _report(league, [("attachment", ("统计.exe", b"MZ", "application/octet-stream"))])
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert 'id="err-attachment"' in bad.text  # type: ignore[attr-defined]
    ok = _report(league, [("attachment", ("一季度统计.pdf", PDF, "application/pdf"))])
    assert ok.status_code == 303  # type: ignore[attr-defined]
    page = league.get(f"/dispatch/{PERIOD}").text
    link = re.search(r'<a class="attachment" href="(/dispatch/attachments/\d+)" translate="no">一季度统计.pdf</a>', page)
    assert link is not None
    got = league.get(link.group(1))
    assert got.status_code == 200
    assert got.content == PDF
    assert role_clients["office"].get(link.group(1)).content == PDF
    for role in ("public", "county", "department", "enterprise"):  # not theirs to read: as if there were no file
        assert role_clients[role].get(link.group(1)).status_code == 404


def test_the_office_reminds_a_missing_unit_and_the_unit_gets_a_notice(
        app: FastAPI, role_clients: dict[str, TestClient]) -> None:
    _ensure_period(role_clients["office"])
    office = role_clients["office"]
    page = office.get(f"/dispatch/{PERIOD}").text
    assert 'class="remind" data-unit="150300"' in page
    r = office.post(f"/dispatch/{PERIOD}/remind", data={"csrf_token": _csrf(page), "unit": "150300"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert role_clients["league"].post(f"/dispatch/{PERIOD}/remind", data={
        "csrf_token": _csrf(page), "unit": "150300"}).status_code == 403
    with app.state.sessions() as s:
        wuhai = svc.notices_for(s, Principal(user_id="x", role=Role.LEAGUE, region_code="150300"),
                                today=date(2029, 4, 1))
        audit = s.scalars(select(AuditRow).where(AuditRow.entity == "dispatch_reminder",
                                                 AuditRow.entity_id == f"{PERIOD}/150300")).all()
    assert [n.message for n in wuhai] == ["请乌海市于 2030-04-10 前完成 2029Q1 调度报送。"]
    assert [(a.actor, a.action) for a in audit] == [("t_office", "remind")]


def test_the_office_downloads_the_report_and_a_league_may_not(role_clients: dict[str, TestClient]) -> None:
    _ensure_period(role_clients["office"])
    office = role_clients["office"]
    assert 'id="download-pdf"' in office.get(f"/dispatch/{PERIOD}").text
    assert 'id="download-pdf"' not in role_clients["league"].get(f"/dispatch/{PERIOD}").text
    pdf = office.get(f"/dispatch/{PERIOD}/report.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
    xlsx = office.get(f"/dispatch/{PERIOD}/report.xlsx")
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert "已报送" in wb.sheetnames
    assert wb["未报送"]["A1"].value == "报送单位"
    for role in ("league", "public"):
        assert role_clients[role].get(f"/dispatch/{PERIOD}/report.pdf").status_code == 403


def test_the_public_sees_the_counts_and_nothing_else(role_clients: dict[str, TestClient]) -> None:
    _ensure_period(role_clients["office"])
    page = role_clients["public"].get(f"/dispatch/{PERIOD}").text
    assert 'id="n-expected">12<' in page
    assert 'id="counts-only"' in page
    assert 'id="entry-table"' not in page
    assert 'id="missing-list"' not in page
    assert "t_office" not in role_clients["public"].get("/dispatch").text
