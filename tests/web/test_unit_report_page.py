"""An enterprise files its annual report from its unit's page and sees it returned with the reviewer's comment;
the page says where its figures come from and when."""

from __future__ import annotations

import io
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tanfeng.store.models import utcnow
from tanfeng.store.models_enterprises import KeyUnitRow

pytestmark = [pytest.mark.filterwarnings("ignore::FutureWarning"),
              pytest.mark.filterwarnings("ignore::ResourceWarning")]

OWN_UNIT = "unit-A"  # the enterprise account's unit (role_accounts), 鄂尔多斯市 东胜区


@pytest.fixture(scope="module")
def own_unit(app: FastAPI, role_accounts: dict[str, str]) -> str:
    with app.state.sessions() as session:
        if session.get(KeyUnitRow, OWN_UNIT) is None:
            now = utcnow()
            session.add(KeyUnitRow(code=OWN_UNIT, name="示例企业A", league="150600", county="150602",
                                   industry="C3011", level="league", products=["cement"], contacts=[], sample=True,
                                   created_at=now, updated_at=now))
            session.commit()
    return OWN_UNIT


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match is not None
    return match.group(1)


def _filled_template(client: TestClient, year: int) -> bytes:
    r = client.get(f"/api/units/{OWN_UNIT}/reports/template.xlsx?year={year}&kind=energy")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    fuels = wb["能源消费"]
    fuels.cell(2, 1, "raw_coal")
    fuels.cell(2, 2, 1000)
    fuels.cell(2, 3, "t")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_an_enterprise_files_its_report_and_sees_it_returned_with_a_comment(
        role_clients: dict[str, TestClient], own_unit: str) -> None:
    ent, league = role_clients["enterprise"], role_clients["league"]
    page = ent.get(f"/units/{own_unit}").text
    assert 'id="report-filing"' in page
    assert 'id="template-energy"' in page
    year = int(re.search(r"template\.xlsx\?year=(\d{4})&amp;kind=energy", page).group(1))  # type: ignore[union-attr]
    data = _filled_template(ent, year)
    r = ent.post(f"/units/{own_unit}/reports/upload", data={"csrf_token": _csrf(page)},
                 files={"file": ("年报.xlsx", data, "application/octet-stream")}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = ent.get(r.headers["location"]).text
    assert "年度报告已上传" in page
    row = re.search(r'<tr data-report="(\d+)" data-state="draft">(.*?)</tr>', page, re.S)
    assert row is not None
    # 1000 t raw coal × 0.7143 tce/t (GB/T 2589) = 714.30 tce
    assert "714.30" in row.group(2)
    report_id = row.group(1)

    r = ent.post(f"/units/{own_unit}/reports/{report_id}/submit", data={"csrf_token": _csrf(page)},
                 follow_redirects=False)
    assert r.status_code == 303
    # the enterprise may not review its own report
    refused = ent.post(f"/units/{own_unit}/reports/{report_id}/return",
                       data={"csrf_token": _csrf(page), "comments": "自己退回"})
    assert refused.status_code == 403

    reviewer_page = league.get(f"/units/{own_unit}").text
    assert f'id="return-{report_id}"' in reviewer_page
    empty = league.post(f"/units/{own_unit}/reports/{report_id}/return", data={"csrf_token": _csrf(reviewer_page)})
    assert empty.status_code == 422
    assert 'id="unit-error"' in empty.text
    r = league.post(f"/units/{own_unit}/reports/{report_id}/return",
                    data={"csrf_token": _csrf(reviewer_page), "comments": "请补充燃料消耗明细"}, follow_redirects=False)
    assert r.status_code == 303

    page = ent.get(f"/units/{own_unit}").text
    row = re.search(rf'<tr data-report="{report_id}" data-state="returned">(.*?)</tr>', page, re.S)
    assert row is not None
    assert "已退回" in row.group(1)
    assert "请补充燃料消耗明细" in row.group(1)
    assert "league 测试" in row.group(1)  # the reviewer by display name
    assert f'id="submit-{report_id}"' in page  # it can be fixed and submitted again


def test_the_upload_refuses_what_is_not_a_workbook(role_clients: dict[str, TestClient], own_unit: str) -> None:
    ent = role_clients["enterprise"]
    page = ent.get(f"/units/{own_unit}").text
    r = ent.post(f"/units/{own_unit}/reports/upload", data={"csrf_token": _csrf(page)},
                 files={"file": ("report.csv", b"a,b\n", "text/csv")})
    assert r.status_code == 422
    assert "xlsx" in r.text
    forged = ent.post(f"/units/{own_unit}/reports/upload", data={"csrf_token": "forged"},
                      files={"file": ("r.xlsx", b"x", "application/octet-stream")})
    assert forged.status_code == 403


def test_the_unit_page_names_its_sources_and_data_date(role_clients: dict[str, TestClient], own_unit: str) -> None:
    page = role_clients["office"].get(f"/units/{own_unit}").text
    assert page.count("数据截至") >= 2
    assert "在线监测数据" in page
    assert "企业报送的年度报告" in page
    assert "示例数据" in page
    assert 'id="report-filing"' not in page  # the office reviews, it does not file


def test_the_units_list_searches_and_exports_what_its_filters_show(role_clients: dict[str, TestClient],
                                                                   own_unit: str) -> None:
    league = role_clients["league"]
    page = league.get("/leagues/150600/units", params={"county": "150602"}).text
    assert 'class="table-search" data-table="units"' in page
    assert 'href="/leagues/150600/units/export.csv?county=150602&amp;lang=zh"' in page
    csv = league.get("/leagues/150600/units/export.csv", params={"county": "150602", "lang": "zh"})
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert lines[0] == "鄂尔多斯市 重点用能单位"
    assert lines[1] == "筛选条件: 旗县区=东胜区 (150602)"
    assert lines[2].startswith("导出时间（北京时间）: ")
    assert lines[3] == f"共 {len(lines) - 6} 行"
    assert lines[5].split(",") == ["单位名称", "统一社会信用代码", "盟市", "旗县区", "行业 (GB/T 4754)", "级别",
                                   "计量器具数", "数据性质"]
    body = [line.split(",") for line in lines[6:]]
    assert ["示例企业A", own_unit, "鄂尔多斯市", "东胜区"] in [r[:4] for r in body]
    assert {r[3] for r in body} == {"东胜区"}
    en = league.get("/leagues/150600/units/export.csv", params={"county": "150602", "lang": "en"})
    en_lines = en.text.lstrip("\ufeff").splitlines()
    assert en_lines[0] == "鄂尔多斯市 key energy-consuming units"
    assert en_lines[1] == "Filters: county=东胜区 (150602)"
    assert en_lines[5].split(",") == ["name", "credit code", "league", "county", "industry (GB/T 4754)", "level",
                                      "meters", "data"]
    assert {r.split(",")[5] for r in en_lines[6:]} <= {"National", "Autonomous region", "League"}
    league.get("/leagues/150600/units", params={"county": "150602", "lang": "zh"})  # the shared client: Chinese
    assert role_clients["county"].get("/leagues/150600/units/export.csv").status_code == 403
