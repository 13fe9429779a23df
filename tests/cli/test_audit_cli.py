"""``tanfeng audit verify|log|anchor`` on SQLite and PostgreSQL: a broken chain exits non-zero and names the entry."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tanfeng.cli.main import app
from tanfeng.store import make_engine, make_session_factory, upgrade
from tanfeng.store.repository import record_audit


@pytest.fixture
def db(engine_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    upgrade(engine_url)
    monkeypatch.setenv("TANFENG_DATABASE_URL", engine_url)
    engine = make_engine(engine_url)
    with make_session_factory(engine)() as session, session.begin():
        for i in range(1, 5):
            record_audit(session, actor=f"u{i}", action="update", entity="region_data", entity_id=f"15060{i}",
                         before={"v": i}, after={"v": i + 1}, actor_role="county", client_address="192.0.2.7")
    engine.dispose()
    return engine_url


def _sql(url: str, sql: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()


def test_verify_ok_prints_the_anchor(db: str) -> None:
    r = CliRunner().invoke(app, ["audit", "verify"])
    assert r.exit_code == 0, r.output
    assert "ok: 4 entries verified" in r.stdout
    anchor = CliRunner().invoke(app, ["audit", "anchor"]).stdout.strip()
    assert anchor.startswith("4:")
    assert f"anchor to publish: {anchor}" in r.stdout
    again = CliRunner().invoke(app, ["audit", "verify", "--anchor", anchor, "--format", "json"])
    assert json.loads(again.stdout)["ok"] is True


def test_verify_names_the_first_bad_entry(db: str) -> None:
    _sql(db, "UPDATE audit_log SET entity_id = '150200' WHERE seq = 2")
    r = CliRunner().invoke(app, ["audit", "verify"])
    assert r.exit_code == 1
    assert "BROKEN: altered at seq 2" in r.stderr
    js = CliRunner().invoke(app, ["audit", "verify", "--format", "json"])
    assert js.exit_code == 1
    assert (json.loads(js.stdout)["kind"], json.loads(js.stdout)["first_bad_seq"]) == ("altered", 2)
    refused = CliRunner().invoke(app, ["audit", "anchor"])
    assert refused.exit_code == 1
    assert "does not verify" in refused.output


def test_verify_against_an_anchor_catches_a_cut_tail(db: str) -> None:
    anchor = CliRunner().invoke(app, ["audit", "anchor"]).stdout.strip()
    _sql(db, "DELETE FROM audit_log WHERE seq = 4")
    assert CliRunner().invoke(app, ["audit", "verify"]).exit_code == 0
    r = CliRunner().invoke(app, ["audit", "verify", "--anchor", anchor])
    assert r.exit_code == 1
    assert "truncated at seq 4" in r.stderr


def test_deleted_row_is_named(db: str) -> None:
    _sql(db, "DELETE FROM audit_log WHERE seq = 3")
    r = CliRunner().invoke(app, ["audit", "verify"])
    assert r.exit_code == 1
    assert "removed at seq 3" in r.stderr


def test_bad_anchor_text_is_an_error_not_a_crash(db: str) -> None:
    r = CliRunner().invoke(app, ["audit", "verify", "--anchor", "nonsense"])
    assert r.exit_code == 1
    assert "AuditChainError" in r.output


def test_log_filters_and_formats(db: str) -> None:
    r = CliRunner().invoke(app, ["audit", "log", "--id", "150602", "--format", "json"])
    rows = json.loads(r.stdout)
    assert [(e["seq"], e["actor"], e["actor_role"], e["client_address"], e["after"]) for e in rows] == [
        (2, "u2", "county", "192.0.2.7", {"v": 3})]
    table = CliRunner().invoke(app, ["audit", "log", "--limit", "2"])
    assert table.exit_code == 0
    assert "u4" in table.stdout
    assert "u1" not in table.stdout


def test_verify_continues_from_its_checkpoint_and_full_rehashes_everything(db: str) -> None:
    assert CliRunner().invoke(app, ["audit", "verify"]).exit_code == 0  # keeps checkpoint 4
    _sql(db, "UPDATE audit_log SET entity_id = '150200' WHERE seq = 2")
    quick = CliRunner().invoke(app, ["audit", "verify", "--format", "json"])
    assert (quick.exit_code, json.loads(quick.stdout)["checked"]) == (0, 0)
    full = CliRunner().invoke(app, ["audit", "verify", "--full"])
    assert full.exit_code == 1
    assert "BROKEN: altered at seq 2" in full.stderr
    _sql(db, "UPDATE audit_checkpoints SET hash = '" + "a" * 64 + "'")
    moved = CliRunner().invoke(app, ["audit", "verify"])
    assert moved.exit_code == 1
    assert "BROKEN: anchor_mismatch at seq 4" in moved.stderr
