"""减量替代: record withdrawals and claim them for projects (one withdrawal backs one project, even under
concurrent claims: the claim's key is the withdrawal, so the second writer gets a ConflictError)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel
from sqlalchemy.orm import Session

from tanfeng.errors import NotFoundError
from tanfeng.projects.offsets import Coverage, Withdrawal, check_claim, coverage
from tanfeng.projects.rules import load_rules
from tanfeng.services.projects.registry import to_project
from tanfeng.store import repository_projects as repo
from tanfeng.store.models import utcnow
from tanfeng.store.models_projects import OffsetClaimRow, WithdrawalRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic

__all__ = ["ClaimOut", "WithdrawalOut", "add_withdrawals", "claim", "list_withdrawals", "project_coverage"]


class WithdrawalOut(Withdrawal):
    """A withdrawal and the project it backs (None when free)."""

    claimed_by_project: str | None


class ClaimOut(BaseModel):
    """A claim that landed."""

    withdrawal: str
    project: str
    coverage: Coverage


def _withdrawal(row: WithdrawalRow) -> Withdrawal:
    return Withdrawal(id=row.id, league=row.league, description=row.description, capacity=row.capacity,
                      capacity_unit=row.capacity_unit, energy_tce=row.energy_tce, withdrawn_on=row.withdrawn_on,
                      sample=row.sample)


def add_withdrawals(session: Session, items: Sequence[Withdrawal], *, actor: str,
                    actor_role: str | None = None) -> int:
    """Record withdrawals (new ids only; an existing id is a ConflictError and nothing is kept)."""
    now = utcnow()
    with atomic(session, f"{len(items)} 减量替代 withdrawals"):
        for w in items:
            session.add(WithdrawalRow(id=w.id, league=w.league, description=w.description, capacity=w.capacity,
                                      capacity_unit=w.capacity_unit, energy_tce=w.energy_tce,
                                      withdrawn_on=w.withdrawn_on, sample=w.sample, created_by=actor, created_at=now))
            session.flush()
            record_audit(session, actor=actor, action="insert", entity="offset_withdrawal", entity_id=w.id,
                         after=w.model_dump(mode="json"), actor_role=actor_role)
    return len(items)


def list_withdrawals(session: Session, *, league: str | None = None) -> list[WithdrawalOut]:
    """Withdrawals with the project each backs."""
    out = []
    for r in repo.list_withdrawals(session, league=league):
        c = repo.claim_of(session, withdrawal_id=r.id)
        out.append(WithdrawalOut(**_withdrawal(r).model_dump(), claimed_by_project=c.project_code if c else None))
    return out


def project_coverage(session: Session, code: str) -> Coverage:
    """How far the project's claims cover its new energy use."""
    row = repo.current_project(session, code=code)
    if row is None:
        msg = f"project '{code}' is not in the list"
        raise NotFoundError(msg)
    held = [_withdrawal(w) for w in repo.claims_of_project(session, code=code)]
    return coverage(to_project(row), held, load_rules())


def claim(session: Session, *, withdrawal_id: str, project_code: str, actor: str,
          actor_role: str | None = None) -> ClaimOut:
    """Let ``withdrawal_id`` back ``project_code``.

    Raises
    ------
    NotFoundError
        Unknown withdrawal or project.
    ConflictError
        The withdrawal already backs a project (checked first, and enforced by the store's key when two
        claims race: exactly one lands).
    InputError
        The withdrawal lies in another league.
    """
    w = repo.get_withdrawal(session, withdrawal_id=withdrawal_id)
    row = repo.current_project(session, code=project_code)
    if w is None or row is None:
        msg = f"withdrawal '{withdrawal_id}' is not recorded" if w is None else f"project '{project_code}' is not in the list"
        raise NotFoundError(msg)
    held = repo.claim_of(session, withdrawal_id=withdrawal_id)
    check_claim(_withdrawal(w), to_project(row), held.project_code if held else None)
    with atomic(session, f"claim of withdrawal {withdrawal_id}"):
        session.add(OffsetClaimRow(withdrawal_id=withdrawal_id, project_code=project_code, claimed_by=actor,
                                   claimed_at=utcnow()))
        session.flush()
        record_audit(session, actor=actor, action="claim", entity="offset_withdrawal", entity_id=withdrawal_id,
                     after={"project": project_code}, actor_role=actor_role)
    return ClaimOut(withdrawal=withdrawal_id, project=project_code, coverage=project_coverage(session, project_code))
