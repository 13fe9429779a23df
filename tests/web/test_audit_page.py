"""``/audit``: the audit log for its readers (region admin, office, auditor), read-only, with the chain's
verification and anchor; everyone else gets the 403 page, the public the login page. The header links it
only for its readers."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from tanfeng.config import Settings
from tanfeng.enterprises.registry import KeyUnit, credit_code_check_char
from tanfeng.services import accounts
from tanfeng.services import audit as audit_service
from tanfeng.services import key_units as units
from tanfeng.store import upgrade
from tanfeng.store.models import AuditRow
from tanfeng.web.app import create_app

READERS = ("region_admin", "office", "auditor")
OTHERS = ("department", "league", "county", "enterprise")
PASSWORD = "Steppe-Sunrise-2030 审计"


def _code(n: int) -> str:
    first17 = f"91150602MA{n:07d}"
    return first17 + credit_code_check_char(first17)


UNIT = _code(731)


def _login(app: object, username: str) -> TestClient:
    c = TestClient(app)  # type: ignore[arg-type]
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text)
    assert token is not None
    r = c.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1), "next": "/"},
               follow_redirects=False)
    assert r.status_code == 303
    return c


@pytest.fixture
def own_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, TestClient]:
    """A store of its own (its chain may be tampered with): an auditor, and a unit renamed once."""
    from argon2 import PasswordHasher

    root = tmp_path_factory.mktemp("audit-page")
    settings = Settings(database_url=f"sqlite:///{root / 't.db'}", data_dir=root / "data")
    upgrade(settings.database_url)
    app = create_app(settings)
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with app.state.sessions() as session:
        accounts.add_user(session, username="a_auditor", role="auditor", password=PASSWORD, display_name="审计员",
                          actor=accounts.Actor(name="test-setup"), hasher=cheap)
        session.commit()
        for name in ("示例东胜煤化工企业", "示例东胜煤化工有限公司"):
            units.upsert_unit(session, KeyUnit(code=UNIT, name=name, league="150600", county="150602",
                                               industry="C2614", level="league", sample=True), actor="t_admin",
                              actor_role="region_admin")
    return app, _login(app, "a_auditor")


def test_readers_open_it_others_get_the_403_page(role_clients: dict[str, TestClient]) -> None:
    for role in READERS:
        r = role_clients[role].get("/audit")
        assert r.status_code == 200, role
        assert 'id="audit-entries"' in r.text
        assert 'id="nav-audit"' in r.text
    for role in OTHERS:
        r = role_clients[role].get("/audit")
        assert r.status_code == 403, role
        assert "text/html" in r.headers["content-type"]
        assert "无权访问" in r.text
        assert f"role {role} may not read audit_log at all" in r.text
        assert 'id="nav-audit"' not in r.text
        assert 'id="nav-audit"' not in role_clients[role].get("/").text
    public = role_clients["public"].get("/audit", params={"entity": "user"}, follow_redirects=False)
    assert public.status_code == 303
    assert public.headers["location"] == "/login?next=/audit%3Fentity%3Duser"
    assert 'id="nav-audit"' not in role_clients["public"].get("/").text


def test_header_shows_dispatch_after_the_board_and_the_audit_log_last(role_clients: dict[str, TestClient]) -> None:
    html = role_clients["auditor"].get("/").text
    nav = html[html.index('id="main-nav"'):]
    nav = nav[:nav.index("</nav>")]
    assert nav.index('href="/board') < nav.index('href="/dispatch') < nav.index('id="nav-audit"')


def test_entries_who_when_role_action_entity_and_diff(own_store: tuple[object, TestClient]) -> None:
    _, c = own_store
    html = c.get("/audit").text
    rows = re.findall(r'<tr data-seq="(\d+)" data-entity="([a-z_]+)">', html)
    seqs = [int(s) for s, _ in rows]
    assert seqs == sorted(seqs, reverse=True)  # newest first
    renamed_seq = max(int(s) for s, e in rows if e == "key_unit")
    renamed = html.split(f'data-seq="{renamed_seq}"', 1)[1].split("</tr>", 1)[0]
    assert "t_admin" in renamed
    assert "自治区管理员" in renamed
    assert "<td>修改</td>" in renamed  # the action by its name (update)
    assert UNIT in renamed
    assert ('<span class="field">名称</span>: <span translate="no">示例东胜煤化工企业</span> → '
            '<span translate="no">示例东胜煤化工有限公司</span>') in renamed  # the field by its name
    # the chain verifies; the anchor is the last entry's
    assert 'data-ok="true"' in html
    assert 'id="chain-ok"' in html
    anchor = re.search(r'<code translate="no" id="chain-anchor">(\d+):([0-9a-f]{64})</code>', html)
    assert anchor is not None
    assert int(anchor.group(1)) == seqs[0]
    # read-only: the only form is the GET filter, no button writes
    main = html.split("<main>", 1)[1]
    assert re.findall(r"<form[^>]*>", main) == ['<form method="get" class="filters" id="audit-filter">']


def test_filter_by_entity_and_id(own_store: tuple[object, TestClient]) -> None:
    _, c = own_store
    users = c.get("/audit", params={"entity": "user"}).text
    assert set(re.findall(r'data-entity="([a-z_]+)">', users)) == {"user"}
    assert 'value="user"' in users
    one = c.get("/audit", params={"entity": "key_unit", "entity_id": UNIT}).text
    assert len(re.findall(r"<tr data-seq=", one)) == 2
    none = c.get("/audit", params={"entity": "no_such_entity"}).text
    assert 'id="audit-none"' in none
    assert len(re.findall(r"<tr data-seq=", c.get("/audit", params={"limit": 1}).text)) == 1
    assert c.get("/audit", params={"limit": 0}).status_code == 422


def test_english(own_store: tuple[object, TestClient]) -> None:
    _, c = own_store
    html = c.get("/audit", params={"lang": "en"}).text
    assert "Audit log" in html
    assert "The hash chain verifies" in html
    assert "<td>Region administrator</td>" in html  # the role by its name in the catalogue
    assert "<td>System</td>" in html  # the accounts set up by the system


def test_a_tampered_chain_is_shown_and_no_anchor(own_store: tuple[object, TestClient]) -> None:
    app, c = own_store
    with app.state.sessions() as session:  # type: ignore[attr-defined]
        first = audit_service.entries(session, entity="key_unit", entity_id=UNIT)[0]
        session.execute(update(AuditRow).where(AuditRow.seq == first.seq).values(actor="someone-else"))
        session.commit()
    html = c.get("/audit").text
    assert 'data-ok="false"' in html
    assert '<b id="chain-kind">记录被改动</b>' in html  # altered, by its name
    assert f'<b id="chain-seq">{first.seq}</b>' in html
    assert 'id="chain-anchor"' not in html


def test_the_log_is_paged_by_seq(own_store: tuple[object, TestClient]) -> None:
    _, c = own_store
    first = c.get("/audit", params={"limit": 1}).text
    newest = [int(s) for s in re.findall(r'<tr data-seq="(\d+)"', first)]
    assert len(newest) == 1
    older_link = re.search(r'id="audit-older" href="([^"]+)"', first)
    assert older_link is not None
    older = c.get(older_link.group(1).replace("&amp;", "&")).text
    assert [int(s) for s in re.findall(r'<tr data-seq="(\d+)"', older)] == [newest[0] - 1]
    assert 'id="audit-newest"' in older
    assert 'data-ok="true"' in older
