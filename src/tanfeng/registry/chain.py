"""The ledger's hash chain and its verification, the same scheme as the audit trail.

Each transaction is numbered by ``seq`` (1, 2, 3 … no gaps) and chained::

    hash = SHA-256( prev_hash || canonical_json(fields) )

with ``canonical_json`` and the genesis hash of :mod:`tanfeng.audit.chain`, and ``fields`` the transaction's
seq, id, kind, idempotency key, timestamp, actor, memo, details, the id of the transaction it reverses and
its entries (account, instrument, vintage, start, end, sign) in their order.

:func:`verify_ledger` checks, in order, and reports the first bad transaction: the seq has no gap, the link
to the previous hash, the hash itself, that every transaction balances, then that every serial is in
exactly one account and no ordinary account is negative.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tanfeng.audit.chain import GENESIS_HASH, canonical_json, format_ts
from tanfeng.registry.ledger import ISSUANCE, RETIREMENT, Entry, check_balanced, check_holdings

__all__ = ["LedgerTransaction", "LedgerVerify", "chain_hash", "transaction_fields", "verify_ledger"]


class LedgerTransaction(BaseModel):
    """One stored transaction with its entries and chain fields."""

    model_config = ConfigDict(frozen=True)

    seq: int = Field(ge=1)
    tx_id: str
    kind: str
    idempotency_key: str
    ts: datetime
    actor: str
    memo: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    reverses: str | None = None
    entries: tuple[Entry, ...]
    prev_hash: str = GENESIS_HASH
    hash: str = ""


def transaction_fields(tx: LedgerTransaction) -> dict[str, Any]:
    """The hashed fields as plain JSON values."""
    return {
        "seq": tx.seq, "tx_id": tx.tx_id, "kind": tx.kind, "idempotency_key": tx.idempotency_key,
        "ts": format_ts(tx.ts), "actor": tx.actor, "memo": tx.memo, "details": tx.details,
        "reverses": tx.reverses,
        "entries": [[e.account, e.block.instrument, e.block.vintage, e.block.start, e.block.end, e.sign]
                    for e in tx.entries],
    }


def chain_hash(prev_hash: str, tx: LedgerTransaction) -> str:
    """``SHA-256(prev_hash || canonical_json(fields))`` as 64 lower-case hex characters."""
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(canonical_json(transaction_fields(tx)))
    return digest.hexdigest()


class LedgerVerify(BaseModel):
    """What ``tanfeng registry verify`` prints (the issue's shape)."""

    ok: bool
    entries: int
    """Entries read (two or more per transaction)."""
    accounts: int
    issued: int
    retired: int
    in_circulation: int
    first_bad_entry: int | None = None
    """The seq of the first bad transaction (``None`` when ok, 0 when the problem is not one transaction's)."""
    message: str = ""


def verify_ledger(txs: Sequence[LedgerTransaction], kinds: dict[str, str]) -> LedgerVerify:
    """Check the chain, the balance of each transaction and where the serials are.

    Parameters
    ----------
    txs
        Every transaction in ``seq`` order.
    kinds
        Account id → kind, for every account (issuance, retirement, region, league, enterprise).
    """
    prev = GENESIS_HASH
    all_entries: list[Entry] = []
    bad: tuple[int, str] | None = None
    for i, tx in enumerate(txs, start=1):
        if tx.seq != i:
            bad = (i, f"transaction {i} is missing (found seq {tx.seq} at position {i})")
        elif tx.prev_hash != prev:
            bad = (tx.seq, f"transaction {tx.seq} does not link to transaction {tx.seq - 1}")
        elif chain_hash(tx.prev_hash, tx) != tx.hash:
            bad = (tx.seq, f"transaction {tx.seq} was changed: it no longer hashes to its recorded hash")
        elif (problem := check_balanced(list(tx.entries))) is not None:
            bad = (tx.seq, f"transaction {tx.seq} does not balance: {problem}")
        if bad is not None:
            break
        prev = tx.hash
        all_entries.extend(tx.entries)
    balances: dict[str, int] = dict.fromkeys(kinds, 0)
    for e in all_entries:
        balances[e.account] = balances.get(e.account, 0) + e.amount
    issued = -sum(v for a, v in balances.items() if kinds.get(a) == ISSUANCE)
    retired = sum(v for a, v in balances.items() if kinds.get(a) == RETIREMENT)
    circulating = sum(v for a, v in balances.items() if kinds.get(a) not in (ISSUANCE, RETIREMENT))
    if bad is None:
        unknown = sorted(a for a in balances if a not in kinds)
        problems = ([f"entries name unknown accounts: {', '.join(unknown)}"] if unknown else []) + \
            check_holdings(all_entries, kinds)
        if issued - retired != circulating:
            problems.append(f"issued {issued} − retired {retired} ≠ in circulation {circulating}")
        if problems:
            bad = (0, "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""))
    n = len(all_entries)
    if bad is not None:
        return LedgerVerify(ok=False, entries=n, accounts=len(kinds), issued=issued, retired=retired,
                            in_circulation=circulating, first_bad_entry=bad[0], message=bad[1])
    return LedgerVerify(ok=True, entries=n, accounts=len(kinds), issued=issued, retired=retired,
                        in_circulation=circulating, message=f"{len(txs)} transactions, {n} entries verified")
