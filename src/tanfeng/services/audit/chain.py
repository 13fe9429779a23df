"""The hash chain: read the stored entries in order, verify them (against published anchors), the anchor to publish.

Two ways to verify:

* :func:`verify_chain` — the **full** verification: every entry re-hashed from the genesis (``tanfeng audit
  verify --full``); its cost grows with the log (~65 µs an entry).
* :func:`verify_incremental` — from the newest **checkpoint** (an anchor the store keeps: seq and hash of the
  last entry a verification passed): the entries after it are re-hashed and linked to it; before it, a few
  index queries check that the log still has entries 1 … n with no gap and that every checkpoint's entry
  still carries the checkpoint's hash. It then keeps a new checkpoint. Its cost grows with the entries added
  since the last verification, not with the log (``tanfeng audit verify``, the ``/audit`` page).

What the incremental check cannot see: a field changed *before* the newest checkpoint while that entry's
hash is left as it was (only re-hashing the entry shows it). Any change that recomputes the hashes — what
someone must do to hide a change from the links — changes the checkpoint's entry and is caught; so is any
removed or inserted entry (the seq numbers are unique). Run the full verification on a schedule, and publish
anchors outside the database, for the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError
from sqlalchemy.orm import Session

from tanfeng.audit import Anchor, ChainedEntry, VerifyResult, verify
from tanfeng.errors import AuditChainError, ConflictError
from tanfeng.store import repository_audit
from tanfeng.store.models import AuditRow, utcnow
from tanfeng.store.transaction import atomic

__all__ = ["current_anchor", "load_chain", "verify_chain", "verify_incremental"]


def load_chain(session: Session) -> tuple[list[ChainedEntry], VerifyResult | None]:
    """The stored entries in ``seq`` order as chain entries.

    Returns the entries read and, when a row cannot even be read as an entry (a field changed by hand to
    something no entry can hold, e.g. a hash that is not hex), the failed result naming that row.
    """
    return _entries(repository_audit.chain(session))


def _entries(rows: Sequence[AuditRow], *, first_position: int = 1) -> tuple[list[ChainedEntry], VerifyResult | None]:
    chain: list[ChainedEntry] = []
    for position, row in enumerate(rows, start=first_position):
        try:
            chain.append(ChainedEntry(
                seq=row.seq, ts=row.at, actor=row.actor, actor_role=row.actor_role,
                client_address=row.client_address, action=row.action, entity=row.entity,
                entity_id=row.entity_id, before=row.before, after=row.after, prev_hash=row.prev_hash,
                hash=row.hash))
        except (ValidationError, ValueError) as exc:
            seq = chain[-1].seq + 1 if chain else position
            first = str(exc).splitlines()[0]
            return chain, VerifyResult(ok=False, checked=position, first_bad_seq=seq, kind="altered",
                                       message=f"entry {seq} (at position {position}) was changed: it is no "
                                               f"longer a valid audit entry ({first})")
    return chain, None


def verify_chain(session: Session, anchors: Sequence[Anchor] = (), *, start: Anchor | None = None) -> VerifyResult:
    """Verify the stored chain, against published anchors when given (see :func:`tanfeng.audit.verify`)."""
    chain, broken = load_chain(session)
    if broken is not None:
        return broken
    if start is not None:
        chain = [e for e in chain if e.seq > start.seq]
    return verify(chain, anchors=anchors, start=start)


def _bad(checked: int, seq: int, kind: str, message: str) -> VerifyResult:
    return VerifyResult.model_validate({"ok": False, "checked": checked, "first_bad_seq": seq, "kind": kind,
                                        "message": message})


def _before_checkpoint(session: Session, anchors: Sequence[Anchor]) -> tuple[VerifyResult | None, Anchor | None]:
    """The index checks of the log up to the newest checkpoint: a problem, or the checkpoint to go on from."""
    count, lo, hi = repository_audit.shape(session)
    if count and (lo != 1 or hi != count):
        gap = repository_audit.first_gap(session) or 1
        return _bad(0, gap, "removed", f"the log holds {count} entries numbered {lo}–{hi}: seq {gap} is missing"), None
    last = hi or 0
    bad_cp = repository_audit.first_mismatched_checkpoint(session)
    if bad_cp is not None:
        if bad_cp.seq > last:
            return _bad(0, last + 1, "truncated", f"the log ends at seq {last} but was verified up to seq "
                                                  f"{bad_cp.seq} (checkpoint of {bad_cp.verified_at:%Y-%m-%d %H:%M}): "
                                                  f"entries {last + 1}–{bad_cp.seq} (at least) were removed"), None
        return _bad(0, bad_cp.seq, "anchor_mismatch",
                    f"entry {bad_cp.seq} no longer has the hash it had when it was verified (checkpoint of "
                    f"{bad_cp.verified_at:%Y-%m-%d %H:%M}), or the checkpoint was changed: the log was "
                    f"rewritten at or before seq {bad_cp.seq}"), None
    cp = repository_audit.latest_checkpoint(session)
    start = None if cp is None else Anchor(seq=cp.seq, hash=cp.hash)
    for anchor in anchors:
        if start is not None and anchor.seq <= start.seq:
            row = repository_audit.entry_at(session, seq=anchor.seq)
            if row is None or row.hash != anchor.hash:
                return _bad(0, anchor.seq, "anchor_mismatch",
                            f"entry {anchor.seq} does not match its published anchor: the log was rewritten at "
                            f"or before seq {anchor.seq}"), None
    return None, start


def verify_incremental(session: Session, anchors: Sequence[Anchor] = (), *, keep: bool = True) -> VerifyResult:
    """Verify the entries added since the newest checkpoint, check the rest by index, keep a new checkpoint.

    With no checkpoint yet this is the full verification. ``keep``: store the last entry verified as the new
    checkpoint when the log verifies (two processes keeping the same one at once is harmless). ``checked``
    counts the entries re-hashed.
    """
    problem, start = _before_checkpoint(session, anchors)
    if problem is not None:
        return problem
    tail, broken = _entries(repository_audit.chain_after(session, seq=start.seq if start else 0),
                            first_position=(start.seq if start else 0) + 1)
    if broken is not None:
        return broken
    result = verify(tail, anchors=anchors, start=start)
    if result.ok and start is not None:
        result = result.model_copy(update={"message": f"{result.message} after checkpoint {start.seq}; entries "
                                                      f"1–{start.seq} checked by their numbers and checkpoints"})
    if keep and result.ok and tail and result.last is not None:
        try:
            with atomic(session, f"audit checkpoint {result.last.seq}"):
                repository_audit.add_checkpoint(session, seq=result.last.seq, hash=result.last.hash,
                                                verified_at=utcnow())
        except ConflictError:
            pass  # another process kept the same checkpoint
    return result


def current_anchor(session: Session) -> Anchor | None:
    """The anchor to publish now: the last entry's seq and hash, after verifying the whole chain.

    Raises
    ------
    AuditChainError
        The chain does not verify: publishing an anchor of a broken log would vouch for it.
    """
    result = verify_chain(session)
    if not result.ok:
        msg = f"the audit log does not verify, no anchor is published: {result.kind} at seq {result.first_bad_seq}: " \
              f"{result.message}"
        raise AuditChainError(msg, hint="verify the chain and investigate before publishing")
    return result.last
