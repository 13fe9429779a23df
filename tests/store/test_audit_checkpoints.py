"""Incremental audit verification from checkpoints, on SQLite and PostgreSQL.

Fifteen entries; a verification after the tenth keeps checkpoint 10. Each kind of tampering — a changed
field, a removed entry, an inserted entry, a changed checkpoint — is made once after the checkpoint (entry
12) and once before it (entry 5), and the incremental verification must report it; the expected kinds and
seqs are written by hand from the scenario. The one change it cannot see by design (a field changed before
the checkpoint with the entry's hash left as it was) is caught by the full verification.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.orm import Session

from tanfeng.audit import Anchor, AuditEntry, ChainedEntry, append
from tanfeng.services import audit as audit_service
from tanfeng.store.models import AuditCheckpointRow, AuditRow, Base
from tanfeng.store.repository import record_audit

CHECKPOINT = 10
TOTAL = 15


def _add(session: Session, first: int, last: int) -> None:
    with session.begin():
        for i in range(first, last + 1):
            record_audit(session, actor=f"user{i}", action="update", entity="region_data", entity_id=f"r{i}",
                         before={"value": i}, after={"value": i + 1}, actor_role="league")


def _scenario(session: Session) -> None:
    _add(session, 1, CHECKPOINT)
    assert audit_service.verify_incremental(session).ok
    _add(session, CHECKPOINT + 1, TOTAL)


def _sql(session: Session, sql: str, **params: object) -> None:
    session.execute(text(sql), params)
    session.commit()


def _rows(session: Session) -> list[AuditRow]:
    return list(session.scalars(select(AuditRow).order_by(AuditRow.seq)))


def _rechain_from(session: Session, seq: int) -> None:
    """Recompute every hash from ``seq`` on, as someone hiding a change from the links would."""
    chain, broken = audit_service.load_chain(session)
    assert broken is None
    prev: ChainedEntry | None = None
    for entry in chain:
        if entry.seq >= seq:
            fixed = append(prev, AuditEntry.model_validate(entry.model_dump(exclude={"prev_hash", "hash"})))
            session.execute(update(AuditRow).where(AuditRow.seq == entry.seq)
                            .values(prev_hash=fixed.prev_hash, hash=fixed.hash))
            prev = fixed
        else:
            prev = entry
    session.commit()


def _insert_forged_at(session: Session, seq: int) -> None:
    """Move entries ``seq`` … up by one and put a forged entry, linked to the one before, at ``seq``."""
    _sql(session, "UPDATE audit_log SET seq = -seq - 1 WHERE seq >= :s", s=seq)
    _sql(session, "UPDATE audit_log SET seq = -seq WHERE seq < 0")
    before = session.scalars(select(AuditRow).where(AuditRow.seq == seq - 1)).one()
    prev = ChainedEntry(seq=before.seq, ts=before.at, actor=before.actor, actor_role=before.actor_role,
                        client_address=before.client_address, action=before.action, entity=before.entity,
                        entity_id=before.entity_id, before=before.before, after=before.after,
                        prev_hash=before.prev_hash, hash=before.hash)
    forged = append(prev, AuditEntry(seq=seq, ts=before.at, actor="forger", actor_role="league",
                                     client_address=None, action="update", entity="region_data",
                                     entity_id="forged", before=None, after={"value": 0}))
    session.add(AuditRow(seq=seq, at=forged.ts, actor=forged.actor, actor_role=forged.actor_role,
                         client_address=None, action=forged.action, entity=forged.entity,
                         entity_id=forged.entity_id, before=None, after=forged.after, prev_hash=forged.prev_hash,
                         hash=forged.hash))
    session.commit()


def _broken(session: Session) -> tuple[str | None, int | None]:
    result = audit_service.verify_incremental(session)
    assert not result.ok
    return result.kind, result.first_bad_seq


def test_the_checkpoint_table_is_as_migrated(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={
            "compare_type": True,
            "include_object": lambda obj, name, type_, *_: (name if type_ == "table" else obj.table.name)
            in {"audit_checkpoints", "read_versions"}})
        assert compare_metadata(ctx, Base.metadata) == []


def test_only_new_entries_are_rehashed_and_a_checkpoint_is_kept(session: Session) -> None:
    _scenario(session)
    assert session.scalar(select(func.max(AuditCheckpointRow.seq))) == CHECKPOINT
    result = audit_service.verify_incremental(session)
    assert (result.ok, result.checked) == (True, TOTAL - CHECKPOINT)
    assert result.last == Anchor(seq=TOTAL, hash=_rows(session)[-1].hash)
    again = audit_service.verify_incremental(session)
    assert (again.ok, again.checked) == (True, 0)
    assert audit_service.verify_chain(session).checked == TOTAL


# -- after the checkpoint ----------------------------------------------------------------------------

def test_after_a_checkpoint_a_changed_field_is_caught(session: Session) -> None:
    _scenario(session)
    _sql(session, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 12")
    assert _broken(session) == ("altered", 12)


def test_after_a_checkpoint_a_removed_entry_is_caught(session: Session) -> None:
    _scenario(session)
    _sql(session, "DELETE FROM audit_log WHERE seq = 12")
    assert _broken(session) == ("removed", 12)


def test_after_a_checkpoint_an_inserted_entry_is_caught(session: Session) -> None:
    _scenario(session)
    _insert_forged_at(session, 12)
    # the forged entry links correctly; the old entry 12, renumbered 13, no longer hashes (seq is hashed)
    assert _broken(session) == ("altered", 13)


def test_after_a_checkpoint_a_cut_tail_is_caught_by_the_newer_checkpoint(session: Session) -> None:
    _scenario(session)
    assert audit_service.verify_incremental(session).ok  # keeps checkpoint 15
    _sql(session, "DELETE FROM audit_log WHERE seq >= 14")
    assert _broken(session) == ("truncated", 14)


# -- before the checkpoint ---------------------------------------------------------------------------

def test_before_a_checkpoint_a_changed_field_with_its_hashes_recomputed_is_caught(session: Session) -> None:
    _scenario(session)
    _sql(session, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 5")
    _rechain_from(session, 5)
    assert audit_service.verify_chain(session).ok  # the links alone no longer show it
    assert _broken(session) == ("anchor_mismatch", CHECKPOINT)


def test_before_a_checkpoint_a_changed_field_alone_needs_the_full_verification(session: Session) -> None:
    _scenario(session)
    _sql(session, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 5")
    assert audit_service.verify_incremental(session).ok  # by design: entries before it are not re-hashed
    full = audit_service.verify_chain(session)
    assert (full.ok, full.kind, full.first_bad_seq) == (False, "altered", 5)


def test_before_a_checkpoint_a_removed_entry_is_caught(session: Session) -> None:
    _scenario(session)
    _sql(session, "DELETE FROM audit_log WHERE seq = 5")
    assert _broken(session) == ("removed", 5)


def test_before_a_checkpoint_a_removed_first_entry_is_caught(session: Session) -> None:
    _scenario(session)
    _sql(session, "DELETE FROM audit_log WHERE seq = 1")
    assert _broken(session) == ("removed", 1)


def test_before_a_checkpoint_an_inserted_entry_is_caught(session: Session) -> None:
    _scenario(session)
    _insert_forged_at(session, 5)
    assert _broken(session) == ("anchor_mismatch", CHECKPOINT)


# -- the checkpoint itself ---------------------------------------------------------------------------

def test_a_changed_checkpoint_hash_is_caught(session: Session) -> None:
    _scenario(session)
    _sql(session, f"UPDATE audit_checkpoints SET hash = '{'f' * 64}' WHERE seq = {CHECKPOINT}")
    assert _broken(session) == ("anchor_mismatch", CHECKPOINT)


def test_a_checkpoint_moved_to_another_entry_is_caught(session: Session) -> None:
    _scenario(session)
    _sql(session, f"UPDATE audit_checkpoints SET seq = 5 WHERE seq = {CHECKPOINT}")
    assert _broken(session) == ("anchor_mismatch", 5)


def test_a_published_anchor_before_the_checkpoint_is_still_checked(session: Session) -> None:
    _scenario(session)
    published = Anchor(seq=3, hash=_rows(session)[2].hash)
    assert audit_service.verify_incremental(session, [published]).ok
    forged = Anchor(seq=3, hash="e" * 64)
    result = audit_service.verify_incremental(session, [forged])
    assert (result.ok, result.kind, result.first_bad_seq) == (False, "anchor_mismatch", 3)
