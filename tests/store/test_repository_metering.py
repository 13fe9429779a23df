"""The metering repository's reads end the transaction they began (so the batch file is written and the ledger
row inserted outside a stale read), and leave a transaction the caller began alone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from tanfeng.store import repository_metering as repo
from tanfeng.store.models_enterprises import ReadingBatchRow

AT = datetime(2025, 1, 6, tzinfo=UTC)


def _row(batch_id: str) -> ReadingBatchRow:
    return ReadingBatchRow(batch_id=batch_id, source="test", format="json", rows=2, meters=1, first_ts=AT, last_ts=AT,
                           accepted_at=AT, actor="t", path=f"readings/ab/{batch_id}.parquet", status="accepted",
                           sample=False)


def test_a_read_of_its_own_leaves_no_transaction_open(session: Session) -> None:
    session.add(_row("sha256:aa"))
    session.commit()
    entry = repo.ledger_entry(session, batch_id="sha256:aa")
    assert not session.in_transaction()
    assert entry is not None
    assert (entry.rows, entry.meters, entry.source) == (2, 1, "test")
    assert repo.ledger_entry(session, batch_id="sha256:zz") is None
    assert repo.ledger_paths(session) == {"readings/ab/sha256:aa.parquet"}
    assert not session.in_transaction()


def test_a_transaction_the_caller_began_is_left_to_the_caller(session: Session) -> None:
    with session.begin():
        session.add(_row("sha256:bb"))
        session.flush()
        entry = repo.ledger_entry(session, batch_id="sha256:bb")
        assert entry is not None
        assert session.in_transaction()
        assert repo.batch_paths(session) == ["readings/ab/sha256:bb.parquet"]
    assert repo.count_batches(session) == 1
