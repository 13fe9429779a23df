"""The one write path of the ledger: idempotency, the ledger lock, chaining, the audit entry, retries.

Every request carries an idempotency key. :func:`commit` first looks the key up: a transaction made with it
is returned as it was (``replayed``), and the same key with a different request is refused. Otherwise,
inside one :func:`~tanfeng.store.transaction.atomic` block, it takes the ledger lock, reads the head of the
chain, lets ``build`` read holdings and produce balanced entries, appends the chained transaction and its
audit entry. A conflict (a taken seq or key, a serialisation failure, a deadlock, a busy SQLite file) rolls
everything back and is retried with a short random back-off, when this call owns the transaction.
"""

from __future__ import annotations

import hashlib
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, SessionTransactionOrigin

from tanfeng.audit.chain import GENESIS_HASH, canonical_json
from tanfeng.errors import ConflictError, InputError, at
from tanfeng.registry import Entry, LedgerTransaction, block_text, chain_hash, check_balanced
from tanfeng.services.registry.models import EntryOut, TransactionOut
from tanfeng.store import repository_registry as repo
from tanfeng.store.models import utcnow
from tanfeng.store.models_registry import RegistryTransactionRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic

__all__ = ["MAX_ATTEMPTS", "Actor", "Built", "commit", "transaction_out"]

MAX_ATTEMPTS = 30
"""How many times a conflicting write is tried before the conflict is reported."""

_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "23505"})  # serialization failure, deadlock, unique key


@dataclass(frozen=True)
class Actor:
    """Who asks: the audit log's actor and role, and their address when over the network."""

    name: str
    role: str = "system"
    client_address: str | None = None


@dataclass
class Built:
    """What a use case builds inside the write: balanced entries and what the transaction records."""

    entries: list[Entry]
    details: dict[str, Any] = field(default_factory=dict)
    memo: str | None = None
    reverses: str | None = None


def _request_hash(kind: str, request: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json({"kind": kind, "request": request})).hexdigest()


def transaction_out(row: RegistryTransactionRow, entries: list[Entry], *, replayed: bool = False) -> TransactionOut:
    """A stored transaction as the CLI and the API show it."""
    return TransactionOut(
        tx_id=row.tx_id, seq=row.seq, kind=row.kind, idempotency_key=row.idempotency_key, at=row.at,
        actor=row.actor, memo=row.memo, details=row.details, reverses=row.reverses, hash=row.hash,
        sample=row.sample, replayed=replayed,
        entries=[EntryOut(account=e.account, serial=block_text(e.block), instrument=e.block.instrument,
                          vintage=e.block.vintage, amount=e.amount) for e in entries])


def _replay(session: Session, key: str, request_hash: str) -> TransactionOut | None:
    row = repo.get_transaction(session, idempotency_key=key)
    if row is None:
        return None
    if row.request_hash != request_hash:
        msg = f"idempotency key {key!r} was already used for a different request (transaction {row.tx_id})"
        raise ConflictError(msg, location=at(field="idempotency_key"), hint="use a new key for a new request")
    return transaction_out(row, repo.transaction_entries(session, seq=row.seq), replayed=True)


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, ConflictError):
        return True
    if isinstance(exc, DBAPIError):
        code = getattr(exc.orig, "sqlstate", None)
        return code in _RETRYABLE_SQLSTATES or "database is locked" in str(exc.orig)
    return False


def _owned(session: Session) -> bool:
    """Whether this call owns the transaction (nothing began by a caller, no savepoint open)."""
    tx = session.get_transaction()
    return (tx is None or tx.origin is SessionTransactionOrigin.AUTOBEGIN) and not session.in_nested_transaction()


def commit(session: Session, *, kind: str, key: str, request: dict[str, Any], actor: Actor,
           build: Callable[[Session], Built], sample: bool = False) -> TransactionOut:
    """Append one transaction built by ``build`` (see the module docstring).

    Raises
    ------
    InputError
        ``build`` refused the request, or built entries that do not balance; nothing is written.
    ConflictError
        The key was used for another request, or the conflict outlasted :data:`MAX_ATTEMPTS` tries.
    """
    request_hash = _request_hash(kind, request)
    owned = _owned(session)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        replay = _replay(session, key, request_hash)
        if replay is not None:
            if owned:
                session.commit()
            return replay
        try:
            what = f"registry {kind} {key!r}"
            with atomic(session, what):
                repo.lock_ledger(session)
                head = repo.last_transaction(session)
                built = build(session)
                problem = check_balanced(built.entries)
                if problem is not None:
                    msg = f"the {kind} does not balance: {problem}"
                    raise InputError(msg, location=at(field="entries"))
                tx = LedgerTransaction(
                    seq=1 if head is None else head.seq + 1, tx_id=str(uuid.uuid4()), kind=kind,
                    idempotency_key=key, ts=utcnow(), actor=actor.name, memo=built.memo, details=built.details,
                    reverses=built.reverses, entries=tuple(built.entries),
                    prev_hash=GENESIS_HASH if head is None else head.hash)
                tx = tx.model_copy(update={"hash": chain_hash(tx.prev_hash, tx)})
                row = repo.add_transaction(session, tx=tx, request_hash=request_hash, actor_role=actor.role,
                                           sample=sample)
                record_audit(session, actor=actor.name, actor_role=actor.role, client_address=actor.client_address,
                             action=kind, entity="registry_transaction", entity_id=tx.tx_id, before=None,
                             after={"seq": tx.seq, "hash": tx.hash, "details": tx.details, "memo": tx.memo,
                                    "entries": [[e.account, block_text(e.block), e.sign] for e in tx.entries]})
            return transaction_out(row, list(tx.entries))
        except (ConflictError, DBAPIError) as exc:
            if not owned or not _retryable(exc) or attempt == MAX_ATTEMPTS:
                if isinstance(exc, ConflictError):
                    raise
                msg = f"registry {kind} {key!r} could not be written: {str(exc.orig).splitlines()[0]}"
                raise ConflictError(msg, hint="nothing was written; send the same request again") from exc
            session.rollback()
            time.sleep(random.uniform(0, min(0.2, 0.005 * 2 ** attempt)))
    msg_0 = "unreachable"
    raise AssertionError(msg_0)  # pragma: no cover
