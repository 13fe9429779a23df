"""In a real Chromium: each role lands on its own page after logging in; an enterprise files its annual report
from its unit's page and sees it returned with the reviewer's comment; an auditor filters the audit log and
exports what the filters show. Screenshots of each step go to ``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from tanfeng.store.models import utcnow
from tanfeng.store.models_enterprises import KeyUnitRow

OWN_UNIT = "unit-A"  # the enterprise account's unit (role_accounts), 鄂尔多斯市 东胜区


@pytest.fixture
def pages(browser: Any, live_server: str, role_accounts: dict[str, str]) -> Iterator[Any]:
    contexts: list[Any] = []

    def new_page() -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for c in contexts:
        c.close()


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


def _login(page: Any, live_server: str, username: str, password: str) -> None:
    page.goto(live_server + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_selector("#current-user")


def test_the_office_and_a_league_land_on_their_home(pages: Any, live_server: str, test_password: str,
                                                    artifacts: Path) -> None:
    office = pages()
    _login(office, live_server, "t_office", test_password)
    assert office.url == live_server + "/home"
    assert office.inner_text("#home-title").startswith("我的首页")
    office.wait_for_selector("#home-warnings")
    office.screenshot(path=str(artifacts / "landing-office.png"), full_page=True)
    league = pages()
    _login(league, live_server, "t_league", test_password)
    assert "我的待办" in league.inner_text("#home-tasks")
    assert league.query_selector("#home-units") is not None
    league.screenshot(path=str(artifacts / "landing-league.png"), full_page=True)


def test_an_enterprise_files_its_report_and_sees_it_returned(pages: Any, live_server: str, test_password: str,
                                                             own_unit: str, artifacts: Path, tmp_path: Path) -> None:
    ent = pages()
    _login(ent, live_server, "t_ent", test_password)
    assert ent.url.startswith(f"{live_server}/units/{own_unit}")  # the enterprise lands on its own unit
    ent.screenshot(path=str(artifacts / "enterprise-1-unit-page.png"), full_page=True)
    with ent.expect_download() as got:
        ent.click("#template-ghg")
    template = tmp_path / "template.xlsx"
    got.value.save_as(template)
    wb = load_workbook(template)
    fuels = wb["能源消费"]
    fuels.cell(2, 1, "raw_coal")
    fuels.cell(2, 2, 2000)
    fuels.cell(2, 3, "t")
    filled = tmp_path / "温室气体排放报告.xlsx"
    wb.save(filled)
    ent.set_input_files("#upload-file", str(filled))
    ent.click("#upload-submit")
    ent.wait_for_selector("#unit-notice")
    assert ent.inner_text("#unit-notice") == "年度报告已上传"
    row = ent.locator("tr[data-report]", has_text="温室气体排放报告")
    report_id = row.get_attribute("data-report")
    # 2000 t raw coal × 0.7143 tce/t (GB/T 2589) = 1,428.60 tce
    assert "1,428.60" in row.inner_text()
    ent.screenshot(path=str(artifacts / "enterprise-2-uploaded.png"), full_page=True)
    ent.click(f"#submit-{report_id}")
    ent.wait_for_selector("#unit-notice")
    assert "已提交" in ent.locator(f'tr[data-report="{report_id}"] .report-state').inner_text()
    ent.screenshot(path=str(artifacts / "enterprise-3-submitted.png"), full_page=True)

    reviewer = pages()
    _login(reviewer, live_server, "t_league", test_password)
    reviewer.goto(f"{live_server}/units/{own_unit}")
    reviewer.fill(f"#comments-{report_id}", "排放因子请按2024年版本填报")
    reviewer.click(f"#return-{report_id}")
    reviewer.wait_for_selector("#unit-notice")
    reviewer.screenshot(path=str(artifacts / "enterprise-4-returned-by-league.png"), full_page=True)

    ent.goto(f"{live_server}/units/{own_unit}")
    returned = ent.locator(f'tr[data-report="{report_id}"]')
    assert returned.get_attribute("data-state") == "returned"
    assert "排放因子请按2024年版本填报" in returned.locator(".report-comments").inner_text()
    assert ent.query_selector(f"#submit-{report_id}") is not None
    ent.screenshot(path=str(artifacts / "enterprise-5-sees-comment.png"), full_page=True)


def test_an_auditor_filters_and_exports_the_log(pages: Any, live_server: str, test_password: str,
                                                artifacts: Path, tmp_path: Path) -> None:
    aud = pages()
    _login(aud, live_server, "t_auditor", test_password)
    assert aud.url == live_server + "/audit?lang=zh"  # the auditor lands on the audit log
    aud.select_option("#filter-action", "login")
    aud.click("#filter-apply")
    aud.wait_for_url("**action=login**")
    aud.wait_for_selector("#audit-entries tr[data-seq]")
    actions = aud.locator("#audit-entries tr[data-seq] td:nth-child(5)").all_inner_texts()
    assert actions
    assert set(actions) == {"登录"}  # the action by its name in the page language
    aud.screenshot(path=str(artifacts / "auditor-1-filtered.png"), full_page=True)
    with aud.expect_download() as got:
        aud.click("#export-csv")
    target = tmp_path / "audit.csv"
    got.value.save_as(target)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1] == "筛选条件: 操作=login"
    assert {line.split(",")[5] for line in lines[6:]} == {"登录"}  # named as on the page
    assert len(lines[6:]) == len(actions)
