"""The tamper-evident audit trail: an append-only list of entries chained by SHA-256 hashes.

Format
------
An entry has ``seq`` (1, 2, 3 … with no gaps), ``ts``, ``actor``, ``actor_role``, ``client_address``,
``action``, ``entity``, ``entity_id``, ``before`` and ``after`` (JSON values, ``null`` when there is no
such state), and, once chained, ``prev_hash`` and ``hash``::

    hash = SHA-256( prev_hash  ||  canonical_json(fields) )

where ``prev_hash`` is the previous entry's ``hash`` as 64 lower-case hex characters (ASCII bytes) — for
the first entry, the *genesis* hash of 64 zeros — ``||`` is byte concatenation, and ``fields`` is the
JSON object of the ten fields above (not ``prev_hash``, not ``hash``). The result is written as 64
lower-case hex characters.

Canonical JSON (:func:`canonical_json`) is ``json.dumps(value, sort_keys=True, ensure_ascii=False,
separators=(",", ":"), allow_nan=False)`` encoded as UTF-8: keys sorted by code point, no whitespace,
non-ASCII text (汉字) written as itself. Values are normalised first, when the entry is made:

* ``ts`` is written ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` — UTC, always six fractional digits. Naive
  datetimes are refused. The same form is used for datetimes inside ``before``/``after``; dates are
  ``YYYY-MM-DD``.
* Integers are written in full. Floats must be finite and are written as Python writes them (the shortest
  text that reads back as the same float, e.g. ``0.1``, ``1e+16``); reading the text back and writing it
  again gives the same bytes. ``Decimal`` values become *strings* (``"12.50"``) so no digit is lost or
  rounded; the history page shows them as written.
* ``UUID`` values become strings; tuples become lists; mapping keys must be strings; anything else is
  refused (:class:`~tanfeng.errors.AuditChainError`), and so is text that is not valid Unicode.

The store should keep ``before`` and ``after`` as the canonical JSON text (or a JSON type that keeps the
text as written — PostgreSQL ``json``, not ``jsonb``, which rewrites ``1e+16`` as ``10000000000000000``)
and ``ts`` as a timezone-aware timestamp with microseconds, so the entries read back hash the same.

What the chain detects, and what it cannot
------------------------------------------
:func:`verify` detects an altered field (the entry's hash no longer matches), a removed entry (a gap in
``seq`` and a broken link), an inserted entry, reordered entries and a first entry that does not start
from the genesis hash; it reports the first bad entry. The hash is not keyed: someone who can rewrite the
table can recompute every hash after the entry they change, and can drop entries from the end. Both are
caught only against an *anchor* — the seq and hash of an entry published elsewhere (printed in the
monthly dispatch report, sent to the auditors): pass anchors to :func:`verify` and a chain that no
longer reaches or no longer matches them fails (kinds ``truncated`` and ``anchor_mismatch``).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

from tanfeng.errors import AuditChainError

__all__ = [
    "GENESIS_HASH",
    "Anchor",
    "AuditEntry",
    "ChainedEntry",
    "JsonValue",
    "TamperKind",
    "VerifyResult",
    "anchor_of",
    "append",
    "canonical_json",
    "entry_hash",
    "format_ts",
    "to_json_value",
    "verify",
]

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first entry."""

JsonValue = Any
"""A value made only of ``None``, ``bool``, ``int``, finite ``float``, ``str``, lists and str-keyed dicts."""

TamperKind = Literal["altered", "removed", "inserted", "reordered", "bad_genesis", "truncated",
                     "anchor_mismatch"]
"""What :func:`verify` found wrong."""

_HEX64 = r"^[0-9a-f]{64}$"


