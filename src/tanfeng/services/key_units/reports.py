"""Annual reports: start one, edit it under optimistic locking, move it along its workflow, keep and compare
its versions.

Every change (edit or state change) writes a new version; every version is kept and any two can be
compared field by field (:func:`diff_versions`). Edits carry the lock version the editor started from; a
stale one is refused with a :class:`~tanfeng.errors.ConflictError` naming who changed the report and when
(two people editing one report never silently overwrite each other). Figures are computed on every save
(:func:`tanfeng.enterprises.figures.compute_figures`), never typed. The states and their transitions are
:mod:`tanfeng.enterprises.annual_report`'s.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tanfeng.audit.changes import diff
from tanfeng.enterprises import annual_report as workflow
from tanfeng.enterprises.annual_report import ReportContent, ReportKind, WorkflowAction
from tanfeng.enterprises.figures import compute_figures
from tanfeng.errors import ConflictError, NotFoundError
from tanfeng.services.key_units.registry import require_unit
from tanfeng.services.key_units.schemas import ReportOut, VersionDiff, VersionOut, report_out, snapshot
from tanfeng.store import repository_key_units as repo
from tanfeng.store.models import utcnow
from tanfeng.store.models_enterprises import AnnualReportRow, ReportVersionRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic

__all__ = ["create_report", "diff_versions", "get_report", "list_reports", "list_versions", "require_report",
           "transition", "update_report"]


def require_report(session: Session, code: str, report_id: int) -> AnnualReportRow:
    """Report ``report_id`` of unit ``code`` (:class:`NotFoundError` when there is none)."""
    r = repo.report(session, report_id=report_id)
    if r is None or r.unit_code != code:
        msg = f"report {report_id} of unit {code} does not exist"
        raise NotFoundError(msg)
    return r


def create_report(session: Session, code: str, *, year: int, kind: ReportKind,
                  content: dict[str, Any] | ReportContent, actor: str, actor_role: str | None = None) -> ReportOut:
    """Start a report (state ``draft``, version 1, lock version 1) with figures from the engine.

    Raises
    ------
    ConflictError
        The unit already has a report of this kind for this year (edit that one).
    """
    workflow.check_kind(kind)
    unit = require_unit(session, code)
    body = workflow.parse_content(content)
    figures = compute_figures(unit.code, year, body, repo.budget(session, unit_code=code, year=year))
    taken = repo.find_report(session, unit_code=code, year=year, kind=kind)
    if taken is not None:
        msg = f"unit {code} already has a {kind} report for {year} (report {taken.id})"
        raise ConflictError(msg, hint=f"edit report {taken.id} instead")
    now = utcnow()
    with atomic(session, f"the {kind} report {year} of unit {code}"):
        r = AnnualReportRow(unit_code=code, year=year, kind=kind, state="draft", version=1, lock_version=1,
                            content=body.model_dump(mode="json"), figures=figures, comments=None, created_at=now,
                            created_by=actor, updated_at=now, updated_by=actor)
        session.add(r)
        session.flush()
        repo.add_version(session, row=r, action="create", actor=actor, at=now)
        record_audit(session, actor=actor, action="insert", entity="annual_report", entity_id=str(r.id),
                     after=snapshot(r), actor_role=actor_role)
        out = report_out(r, unit.sample)
    return out


def get_report(session: Session, code: str, report_id: int) -> ReportOut:
    """One report."""
    r = require_report(session, code, report_id)
    return report_out(r, require_unit(session, code).sample)


def list_reports(session: Session, code: str, *, year: int | None = None) -> list[ReportOut]:
    """A unit's reports, newest year first."""
    unit = require_unit(session, code)
    return [report_out(r, unit.sample) for r in repo.reports(session, unit_code=code, year=year)]


def _conflict(r: AnnualReportRow | None, report_id: int, expected: int) -> ConflictError:
    if r is None:
        return ConflictError(f"report {report_id} was deleted")
    msg = (f"report {report_id} was changed by {r.updated_by} at {r.updated_at.isoformat(timespec='seconds')} "
           f"(now lock version {r.lock_version}, state {r.state}); your change was made on lock version {expected}")
    return ConflictError(msg, hint="nothing was saved: reload the report, re-apply your change and save again",
                         current_version=r.lock_version)


