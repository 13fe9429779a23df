"""Queries of forestry carbon projects: the project rows and their append-only lifecycle steps."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tanfeng.store.models_registry import SinkProjectRow, SinkProjectStepRow

__all__ = ["add_project", "add_step", "get_project", "list_projects", "project_steps"]


def get_project(session: Session, *, project_id: str) -> SinkProjectRow | None:
    """One project, or ``None``."""
    return session.get(SinkProjectRow, project_id)


def list_projects(session: Session, *, region: str | None = None) -> list[SinkProjectRow]:
    """Projects ordered by id, optionally of one region or league."""
    q = select(SinkProjectRow)
    if region is not None:
        q = q.where(SinkProjectRow.region == region)
    return list(session.scalars(q.order_by(SinkProjectRow.project_id)))


def project_steps(session: Session, *, project_id: str) -> list[SinkProjectStepRow]:
    """A project's steps, oldest first."""
    q = select(SinkProjectStepRow).where(SinkProjectStepRow.project_id == project_id)
    return list(session.scalars(q.order_by(SinkProjectStepRow.step)))


def add_project(session: Session, *, row: SinkProjectRow) -> None:
    """Add a project (flushes: a taken id fails here)."""
    session.add(row)
    session.flush()


def add_step(session: Session, *, row: SinkProjectStepRow) -> None:
    """Append a step (flushes: a step number taken by a concurrent writer fails here)."""
    session.add(row)
    session.flush()