def format_ts(value: datetime) -> str:
    """A timezone-aware datetime as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC.

    Raises
    ------
    AuditChainError
        ``value`` is naive.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        msg = f"audit timestamps must be timezone-aware, got the naive datetime {value.isoformat()}"
        raise AuditChainError(msg, hint="use datetime.now(UTC)")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def to_json_value(value: object, *, path: str = "$") -> JsonValue:
    """``value`` normalised to plain JSON values as described in the module docstring.

    Raises
    ------
    AuditChainError
        A value with no canonical JSON form (NaN, infinity, a set, an object, a non-string key,
        text that is not valid Unicode); the message gives its path.
    """
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            msg = f"{path}: {value} has no JSON form"
            raise AuditChainError(msg, hint="record null or a string instead")
        return value
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            msg = f"{path}: text is not valid Unicode (lone surrogate)"
            raise AuditChainError(msg) from None
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            msg = f"{path}: {value} has no JSON form"
            raise AuditChainError(msg)
        return str(value)
    if isinstance(value, datetime):
        return format_ts(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Mapping):
        out: dict[str, JsonValue] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                msg = f"{path}: key {key!r} is not a string"
                raise AuditChainError(msg)
            out[to_json_value(key, path=path)] = to_json_value(item, path=f"{path}.{key}")
        return out
    if isinstance(value, list | tuple):
        return [to_json_value(item, path=f"{path}[{i}]") for i, item in enumerate(value)]
    msg = f"{path}: a {type(value).__name__} has no canonical JSON form"
    raise AuditChainError(msg, hint="convert it to str, int, float, Decimal, bool, None, a list or a dict")


def canonical_json(value: object) -> bytes:
    """The canonical JSON bytes of ``value`` (normalised first; see the module docstring).

    Examples
    --------
    >>> canonical_json({"b": 1, "a": "碳达峰"}).decode("utf-8")
    '{"a":"碳达峰","b":1}'
    """
    return json.dumps(to_json_value(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


class AuditEntry(BaseModel):
    """One recorded event, before it is chained.

    Parameters
    ----------
    seq
        Position in the log, from 1, no gaps.
    ts
        When it happened (timezone-aware; kept in UTC).
    actor
        Account id of who did it (``"system"`` for the platform itself).
    actor_role
        Their role (a :class:`tanfeng.access.policy.Role` value).
    client_address
        Their IP address, when the action came over the network.
    action
        What was done: ``create``, ``update``, ``submit``, ``review``, ``delete``, ``login``, ….
    entity, entity_id
        What it was done to (``region_data``, ``user``, … and its id).
    before, after
        The state before and after (JSON values; ``None`` for a creation's before or a deletion's after).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    seq: int = Field(ge=1)
    ts: datetime
    actor: str = Field(min_length=1)
    actor_role: str
    client_address: str | None = None
    action: str = Field(min_length=1)
    entity: str = Field(min_length=1)
    entity_id: str
    before: JsonValue = None
    after: JsonValue = None

    @field_validator("ts", mode="after")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            msg = f"ts must be timezone-aware, got the naive datetime {value.isoformat()}"
            raise ValueError(msg)
        return value.astimezone(UTC)

    @field_validator("before", "after", mode="after")
    @classmethod
    def _json(cls, value: object) -> JsonValue:
        try:
            return to_json_value(value)
        except AuditChainError as exc:
            raise ValueError(exc.message) from None

    @field_serializer("ts")
    def _ts_text(self, value: datetime) -> str:
        return format_ts(value)

    def fields(self) -> dict[str, JsonValue]:
        """The ten hashed fields as plain JSON values."""
        return {
            "seq": self.seq,
            "ts": format_ts(self.ts),
            "actor": self.actor,
            "actor_role": self.actor_role,
            "client_address": self.client_address,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "before": self.before,
            "after": self.after,
        }


class ChainedEntry(AuditEntry):
    """An entry with its place in the chain: the previous entry's hash and its own."""

    prev_hash: str = Field(pattern=_HEX64)
    hash: str = Field(pattern=_HEX64)

    def entry(self) -> AuditEntry:
        """The entry without its chain fields."""
        return AuditEntry.model_validate(self.model_dump(exclude={"prev_hash", "hash"}))


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    """``SHA-256(prev_hash || canonical_json(entry.fields()))`` as 64 lower-case hex characters."""
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(canonical_json(entry.fields()))
    return digest.hexdigest()


def append(prev: ChainedEntry | None, entry: AuditEntry) -> ChainedEntry:
    """Chain ``entry`` after ``prev`` (``None``: it is the first entry).

    The store must append one entry at a time (lock the last row, and keep ``seq`` unique) so two
    writers do not chain to the same ``prev``.

    Raises
    ------
    AuditChainError
        ``entry.seq`` is not ``prev.seq + 1`` (or 1 for the first entry).
    """
    expected = 1 if prev is None else prev.seq + 1
    if entry.seq != expected:
        msg = f"the next audit entry must have seq {expected}, got {entry.seq}"
        raise AuditChainError(msg, hint="read the last entry again and number the new one after it")
    prev_hash = GENESIS_HASH if prev is None else prev.hash
    return ChainedEntry(**entry.model_dump(), prev_hash=prev_hash, hash=entry_hash(prev_hash, entry))


