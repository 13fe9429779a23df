"""The ledger: blocks split and move, transactions balance, the chain catches changes, and the invariants
hold for any sequence of operations (hypothesis): supply = issued − retired, no ordinary account below
zero, every issued serial in exactly one account."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tanfeng.errors import InputError
from tanfeng.registry import (
    Block,
    Entry,
    LedgerTransaction,
    block_text,
    chain_hash,
    check_balanced,
    check_holdings,
    holdings,
    issuance_account,
    move,
    negate,
    retirement_account,
    take,
    verify_ledger,
)

ISS, RET = issuance_account("CEA"), retirement_account("CEA")
HOLDERS = ["A", "B", "C", "D"]
KINDS = {ISS: "issuance", RET: "retirement", **dict.fromkeys(HOLDERS, "enterprise")}


def _block(start: int, end: int, vintage: int = 2024) -> Block:
    return Block(instrument="CEA", vintage=vintage, start=start, end=end)


def test_a_partial_transfer_splits_the_block() -> None:
    entries = move([_block(1, 1000)], source=ISS, target="A")
    moved = take(holdings(entries, "A"), 300, instrument="CEA")
    assert moved == [_block(1, 300)]
    entries += move(moved, source="A", target="B")
    assert holdings(entries, "A") == [_block(301, 1000)]
    assert holdings(entries, "B") == [_block(1, 300)]
    assert block_text(_block(1, 300)) == "CEA-2024-000000001-000000300"


def test_take_oldest_vintage_first_and_refuse_too_much() -> None:
    held = [_block(1, 10, 2024), _block(1, 10, 2023)]
    assert take(held, 12, instrument="CEA") == [_block(1, 10, 2023), _block(1, 2, 2024)]
    with pytest.raises(InputError, match="holds 20 units"):
        take(held, 21, instrument="CEA", account="A")
    with pytest.raises(InputError, match="positive"):
        take(held, -5, instrument="CEA")


def test_unbalanced_entries_are_found() -> None:
    assert check_balanced(move([_block(1, 5)], source=ISS, target="A")) is None
    one_sided = [Entry(account="A", block=_block(1, 5), sign=1)]
    assert "do not balance" in (check_balanced(one_sided) or "")
    half = [Entry(account="A", block=_block(1, 5), sign=1), Entry(account=ISS, block=_block(1, 4), sign=-1)]
    assert "from 5" in (check_balanced(half) or "")


def test_a_serial_in_two_accounts_is_found() -> None:
    entries = move([_block(1, 5)], source=ISS, target="A")
    entries.append(Entry(account="B", block=_block(3, 3), sign=1))  # a unit made out of nothing
    problems = check_holdings(entries, KINDS)
    assert any("3..3 are in more than one account" in p for p in problems)


def _chain(ops: list[list[Entry]]) -> list[LedgerTransaction]:
    out: list[LedgerTransaction] = []
    prev = "0" * 64
    for i, entries in enumerate(ops, start=1):
        tx = LedgerTransaction(seq=i, tx_id=f"t{i}", kind="x", idempotency_key=f"k{i}",
                               ts=datetime(2026, 1, 1, tzinfo=UTC), actor="test", entries=tuple(entries),
                               prev_hash=prev)
        tx = tx.model_copy(update={"hash": chain_hash(prev, tx)})
        out.append(tx)
        prev = tx.hash
    return out


def test_verify_catches_a_changed_amount_and_a_removed_transaction() -> None:
    first = move([_block(1, 100)], source=ISS, target="A")
    second = move([_block(1, 40)], source="A", target="B")
    txs = _chain([first, second, move([_block(41, 50)], source="A", target=RET)])
    good = verify_ledger(txs, KINDS)
    assert (good.ok, good.issued, good.retired, good.in_circulation, good.entries) == (True, 100, 10, 90, 6)
    forged = list(txs)
    forged[1] = txs[1].model_copy(update={"entries": tuple(move([_block(1, 45)], source="A", target="B"))})
    bad = verify_ledger(forged, KINDS)
    assert (bad.ok, bad.first_bad_entry) == (False, 2)
    gone = verify_ledger([txs[0], txs[2]], KINDS)
    assert (gone.ok, gone.first_bad_entry) == (False, 2)


def test_a_reversal_restores_the_holdings() -> None:
    issue = move([_block(1, 10)], source=ISS, target="A")
    transfer = move([_block(1, 4)], source="A", target="B")
    txs = _chain([issue, transfer, negate(transfer)])
    assert verify_ledger(txs, KINDS).ok
    entries = [e for t in txs for e in t.entries]
    assert holdings(entries, "A") == [_block(1, 10)]
    assert holdings(entries, "B") == []


# an operation: (kind, holder index, other holder index, amount, vintage)
_OPS = st.lists(st.tuples(st.sampled_from(["issue", "transfer", "retire", "reverse"]), st.integers(0, 3),
                          st.integers(0, 3), st.integers(1, 60), st.sampled_from([2023, 2024])),
                max_size=40)


@settings(max_examples=150, deadline=None)
@given(_OPS)
def test_ledger_invariants_hold_for_any_sequence(ops: list[tuple[str, int, int, int, int]]) -> None:
    entries: list[Entry] = []
    txs: list[list[Entry]] = []
    next_serial = {2023: 1, 2024: 1}
    issued = retired = 0
    for kind, i, j, amount, vintage in ops:
        a, b = HOLDERS[i], HOLDERS[j]
        if kind == "issue":
            blk = _block(next_serial[vintage], next_serial[vintage] + amount - 1, vintage)
            next_serial[vintage] += amount
            new = move([blk], source=ISS, target=a)
            issued += amount
        elif kind == "reverse":
            if not txs:
                continue
            new = negate(txs[-1])
            # a reversal is only possible while the units are still where the last transaction put them
            try:
                for e in new:
                    if e.sign < 0 and KINDS[e.account] != "issuance":
                        held = holdings(entries, e.account)
                        assert any(h.vintage == e.block.vintage and h.start <= e.block.start and e.block.end <= h.end
                                   for h in held)
            except AssertionError:
                continue
            issued -= sum(e.amount for e in new if e.account == ISS)
            retired += sum(e.amount for e in new if e.account == RET)
        else:
            target = RET if kind == "retire" else b
            if target == a:
                continue
            try:
                blocks = take(holdings(entries, a), amount, instrument="CEA", vintage=vintage)
            except InputError:
                continue  # refused: too few units; nothing is written
            new = move(blocks, source=a, target=target)
            retired += amount if kind == "retire" else 0
        assert check_balanced(new) is None
        entries += new
        txs.append(new)
    result = verify_ledger(_chain(txs), KINDS)
    assert result.ok, result.message
    # total supply = issued − retired, counted independently of the verifier
    assert (result.issued, result.retired) == (issued, retired)
    assert result.in_circulation == issued - retired
    assert sum(sum(b.amount for b in holdings(entries, h)) for h in HOLDERS) == issued - retired
    # no holder below zero, and every serial in exactly one account
    assert check_holdings(entries, KINDS) == []
    for h in HOLDERS:
        assert sum(e.amount for e in entries if e.account == h) >= 0
