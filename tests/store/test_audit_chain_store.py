"""The hash-chained audit log in the store, on SQLite and PostgreSQL: appends chain, tampering is caught."""

from __future__ import annotations

from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session

from tanfeng.audit import Anchor, AuditEntry, append
from tanfeng.audit.chain import GENESIS_HASH
from tanfeng.services import audit as audit_service
from tanfeng.store import make_session_factory
from tanfeng.store.models import AuditRow, Base
from tanfeng.store.repository import record_audit, save_regions


def _fill(session: Session, n: int = 5) -> None:
    for i in range(1, n + 1):
        with session.begin():
            record_audit(session, actor=f"user{i}", action="update", entity="region_data", entity_id=f"r{i}",
                         before={"value": i, "note": "前"}, after={"value": i + 0.5, "big": 1e16,
                                                                   "exact": Decimal("12.50")},
                         actor_role="league", client_address="10.0.0.1")


ACCESS_TABLES = {"users", "api_tokens", "login_events", "web_sessions", "audit_log"}


def _mine(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in ACCESS_TABLES


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    """The access branch's tables and the chained audit log, as migrated, are what the models say."""
    assert set(inspect(engine).get_table_names()) >= ACCESS_TABLES
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": _mine})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_appends_are_numbered_and_chained(session: Session) -> None:
    _fill(session, 3)
    rows = session.scalars(select(AuditRow).order_by(AuditRow.seq)).all()
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == GENESIS_HASH
    assert rows[1].prev_hash == rows[0].hash
    assert rows[2].actor_role == "league"
    assert rows[2].client_address == "10.0.0.1"
    assert rows[2].at.tzinfo is not None
    result = audit_service.verify_chain(session)
    assert result.ok, result.message
    assert result.last == Anchor(seq=3, hash=rows[2].hash)


def test_numbers_are_kept_as_written(engine: Engine, session: Session) -> None:
    _fill(session, 1)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT after FROM audit_log WHERE seq = 1")).scalar_one()
    assert stored == '{"big":1e+16,"exact":"12.50","value":1.5}'
    assert audit_service.verify_chain(session).ok


def test_existing_write_paths_chain_with_default_role(session: Session) -> None:
    from tanfeng.reference.regions import load_regions

    save_regions(session, load_regions()[:3], actor="tanfeng init")
    rows = session.scalars(select(AuditRow).order_by(AuditRow.seq)).all()
    assert len(rows) == 3
    assert {r.actor_role for r in rows} == {"system"}
    assert audit_service.verify_chain(session).ok


def test_a_failed_transaction_leaves_no_entry_and_no_gap(session: Session) -> None:
    _fill(session, 2)
    def failing_write() -> None:
        with session.begin():
            record_audit(session, actor="x", action="update", entity="e", entity_id="1")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        failing_write()
    _fill(session, 1)
    assert [r.seq for r in session.scalars(select(AuditRow).order_by(AuditRow.seq))] == [1, 2, 3]
    assert audit_service.verify_chain(session).ok


def test_two_sessions_append_one_after_the_other(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with factory() as a, factory() as b:
        with a.begin():
            record_audit(a, actor="a", action="update", entity="e", entity_id="1")
        with b.begin():
            record_audit(b, actor="b", action="update", entity="e", entity_id="2")
        with a.begin():
            record_audit(a, actor="a", action="update", entity="e", entity_id="3")
    with factory() as s:
        assert audit_service.verify_chain(s).ok
        assert [r.actor for r in s.scalars(select(AuditRow).order_by(AuditRow.seq))] == ["a", "b", "a"]


def _raw(engine: Engine, sql: str, **params: object) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql), params)


def _check(session: Session, kind: str, seq: int, anchors: tuple[Anchor, ...] = ()) -> None:
    session.rollback()  # end the read transaction: see what the raw SQL wrote
    result = audit_service.verify_chain(session, anchors)
    assert not result.ok
    assert (result.kind, result.first_bad_seq) == (kind, seq), result.message


