"""The dashboard in a real Chromium: filters, the source link, the CSV download."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def page(browser: Any, live_server: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.goto(live_server + "/")
    yield pg
    context.close()


def test_filter_by_year_and_indicator(page: Any, artifacts: Path) -> None:
    total = int(page.inner_text("#n-shown"))
    assert total >= 28
    page.select_option("#f-year", "2030")
    shown_2030 = int(page.inner_text("#n-shown"))
    assert 0 < shown_2030 < total
    visible_years = page.eval_on_selector_all(
        "#target-table tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.year)")
    assert set(visible_years) == {"2030"}
    page.fill("#f-indicator", "抽水蓄能")
    assert page.inner_text("#n-shown") == "1"
    assert "year=2030" in page.url
    page.screenshot(path=str(artifacts / "dashboard-filtered.png"), full_page=False)


def test_source_link_opens_the_sentence(page: Any) -> None:
    page.fill("#f-indicator", "森林覆盖率")
    page.click("#target-table tbody tr:not([hidden]) a.src")
    page.wait_for_selector("#sentence")
    assert "森林覆盖率达到23.5%" in page.inner_text("#sentence")


def test_csv_download_follows_the_filters(page: Any) -> None:
    page.select_option("#f-year", "2025")
    with page.expect_download() as info:
        page.click("#download-csv")
    data = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert rows
    assert {r["year"] for r in rows} == {"2025"}
    assert len(rows) == int(page.inner_text("#n-shown"))


def test_dashboard_screenshot(browser: Any, live_server: str, artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    pg.goto(live_server + "/")
    assert pg.inner_text("#n-actions") == "12"
    pg.screenshot(path=str(artifacts / "dashboard.png"))
    context.close()
