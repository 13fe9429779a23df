"""The dispatch pages in a real Chromium: a league officer logs in, opens the current period, submits an
entry with a bad value (the error is shown next to the field and what was typed is kept), corrects it and
sees it listed. Screenshot in ``test-artifacts/dispatch.png``.

The league reads only its own missing items (permissions.csv), so after reporting its list is empty.

Period 2028Q1 belongs to this file (the app and its store are shared by the web tests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

PERIOD = "2028Q1"
TARGET = "im2022.main.t2"


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    yield pg
    context.close()


def test_league_officer_corrects_a_bad_value_and_sees_the_entry(
        page: Any, live_server: str, login_as: Callable[..., TestClient], role_accounts: dict[str, str],
        test_password: str, artifacts: Path) -> None:
    office = login_as(role_accounts["office"])
    opened = office.post("/api/tracking/periods", json={"id": PERIOD, "due_date": "2030-04-10"})
    assert opened.status_code == 201, opened.text
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(live_server + "/login?next=/dispatch")
    page.fill("#username", role_accounts["league"])
    page.fill("#password", test_password)
    page.click("#login-submit")
    page.wait_for_selector("#period-table")
    assert page.url.startswith(live_server + "/dispatch")
    assert page.query_selector("#open-period-form") is None  # a league does not open periods
    page.click(f"#period-table a[href^='/dispatch/{PERIOD}']")
    page.wait_for_selector("#entry-form")
    assert "150600" in (page.text_content("#missing-list") or "")

    page.select_option("#f-item", f"target:{TARGET}")
    page.fill("#f-value", "十二点五")
    page.fill("#f-value-unit", "%")
    page.fill("#f-evidence", "鄂尔多斯市能源局 一季度统计")
    page.fill("#f-as-of", "2028-03-31")
    page.click("#submit-entry")
    page.wait_for_selector("#err-value")
    assert "十二点五" in page.inner_text("#err-value")
    assert page.input_value("#f-value") == "十二点五"  # what the user typed is kept
    assert page.input_value("#f-evidence") == "鄂尔多斯市能源局 一季度统计"
    assert page.input_value("#f-item") == f"target:{TARGET}"
    assert page.query_selector("#entry-table") is None  # nothing was stored

    page.fill("#f-value", "12.5")
    page.click("#submit-entry")
    page.wait_for_selector("#notice")
    row = page.locator(f"#entry-table tr[data-unit='150600'][data-item='target:{TARGET}']")
    assert "12.5 %" in row.inner_text()
    assert "league 测试" in row.inner_text()  # the display name, not the user name
    assert page.query_selector("#err-value") is None
    assert page.query_selector("#all-reported") is not None  # its own missing list (all it may read) is empty
    page.screenshot(path=str(artifacts / "dispatch.png"), full_page=True)
    assert errors == []
