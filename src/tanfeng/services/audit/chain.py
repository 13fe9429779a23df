"""The hash chain: read the stored entries in order, verify them (against published anchors), the anchor to publish."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError
from sqlalchemy.orm import Session

from tanfeng.audit import Anchor, ChainedEntry, VerifyResult, verify
from tanfeng.errors import AuditChainError
from tanfeng.store import repository_audit
from tanfeng.store.models import AuditRow

__all__ = ["current_anchor", "load_chain", "verify_chain"]


def _rows(session: Session) -> list[AuditRow]:
    return repository_audit.chain(session)


def load_chain(session: Session) -> tuple[list[ChainedEntry], VerifyResult | None]:
    """The stored entries in ``seq`` order as chain entries.

    Returns the entries read and, when a row cannot even be read as an entry (a field changed by hand to
    something no entry can hold, e.g. a hash that is not hex), the failed result naming that row.
    """
    chain: list[ChainedEntry] = []
    for position, row in enumerate(_rows(session), start=1):
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