def _check_lock(r: AnnualReportRow, expected: int) -> None:
    if r.lock_version != expected:
        raise _conflict(r, r.id, expected)


def _save(session: Session, r: AnnualReportRow, expected: int, values: dict[str, Any], *, action: str,
          actor: str, actor_role: str | None, sample: bool) -> ReportOut:
    """Write ``values`` on the lock version ``expected``, keep the version and audit it, in one transaction."""
    before = snapshot(r)
    report_id = r.id
    with atomic(session, f"report {report_id}"):
        if not repo.guarded_update(session, report_id=report_id, expected_lock=expected, values=values):
            session.expire(r)
            raise _conflict(repo.report(session, report_id=report_id), report_id, expected)
        session.refresh(r)
        repo.add_version(session, row=r, action=action, actor=actor, at=values["updated_at"])
        record_audit(session, actor=actor, action="update" if action == "edit" else action, entity="annual_report",
                     entity_id=str(report_id), before=before, after=snapshot(r), actor_role=actor_role)
        out = report_out(r, sample)
    return out


def update_report(session: Session, code: str, report_id: int, *, content: dict[str, Any] | ReportContent,
                  lock_version: int, actor: str, actor_role: str | None = None) -> ReportOut:
    """Replace a draft's (or a returned report's) content; ``lock_version`` is the one the editor loaded.

    Raises
    ------
    ConflictError
        Someone saved the report since ``lock_version`` (nothing is saved), or its state does not allow edits.
    """
    r = require_report(session, code, report_id)
    unit = require_unit(session, code)
    _check_lock(r, lock_version)
    workflow.check_editable(report_id, r.state)
    body = workflow.parse_content(content)
    figures = compute_figures(unit.code, r.year, body, repo.budget(session, unit_code=code, year=r.year))
    values = {"content": body.model_dump(mode="json"), "figures": figures, "updated_at": utcnow(),
              "updated_by": actor}
    return _save(session, r, lock_version, values, action="edit", actor=actor, actor_role=actor_role,
                 sample=unit.sample)


def transition(session: Session, code: str, report_id: int, action: WorkflowAction, *, actor: str,
               lock_version: int | None = None, comments: str | None = None,
               actor_role: str | None = None) -> ReportOut:
    """Move a report along its workflow (submit, review, approve, return); a new version is kept.

    Raises
    ------
    ConflictError
        The state does not allow the action, or ``lock_version`` is stale.
    InputError
        An unknown action, or ``return`` without comments.
    """
    workflow.check_action(action)
    r = require_report(session, code, report_id)
    sample = require_unit(session, code).sample
    expected = r.lock_version if lock_version is None else lock_version
    _check_lock(r, expected)
    target = workflow.check_transition(report_id, r.state, action, comments)
    values = workflow.transition_values(action, target, actor=actor, now=utcnow(), comments=comments)
    return _save(session, r, expected, values, action=action, actor=actor, actor_role=actor_role, sample=sample)


def list_versions(session: Session, code: str, report_id: int) -> list[VersionOut]:
    """Every kept version of a report, oldest first."""
    require_report(session, code, report_id)
    return [VersionOut(version=v.version, action=v.action, state=v.state, content=dict(v.content),
                       figures=dict(v.figures), comments=v.comments, actor=v.actor, at=v.at)
            for v in repo.versions(session, report_id=report_id)]


def _state(v: ReportVersionRow) -> dict[str, Any]:
    return {"state": v.state, "content": v.content, "figures": v.figures, "comments": v.comments}


def diff_versions(session: Session, code: str, report_id: int, a: int, b: int) -> VersionDiff:
    """Field-by-field differences between versions ``a`` and ``b`` of a report (content, figures, state, comments)."""
    require_report(session, code, report_id)
    got = {v.version: v for v in repo.versions(session, report_id=report_id, numbers=[a, b])}
    for v in (a, b):
        if v not in got:
            msg = f"report {report_id} has no version {v}"
            raise NotFoundError(msg)
    changes = diff(_state(got[a]), _state(got[b]))
    return VersionDiff(report_id=report_id, from_version=a, to_version=b,
                       changes=[{"path": c.pointer, "kind": c.kind, "before": c.before, "after": c.after}
                                for c in changes])

