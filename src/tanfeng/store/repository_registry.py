"""Queries of the registry: accounts, the ledger's transactions and entries, balances as sums of entries.

Nothing here updates or deletes a ledger row: :func:`add_transaction` appends; balances and holdings are
always computed from the entries. :func:`lock_ledger` serialises ledger writers (a transaction-level
advisory lock on PostgreSQL, released at commit or rollback; on SQLite the database's write lock does it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from tanfeng.registry import Block, Entry, LedgerTransaction
from tanfeng.store.models_enterprises import AnnualReportRow
from tanfeng.store.models_registry import RegistryAccountRow, RegistryEntryRow, RegistryTransactionRow

__all__ = [
    "LEDGER_LOCK_KEY",
    "AccountBalance",
    "account_entries",
    "add_account",
    "add_transaction",
    "approved_energy_tce",
    "get_account",
    "get_transaction",
    "last_transaction",
    "ledger",
    "list_accounts",
    "lock_ledger",
    "max_serial",
    "statement_rows",
    "transaction_entries",
    "transactions_of_kind",
]

LEDGER_LOCK_KEY = 0x7A6E_5265_6769  # "zn Reg": any constant shared by every writer
"""The PostgreSQL advisory-lock key that ledger writers hold while they append."""


@dataclass(frozen=True)
class AccountBalance:
    """An account row with its balance (the sum of its entries)."""

    row: RegistryAccountRow
    balance: int


def lock_ledger(session: Session) -> None:
    """Hold the ledger's write lock until the transaction ends (PostgreSQL; a no-op on SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LEDGER_LOCK_KEY})


def add_account(session: Session, *, row: RegistryAccountRow) -> None:
    """Add an account (flushes, so a duplicate id fails here)."""
    session.add(row)
    session.flush()


def get_account(session: Session, *, account: str) -> RegistryAccountRow | None:
    """One account, or ``None``."""
    return session.get(RegistryAccountRow, account)


def list_accounts(session: Session, *, instrument: str | None = None, owner: str | None = None,
                  region: str | None = None, include_system: bool = True) -> list[AccountBalance]:
    """Accounts with their balances, ordered by id; filters combine."""
    totals = (select(RegistryEntryRow.account, func.coalesce(func.sum(RegistryEntryRow.amount), 0).label("bal"))
              .group_by(RegistryEntryRow.account).subquery())
    q = select(RegistryAccountRow, func.coalesce(totals.c.bal, 0)).outerjoin(
        totals, totals.c.account == RegistryAccountRow.account)
    if instrument is not None:
        q = q.where(RegistryAccountRow.instrument == instrument)
    if owner is not None:
        q = q.where(RegistryAccountRow.owner == owner)
    if region is not None:
        q = q.where(RegistryAccountRow.region == region)
    if not include_system:
        q = q.where(RegistryAccountRow.kind.not_in(("issuance", "retirement")))
    return [AccountBalance(row=r, balance=int(b)) for r, b in session.execute(q.order_by(RegistryAccountRow.account))]


def _entry(row: RegistryEntryRow) -> Entry:
    return Entry(account=row.account, sign=1 if row.sign > 0 else -1,
                 block=Block(instrument=row.instrument, vintage=row.vintage, start=row.serial_start,
                             end=row.serial_end))


def account_entries(session: Session, *, account: str, instrument: str | None = None) -> list[Entry]:
    """Every entry of one account, in ledger order."""
    q = select(RegistryEntryRow).where(RegistryEntryRow.account == account)
    if instrument is not None:
        q = q.where(RegistryEntryRow.instrument == instrument)
    return [_entry(r) for r in session.scalars(q.order_by(RegistryEntryRow.seq, RegistryEntryRow.line))]


def transaction_entries(session: Session, *, seq: int) -> list[Entry]:
    """The entries of one transaction, in their order."""
    q = select(RegistryEntryRow).where(RegistryEntryRow.seq == seq).order_by(RegistryEntryRow.line)
    return [_entry(r) for r in session.scalars(q)]


def last_transaction(session: Session) -> RegistryTransactionRow | None:
    """The newest transaction of the ledger (the head of the chain)."""
    return session.scalars(select(RegistryTransactionRow).order_by(RegistryTransactionRow.seq.desc())
                           .limit(1)).first()


