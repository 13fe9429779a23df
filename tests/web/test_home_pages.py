"""Landing pages per role (``/home``) and the administrator's accounts page (``/admin/users``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tanfeng.services import accounts, tracking
from tanfeng.store.models import AuditRow

pytestmark = [pytest.mark.filterwarnings("ignore::FutureWarning"),
              pytest.mark.filterwarnings("ignore::ResourceWarning")]

NEW_PASSWORD = "Steppe-Sunrise-2031 碳峰"


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match is not None
    return match.group(1)


@pytest.fixture(scope="module")
def open_round(app: FastAPI, role_accounts: dict[str, str]) -> Iterator[str]:
    """A dispatch round open in the shared store while this module runs (nobody has reported yet)."""
    with app.state.sessions() as session:
        tracking.open_period(session, period="2028Q3", due_date=date(2028, 10, 15),
                             actor="t_office", actor_role="office")
    yield "2028Q3"
    with app.state.sessions() as session:
        tracking.close_period(session, period="2028Q3", actor="t_office", actor_role="office")


def test_enterprise_and_auditor_land_on_their_own_page(role_clients: dict[str, TestClient]) -> None:
    ent = role_clients["enterprise"].get("/home", follow_redirects=False)
    assert (ent.status_code, ent.headers["location"]) == (303, "/units/unit-A?lang=zh")
    aud = role_clients["auditor"].get("/home?lang=en", follow_redirects=False)
    assert (aud.status_code, aud.headers["location"]) == (303, "/audit?lang=en")
    public = role_clients["public"].get("/home", follow_redirects=False)
    assert public.headers["location"] == "/login?next=/home"


def test_a_login_from_the_dashboard_lands_on_home(app: FastAPI, role_accounts: dict[str, str],
                                                  test_password: str) -> None:
    c = TestClient(app)
    r = c.post("/login", data={"username": "t_office", "password": test_password,
                               "csrf_token": _csrf(c.get("/login").text), "next": "/"}, follow_redirects=False)
    assert r.headers["location"] == "/home"


def test_the_office_sees_every_missing_report_warnings_and_changes(role_clients: dict[str, TestClient],
                                                                  open_round: str) -> None:
    html = role_clients["office"].get("/home").text
    assert 'id="home-tasks"' in html
    assert "未报送事项" in html
    missing = html.split(f'id="missing-{open_round}"', 1)[1].split("</table>", 1)[0]
    # all 12 leagues owe the round, nobody has reported
    for name in ("呼和浩特市", "包头市", "鄂尔多斯市", "阿拉善盟"):
        assert name in missing
    assert 'id="home-warnings"' in html
    assert 'id="home-counts"' in html
    assert 'id="home-changes"' in html
    assert 'id="home-admin"' not in html  # the office does not manage accounts
    assert 'id="home-admin"' in role_clients["region_admin"].get("/home").text


def test_a_league_sees_only_its_own_tasks_and_its_units(role_clients: dict[str, TestClient], open_round: str) -> None:
    html = role_clients["league"].get("/home").text
    assert "我的待办" in html
    missing = html.split(f'id="missing-{open_round}"', 1)[1].split("</table>", 1)[0]
    assert "鄂尔多斯市" in missing
    assert "包头市" not in missing
    assert "呼和浩特市" not in missing
    assert 'id="home-units"' in html
    assert 'href="/leagues/150600/units?lang=zh"' in html
    en = role_clients["league"].get("/home?lang=en").text
    assert "My tasks" in en
    role_clients["league"].get("/home?lang=zh")  # the shared client back to Chinese (the choice is a cookie)


def test_a_reminder_reaches_the_league_landing_page(app: FastAPI, role_clients: dict[str, TestClient],
                                                  open_round: str) -> None:
    assert 'id="notice-list"' not in role_clients["league"].get("/home").text
    with app.state.sessions() as session:
        tracking.remind(session, period=open_round, unit="150600", actor="t_office", actor_role="office",
                        message="请于本周内报送装配式建筑数据")
    html = role_clients["league"].get("/home").text
    notices = html.split('id="notice-list"', 1)[1].split("</ul>", 1)[0]
    assert "请于本周内报送装配式建筑数据" in notices
    assert f'href="/dispatch/{open_round}?lang=zh"' in notices
    # the reminder is for 鄂尔多斯市 only: another league's officer would not see it; the office sees none
    assert 'id="notice-list"' not in role_clients["office"].get("/home").text


def test_only_the_administrator_manages_accounts(role_clients: dict[str, TestClient]) -> None:
    assert role_clients["office"].get("/admin/users").status_code == 403
    assert role_clients["region_admin"].get("/admin/users").status_code == 200


def test_the_administrator_creates_deactivates_resets_and_issues_tokens(
        app: FastAPI, role_clients: dict[str, TestClient], login_as: Callable[..., TestClient],
        test_password: str) -> None:
    admin = role_clients["region_admin"]
    csrf = _csrf(admin.get("/admin/users").text)
    r = admin.post("/admin/users", data={"csrf_token": csrf, "username": "t_new_league", "role": "league",
                                         "display_name": "新盟市用户", "region_code": "150200",
                                         "password": test_password}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/admin/users?lang=zh&notice=created")
    assert "新盟市用户" in admin.get("/admin/users").text
    login_as("t_new_league")  # the new account logs in

    bad = admin.post("/admin/users", data={"csrf_token": "forged", "username": "t_x", "role": "office",
                                           "password": test_password})
    assert bad.status_code == 403
    taken = admin.post("/admin/users", data={"csrf_token": csrf, "username": "t_new_league", "role": "office",
                                             "password": test_password})
    assert taken.status_code == 409
    assert 'id="admin-error"' in taken.text

    r = admin.post("/admin/users/t_new_league/password", data={"csrf_token": csrf, "password": NEW_PASSWORD},
                   follow_redirects=False)
    assert r.status_code == 303
    login_as("t_new_league", NEW_PASSWORD)

    page = admin.post("/admin/tokens", data={"csrf_token": csrf, "username": "t_new_league", "scopes": "read",
                                             "label": "报表脚本", "ttl_days": "30"})
    token = re.search(r'id="issued-token">[^<]*<code translate="no">([^<]+)</code>', page.text)
    assert token is not None
    machine = TestClient(app)
    machine.headers["Authorization"] = f"Bearer {token.group(1)}"
    assert machine.get("/api/me").json()["region_code"] == "150200"

    r = admin.post("/admin/users/t_new_league/active", data={"csrf_token": csrf, "active": "0"},
                   follow_redirects=False)
    assert r.headers["location"] == "/admin/users?lang=zh&notice=deactivated"
    assert machine.get("/api/me").status_code == 401  # an inactive account's tokens stop at once
    with pytest.raises(AssertionError):
        login_as("t_new_league", NEW_PASSWORD)

    with app.state.sessions() as session:
        prefix = accounts.list_tokens(session, username="t_new_league")[0].prefix
    r = admin.post(f"/admin/tokens/{prefix}/revoke", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.headers["location"] == "/admin/users?lang=zh&notice=revoked"
    self_off = admin.post("/admin/users/t_admin/active", data={"csrf_token": csrf, "active": "0"})
    assert self_off.status_code == 409

    with app.state.sessions() as session:
        actions = [a for (a,) in session.execute(select(AuditRow.action).where(
            AuditRow.entity_id.in_(["t_new_league", prefix])).order_by(AuditRow.seq))]
    assert actions == ["create", "reset_password", "create", "deactivate", "revoke"]


def test_the_overview_and_the_board_have_a_year_selector(role_clients: dict[str, TestClient]) -> None:
    public = role_clients["public"]
    latest = public.get("/overview").text
    assert re.findall(r'aria-current="true" data-year="(\d*)"', latest) == [""]
    assert 'href="?lang=zh&amp;year=2023"' in latest
    chosen = public.get("/board", params={"year": 2024, "lang": "en"}).text
    assert re.findall(r'aria-current="true" data-year="(\d*)"', chosen) == ["2024"]
    public.get("/board", params={"lang": "zh"})  # the shared client back to Chinese (the choice is a cookie)


def test_a_league_officers_scope_reads_as_its_name_with_the_code_after(role_clients: dict[str, TestClient]) -> None:
    html = role_clients["league"].get("/home?lang=zh").text
    title = html.split('id="home-title"', 1)[1].split("</h1>", 1)[0]
    assert '<span lang="zh-CN" id="home-scope">鄂尔多斯市</span> <span class="sub" translate="no">150600</span>' in title
    header = html.split('id="current-role"', 1)[1].split("</a>", 1)[0]
    assert '<span lang="zh-CN">鄂尔多斯市</span> <span class="region-code" translate="no">150600</span>' in header
    department = role_clients["department"].get("/home?lang=zh").text
    assert '<span lang="zh-CN" id="home-scope">自治区能源局</span></span></h1>' in department  # a name already


ROLE_NAMES = {"region_admin": ("自治区管理员", "Region administrator"), "office": ("领导小组办公室", "Leading-group office"),
              "department": ("部门", "Department"), "league": ("盟市", "League officer"),
              "county": ("旗县区", "County officer"), "enterprise": ("企业", "Enterprise reporter"),
              "auditor": ("审计", "Auditor"), "machine": ("计量网关", "Meter gateway"), "public": ("公众", "Public")}


def test_roles_are_named_by_the_catalogue_in_the_header_and_on_the_accounts_page(
        role_clients: dict[str, TestClient]) -> None:
    from tanfeng.access import Role
    from tanfeng.web.i18n import pgettext

    assert {r.value: (pgettext("zh", "role", r.value), pgettext("en", "role", r.value)) for r in Role} == ROLE_NAMES
    admin = role_clients["region_admin"]
    en = admin.get("/admin/users", params={"lang": "en"}).text
    header = en.split('id="current-role"', 1)[1].split("</span>", 1)[0]
    assert header.endswith(">Region administrator")
    options = re.findall(r'<option value="([a-z_]+)">([^<]+)</option>',
                         en.split('id="new-role"', 1)[1].split("</select>", 1)[0])
    assert dict(options) == {k: v[1] for k, v in ROLE_NAMES.items() if k != "public"}
    rows = re.findall(r'<tr data-username="(t_[a-z_]+)">.*?</td>\s*<td>([^<]+)</td>', en, re.S)
    assert ("t_league", "League officer") in rows
    zh = admin.get("/admin/users", params={"lang": "zh"}).text
    assert ("t_league", "盟市") in re.findall(r'<tr data-username="(t_[a-z_]+)">.*?</td>\s*<td>([^<]+)</td>', zh, re.S)
    assert role_clients["league"].get("/api/me").json()["role_zh"] == "盟市"
