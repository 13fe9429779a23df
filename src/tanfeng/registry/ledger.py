"""The double-entry ledger: serial blocks, balanced transactions, holdings derived from entries.

Units are numbered: each issuance gives a block of serials ``start..end`` (inclusive) of one instrument and
vintage, numbered after the last serial issued of that instrument and vintage. An *entry* moves one block
into (``+``) or out of (``−``) one account; a *transaction* is a list of entries that balances: for every
serial it touches, as many units leave accounts as enter them. So a block never appears or vanishes:

* issuance debits the instrument's issuance account (its balance is −issued, a rule allows it) and
  credits the holder;
* a transfer debits the sender and credits the receiver, splitting a block when part of it moves;
* a surrender or cancellation debits the holder and credits the retirement account;
* a reversal is a new transaction with every entry of the reversed one negated (nothing is edited).

Holdings and balances are never stored: :func:`holdings` sweeps an account's entries (``+1`` where a
block enters, ``−1`` where it leaves) and keeps the serials whose count is 1. A serial counted 2 or −1
in an ordinary account means the ledger is broken (:func:`check_holdings`).

Serial text: ``CEA-2024-000000001-000001000`` (instrument, vintage, first and last serial, 9 digits).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tanfeng.errors import InputError, at

__all__ = [
    "ISSUANCE",
    "RETIREMENT",
    "SYSTEM_KINDS",
    "AccountKind",
    "Block",
    "Entry",
    "block_text",
    "check_balanced",
    "check_holdings",
    "counts",
    "holdings",
    "issuance_account",
    "move",
    "negate",
    "retirement_account",
    "take",
]

ISSUANCE = "issuance"
"""Kind of the account an instrument is issued from (negative balance by rule)."""
RETIREMENT = "retirement"
"""Kind of the account surrendered and cancelled units go to (they never leave it)."""
SYSTEM_KINDS = frozenset({ISSUANCE, RETIREMENT})

AccountKind = Literal["issuance", "retirement", "region", "league", "enterprise"]


def issuance_account(instrument: str) -> str:
    """The id of an instrument's issuance account."""
    return f"{instrument}-ISSUANCE"


def retirement_account(instrument: str) -> str:
    """The id of an instrument's retirement account."""
    return f"{instrument}-RETIREMENT"


class Block(BaseModel):
    """Serials ``start..end`` (inclusive) of one instrument and vintage."""

    model_config = ConfigDict(frozen=True)

    instrument: str = Field(min_length=1)
    vintage: int
    start: int = Field(ge=1)
    end: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> Block:
        if self.end < self.start:
            msg = f"a block ends at or after its start, got {self.start}..{self.end}"
            raise ValueError(msg)
        return self

    @property
    def amount(self) -> int:
        """How many units the block holds."""
        return self.end - self.start + 1


def block_text(block: Block) -> str:
    """``CEA-2024-000000001-000001000``."""
    return f"{block.instrument}-{block.vintage}-{block.start:09d}-{block.end:09d}"


class Entry(BaseModel):
    """One block entering (``sign`` +1) or leaving (−1) one account."""

    model_config = ConfigDict(frozen=True)

    account: str = Field(min_length=1)
    block: Block
    sign: Literal[1, -1]

    @property
    def amount(self) -> int:
        """Signed units: positive into the account."""
        return self.sign * self.block.amount


def move(blocks: Iterable[Block], *, source: str, target: str) -> list[Entry]:
    """The balanced entries that move ``blocks`` from ``source`` to ``target``."""
    out: list[Entry] = []
    for b in blocks:
        out.append(Entry(account=source, block=b, sign=-1))
        out.append(Entry(account=target, block=b, sign=1))
    return out


def negate(entries: Sequence[Entry]) -> list[Entry]:
    """The compensating entries of a reversal: each entry with its sign flipped."""
    return [Entry(account=e.account, block=e.block, sign=-e.sign) for e in entries]


