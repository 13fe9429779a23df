"""The project 清单: import (whole or nothing), save (versioned, audited), list, history, export."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from tanfeng.errors import NotFoundError
from tanfeng.projects.registry import Project, two_high_industry
from tanfeng.projects.rules import load_rules
from tanfeng.projects.workbook import read_workbook, write_workbook
from tanfeng.store import repository_projects as repo
from tanfeng.store.models import utcnow
from tanfeng.store.models_projects import ProjectRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic, supersede

__all__ = ["SAMPLE_NOTICE", "ImportResult", "ProjectOut", "export_workbook", "get_project", "import_workbook",
           "list_projects", "project_history", "save_projects", "to_project"]

SAMPLE_NOTICE = "示例数据: 项目清单为演示用的虚构项目, 不是真实项目"


class ProjectOut(Project):
    """A project as stored: the record, its version, its 两高 label and the key unit it links to."""

    version: int
    current: bool
    two_high_label: str | None
    owner_is_key_unit: bool
    entered_by: str
    entered_at: datetime


class ImportResult(BaseModel):
    """What an import or a save did."""

    inserted: int
    updated: int
    unchanged: int
    codes: list[str]


def to_project(row: ProjectRow) -> Project:
    """The record of a stored version."""
    return Project.model_validate(row.content)


def _out(session: Session, row: ProjectRow) -> ProjectOut:
    content: dict[str, Any] = dict(row.content)
    return ProjectOut(**content, version=row.version, current=row.superseded_at is None,
                      two_high_label=two_high_industry(row.industry, load_rules()),
                      owner_is_key_unit=row.owner_code is not None
                      and repo.key_unit(session, code=row.owner_code) is not None,
                      entered_by=row.entered_by, entered_at=row.entered_at)


def save_projects(session: Session, projects: Sequence[Project], *, actor: str, actor_role: str | None = None,
                  guard: Callable[[Project, bool], None] | None = None) -> ImportResult:
    """Store every project as a new version where it changed, in one transaction, each change audited.

    ``guard(project, is_new)`` is called for every project before anything is written (an adapter's
    permission check); whatever it raises stops the whole save.

    Raises
    ------
    ConflictError
        A concurrent writer stored a version of the same project in between (nothing is kept).
    """
    rules = load_rules()
    if guard is not None:
        for p in projects:
            guard(p, repo.current_project(session, code=p.code) is None)
    inserted = updated = unchanged = 0
    now = utcnow()
    with atomic(session, f"project list ({len(projects)} projects)"):
        for p in projects:
            content = p.model_dump(mode="json")
            cur = repo.current_project(session, code=p.code)
            if cur is not None and cur.content == content:
                unchanged += 1
                continue
            before = cur.content if cur is not None else None
            version = supersede(cur, now)
            session.add(ProjectRow(code=p.code, version=version, league=p.league, county=p.county, stage=p.stage,
                                   industry=p.industry, two_high=two_high_industry(p.industry, rules) is not None,
                                   owner_code=p.owner_code, content=content, sample=p.sample, entered_by=actor,
                                   entered_at=now))
            session.flush()
            record_audit(session, actor=actor, action="update" if cur else "insert", entity="project",
                         entity_id=p.code, before=before, after={"version": version, **content},
                         actor_role=actor_role)
            if cur is None:
                inserted += 1
            else:
                updated += 1
    return ImportResult(inserted=inserted, updated=updated, unchanged=unchanged, codes=[p.code for p in projects])


def import_workbook(session: Session, content: bytes, *, filename: str, actor: str, actor_role: str | None = None,
                    guard: Callable[[Project, bool], None] | None = None) -> ImportResult:
    """Read the Excel 清单 whole (an InputError names row and field, and nothing is stored) and save it."""
    return save_projects(session, read_workbook(content, filename=filename), actor=actor, actor_role=actor_role,
                         guard=guard)


def list_projects(session: Session, *, league: str | None = None, stage: str | None = None,
                  two_high: bool | None = None, owner_code: str | None = None) -> list[ProjectOut]:
    """Current versions, filtered."""
    rows = repo.list_projects(session, league=league, stage=stage, two_high=two_high, owner_code=owner_code)
    return [_out(session, r) for r in rows]


def get_project(session: Session, code: str) -> ProjectOut:
    """The current version of a project.

    Raises
    ------
    NotFoundError
        No project has this code.
    """
    row = repo.current_project(session, code=code)
    if row is None:
        msg = f"project '{code}' is not in the list"
        raise NotFoundError(msg)
    return _out(session, row)


def project_history(session: Session, code: str) -> list[ProjectOut]:
    """Every version of a project, oldest first."""
    rows = repo.project_history(session, code=code)
    if not rows:
        msg = f"project '{code}' is not in the list"
        raise NotFoundError(msg)
    return [_out(session, r) for r in rows]


def export_workbook(projects: Sequence[Project]) -> bytes:
    """The 清单 of ``projects`` as the Excel layout the import reads."""
    return write_workbook([Project.model_validate(p.model_dump(include=set(Project.model_fields)))
                           for p in projects])