class Anchor(BaseModel):
    """The seq and hash of one entry, published outside the database (e.g. in the dispatch report)."""

    model_config = ConfigDict(frozen=True)

    seq: int = Field(ge=1)
    hash: str = Field(pattern=_HEX64)

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Anchor:
        """Read ``seq:hash`` as printed by ``str(anchor)``.

        Raises
        ------
        AuditChainError
            The text is not ``<seq>:<64 hex characters>``.
        """
        seq, sep, digest = text.strip().partition(":")
        if not sep or not seq.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            msg = f"an anchor is '<seq>:<64 lower-case hex characters>', got {text!r}"
            raise AuditChainError(msg)
        return cls(seq=int(seq), hash=digest)


def anchor_of(entries: Sequence[ChainedEntry]) -> Anchor | None:
    """The anchor to publish for a chain: its last entry's seq and hash (``None`` when empty)."""
    return Anchor(seq=entries[-1].seq, hash=entries[-1].hash) if entries else None


class VerifyResult(BaseModel):
    """The outcome of :func:`verify`.

    ``first_bad_seq`` is, by kind: ``altered`` — the changed entry, named by its position (the seq it
    should carry, since its seq may be the changed field); ``removed`` — the first missing seq;
    ``inserted`` — the seq written on the inserted entry; ``reordered`` — the first entry (in the order
    given) that is out of place; ``bad_genesis`` — the first entry; ``truncated`` — the first missing seq
    at the end; ``anchor_mismatch`` — the anchored seq (the change is there or before it).
    """

    model_config = ConfigDict(frozen=True)

    ok: bool
    checked: int
    """How many entries were read."""
    first_bad_seq: int | None = None
    kind: TamperKind | None = None
    message: str
    last: Anchor | None = None
    """When ok: the anchor of the last entry, to publish."""


def _bad(checked: int, seq: int, kind: TamperKind, message: str) -> VerifyResult:
    return VerifyResult(ok=False, checked=checked, first_bad_seq=seq, kind=kind, message=message)


def verify(entries: Sequence[ChainedEntry], *, anchors: Sequence[Anchor] = (),
           start: Anchor | None = None) -> VerifyResult:
    """Check a chain, in the order given (the store reads it ordered by ``seq``).

    Parameters
    ----------
    entries
        The chain, from its first entry (or from the entry after ``start``).
    anchors
        Published anchors: each must be reached and must match, otherwise the tail was truncated or the
        chain rewritten.
    start
        Verify a segment: the entry the segment continues from (its seq and hash, from a previous
        verification); the genesis when not given.

    Returns
    -------
    VerifyResult
        ``ok``, or the first problem: its kind, the first bad seq and a message.
    """
    base_seq = start.seq if start is not None else 0
    trusted: list[str] = [start.hash if start is not None else GENESIS_HASH]
    hash_position = {e.hash: i for i, e in enumerate(entries)}
    prev_seq = base_seq
    for i, entry in enumerate(entries):
        expected_seq = prev_seq + 1
        recomputed = entry_hash(entry.prev_hash, entry)
        if recomputed != entry.hash:
            # Its seq may be the changed field, so name it by its position in a chain verified so far.
            return _bad(i + 1, expected_seq, "altered",
                        f"entry {expected_seq} (at position {i + 1}) was changed: its content no longer "
                        f"hashes to its recorded hash")
        if entry.prev_hash == trusted[-1] and entry.seq == expected_seq:
            trusted.append(entry.hash)
            prev_seq = entry.seq
            continue
        if entry.prev_hash == trusted[-1]:
            return _misnumbered(entries, i, trusted[-1], expected_seq)
        return _broken_link(entries, i, trusted, expected_seq, hash_position, start)
    problem = _check_anchors(entries, anchors, base_seq=base_seq, last_seq=prev_seq)
    if problem is not None:
        return problem
    last = anchor_of(entries) if entries else start
    return VerifyResult(ok=True, checked=len(entries), last=last,
                        message=f"{len(entries)} entries verified" + (f"; last {last}" if last else ""))


