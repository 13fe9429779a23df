"""Each role in a real Chromium, and the drill-down region → league → county → unit over HTTP.

The store gets sample units (示例数据): the deterministic sample population (``units.load_sample``) and, so
that every case has a unit on both sides of a boundary, three registered units — two in 鄂尔多斯市 (东胜区
150602 and 康巴什区 150603) and one in 包头市 (东河区 150202) — plus the enterprise account's own unit
``unit-A`` in 东胜区. ``unit-A`` is the unit id the shared ``role_accounts`` fixture gives ``t_ent``; it is
not a unified social credit code, which the registry's model (``KeyUnit``) insists on, so the fixture writes
that one registry row directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tanfeng.enterprises.registry import KeyUnit, Meter, credit_code_check_char
from tanfeng.services import key_units as units
from tanfeng.store.models import utcnow
from tanfeng.store.models_enterprises import KeyUnitRow


def _code(n: int, county: str) -> str:
    first17 = f"91{county}MA{n:07d}"
    return first17 + credit_code_check_char(first17)


DONGSHENG = _code(811, "150602")  # 鄂尔多斯市 东胜区: the league and the county officer's
KANGBASHI = _code(812, "150603")  # 鄂尔多斯市 康巴什区: the league officer's, not the county officer's
BAOTOU = _code(813, "150202")     # 包头市 东河区: nobody's among the tenant roles
OWN_UNIT = "unit-A"               # the enterprise account's unit (东胜区)
ROLES = ["region_admin", "office", "department", "league", "county", "enterprise", "auditor"]


@pytest.fixture(scope="module")
def sample_units(app: FastAPI, role_accounts: dict[str, str]) -> dict[str, str]:
    """Sample units in the shared store; returns name → code."""
    with app.state.sessions() as session:
        units.load_sample(session, app.state.settings, units=4, days=1, meters_per_unit=6)
        for code, league, county, name in ((DONGSHENG, "150600", "150602", "示例东胜化工企业"),
                                          (KANGBASHI, "150600", "150603", "示例康巴什电力企业"),
                                          (BAOTOU, "150200", "150202", "示例东河钢铁企业")):
            units.upsert_unit(session, KeyUnit(
                code=code, name=name, league=league, county=county, industry="C2614", level="league", sample=True,
                meters=(Meter(meter_id=f"{code}-E1", unit_code=code, product="electricity", unit="kWh",
                              kind="interval"),)), actor="test-setup")
        if session.get(KeyUnitRow, OWN_UNIT) is None:
            now = utcnow()
            session.add(KeyUnitRow(code=OWN_UNIT, name="示例企业A", league="150600", county="150602",
                                   industry="C3011", level="league", products=["cement"], contacts=[], sample=True,
                                   created_at=now, updated_at=now))
            session.commit()
    return {"dongsheng": DONGSHENG, "kangbashi": KANGBASHI, "baotou": BAOTOU, "own": OWN_UNIT}


# -- drill-down over HTTP --------------------------------------------------------------------------------

def _listed(html: str) -> set[str]:
    import re

    section = html.split('id="key-units"', 1)[1] if 'id="key-units"' in html else ""
    return set(re.findall(r'data-unit="([^"]+)"', section))


def test_league_page_lists_the_units_each_role_may_see(app: FastAPI, role_clients: dict[str, TestClient],
                                                       sample_units: dict[str, str]) -> None:
    with app.state.sessions() as session:
        in_league = {u.code for u in units.list_units(session, league="150600")}
        in_county = {u.code for u in units.list_units(session, county="150602")}
    assert {DONGSHENG, KANGBASHI, OWN_UNIT} <= in_league
    seen = {role: _listed(role_clients[role].get("/regions/150600").text) for role in [*ROLES, "public"]}
    for role in ("region_admin", "office", "auditor", "league"):
        assert seen[role] == in_league, role
    assert seen["county"] == in_county
    assert DONGSHENG in seen["county"]
    assert KANGBASHI not in seen["county"]
    assert seen["enterprise"] == {OWN_UNIT}
    assert seen["department"] == set()
    assert seen["public"] == set()


def test_public_sees_the_count_only(role_clients: dict[str, TestClient], sample_units: dict[str, str]) -> None:
    html = role_clients["public"].get("/regions/150600").text
    admin = role_clients["region_admin"].get("/regions/150600").text
    assert 'id="key-units-login"' in html
    assert "示例东胜化工企业" not in html
    assert 'id="league-units-link"' not in html
    total = int(html.split('id="key-units-total">', 1)[1].split(" ", 1)[0])
    assert total == len(_listed(admin))
    assert total >= 3


def test_league_page_links_the_list_and_each_unit(role_clients: dict[str, TestClient],
                                                  sample_units: dict[str, str]) -> None:
    html = role_clients["league"].get("/regions/150600").text
    assert 'id="league-units-link" href="/leagues/150600/units?lang=zh"' in html
    assert f'href="/units/{DONGSHENG}?lang=zh"' in html
    assert "示例数据" in html
    county = role_clients["county"].get("/regions/150602").text
    assert 'href="/leagues/150600/units?lang=zh&amp;county=150602"' in county
    assert _listed(county) >= {DONGSHENG, OWN_UNIT}
    assert KANGBASHI not in _listed(county)
    # the enterprise sees its unit on the league page but may not open the league's list
    ent = role_clients["enterprise"].get("/regions/150600").text
    assert 'id="league-units-link"' not in ent
    assert 'id="key-units-hidden"' in ent


def test_unit_page_breadcrumbs(role_clients: dict[str, TestClient], sample_units: dict[str, str]) -> None:
    html = role_clients["league"].get(f"/units/{KANGBASHI}").text
    crumbs = html.split('id="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/regions/150000?lang=zh" data-code="150000" lang="zh-CN">内蒙古自治区</a>' in crumbs
    assert '<a href="/regions/150600?lang=zh" data-code="150600" lang="zh-CN">鄂尔多斯市</a>' in crumbs
    assert '<a href="/regions/150603?lang=zh" data-code="150603" lang="zh-CN">康巴什区</a>' in crumbs
    assert '<b lang="zh-CN">示例康巴什电力企业</b>' in crumbs
    en = role_clients["league"].get(f"/units/{KANGBASHI}", params={"lang": "en"})
    role_clients["league"].cookies.delete("lang")
    assert 'href="/regions/150600?lang=en"' in en.text


def test_units_list_scope(role_clients: dict[str, TestClient], sample_units: dict[str, str]) -> None:
    expect = {  # (role, url) -> status
        ("league", "/leagues/150600/units"): 200, ("league", "/leagues/150200/units"): 403,
        ("county", "/leagues/150600/units"): 403, ("county", "/leagues/150600/units?county=150602"): 200,
        ("county", "/leagues/150600/units?county=150603"): 403,
        ("enterprise", "/leagues/150600/units"): 403, ("department", "/leagues/150600/units"): 403,
        ("office", "/leagues/150200/units"): 200, ("auditor", "/leagues/150200/units"): 200,
        ("region_admin", "/leagues/150600/units?county=150299"): 422,
    }
    got = {key: role_clients[key[0]].get(key[1]).status_code for key in expect}
    assert got == expect
    county = role_clients["county"].get("/leagues/150600/units?county=150602").text
    assert DONGSHENG in county
    assert KANGBASHI not in county
    refused = role_clients["county"].get("/leagues/150600/units")
    assert "/leagues/150600/units?county=150602" in refused.text  # the hint names the county's own list
    assert role_clients["public"].get("/leagues/150600/units", follow_redirects=False).status_code == 303


# -- Chromium, one role at a time ------------------------------------------------------------------------

@pytest.fixture
def page(browser: Any, live_server: str, sample_units: dict[str, str]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def _login(page: Any, live_server: str, username: str, password: str, next_path: str = "/") -> None:
    page.goto(f"{live_server}/login?next={next_path}")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_selector("#current-user")


def _header(page: Any) -> tuple[str, str]:
    return page.inner_text("#current-user .user-name"), page.inner_text("#current-role")


ROLE_ZH = {"region_admin": "自治区管理员", "office": "领导小组办公室", "department": "部门", "league": "盟市",
           "county": "旗县区", "enterprise": "企业", "auditor": "审计"}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_its_name_and_role(page: Any, live_server: str, role_accounts: dict[str, str],
                                          test_password: str, role: str, artifacts: Any) -> None:
    _login(page, live_server, role_accounts[role], test_password)
    name, role_text = _header(page)
    assert name == f"{role} 测试"
    assert ROLE_ZH[role] in role_text
    if role in ("league", "county"):
        assert {"league": "150600", "county": "150602"}[role] in role_text
    page.goto(f"{live_server}/regions/150600")
    page.wait_for_selector("#key-units")
    page.screenshot(path=str(artifacts / f"role-{role}.png"), full_page=True)


def test_league_officer_opens_its_units_and_is_refused_another_league(
        page: Any, live_server: str, role_accounts: dict[str, str], test_password: str) -> None:
    _login(page, live_server, role_accounts["league"], test_password, "/regions/150600")
    page.click("#league-units-link")
    page.wait_for_selector("#units")
    assert page.url == f"{live_server}/leagues/150600/units?lang=zh"
    assert "鄂尔多斯市" in page.inner_text("#breadcrumbs")
    page.click(f"a[href='/units/{KANGBASHI}?lang=zh']")
    page.wait_for_selector("#unit-name")
    assert "示例康巴什电力企业" in page.inner_text("#unit-name")
    assert page.inner_text("#breadcrumbs").split(" › ") == ["内蒙古自治区", "鄂尔多斯市", "康巴什区", "示例康巴什电力企业"]
    page.click("#breadcrumbs a[data-code='150603']")
    page.wait_for_selector("#key-units")
    assert page.url == f"{live_server}/regions/150603?lang=zh"
    assert page.query_selector("#nav-audit") is None
    for url in ("/leagues/150200/units", f"/units/{BAOTOU}", "/audit"):
        response = page.goto(live_server + url)
        assert response.status == 403
        assert page.inner_text("#error-title").startswith("无权访问")
        assert "league officer of 150600" in page.inner_text("#error-message") or url == "/audit"
        assert "盟市" in page.inner_text("#current-role")  # still in the site's layout, still logged in


def test_enterprise_sees_its_own_unit_and_not_another(page: Any, live_server: str, role_accounts: dict[str, str],
                                                      test_password: str) -> None:
    _login(page, live_server, role_accounts["enterprise"], test_password, f"/units/{OWN_UNIT}")
    page.wait_for_selector("#unit-name")
    assert page.url == f"{live_server}/units/{OWN_UNIT}"
    assert "示例企业A" in page.inner_text("#unit-name")
    assert page.query_selector("#unit-league-link") is None  # it may not open the league's list
    for url in (f"/units/{DONGSHENG}", "/leagues/150600/units"):
        response = page.goto(live_server + url)
        assert response.status == 403
        assert "enterprise reporter of unit unit-A" in page.inner_text("#error-message")


def test_auditor_opens_everything_read_only(page: Any, live_server: str, role_accounts: dict[str, str],
                                            test_password: str) -> None:
    _login(page, live_server, role_accounts["auditor"], test_password)
    page.click("#nav-audit")
    page.wait_for_selector("#chain-status")
    assert page.get_attribute("#chain-status", "data-ok") == "true"
    for url in ("/audit", "/leagues/150200/units", f"/units/{BAOTOU}", f"/units/{OWN_UNIT}", "/regions/150602"):
        response = page.goto(live_server + url)
        assert response.status == 200, url
        # read-only: no form in the page other than the header's logout and the list's filter (GET)
        forms = page.eval_on_selector_all("main form", "fs => fs.map(f => (f.method || 'get').toLowerCase())")
        assert all(m == "get" for m in forms), (url, forms)
        buttons = page.eval_on_selector_all(
            "main button, main input[type=submit]", "bs => bs.map(b => b.textContent + (b.value || ''))")
        assert not any(w in b for b in buttons for w in ("提交", "编辑", "保存", "审核", "删除")), (url, buttons)


def test_public_is_sent_to_login_and_back(page: Any, live_server: str, role_accounts: dict[str, str],
                                          test_password: str, artifacts: Any) -> None:
    page.goto(f"{live_server}/regions/150600")
    page.wait_for_selector("#key-units-login")
    assert page.query_selector("#key-units-table") is None
    page.screenshot(path=str(artifacts / "role-public.png"), full_page=True)
    page.goto(f"{live_server}/leagues/150600/units")
    assert page.url == f"{live_server}/login?next=/leagues/150600/units"
    page.fill("#username", role_accounts["league"])
    page.fill("#password", test_password)
    page.click("#login-submit")
    page.wait_for_selector("#units")
    assert page.url == f"{live_server}/leagues/150600/units"
