"""Errors on pages answer an HTML page (status, message and hint, Chinese first, a way back); the API keeps
JSON. A page that needs a login sends the visitor to ``/login?next=…``."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape

from tanfeng.config import Settings
from tanfeng.enterprises.registry import KeyUnit, Meter, credit_code_check_char
from tanfeng.errors import (
    AssetMissingError,
    AuthError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    StoreError,
    TanfengError,
)
from tanfeng.services import key_units as units
from tanfeng.web.app import create_app


def _code(n: int, county: str) -> str:
    first17 = f"91{county}MA{n:07d}"
    return first17 + credit_code_check_char(first17)


BAOTOU_UNIT = _code(901, "150202")  # a unit of 包头市, not of the league officer's 鄂尔多斯市

RAISES: dict[int, Callable[[], TanfengError]] = {
    401: lambda: AuthError("this needs a login", hint="log in at /login"),
    403: lambda: PermissionDeniedError("denied: county officer of 150602 may read only its county",
                                       hint="ask the league office"),
    404: lambda: NotFoundError("unit 'X' is not in the registry", hint="`tanfeng units list` shows the units"),
    422: lambda: InputError("year must be a number", hint="write the year as 2025"),
    503: lambda: StoreError("the database cannot be reached", hint="check TANFENG_DATABASE_URL"),
}


@pytest.fixture(scope="module")
def raising(web_settings: Settings) -> TestClient:
    """An app on the same store with routes that raise each error, as a page and under /api/."""
    app = create_app(web_settings)

    @app.get("/raise/{status}")
    def page(status: int) -> None:
        raise RAISES[status]()

    @app.post("/raise/{status}")
    def page_post(status: int) -> None:
        raise RAISES[status]()

    @app.get("/api/raise/{status}")
    def api(status: int) -> None:
        raise RAISES[status]()

    @app.get("/raise-asset")
    def asset() -> None:
        msg = "ECharts is not installed"
        raise AssetMissingError(msg, hint="run npm ci")

    return TestClient(app)


@pytest.fixture(scope="module")
def baotou_unit(app: FastAPI) -> str:
    with app.state.sessions() as session:
        units.upsert_unit(session, KeyUnit(
            code=BAOTOU_UNIT, name="示例包头钢铁企业", league="150200", county="150202", industry="C3110",
            level="league", sample=True,
            meters=(Meter(meter_id=f"{BAOTOU_UNIT}-E1", unit_code=BAOTOU_UNIT, product="electricity", unit="kWh",
                          kind="interval"),)), actor="test-setup")
    return BAOTOU_UNIT


@pytest.mark.parametrize("status", [403, 404, 422, 503])
def test_page_errors_are_html_with_status_message_and_hint(raising: TestClient, status: int) -> None:
    r = raising.get(f"/raise/{status}")
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    exc = RAISES[status]()
    html = r.text
    assert f'data-status="{status}"' in html
    assert escape(exc.message) in html
    assert exc.hint is not None
    assert escape(exc.hint) in html
    assert 'id="error-back"' in html
    assert 'id="error-home"' in html
    assert '<html lang="zh-CN">' in html
    title_zh = {403: "无权访问", 404: "未找到", 422: "输入有误", 503: "服务暂不可用"}[status]
    assert title_zh in html


def test_english_error_page(raising: TestClient) -> None:
    r = raising.get("/raise/403", params={"lang": "en"})
    assert r.status_code == 403
    assert "Access denied" in r.text
    assert "无权访问" not in r.text
    assert '<html lang="en">' in r.text
    raising.cookies.delete("lang")  # ?lang= is remembered in a cookie; the other tests read Chinese


def test_api_errors_stay_json(raising: TestClient) -> None:
    for status, make in RAISES.items():
        r = raising.get(f"/api/raise/{status}")
        assert r.status_code == status
        assert r.headers["content-type"] == "application/json"
        assert r.json()["detail"]["message"] == make().message
    assert raising.get("/api/raise/401").headers["www-authenticate"] == "Bearer"


def test_401_on_a_page_redirects_to_login_with_next(raising: TestClient) -> None:
    r = raising.get("/raise/401", params={"a": "1"}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/raise/401%3Fa%3D1"


def test_401_on_a_page_post_is_an_html_page_with_a_login_link(raising: TestClient) -> None:
    r = raising.post("/raise/401")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("text/html")
    assert "需要登录" in r.text
    assert '<a href="/login?next=/raise/401" id="error-login">' in r.text


def test_asset_missing_is_503_page(raising: TestClient) -> None:
    r = raising.get("/raise-asset")
    assert r.status_code == 503
    assert "ECharts is not installed" in r.text
    assert "run npm ci" in r.text


def test_back_link_follows_a_same_site_referer_only(raising: TestClient) -> None:
    r = raising.get("/raise/404", headers={"referer": "http://testserver/board?lang=zh"})
    assert 'id="error-back"' in r.text
    assert re.search(r'href="/board\?lang=zh" id="error-back"', r.text)
    evil = raising.get("/raise/404", headers={"referer": "https://evil.example/x"})
    assert re.search(r'href="/" id="error-back"', evil.text)


def test_real_pages(role_clients: dict[str, TestClient], baotou_unit: str) -> None:
    # the public is sent to log in for a unit's page
    r = role_clients["public"].get(f"/units/{baotou_unit}", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/login?next=/units/{baotou_unit}"
    # another league's unit: the 403 page with the rule, in the site's layout (header with the user)
    denied = role_clients["league"].get(f"/units/{baotou_unit}")
    assert denied.status_code == 403
    assert "text/html" in denied.headers["content-type"]
    assert "无权访问" in denied.text
    assert "league officer of 150600" in denied.text
    assert 'id="current-user"' in denied.text
    # an unknown unit: 404 page
    missing = role_clients["region_admin"].get(f"/units/{_code(902, '150202')}")
    assert missing.status_code == 404
    assert "未找到" in missing.text
    assert "not in the registry" in missing.text
    # the same through the API stays JSON
    api = role_clients["league"].get(f"/api/units/{baotou_unit}")
    assert api.status_code == 403
    assert api.json()["detail"]["error"] == "PermissionDeniedError"


def test_logout_with_a_wrong_csrf_token_is_a_422_page(login_as: Callable[..., TestClient],
                                                      role_accounts: dict[str, str]) -> None:
    c = login_as(role_accounts["county"])
    r = c.post("/logout", data={"csrf_token": "wrong"})
    assert r.status_code == 422
    assert "输入有误" in r.text
    assert "reload the page and log out again" in r.text


def test_unknown_page_and_invalid_parameters_are_pages_too(client: TestClient) -> None:
    missing = client.get("/no/such/page")
    assert missing.status_code == 404
    assert "text/html" in missing.headers["content-type"]
    assert "未找到" in missing.text
    bad = client.get("/regions/abc")
    assert bad.status_code == 422
    assert "text/html" in bad.headers["content-type"]
    assert "path.code" in bad.text
    # the API keeps FastAPI's JSON for both
    assert client.get("/api/no/such").json() == {"detail": "Not Found"}
    api_bad = client.get("/api/regions/abc")
    assert api_bad.status_code == 422
    assert api_bad.json()["detail"][0]["loc"] == ["path", "code"]
