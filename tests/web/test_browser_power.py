"""The power-study page in a real Chromium: the dispatch stack, duration curves, curtailment by measure and the
network on the league map all draw from ``/api/power`` without a script error.

Screenshots are kept in ``test-artifacts/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_study_page_draws_its_four_charts(browser: Any, live_server: str, role_accounts: dict[str, str],
                                          test_password: str, artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server}/login?next=/power/im2g-2030%3Fweek%3D3")
    page.fill("#username", role_accounts["region_admin"])
    page.fill("#password", test_password)
    page.click("#login-submit")
    page.wait_for_selector("#power-charts[data-stack-ready='1']", timeout=120000)
    page.wait_for_selector("#power-charts[data-duration-ready='1']", timeout=120000)
    # 蒙西 and 蒙东, the outgoing channels' external buses and the base buses of the channel bases
    page.wait_for_selector("#power-charts[data-map-ready='17']", timeout=60000)
    page.wait_for_selector("#power-charts[data-curtailment-ready]", timeout=300000)
    cases = page.evaluate("echarts.getInstanceByDom(document.getElementById('chart-curtailment'))"
                          ".getOption().xAxis[0].data")
    assert cases[0] == "全部措施"  # the full study, then each measure switched off, in Chinese
    assert len(cases) >= 4
    assert "无抽水蓄能" in cases
    assert all(c == "全部措施" or c.startswith("无") for c in cases)
    stack = page.evaluate("echarts.getInstanceByDom(document.getElementById('chart-stack'))"
                          ".getOption().series.map(function (s) { return s.name; })")
    assert {"区内负荷", "区内负荷+外送", "风电", "光伏", "煤电"} <= set(stack)
    # storage charging is drawn below the zero axis (its own negative stack), discharging above it
    parts = page.evaluate("echarts.getInstanceByDom(document.getElementById('chart-stack')).getOption().series"
                          ".filter(function (s) { return s.stack; })"
                          ".map(function (s) { return [s.name, s.stack, Math.min.apply(null, s.data),"
                          " Math.max.apply(null, s.data)]; })")
    below = {name: (low, high) for name, stack_id, low, high in parts if stack_id == "in"}
    above = {name: (low, high) for name, stack_id, low, high in parts if stack_id == "out"}
    assert {"新型储能充电", "抽水蓄能抽水"} <= set(below)
    assert all(high <= 0 for _, high in below.values())
    assert below["新型储能充电"][0] < 0  # the batteries charge in a winter week of 2030
    assert all(low >= 0 for low, _ in above.values())
    assert {"新型储能", "抽水蓄能"} <= set(above)
    buses = page.evaluate("echarts.getInstanceByDom(document.getElementById('chart-map'))"
                          ".getOption().series[0].data.map(function (d) { return d.name; })")
    assert "蒙西电网" in buses
    assert "上海庙—山东(受端)" in buses
    hours = page.evaluate("echarts.getInstanceByDom(document.getElementById('chart-stack'))"
                          ".getOption().xAxis[0].data.length")
    assert hours == 168  # one week
    page.screenshot(path=str(artifacts / "power-study-im2g-2030.png"), full_page=True)
    context.close()
    assert errors == []
