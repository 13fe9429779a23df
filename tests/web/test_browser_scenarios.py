"""The peak-path page in a real Chromium: the four charts draw, the league map has the 12 leagues.

Screenshots are kept in ``test-artifacts/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_run_page_draws_its_charts(browser: Any, live_server: str, role_accounts: dict[str, str],
                                   test_password: str, artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server}/login?next=/scenarios/plan")
    page.fill("#username", role_accounts["office"])
    page.fill("#password", test_password)
    page.click("#login-submit")
    page.wait_for_selector("#fan-chart")
    for chart in ("fan-chart", "wedge-chart", "lmdi-chart", "peak-map"):
        page.wait_for_selector(f"#{chart}[data-ready='1']", timeout=20000)
    assert page.evaluate("window.tanfengPeakMap.features") == 12
    leagues = page.evaluate("window.tanfengPeakMap.chart.getOption().series[0].data.length")
    assert leagues == 12
    assert page.get_attribute("#accounting", "data-view") == "production"
    assert page.inner_text("#accounting") == "生产侧"
    page.screenshot(path=str(artifacts / "scenario-plan.png"), full_page=True)
    context.close()
    assert errors == []
