"""The audit chain: format, every kind of tampering, unicode, and a property test over single-field edits."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tanfeng.audit.chain import (
    GENESIS_HASH,
    Anchor,
    AuditEntry,
    ChainedEntry,
    anchor_of,
    append,
    canonical_json,
    entry_hash,
    verify,
)
from tanfeng.errors import AuditChainError

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def _entry(seq: int, **overrides: Any) -> AuditEntry:
    fields: dict[str, Any] = {
        "seq": seq,
        "ts": T0 + timedelta(minutes=seq),
        "actor": f"user-{seq % 3}",
        "actor_role": "league",
        "client_address": "10.0.0.7",
        "action": "update",
        "entity": "region_data",
        "entity_id": f"150102-2025-能耗-{seq}",
        "before": {"指标": "单位GDP能耗", "value": seq, "note": None},
        "after": {"指标": "单位GDP能耗", "value": seq + 1, "note": "呼和浩特市新城区"},
    }
    fields.update(overrides)
    return AuditEntry(**fields)


def _chain(n: int) -> list[ChainedEntry]:
    chain: list[ChainedEntry] = []
    for seq in range(1, n + 1):
        chain.append(append(chain[-1] if chain else None, _entry(seq)))
    return chain


def _rehash(entry: ChainedEntry, **changes: Any) -> ChainedEntry:
    """The entry with ``changes`` and a hash recomputed to match (what a careful forger does)."""
    changed = entry.model_copy(update=changes)
    return changed.model_copy(update={"hash": entry_hash(changed.prev_hash, changed)})


def _rechain(entries: list[ChainedEntry], start: int) -> list[ChainedEntry]:
    """Recompute links and hashes from position ``start`` on (a full rewrite of the tail)."""
    out = entries[:start]
    for entry in entries[start:]:
        prev = out[-1].hash if out else GENESIS_HASH
        out.append(_rehash(entry, prev_hash=prev))
    return out


def _forged(seq: int, prev_hash: str) -> ChainedEntry:
    entry = _entry(seq, actor="intruder", after={"value": 0})
    return ChainedEntry(**entry.model_dump(), prev_hash=prev_hash, hash=entry_hash(prev_hash, entry))


def test_intact_chain_verifies_and_gives_its_anchor() -> None:
    chain = _chain(6)
    result = verify(chain)
    assert result.ok
    assert result.kind is None
    assert result.first_bad_seq is None
    assert result.checked == 6
    assert result.last == Anchor(seq=6, hash=chain[-1].hash)
    assert anchor_of(chain) == result.last
    assert verify([]).ok


def test_genesis_and_links() -> None:
    chain = _chain(3)
    assert chain[0].prev_hash == GENESIS_HASH == "0" * 64
    assert chain[1].prev_hash == chain[0].hash
    assert chain[2].prev_hash == chain[1].hash


def test_hash_is_sha256_of_prev_hash_and_canonical_json() -> None:
    entry = AuditEntry(seq=1, ts=datetime(2026, 3, 1, 16, 30, tzinfo=timezone(timedelta(hours=8))),
                       actor="admin", actor_role="region_admin", client_address=None, action="create",
                       entity="user", entity_id="7", before=None, after={"name": "王晓明", "roles": ["office"]})
    canonical = (
        '{"action":"create","actor":"admin","actor_role":"region_admin","after":{"name":"王晓明",'
        '"roles":["office"]},"before":null,"client_address":null,"entity":"user","entity_id":"7",'
        '"seq":1,"ts":"2026-03-01T08:30:00.000000Z"}'
    )
    assert canonical_json(entry.fields()) == canonical.encode("utf-8")
    expected = hashlib.sha256(("0" * 64 + canonical).encode("utf-8")).hexdigest()
    assert append(None, entry).hash == expected


def test_append_checks_the_sequence() -> None:
    first = append(None, _entry(1))
    with pytest.raises(AuditChainError, match="must have seq 2, got 3"):
        append(first, _entry(3))
    with pytest.raises(AuditChainError, match="must have seq 1"):
        append(None, _entry(2))


# --------------------------------------------------------------------------------------------- tampering

def test_altered_field_is_detected_at_that_entry() -> None:
    chain = _chain(6)
    chain[2] = chain[2].model_copy(update={"after": {"指标": "单位GDP能耗", "value": 999}})
    result = verify(chain)
    assert (result.ok, result.kind, result.first_bad_seq) == (False, "altered", 3)


def test_altered_and_rehashed_entry_is_detected_by_the_next_link() -> None:
    chain = _chain(6)
    chain[2] = _rehash(chain[2], actor="someone-else")
    result = verify(chain)
    assert (result.kind, result.first_bad_seq) == ("altered", 3)
    assert "hash recomputed" in result.message


def test_relinked_and_rehashed_entry_is_detected_at_itself() -> None:
    chain = _chain(6)
    chain[3] = _rehash(chain[3], prev_hash="f" * 64)
    result = verify(chain)
    assert (result.kind, result.first_bad_seq) == ("altered", 4)


def test_changed_seq_is_reported_by_position() -> None:
    chain = _chain(5)
    chain[1] = chain[1].model_copy(update={"seq": 7})
    result = verify(chain)
    assert (result.kind, result.first_bad_seq) == ("altered", 2)


def test_renumbered_and_rehashed_entry_is_detected() -> None:
    chain = _chain(5)
    chain[1] = _rehash(chain[1], seq=9)
    chain = [*chain[:2], *_rechain(chain, 2)[2:]]
    result = verify(chain)
    assert (result.kind, result.first_bad_seq) == ("altered", 2)
    assert "numbered 9, not 2" in result.message


@pytest.mark.parametrize(("removed", "first_missing"), [([2], 3), ([2, 3], 3), ([0], 1), ([0, 1, 2], 1)])
def test_removed_entries_are_detected(removed: list[int], first_missing: int) -> None:
    chain = [e for i, e in enumerate(_chain(6)) if i not in removed]
    result = verify(chain)
    assert (result.kind, result.first_bad_seq) == ("removed", first_missing)


def test_inserted_linked_entry_is_detected() -> None:
    chain = _chain(5)
    forged = _forged(3, chain[1].hash)
    tampered = [*chain[:2], forged, *chain[2:]]
    result = verify(tampered)
    assert (result.kind, result.first_bad_seq) == ("inserted", 3)


def test_inserted_unlinked_entry_is_detected() -> None:
    chain = _chain(5)
    tampered = [*chain[:2], _forged(3, "a" * 64), *chain[2:]]
    result = verify(tampered)
    assert (result.kind, result.first_bad_seq) == ("inserted", 3)


def test_inserted_linked_entry_with_its_own_number_is_detected() -> None:
    chain = _chain(5)
    tampered = [*chain[:2], _forged(100, chain[1].hash), *chain[2:]]
    result = verify(tampered)
    assert (result.kind, result.first_bad_seq) == ("inserted", 100)


def test_entry_inserted_before_the_first_is_detected() -> None:
    chain = _chain(3)
    result = verify([_forged(1, GENESIS_HASH), *chain])
    assert (result.kind, result.first_bad_seq) == ("inserted", 1)


def test_duplicated_entry_is_an_insertion() -> None:
    chain = _chain(4)
    result = verify([*chain[:3], chain[2], chain[3]])
    assert (result.kind, result.first_bad_seq) == ("inserted", 3)


@pytest.mark.parametrize(("order", "first_out_of_place"), [
    ([1, 2, 4, 3, 5, 6], 4),
    ([2, 1, 3, 4, 5, 6], 2),
    ([6, 1, 2, 3, 4, 5], 6),
    ([1, 3, 4, 5, 2, 6], 3),
])
def test_reordered_entries_are_detected(order: list[int], first_out_of_place: int) -> None:
    chain = _chain(6)
    result = verify([chain[seq - 1] for seq in order])
    assert (result.kind, result.first_bad_seq) == ("reordered", first_out_of_place)


def test_bad_genesis_is_detected() -> None:
    chain = _chain(3)
    chain[0] = _rehash(chain[0], prev_hash="1" * 64)
    result = verify(_rechain(chain, 1))
    assert (result.kind, result.first_bad_seq) == ("bad_genesis", 1)


def test_truncated_tail_needs_an_anchor() -> None:
    chain = _chain(8)
    anchor = anchor_of(chain)
    assert anchor is not None
    truncated = chain[:5]
    assert verify(truncated).ok  # without an anchor, a shorter log looks complete
    result = verify(truncated, anchors=[anchor])
    assert (result.ok, result.kind, result.first_bad_seq) == (False, "truncated", 6)
    assert verify(chain, anchors=[anchor]).ok


def test_full_rewrite_is_caught_only_by_an_anchor() -> None:
    chain = _chain(8)
    anchors = [Anchor(seq=4, hash=chain[3].hash), Anchor(seq=8, hash=chain[7].hash)]
    chain[2] = chain[2].model_copy(update={"after": {"value": -1}})
    rewritten = _rechain(chain, 2)
    assert verify(rewritten).ok
    result = verify(rewritten, anchors=anchors)
    assert (result.kind, result.first_bad_seq) == ("anchor_mismatch", 4)


def test_a_segment_verifies_from_a_start_anchor() -> None:
    chain = _chain(8)
    start = Anchor(seq=4, hash=chain[3].hash)
    assert verify(chain[4:], start=start).ok
    assert verify(chain[4:], start=start, anchors=[Anchor(seq=2, hash="0" * 64)]).ok  # before the segment
    result = verify(chain[5:], start=start)
    assert (result.kind, result.first_bad_seq) == ("removed", 5)
    result = verify(chain[4:], start=Anchor(seq=4, hash="e" * 64))
    assert (result.kind, result.first_bad_seq) == ("bad_genesis", 5)


def test_anchor_text_round_trip() -> None:
    anchor = anchor_of(_chain(2))
    assert anchor is not None
    assert Anchor.parse(str(anchor)) == anchor
    with pytest.raises(AuditChainError, match="seq"):
        Anchor.parse("12:xyz")


# ------------------------------------------------------------------------------------------ values, text

def test_chinese_content_round_trips_through_json() -> None:
    chain = _chain(4)
    text = json.dumps([json.loads(e.model_dump_json()) for e in chain], ensure_ascii=False)
    assert "呼和浩特市新城区" in text
    restored = [ChainedEntry.model_validate(item) for item in json.loads(text)]
    assert restored == chain
    assert verify(restored).ok
    assert "单位GDP能耗".encode() in canonical_json(chain[0].fields())
    assert b"\\u" not in canonical_json(chain[0].fields())


def test_timestamps_are_normalised_to_utc() -> None:
    beijing = timezone(timedelta(hours=8))
    local = _entry(1, ts=datetime(2026, 3, 1, 16, 0, tzinfo=beijing))
    utc = _entry(1, ts=datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    assert append(None, local).hash == append(None, utc).hash
    assert local.fields()["ts"] == "2026-03-01T08:00:00.000000Z"
    with pytest.raises(ValidationError, match="timezone-aware"):
        _entry(1, ts=datetime(2026, 3, 1, 8, 0))


def test_values_are_normalised() -> None:
    entry = _entry(1, after={"amount": Decimal("12.50"), "day": date(2026, 3, 1), "at": T0, "ids": (1, 2),
                             "ratio": 0.1})
    assert entry.after == {"amount": "12.50", "day": "2026-03-01", "at": "2026-03-01T08:00:00.000000Z",
                           "ids": [1, 2], "ratio": 0.1}


@pytest.mark.parametrize(("value", "message"), [
    (float("nan"), "no JSON form"),
    (float("inf"), "no JSON form"),
    (Decimal("NaN"), "no JSON form"),
    ({1: "a"}, "not a string"),
    ({"s": {1, 2}}, "set has no canonical JSON form"),
    ("\ud800", "not valid Unicode"),
])
def test_values_without_canonical_form_are_refused(value: object, message: str) -> None:
    with pytest.raises(AuditChainError, match=message):
        canonical_json(value)
    with pytest.raises(ValidationError, match=message):
        _entry(1, before=value)


# ------------------------------------------------------------------------------------------ properties

JSON_SCALARS = st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(
    allow_nan=False, allow_infinity=False) | st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=6), inner, max_size=4), max_leaves=12)


@settings(deadline=None, max_examples=200)
@given(JSON_VALUES)
def test_canonical_json_survives_a_json_round_trip(value: object) -> None:
    once = canonical_json(value)
    assert canonical_json(json.loads(once)) == once


TEXT = st.text(alphabet=st.sampled_from("abc碳达峰内蒙古-_ 1"), min_size=1, max_size=8)


@st.composite
def _edit(draw: st.DrawFn, entry: ChainedEntry) -> tuple[str, object]:
    field = draw(st.sampled_from(["seq", "ts", "actor", "actor_role", "client_address", "action", "entity",
                                  "entity_id", "before", "after", "prev_hash", "hash"]))
    old = getattr(entry, field)
    if field == "seq":
        new: object = old + draw(st.integers(1, 5))
    elif field == "ts":
        new = old + timedelta(microseconds=draw(st.integers(1, 10**9)))
    elif field in ("prev_hash", "hash"):
        pos = draw(st.integers(0, 63))
        new = old[:pos] + ("0" if old[pos] != "0" else "1") + old[pos + 1:]
    elif field in ("before", "after"):
        new = draw(JSON_VALUES)
        assume(canonical_json(new) != canonical_json(old))
    else:
        new = draw(TEXT)
        assume(new != old)
    return field, new


@settings(deadline=None, max_examples=300)
@given(st.data(), st.integers(1, 7))
def test_any_single_field_change_is_detected(data: st.DataObject, length: int) -> None:
    chain = _chain(length)
    index = data.draw(st.integers(0, length - 1))
    field, new = data.draw(_edit(chain[index]))
    chain[index] = chain[index].model_copy(update={field: new})
    result = verify(chain)
    assert not result.ok
    assert result.kind == "altered"
    assert result.first_bad_seq == index + 1


@settings(deadline=None, max_examples=100)
@given(st.data(), st.integers(2, 9))
def test_any_removed_entry_but_the_last_is_detected(data: st.DataObject, length: int) -> None:
    chain = _chain(length)
    index = data.draw(st.integers(0, length - 2))
    result = verify(chain[:index] + chain[index + 1:])
    assert (result.kind, result.first_bad_seq) == ("removed", index + 1)


@settings(deadline=None, max_examples=100)
@given(st.data(), st.integers(2, 9))
def test_any_swap_of_neighbours_is_detected(data: st.DataObject, length: int) -> None:
    chain = _chain(length)
    index = data.draw(st.integers(0, length - 2))
    chain[index], chain[index + 1] = chain[index + 1], chain[index]
    result = verify(chain)
    assert (result.kind, result.first_bad_seq) == ("reordered", index + 2)
