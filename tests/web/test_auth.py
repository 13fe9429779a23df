"""Login, logout, sessions, CSRF, tokens and the 401/403 mapping, through the app in-process."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tanfeng.config import Settings
from tanfeng.services import accounts
from tanfeng.store import make_engine, make_session_factory, upgrade
from tanfeng.web.app import create_app
from tanfeng.web.auth import safe_next

TEST_PASSWORD = "Grassland-Wind-2030 碳峰"  # the fixtures' accounts (tests/web/conftest.py)



def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match is not None
    return match.group(1)


def test_login_sets_a_hardened_session_cookie_and_goes_to_next(app: FastAPI, role_accounts: dict[str, str]) -> None:
    c = TestClient(app)
    token = _csrf(c.get("/login", params={"next": "/account"}).text)
    r = c.post("/login", data={"username": "t_league", "password": TEST_PASSWORD, "csrf_token": token,
                               "next": "/account"}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/account"
    cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith("tanfeng_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http and TANFENG_COOKIE_SECURE unset
    page = c.get("/account").text
    assert "盟市" in page
    assert "150600" in page
    me = c.get("/api/me").json()
    assert (me["user_id"], me["role"], me["region_code"]) == ("t_league", "league", "150600")


def test_https_requests_get_a_secure_cookie(app: FastAPI, role_accounts: dict[str, str]) -> None:
    c = TestClient(app, base_url="https://testserver")
    token = _csrf(c.get("/login").text)
    r = c.post("/login", data={"username": "t_county", "password": TEST_PASSWORD, "csrf_token": token},
               follow_redirects=False)
    cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith("tanfeng_session="))
    assert "Secure" in cookie


def test_wrong_password_keeps_the_user_name_and_shows_the_error(app: FastAPI, role_accounts: dict[str, str]) -> None:
    c = TestClient(app)
    token = _csrf(c.get("/login").text)
    r = c.post("/login", data={"username": "t_office", "password": "wrong-password-1", "csrf_token": token})
    assert r.status_code == 401
    assert 'id="login-error"' in r.text
    assert "用户名或密码错误" in r.text
    assert 'value="t_office"' in r.text
    assert "tanfeng_session" not in r.cookies


def test_login_without_the_csrf_token_is_refused(app: FastAPI, role_accounts: dict[str, str]) -> None:
    c = TestClient(app)
    c.get("/login")
    r = c.post("/login", data={"username": "t_league", "password": TEST_PASSWORD, "csrf_token": "forged"})
    assert r.status_code == 403
    assert "tanfeng_session" not in r.cookies
    empty = c.post("/login", data={"username": "", "password": "", "csrf_token": _csrf(c.get("/login").text)})
    assert empty.status_code == 422
    assert 'id="login-error"' in empty.text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil", "javascript:alert(1)", ""])
def test_next_only_goes_to_same_site_paths(target: str) -> None:
    assert safe_next(target) == "/"


def test_next_keeps_relative_paths() -> None:
    assert safe_next("/plans/im2022/targets/x?lang=en") == "/plans/im2022/targets/x?lang=en"


def test_login_only_page_redirects_to_login_with_next(client: TestClient) -> None:
    r = client.get("/account", params={"lang": "en"}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/account%3Flang%3Den"


def test_logout_needs_the_session_csrf_token_and_ends_the_session(
        login_as: Callable[[str], TestClient], role_accounts: dict[str, str]) -> None:
    c = login_as("t_auditor")
    html = c.get("/").text
    assert 'id="current-user"' in html
    assert "审计" in html
    bad = c.post("/logout", data={"csrf_token": "nope"}, follow_redirects=False)
    assert bad.status_code == 422
    assert c.get("/api/me").status_code == 200
    r = c.post("/logout", data={"csrf_token": _csrf(html)}, follow_redirects=False)
    assert r.status_code == 303
    assert c.get("/api/me").status_code == 401


def test_a_forged_session_cookie_is_just_anonymous(app: FastAPI) -> None:
    c = TestClient(app)
    c.cookies.set("tanfeng_session", "abc.def")
    assert c.get("/").status_code == 200
    assert c.get("/api/me").status_code == 401


def test_bad_tokens_are_401_with_a_message(app: FastAPI, role_accounts: dict[str, str]) -> None:
    c = TestClient(app)
    for header in ("Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer tfk_" + "A" * 43):
        r = c.get("/api/me", headers={"Authorization": header})
        assert r.status_code == 401, header
        assert r.json()["detail"]["message"]
        assert r.headers["www-authenticate"] == "Bearer"


def test_gateway_token_acts_as_machine_for_its_unit(role_clients: dict[str, TestClient]) -> None:
    me = role_clients["machine"].get("/api/me").json()
    assert (me["role"], me["unit_id"], me["token_scopes"]) == ("machine", "unit-A", ["ingest"])
    assert role_clients["machine"].get("/api/audit/entries").status_code == 403


def test_revoked_token_is_refused(app: FastAPI, role_accounts: dict[str, str]) -> None:
    with app.state.sessions() as session:
        issued = accounts.issue_api_token(session, username="t_gateway", scopes=["ingest"], unit_id="unit-A",
                                          actor=accounts.Actor(name="test"))
        accounts.revoke_api_token(session, prefix=issued.record.prefix, actor=accounts.Actor(name="test"))
        session.commit()
    r = TestClient(app).get("/api/me", headers={"Authorization": f"Bearer {issued.token}"})
    assert r.status_code == 401
    assert "revoked" in r.json()["detail"]["message"]


def test_audit_api_is_for_audit_readers(role_clients: dict[str, TestClient]) -> None:
    assert role_clients["public"].get("/api/audit/entries").status_code == 401
    assert role_clients["league"].get("/api/audit/entries").status_code == 403
    refused = role_clients["league"].get("/api/audit/verify").json()
    assert "audit_log" in refused["detail"]["message"]
    entries = role_clients["auditor"].get("/api/audit/entries", params={"entity": "user"}).json()
    assert {"t_league", "t_county"} <= {e["entity_id"] for e in entries}
    assert all("password" not in str(e["after"]) or "has_password" in str(e["after"]) for e in entries)
    verified = role_clients["office"].get("/api/audit/verify").json()
    assert verified["ok"] is True


def test_logins_are_in_the_audit_trail(role_clients: dict[str, TestClient]) -> None:
    entries = role_clients["region_admin"].get("/api/audit/entries", params={"entity": "session"}).json()
    assert {("login", "t_league", "league")} <= {(e["action"], e["actor"], e["actor_role"]) for e in entries}
    assert all(e["client_address"] for e in entries if e["action"] == "login")


def test_target_page_shows_history_to_audit_readers_only(role_clients: dict[str, TestClient]) -> None:
    targets = role_clients["public"].get("/api/plans/im2022/targets").json()
    url = f"/plans/im2022/targets/{targets[0]['id']}"
    assert 'id="history"' not in role_clients["public"].get(url).text
    assert 'id="history"' not in role_clients["league"].get(url).text
    html = role_clients["auditor"].get(url).text
    assert 'id="history"' in html
    assert "修改记录" in html
    assert "tanfeng init" in html  # the plan's first load created the target


def test_lock_out_after_repeated_failures_survives_a_restart(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'lock.db'}", data_dir=tmp_path / "data")
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        accounts.add_user(session, username="victim", role="auditor", password=TEST_PASSWORD,
                          actor=accounts.Actor(name="test"))
        session.commit()
    engine.dispose()
    c = TestClient(create_app(settings))
    for _ in range(5):
        r = c.post("/login", data={"username": "victim", "password": "wrong-password-x",
                                   "csrf_token": _csrf(c.get("/login").text)})
    assert r.status_code == 429
    assert "锁定" in r.text
    restarted = TestClient(create_app(settings))
    right = restarted.post("/login", data={"username": "victim", "password": TEST_PASSWORD,
                                           "csrf_token": _csrf(restarted.get("/login").text)})
    assert right.status_code == 429
    assert 'value="victim"' in right.text


def test_api_writes_through_the_cookie_need_the_csrf_header(login_as: Callable[[str], TestClient]) -> None:
    c = login_as("t_office")
    token = c.headers.pop("X-CSRF-Token")
    r = c.post("/api/accounting/convert", json={})
    assert r.status_code == 403
    assert "X-CSRF-Token" in r.json()["detail"]["message"]
    c.headers["X-CSRF-Token"] = token
    passed = c.post("/api/accounting/convert", json={})
    assert "X-CSRF-Token" not in passed.text  # past the check (on to the route's own checks)
    assert c.get("/api/me").status_code == 200  # reads need no header
    assert TestClient(c.app).post("/api/accounting/convert", json={}).status_code != 403  # no session: no check


def test_target_page_shows_the_history_once(role_clients: dict[str, TestClient]) -> None:
    t = role_clients["auditor"].get("/api/plans/im2022/targets").json()[0]
    html = role_clients["auditor"].get(f"/plans/im2022/targets/{t['id']}").text
    assert html.count('id="history"') == 1
