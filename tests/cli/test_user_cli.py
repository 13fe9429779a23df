"""``tanfeng user``: first administrator, accounts, tokens — every change audited, no default password."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tanfeng.cli.main import app
from tanfeng.store import upgrade

GOOD = "Grassland-Wind-2030"


@pytest.fixture
def db(engine_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    upgrade(engine_url)
    monkeypatch.setenv("TANFENG_DATABASE_URL", engine_url)
    return engine_url


def run(*args: str, stdin: str | None = None) -> object:
    return CliRunner().invoke(app, list(args), input=stdin)


def test_create_admin_prompts_twice_and_refuses_a_second(db: str) -> None:
    r = run("user", "create-admin", "--username", "admin", stdin=f"{GOOD}\n{GOOD}\n")
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    assert "created administrator admin" in r.output  # type: ignore[attr-defined]
    again = run("user", "create-admin", "--username", "admin2", "--password-stdin", stdin=f"{GOOD}\n")
    assert again.exit_code == 1  # type: ignore[attr-defined]
    assert "exists already" in again.output  # type: ignore[attr-defined]
    forced = run("user", "create-admin", "--username", "admin2", "--password-stdin", "--force", stdin=f"{GOOD}\n")
    assert forced.exit_code == 0, forced.output  # type: ignore[attr-defined]


def test_mismatched_or_weak_passwords_are_refused(db: str) -> None:
    r = run("user", "create-admin", "--username", "admin", stdin=f"{GOOD}\nsomething-else\n")
    assert r.exit_code == 1  # type: ignore[attr-defined]
    assert "differ" in r.output  # type: ignore[attr-defined]
    weak = run("user", "create-admin", "--username", "admin", "--password-stdin", stdin="short\n")
    assert weak.exit_code == 1  # type: ignore[attr-defined]
    assert "PasswordPolicyError" in weak.output  # type: ignore[attr-defined]
    listed = run("user", "list", "--format", "json")
    assert json.loads(listed.stdout) == []  # type: ignore[attr-defined]


def test_add_list_and_audit(db: str) -> None:
    r = run("user", "add", "--username", "wuhai", "--role", "league", "--region", "150300", "--name", "乌海市",
            "--password-stdin", stdin=f"{GOOD}\n")
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    bad = run("user", "add", "--username", "x", "--role", "league", "--region", "150302", "--password-stdin",
              stdin=f"{GOOD}\n")
    assert bad.exit_code == 1  # type: ignore[attr-defined]
    assert "league" in bad.output  # type: ignore[attr-defined]
    users = json.loads(run("user", "list", "--format", "json").stdout)  # type: ignore[attr-defined]
    assert [(u["username"], u["role"], u["region_code"], u["display_name"]) for u in users] == [
        ("wuhai", "league", "150300", "乌海市")]
    assert "password_hash" not in users[0]
    log = json.loads(run("audit", "log", "--entity", "user", "--format", "json").stdout)  # type: ignore[attr-defined]
    assert [(e["action"], e["entity_id"], e["actor_role"]) for e in log] == [("create", "wuhai", "system")]
    assert log[0]["actor"].startswith("cli:")
    assert "argon2" not in json.dumps(log)


def test_token_issue_prints_once_and_revoke(db: str) -> None:
    run("user", "add", "--username", "gw1", "--role", "machine", "--unit", "U-A")
    r = run("user", "token", "issue", "--username", "gw1", "--scope", "ingest", "--unit", "U-A", "--ttl-days", "30")
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    token = r.stdout.splitlines()[0]  # type: ignore[attr-defined]
    assert token.startswith("tfk_")
    assert len(token) == 47
    listed = json.loads(run("user", "token", "list", "--format", "json").stdout)  # type: ignore[attr-defined]
    assert [(t["prefix"], t["role"], t["unit_id"], t["scopes"]) for t in listed] == [
        (token[:12], "machine", "U-A", ["ingest"])]
    assert token not in json.dumps(listed)
    revoked = run("user", "token", "revoke", token[:12])
    assert revoked.exit_code == 0, revoked.output  # type: ignore[attr-defined]
    missing = run("user", "token", "revoke", "tfk_nothere0")
    assert missing.exit_code == 1  # type: ignore[attr-defined]
    log = json.loads(run("audit", "log", "--entity", "api_token", "--format", "json").stdout)  # type: ignore[attr-defined]
    assert [e["action"] for e in log] == ["create", "revoke"]
    assert token not in json.dumps(log)