def get_transaction(session: Session, *, idempotency_key: str | None = None,
                    tx_id: str | None = None) -> RegistryTransactionRow | None:
    """A transaction by its idempotency key or its id."""
    q = select(RegistryTransactionRow)
    if idempotency_key is not None:
        q = q.where(RegistryTransactionRow.idempotency_key == idempotency_key)
    if tx_id is not None:
        q = q.where(RegistryTransactionRow.tx_id == tx_id)
    return session.scalars(q.limit(1)).first()


def transactions_of_kind(session: Session, *, kind: str) -> list[RegistryTransactionRow]:
    """Every transaction of one kind, in ledger order."""
    return list(session.scalars(select(RegistryTransactionRow).where(RegistryTransactionRow.kind == kind)
                                .order_by(RegistryTransactionRow.seq)))


def max_serial(session: Session, *, account: str, instrument: str, vintage: int) -> int:
    """The highest serial ever issued from ``account`` for an instrument and vintage (0 when none)."""
    q = select(func.max(RegistryEntryRow.serial_end)).where(
        RegistryEntryRow.account == account, RegistryEntryRow.instrument == instrument,
        RegistryEntryRow.vintage == vintage)
    return int(session.scalar(q) or 0)


def add_transaction(session: Session, *, tx: LedgerTransaction, request_hash: str, actor_role: str,
                    sample: bool) -> RegistryTransactionRow:
    """Append a chained transaction and its entries (flushes: a taken seq or key fails here)."""
    row = RegistryTransactionRow(seq=tx.seq, tx_id=tx.tx_id, idempotency_key=tx.idempotency_key,
                                 request_hash=request_hash, kind=tx.kind, at=tx.ts, actor=tx.actor,
                                 actor_role=actor_role, memo=tx.memo, details=tx.details, reverses=tx.reverses,
                                 sample=sample, prev_hash=tx.prev_hash, hash=tx.hash)
    session.add(row)
    session.flush()
    session.add_all(RegistryEntryRow(seq=tx.seq, line=i, account=e.account, instrument=e.block.instrument,
                                     vintage=e.block.vintage, serial_start=e.block.start, serial_end=e.block.end,
                                     sign=e.sign, amount=e.amount) for i, e in enumerate(tx.entries, start=1))
    session.flush()
    return row


def ledger(session: Session) -> tuple[list[LedgerTransaction], dict[str, str]]:
    """Every transaction with its entries in ``seq`` order, and every account's kind."""
    rows = session.execute(select(RegistryAccountRow.account, RegistryAccountRow.kind))
    kinds = {str(a): str(k) for a, k in rows}
    by_seq: dict[int, list[Entry]] = {}
    for r in session.scalars(select(RegistryEntryRow).order_by(RegistryEntryRow.seq, RegistryEntryRow.line)):
        by_seq.setdefault(r.seq, []).append(_entry(r))
    txs = [LedgerTransaction(seq=t.seq, tx_id=t.tx_id, kind=t.kind, idempotency_key=t.idempotency_key, ts=t.at,
                             actor=t.actor, memo=t.memo, details=t.details, reverses=t.reverses,
                             entries=tuple(by_seq.get(t.seq, ())), prev_hash=t.prev_hash, hash=t.hash)
           for t in session.scalars(select(RegistryTransactionRow).order_by(RegistryTransactionRow.seq))]
    return txs, kinds


def statement_rows(session: Session, *, account: str) -> Sequence[tuple[RegistryEntryRow, RegistryTransactionRow]]:
    """The account's entries with their transactions, in ledger order."""
    q = (select(RegistryEntryRow, RegistryTransactionRow)
         .join(RegistryTransactionRow, RegistryTransactionRow.seq == RegistryEntryRow.seq)
         .where(RegistryEntryRow.account == account)
         .order_by(RegistryEntryRow.seq, RegistryEntryRow.line))
    return [(e, t) for e, t in session.execute(q)]


def approved_energy_tce(session: Session, *, unit_code: str, year: int) -> tuple[float, dict[str, Any]] | None:
    """The verified comprehensive energy consumption (tce) of an approved annual report, with the report's
    identity, or ``None`` when the unit has no approved report for the year."""
    q = select(AnnualReportRow).where(AnnualReportRow.unit_code == unit_code, AnnualReportRow.year == year,
                                      AnnualReportRow.state == "approved")
    rep = session.scalars(q.limit(1)).first()
    if rep is None or rep.figures.get("energy_tce") is None:
        return None
    return float(rep.figures["energy_tce"]), {"report_id": rep.id, "version": rep.version, "kind": rep.kind}
