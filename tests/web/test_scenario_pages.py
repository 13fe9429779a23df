"""Pages of the peak path: login required; the run page states its accounting view, units and sources."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_pages_need_a_login(client: TestClient) -> None:
    for path in ("/scenarios", "/scenarios/plan"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code in (302, 303, 307)
        assert r.headers["location"].startswith("/login?next=")


def test_list_and_run_page(role_clients: dict[str, TestClient]) -> None:
    office = role_clients["office"]
    listed = office.get("/scenarios", params={"lang": "zh"})
    assert listed.status_code == 200
    assert 'href="/scenarios/enhanced?lang=zh"' in listed.text
    page = office.get("/scenarios/plan", params={"draws": 50, "lang": "zh"})
    assert page.status_code == 200
    html = page.text
    for marker in ('id="fan-chart"', 'id="wedge-chart"', 'id="lmdi-chart"', 'id="peak-map"', 'id="lever-table"',
                   'id="scenario-data"', "百万吨二氧化碳", "CEADs", "im2022.a02.m2.t2"):
        assert marker in html
    assert '<b id="accounting" data-view="production">生产侧</b>' in html
    assert "产业结构较轻" in html  # the plan's league types, named
    assert "2025年新型储能装机500万千瓦以上" in html  # the lever's note, from its Chinese column
    assert '<tr data-year="2015"><td>2015</td><td class="num">601.5</td><td class="num">12/12</td><td class="num">827.3</td>' in html
    consumption = office.get("/scenarios/plan", params={"draws": 50, "view": "consumption", "lang": "en"})
    assert '<b id="accounting" data-view="consumption">consumption-based</b>' in consumption.text
    assert "MtCO2" in consumption.text
    assert "emissions of exported power left out" in consumption.text
    assert "≥ 5 GW new-type storage by 2025" in consumption.text
    assert "Hohhot" in consumption.text


def test_unknown_scenario_page_is_404(role_clients: dict[str, TestClient]) -> None:
    assert role_clients["office"].get("/scenarios/nope").status_code == 404
