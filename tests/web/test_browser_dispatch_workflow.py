"""The dispatch workflow end to end in a real Chromium (issue 10, done-when): the office opens a round that also
expects 自治区能源局; the league and the department report, each with an evidence file; the office sees the counts
add up (expected = reported + missing), downloads the PDF and the Excel report, reminds a missing league and
closes the round after the confirmation step. A screenshot of each step goes to ``test-artifacts/``.

Period 2028Q2 belongs to this file (the app and its store are shared by the web tests).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

PERIOD = "2028Q2"
PDF = b"%PDF-1.4\n% evidence\n"


@pytest.fixture
def context(browser: Any, live_server: str) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    yield ctx
    ctx.close()


def _login(ctx: Any, live_server: str, username: str, password: str, next_url: str) -> Any:
    page = ctx.new_page()
    page.goto(f"{live_server}/login?next={next_url}")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_load_state()
    return page


def _report(page: Any, live_server: str, item: str, fill: Callable[[Any], None], file: Path, shot: Path) -> None:
    page.goto(f"{live_server}/dispatch/{PERIOD}")
    page.wait_for_selector("#entry-form")
    page.select_option("#f-item", item)
    fill(page)
    page.fill("#f-evidence", "一季度统计")
    page.fill("#f-as-of", "2028-06-30")
    page.set_input_files("#f-attachment", str(file))
    page.click("#submit-entry")
    page.wait_for_selector("#notice")
    assert page.locator("a.attachment", has_text=file.name).count() == 1
    page.screenshot(path=str(shot), full_page=True)


def _count(page: Any, key: str) -> int:
    return int(page.inner_text(f"#n-{key}"))


def test_office_league_and_department_run_a_round(
        browser: Any, context: Any, live_server: str, role_accounts: dict[str, str], test_password: str,
        artifacts: Path, tmp_path: Path) -> None:
    errors: list[str] = []
    context.on("page", lambda p: p.on("pageerror", lambda e: errors.append(str(e))))
    evidence = tmp_path / "一季度统计.pdf"
    evidence.write_bytes(PDF)

    # 1. the office opens the round, expecting 自治区能源局 besides the leagues
    office = _login(context, live_server, role_accounts["office"], test_password, "/dispatch")
    office.wait_for_selector("#open-period-form")
    office.fill("#f-period", PERIOD)
    office.fill("#f-due-date", "2030-07-10")
    office.fill("#f-departments", "自治区能源局")
    office.click("#open-period")
    office.wait_for_selector("#notice")
    assert (_count(office, "expected"), _count(office, "reported"), _count(office, "missing")) == (13, 0, 13)
    office.screenshot(path=str(artifacts / "dispatch-1-opened.png"), full_page=True)

    # 2. the league and 3. the department report, each with an evidence file
    league_ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    league = _login(league_ctx, live_server, role_accounts["league"], test_password, f"/dispatch/{PERIOD}")
    assert league.input_value("#f-unit") == "150600"  # its unit, pre-filled

    def value(page: Any) -> None:
        page.fill("#f-value", "21.5")
        page.fill("#f-value-unit", "%")

    _report(league, live_server, "target:im2022.main.t4", value, evidence, artifacts / "dispatch-2-league.png")
    league_ctx.close()
    dept_ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    dept = _login(dept_ctx, live_server, role_accounts["department"], test_password, f"/dispatch/{PERIOD}")
    assert dept.input_value("#f-unit") == "自治区能源局"
    assert dept.locator("#f-item option[value^='target:']").count() > 0

    def status(page: Any) -> None:
        page.select_option("#f-measure-status", "in_progress")

    _report(dept, live_server, "measure:a01.m2", status, evidence, artifacts / "dispatch-3-department.png")
    dept_ctx.close()

    # 4. the office sees the counts add up and who reported, by display name
    office.goto(f"{live_server}/dispatch/{PERIOD}")
    expected, reported, missing = _count(office, "expected"), _count(office, "reported"), _count(office, "missing")
    assert (expected, reported, missing) == (13, 2, 11)
    assert office.locator("#progress-table tr[data-reported='yes']").count() == 2
    entries = office.inner_text("#entry-table")
    assert "league 测试" in entries
    assert "department 测试" in entries
    assert role_accounts["league"] not in entries
    office.screenshot(path=str(artifacts / "dispatch-4-counts.png"), full_page=True)

    # 5. the PDF and the Excel report
    for link, suffix in (("#download-pdf", ".pdf"), ("#download-xlsx", ".xlsx")):
        with office.expect_download() as info:
            office.click(link)
        saved = tmp_path / f"report{suffix}"
        info.value.save_as(str(saved))
        assert saved.stat().st_size > 1000
        assert info.value.suggested_filename == f"dispatch-{PERIOD}{suffix}"
    assert saved.read_bytes()[:2] == b"PK"

    # 6. a reminder to 乌海市
    office.click("button.remind[data-unit='150300']")
    office.wait_for_selector("#notice")
    assert office.locator("#progress-table tr[data-unit='150300'] .reminded").count() == 1
    office.screenshot(path=str(artifacts / "dispatch-5-reminded.png"), full_page=True)

    # 7. closing, after the confirmation step that lists what is still missing
    office.click("#close-link")
    office.wait_for_selector("#close-form")
    assert office.locator("#close-missing tr[data-unit='150300']").count() == 1
    assert re.search(r"\b11\b", office.inner_text("#c-missing"))
    office.screenshot(path=str(artifacts / "dispatch-6-confirm-close.png"), full_page=True)
    office.click("#confirm-close")
    office.wait_for_selector(f"#period-table tr[data-period='{PERIOD}'][data-status='closed']")
    office.screenshot(path=str(artifacts / "dispatch-7-closed.png"), full_page=True)
    assert errors == []