def _sweep(entries: Iterable[Entry]) -> dict[tuple[str, str, int], list[tuple[int, int, int]]]:
    """Per (account, instrument, vintage): maximal runs ``(start, end, count)`` with a non-zero count."""
    events: dict[tuple[str, str, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for e in entries:
        key = (e.account, e.block.instrument, e.block.vintage)
        events[key][e.block.start] += e.sign
        events[key][e.block.end + 1] -= e.sign
    out: dict[tuple[str, str, int], list[tuple[int, int, int]]] = {}
    for key, ev in events.items():
        runs: list[tuple[int, int, int]] = []
        level = 0
        points = sorted(ev)
        for i, p in enumerate(points):
            level += ev[p]
            if level != 0 and i + 1 < len(points):
                nxt = points[i + 1] - 1
                if runs and runs[-1][1] == p - 1 and runs[-1][2] == level:
                    runs[-1] = (runs[-1][0], nxt, level)
                else:
                    runs.append((p, nxt, level))
        if runs:
            out[key] = runs
    return out


def counts(entries: Iterable[Entry]) -> dict[tuple[str, str, int], list[tuple[int, int, int]]]:
    """Per (account, instrument, vintage), the serial runs ``(start, end, count)`` the entries leave."""
    return _sweep(entries)


def holdings(entries: Iterable[Entry], account: str) -> list[Block]:
    """The blocks ``account`` holds after ``entries`` (its own entries suffice), by instrument, vintage, serial.

    Raises
    ------
    InputError
        The entries leave a serial counted other than 0 or 1 in the account (a broken ledger).
    """
    out: list[Block] = []
    for (acct, instr, vintage), runs in sorted(_sweep(e for e in entries if e.account == account).items()):
        for start, end, level in runs:
            if level != 1:
                msg = f"account {acct} holds serials {start}..{end} of {instr} {vintage} {level} times"
                raise InputError(msg, location=at(field="serial"))
            out.append(Block(instrument=instr, vintage=vintage, start=start, end=end))
    return out


def take(held: Sequence[Block], amount: int, *, instrument: str, vintage: int | None = None,
         account: str = "the account") -> list[Block]:
    """``amount`` units of ``instrument`` (of one vintage, or oldest vintages first) from ``held``, lowest
    serials first, the last block split when only part of it is needed.

    Raises
    ------
    InputError
        ``amount`` is not positive, or the blocks hold fewer units (nothing is taken).
    """
    if amount <= 0:
        msg = f"the amount must be a positive whole number of units, got {amount}"
        raise InputError(msg, location=at(field="amount"))
    pool = sorted((b for b in held if b.instrument == instrument and (vintage is None or b.vintage == vintage)),
                  key=lambda b: (b.vintage, b.start))
    available = sum(b.amount for b in pool)
    if available < amount:
        which = f"{instrument}" + (f" of vintage {vintage}" if vintage is not None else "")
        msg = f"{account} holds {available} units of {which}, fewer than the {amount} asked for"
        raise InputError(msg, location=at(field="amount"), hint="nothing was moved")
    out: list[Block] = []
    left = amount
    for b in pool:
        if left == 0:
            break
        n = min(left, b.amount)
        out.append(Block(instrument=b.instrument, vintage=b.vintage, start=b.start, end=b.start + n - 1))
        left -= n
    return out


def check_balanced(entries: Sequence[Entry]) -> str | None:
    """``None`` when every serial the entries touch enters as often as it leaves; else what is wrong."""
    per_serial: dict[tuple[str, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for e in entries:
        per_serial[(e.block.instrument, e.block.vintage)][e.block.start] += e.sign
        per_serial[(e.block.instrument, e.block.vintage)][e.block.end + 1] -= e.sign
    for (instr, vintage), ev in per_serial.items():
        level = 0
        for p in sorted(ev):
            level += ev[p]
            if level != 0:
                return f"serials of {instr} {vintage} from {p} do not balance (net {level:+d})"
    if not entries:
        return "a transaction needs at least one entry"
    return None


def check_holdings(entries: Iterable[Entry], kinds: dict[str, str]) -> list[str]:
    """Problems with where serials are: in an ordinary or retirement account a serial's count must be 0
    or 1, in an issuance account 0 or −1, and every issued serial must be in exactly one other account.

    ``kinds`` maps account id → account kind (:data:`ISSUANCE`, :data:`RETIREMENT`, or a holder kind).
    """
    problems: list[str] = []
    swept = _sweep(entries)
    issued: dict[tuple[str, int], list[tuple[int, int, int]]] = defaultdict(list)
    placed: dict[tuple[str, int], list[Entry]] = defaultdict(list)
    for (acct, instr, vintage), runs in swept.items():
        is_issuance = kinds.get(acct) == ISSUANCE
        for start, end, level in runs:
            want = -1 if is_issuance else 1
            if level != want:
                problems.append(f"account {acct}: serials {instr}-{vintage} {start}..{end} counted {level}")
            elif is_issuance:
                issued[(instr, vintage)].append((start, end, 1))
            else:
                placed[(instr, vintage)].append(Entry(account="*", sign=1, block=Block(
                    instrument=instr, vintage=vintage, start=start, end=end)))
    for key in set(issued) | set(placed):
        issued_entries = [Entry(account="*", sign=-1, block=Block(instrument=key[0], vintage=key[1], start=s,
                                                                  end=e)) for s, e, _ in issued[key]]
        net = _sweep([*issued_entries, *placed[key]])
        for (_, instr, vintage), runs in net.items():
            for start, end, level in runs:
                where = "in more than one account" if level > 0 else "issued but in no account"
                problems.append(f"serials {instr}-{vintage} {start}..{end} are {where}")
    return problems