def _misnumbered(entries: Sequence[ChainedEntry], i: int, trusted_hash: str, expected_seq: int) -> VerifyResult:
    """Entry ``i`` links to the last trusted entry but carries the wrong seq: inserted, or renumbered."""
    entry = entries[i]
    following = entries[i + 1] if i + 1 < len(entries) else None
    if following is not None and following.prev_hash == trusted_hash:
        return _bad(i + 1, entry.seq, "inserted",
                    f"entry {entry.seq} was inserted at position {i + 1}: the entry after it links past it")
    return _bad(i + 1, expected_seq, "altered",
                f"entry at position {i + 1} links correctly but is numbered {entry.seq}, not "
                f"{expected_seq}: its seq was changed and its hash recomputed")


def _broken_link(entries: Sequence[ChainedEntry], i: int, trusted: list[str], expected_seq: int,
                 hash_position: dict[str, int], start: Anchor | None) -> VerifyResult:
    """Entry ``i`` does not link to the last trusted entry: find out why (inserted, reordered, removed,
    a bad genesis, or an entry changed with its hash recomputed)."""
    entry = entries[i]
    following = entries[i + 1] if i + 1 < len(entries) else None
    if len(trusted) >= 2 and entry.prev_hash == trusted[-2]:
        inserted = entries[i - 1]
        return _bad(i + 1, inserted.seq, "inserted",
                    f"entry {inserted.seq} was inserted: entry {entry.seq} links past it to the entry before")
    later = hash_position.get(entry.prev_hash)
    if later is not None and later > i:
        return _bad(i + 1, entry.seq, "reordered",
                    f"entries are out of order: entry {entry.seq} at position {i + 1} follows entry "
                    f"{entries[later].seq}, which comes later in the log")
    if following is not None and following.prev_hash == trusted[-1]:
        return _bad(i + 1, entry.seq, "inserted",
                    f"entry {entry.seq} was inserted: it does not link to the entry before it, and the "
                    f"entry after it does")
    if i == 0 and start is None and entry.seq == 1:
        return _bad(1, entry.seq, "bad_genesis",
                    "the first entry does not start from the genesis hash (64 zeros)")
    if entry.seq > expected_seq:
        missing = entry.seq - expected_seq
        return _bad(i + 1, expected_seq, "removed",
                    f"{missing} entr{'y' if missing == 1 else 'ies'} removed: seq {expected_seq}"
                    f"{f'–{entry.seq - 1}' if missing > 1 else ''} missing before entry {entry.seq}")
    if i == 0:
        return _bad(1, entry.seq, "bad_genesis",
                    f"the first entry (seq {entry.seq}) does not continue from "
                    f"{'the start anchor' if start is not None else 'the genesis hash'}")
    if entry.seq == expected_seq:
        if following is not None and following.prev_hash != entry.hash:
            # This entry's link was changed and its hash recomputed: the next one no longer links to it.
            return _bad(i + 1, entry.seq, "altered",
                        f"entry {entry.seq} was changed and its hash recomputed: it no longer links to "
                        f"entry {entries[i - 1].seq}, and entry {following.seq} no longer links to it")
        previous = entries[i - 1]
        return _bad(i + 1, previous.seq, "altered",
                    f"entry {previous.seq} was changed and its hash recomputed: entry {entry.seq} "
                    f"records a different hash for it")
    return _bad(i + 1, entry.seq, "reordered",
                f"entry {entry.seq} at position {i + 1} is out of place (expected seq {expected_seq})")


def _check_anchors(entries: Sequence[ChainedEntry], anchors: Sequence[Anchor], *, base_seq: int,
                   last_seq: int) -> VerifyResult | None:
    """The first published anchor past the start that the chain does not reach or does not match (None: all do)."""
    by_seq = {e.seq: e for e in entries}
    for anchor in sorted(anchors, key=lambda a: a.seq):
        if anchor.seq <= base_seq:
            continue
        if anchor.seq > last_seq:
            return _bad(len(entries), last_seq + 1, "truncated",
                        f"the log ends at seq {last_seq} but entry {anchor.seq} was published as an anchor: "
                        f"entries {last_seq + 1}–{anchor.seq} (at least) were removed from the end")
        if by_seq[anchor.seq].hash != anchor.hash:
            return _bad(len(entries), anchor.seq, "anchor_mismatch",
                        f"entry {anchor.seq} does not match its published anchor: the log was rewritten at "
                        f"or before seq {anchor.seq}")
    return None