def test_altered_field_is_caught(engine: Engine, session: Session) -> None:
    _fill(session)
    _raw(engine, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
    _check(session, "altered", 3)


def test_altered_json_text_is_caught(engine: Engine, session: Session) -> None:
    _fill(session)
    _raw(engine, "UPDATE audit_log SET after = :after WHERE seq = 2", after='{"big":1e+16,"exact":"12.5","value":2.5}')
    _check(session, "altered", 2)


def test_field_made_unreadable_is_caught(engine: Engine, session: Session) -> None:
    _fill(session)
    _raw(engine, "UPDATE audit_log SET hash = 'not-a-hash' WHERE seq = 4")
    _check(session, "altered", 4)


def test_deleted_row_is_caught(engine: Engine, session: Session) -> None:
    _fill(session)
    _raw(engine, "DELETE FROM audit_log WHERE seq = 2")
    _check(session, "removed", 2)


def test_deleted_tail_is_caught_by_the_anchor(engine: Engine, session: Session) -> None:
    _fill(session)
    anchor = audit_service.current_anchor(session)
    assert anchor is not None
    _raw(engine, "DELETE FROM audit_log WHERE seq >= 4")
    assert audit_service.verify_chain(session).ok  # the chain alone cannot see a cut tail
    _check(session, "truncated", 4, (anchor,))


def _forged_after(session: Session, seq: int) -> AuditRow:
    row = session.scalars(select(AuditRow).where(AuditRow.seq == seq)).one()
    return row


def test_inserted_row_is_caught(engine: Engine, session: Session) -> None:
    _fill(session)
    before = _forged_after(session, 2)
    prev = audit_service.load_chain(session)[0][1]
    session.rollback()
    assert prev.seq == before.seq
    forged = append(prev, AuditEntry(seq=3, ts=before.at, actor="mallory", actor_role="region_admin",
                                     action="update", entity="region_data", entity_id="r9", after={"value": 1}))
    # make room at seq 3 (in two steps, so the unique seq never collides) and insert a correctly linked row
    _raw(engine, "UPDATE audit_log SET seq = seq + 100 WHERE seq >= 3")
    _raw(engine, "UPDATE audit_log SET seq = seq - 99 WHERE seq >= 103")
    _raw(engine, "INSERT INTO audit_log (seq, at, actor, actor_role, client_address, action, entity, entity_id, "
                 "before, after, prev_hash, hash) VALUES (3, :at, 'mallory', 'region_admin', NULL, 'update', "
                 "'region_data', 'r9', NULL, :after, :prev, :hash)",
         after='{"value":1}', at=before.at, prev=forged.prev_hash, hash=forged.hash)
    # the renumbered old entry 3 (now at seq 4) no longer hashes to its hash
    _check(session, "altered", 4)


def test_inserted_and_rehashed_rows_are_caught_by_the_anchor(engine: Engine, session: Session) -> None:
    _fill(session, 3)
    anchor = audit_service.current_anchor(session)
    assert anchor is not None
    chain = audit_service.load_chain(session)[0]
    session.rollback()
    # a forger who can write the table rebuilds the chain from seq 2 with an extra entry in it
    forged = [chain[0]]
    extra = AuditEntry(seq=2, ts=chain[1].ts, actor="mallory", actor_role="region_admin", action="update",
                       entity="region_data", entity_id="r9")
    forged.append(append(forged[-1], extra))
    for old in chain[1:]:
        forged.append(append(forged[-1], old.entry().model_copy(update={"seq": forged[-1].seq + 1})))
    _raw(engine, "DELETE FROM audit_log WHERE seq >= 2")
    for e in forged[1:]:
        _raw(engine, "INSERT INTO audit_log (seq, at, actor, actor_role, client_address, action, entity, "
                     "entity_id, before, after, prev_hash, hash) VALUES (:seq, :at, :actor, :role, :addr, "
                     ":action, :entity, :eid, :before, :after, :prev, :hash)",
             seq=e.seq, at=e.ts, actor=e.actor, role=e.actor_role, addr=e.client_address, action=e.action,
             entity=e.entity, eid=e.entity_id,
             before=None if e.before is None else _canon(e.before),
             after=None if e.after is None else _canon(e.after), prev=e.prev_hash, hash=e.hash)
    assert audit_service.verify_chain(session).ok
    _check(session, "anchor_mismatch", 3, (anchor,))


def _canon(value: object) -> str:
    from tanfeng.audit import canonical_json

    return canonical_json(value).decode("utf-8")


def test_swapped_rows_are_caught(engine: Engine, session: Session) -> None:
    _fill(session)
    cols = "actor, action, entity, entity_id, before, after, prev_hash, hash"
    with engine.begin() as conn:
        two = conn.execute(text(f"SELECT {cols} FROM audit_log WHERE seq = 2")).one()
        four = conn.execute(text(f"SELECT {cols} FROM audit_log WHERE seq = 4")).one()
        sets = ", ".join(f"{c.strip()} = :{c.strip()}" for c in cols.split(","))
        # hash is unique: park row 2's hash first
        conn.execute(text("UPDATE audit_log SET hash = :h WHERE seq = 2"), {"h": "f" * 64})
        conn.execute(text(f"UPDATE audit_log SET {sets} WHERE seq = 4"), dict(two._mapping))
        conn.execute(text(f"UPDATE audit_log SET {sets} WHERE seq = 2"), dict(four._mapping))
    _check(session, "altered", 2)


def test_rows_written_before_the_migration_are_chained(engine_url: str) -> None:
    """A database with audit rows from before the access branch: the migration numbers and chains them."""
    from tanfeng.store import make_engine, upgrade

    upgrade(engine_url, "0001")
    eng = make_engine(engine_url)
    try:
        with eng.begin() as conn:
            for i in range(3):
                conn.execute(text("INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after) "
                                  "VALUES (:at, 'tanfeng init', 'insert', 'region', :eid, NULL, :after)"),
                             {"at": f"2026-11-01 08:00:0{i}.123456" if eng.dialect.name == "sqlite"
                              else f"2026-11-01T08:00:0{i}.123456+00:00", "eid": f"15010{i}",
                              "after": '{"name_zh": "新城区", "big": 1e16}'})
        upgrade(engine_url)
        with make_session_factory(eng)() as s:
            rows = s.scalars(select(AuditRow).order_by(AuditRow.seq)).all()
            assert [(r.seq, r.actor_role, r.entity_id) for r in rows] == [
                (1, "system", "150100"), (2, "system", "150101"), (3, "system", "150102")]
            assert rows[0].after == {"name_zh": "新城区", "big": 1e16}
            result = audit_service.verify_chain(s)
            assert result.ok, result.message
            record_audit(s, actor="next", action="update", entity="region", entity_id="150100")
            s.commit()
            assert audit_service.verify_chain(s).ok
    finally:
        eng.dispose()


def test_a_value_without_json_form_is_a_clear_error(session: Session) -> None:
    from tanfeng.errors import AuditChainError

    with pytest.raises(AuditChainError, match="region_data 'r1'"):
        record_audit(session, actor="x", action="update", entity="region_data", entity_id="r1",
                     after={"value": float("nan")})
