"""Downloads hold what the screen shows, in a real Chromium (issue 10, item 7): the board filtered and searched by
indicator, and a league's units searched by name or credit code; each file says its filters and export time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from export_files import BEIJING_STAMP, read_csv_export
from fastapi import FastAPI

from tanfeng.enterprises.registry import KeyUnit, credit_code_check_char
from tanfeng.services import key_units as units


@pytest.fixture
def context(browser: Any) -> Any:
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    yield ctx
    ctx.close()


def _shown(page: Any, table: str, attr: str) -> list[str]:
    return list(page.eval_on_selector_all(f"#{table} tbody tr:not([hidden])", f"rs => rs.map(r => r.dataset.{attr})"))


def test_the_board_download_is_what_the_filters_show(context: Any, live_server: str, artifacts: Path) -> None:
    page = context.new_page()
    page.goto(live_server + "/board")
    page.wait_for_selector("#board-table[data-ready='1']")
    page.fill("#f-q", "能源")
    page.select_option("#f-status", "missed")
    shown = _shown(page, "board-table", "target")
    assert shown
    assert page.inner_text("#n-shown") == str(len(shown))
    assert "q=%E8%83%BD%E6%BA%90" in page.url  # the search is in the address, to share
    with page.expect_download() as info:
        page.click("#board-csv")
    notes, rows = read_csv_export(Path(info.value.path()).read_bytes())
    assert [r["目标编号"] for r in rows] == shown
    assert notes[1] == "筛选条件: 状态=未完成; 指标搜索=能源"
    assert BEIJING_STAMP.search(notes[2])
    page.screenshot(path=str(artifacts / "tracking-board-search.png"))


def _code(n: int, county: str) -> str:
    first17 = f"91{county}MA{n:07d}"
    return first17 + credit_code_check_char(first17)


@pytest.fixture(scope="module")
def three_units(app: FastAPI) -> dict[str, str]:
    """Sample units of 包头市 in the shared store (code → name)."""
    made = {_code(931, "150202"): "示例·浏览器导出钢铁企业", _code(932, "150203"): "示例·浏览器导出电力企业",
            _code(933, "150202"): "示例·浏览器导出电力企业二"}
    with app.state.sessions() as session:
        for code, name in made.items():
            units.upsert_unit(session, KeyUnit(code=code, name=name, league="150200", county=code[2:8],
                                               industry="C3110", level="league", sample=True), actor="test-setup")
        session.commit()
    return made


def test_the_units_download_follows_the_search_box(context: Any, live_server: str, role_accounts: dict[str, str],
                                                   test_password: str, three_units: dict[str, str]) -> None:
    page = context.new_page()
    page.goto(f"{live_server}/login?next=/leagues/150200/units")
    page.fill("#username", role_accounts["office"])
    page.fill("#password", test_password)
    page.click("#login-submit")
    page.wait_for_selector("#units-search")
    page.fill("#units-search", "电力企业")
    shown = _shown(page, "units", "unit")
    assert set(shown) == {c for c, n in three_units.items() if "电力企业" in n}
    assert page.inner_text("#units-shown") == "2"
    with page.expect_download() as info:
        page.click("#units-export-csv")
    notes, rows = read_csv_export(Path(info.value.path()).read_bytes())
    assert {r["统一社会信用代码"] for r in rows} == set(shown)
    assert notes[1] == "筛选条件: 搜索=电力企业"
