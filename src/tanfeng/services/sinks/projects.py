"""Forestry carbon projects: register, advance through monitored → verified → credited, list.

The lifecycle rules are :mod:`tanfeng.sinks.projects`. Crediting issues the verified tCO2e as CCER into the
project's credit account in the same transaction (vintage: the year of the verification), so a credited
project and its credits land together or not at all.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from tanfeng.errors import ConflictError, InputError, NotFoundError, at
from tanfeng.services.registry import Actor, IssueRequest, issue
from tanfeng.sinks import ForestryProject, ProjectStep, advance, register
from tanfeng.sinks.projects import ProjectState
from tanfeng.store import repository_registry, repository_sinks
from tanfeng.store.models_registry import SinkProjectRow, SinkProjectStepRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic

__all__ = ["ProjectOut", "StepOut", "advance_project", "get_project", "list_projects", "register_project"]


class StepOut(BaseModel):
    """One lifecycle step."""

    step: int
    state: str
    document: str
    actor: str
    at: datetime
    tco2e: int | None
    tx_id: str | None


class ProjectOut(BaseModel):
    """A project with its steps and the credits issued."""

    project_id: str
    name: str
    region: str
    area_ha: float
    credit_account: str
    state: str
    credited_tco2e: int
    steps: list[StepOut]
    sample: bool


def _domain(row: SinkProjectRow, steps: list[SinkProjectStepRow]) -> ForestryProject:
    return ForestryProject(project_id=row.project_id, name=row.name, region=row.region, area_ha=row.area_ha,
                           steps=tuple(ProjectStep(state=s.state, document=s.document, actor=s.actor,
                                                   at=s.at, tco2e=s.tco2e) for s in steps))


def _out(session: Session, row: SinkProjectRow) -> ProjectOut:
    steps = repository_sinks.project_steps(session, project_id=row.project_id)
    project = _domain(row, steps)
    return ProjectOut(project_id=row.project_id, name=row.name, region=row.region, area_ha=row.area_ha,
                      credit_account=row.credit_account, state=project.state, credited_tco2e=project.credited_tco2e,
                      sample=row.sample,
                      steps=[StepOut(step=s.step, state=s.state, document=s.document, actor=s.actor, at=s.at,
                                     tco2e=s.tco2e, tx_id=s.tx_id) for s in steps])


def register_project(session: Session, *, project_id: str, name: str, region: str, area_ha: float,
                     credit_account: str, document: str, actor: Actor, when: datetime | None = None,
                     sample: bool = False) -> ProjectOut:
    """Register a project with its PDD; its credits will go to ``credit_account`` (a CCER account).

    Raises
    ------
    NotFoundError
        Unknown credit account.
    InputError
        The account does not hold CCER, or a bad field.
    ConflictError
        The project id is taken.
    """
    when = when or datetime.now(UTC)
    project = register(project_id, name, region, area_ha, document=document, actor=actor.name, when=when)
    with atomic(session, f"forestry project {project_id!r}"):
        account = repository_registry.get_account(session, account=credit_account)
        if account is None:
            msg = f"unknown account {credit_account!r}"
            raise NotFoundError(msg, location=at(field="credit_account"))
        if account.instrument != "CCER":
            msg = f"credits are CCER; account {credit_account} holds {account.instrument}"
            raise InputError(msg, location=at(field="credit_account"))
        if repository_sinks.get_project(session, project_id=project_id) is not None:
            msg_0 = f"project {project_id} already exists"
            raise ConflictError(msg_0, location=at(field="project_id"))
        row = SinkProjectRow(project_id=project_id, name=name, region=region, area_ha=area_ha,
                             credit_account=credit_account, sample=sample)
        repository_sinks.add_project(session, row=row)
        first = project.steps[0]
        repository_sinks.add_step(session, row=SinkProjectStepRow(project_id=project_id, step=1, state=first.state,
                                                                  document=document, actor=actor.name, at=when))
        record_audit(session, actor=actor.name, actor_role=actor.role, client_address=actor.client_address,
                     action="create", entity="sink_project", entity_id=project_id, before=None,
                     after={"name": name, "region": region, "area_ha": area_ha, "credit_account": credit_account,
                            "state": "registered", "document": document})
    return _out(session, row)


def advance_project(session: Session, *, project_id: str, to: ProjectState, document: str, actor: Actor,
                    tco2e: int | None = None, when: datetime | None = None) -> ProjectOut:
    """Add the next lifecycle step; ``credited`` issues the verified tCO2e as CCER into the credit account.

    Raises
    ------
    NotFoundError
        Unknown project.
    InputError
        The step does not follow (see :func:`tanfeng.sinks.advance`).
    """
    when = when or datetime.now(UTC)
    with atomic(session, f"forestry project {project_id!r} step {to}"):
        row = repository_sinks.get_project(session, project_id=project_id)
        if row is None:
            msg = f"unknown project {project_id!r}"
            raise NotFoundError(msg, location=at(field="project_id"))
        steps = repository_sinks.project_steps(session, project_id=project_id)
        before = _domain(row, steps)
        after = advance(before, to, document=document, actor=actor.name, when=when, tco2e=tco2e)
        new = after.steps[-1]
        tx_id = None
        if to == "credited" and new.tco2e:
            tx = issue(session, IssueRequest(idempotency_key=f"project-{project_id}-step-{len(steps) + 1}",
                                             account=row.credit_account, vintage=before.steps[-1].at.year,
                                             amount=new.tco2e, basis="credit",
                                             memo=f"{row.name}: {document}"), actor=actor, sample=row.sample)
            tx_id = tx.tx_id
        repository_sinks.add_step(session, row=SinkProjectStepRow(
            project_id=project_id, step=len(steps) + 1, state=new.state, document=document, actor=actor.name,
            at=when, tco2e=new.tco2e, tx_id=tx_id))
        record_audit(session, actor=actor.name, actor_role=actor.role, client_address=actor.client_address,
                     action=to, entity="sink_project", entity_id=project_id, before={"state": before.state},
                     after={"state": to, "document": document, "tco2e": new.tco2e, "tx_id": tx_id})
    return _out(session, row)


def get_project(session: Session, project_id: str) -> ProjectOut:
    """One project with its steps.

    Raises
    ------
    NotFoundError
        Unknown project.
    """
    row = repository_sinks.get_project(session, project_id=project_id)
    if row is None:
        msg = f"unknown project {project_id!r}"
        raise NotFoundError(msg, location=at(field="project_id"))
    return _out(session, row)


def list_projects(session: Session, *, region: str | None = None) -> list[ProjectOut]:
    """Every project (of one region or league when given)."""
    return [_out(session, r) for r in repository_sinks.list_projects(session, region=region)]
