"""Queries of the projects aggregate (projects, reviews, 减量替代, league assessments), and the reads it needs
of other topics' tables (key units, annual reports, dispatch) — keyword-only functions, no writes of others."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tanfeng.store.models_enterprises import AnnualReportRow, KeyUnitRow
from tanfeng.store.models_projects import (
    LeagueAssessmentRow,
    OffsetClaimRow,
    ProjectReviewRow,
    ProjectRow,
    WithdrawalRow,
)
from tanfeng.store.models_tracking import DispatchEntryRow, DispatchPeriodRow

__all__ = ["assessment_history", "claim_of", "claims_of_project", "current_assessments", "current_project",
           "dispatch_timeliness", "get_withdrawal", "key_unit", "key_unit_reporting", "latest_review",
           "list_projects", "list_withdrawals", "project_history", "project_versions"]


def current_project(session: Session, *, code: str) -> ProjectRow | None:
    """The current version of project ``code`` (None when unknown)."""
    return session.scalars(select(ProjectRow).where(ProjectRow.code == code, ProjectRow.superseded_at.is_(None))
                           ).first()


def project_versions(session: Session, *, codes: Sequence[str]) -> dict[str, ProjectRow]:
    """Current versions of ``codes`` by code."""
    if not codes:
        return {}
    rows = session.scalars(select(ProjectRow).where(ProjectRow.code.in_(list(codes)),
                                                    ProjectRow.superseded_at.is_(None))).all()
    return {r.code: r for r in rows}


def list_projects(session: Session, *, league: str | None = None, stage: str | None = None,
                  two_high: bool | None = None, owner_code: str | None = None,
                  leagues: Sequence[str] | None = None) -> list[ProjectRow]:
    """Current versions, filtered, by league then code."""
    q = select(ProjectRow).where(ProjectRow.superseded_at.is_(None))
    if league is not None:
        q = q.where(ProjectRow.league == league)
    if leagues is not None:
        q = q.where(ProjectRow.league.in_(list(leagues)))
    if stage is not None:
        q = q.where(ProjectRow.stage == stage)
    if two_high is not None:
        q = q.where(ProjectRow.two_high.is_(two_high))
    if owner_code is not None:
        q = q.where(ProjectRow.owner_code == owner_code)
    return list(session.scalars(q.order_by(ProjectRow.league, ProjectRow.code)).all())


def project_history(session: Session, *, code: str) -> list[ProjectRow]:
    """Every version of project ``code``, oldest first."""
    return list(session.scalars(select(ProjectRow).where(ProjectRow.code == code).order_by(ProjectRow.version)))


def latest_review(session: Session, *, code: str) -> ProjectReviewRow | None:
    """The newest review kept for project ``code``."""
    return session.scalars(select(ProjectReviewRow).where(ProjectReviewRow.project_code == code)
                           .order_by(ProjectReviewRow.id.desc())).first()


def get_withdrawal(session: Session, *, withdrawal_id: str) -> WithdrawalRow | None:
    """One withdrawal."""
    return session.get(WithdrawalRow, withdrawal_id)


def list_withdrawals(session: Session, *, league: str | None = None) -> list[WithdrawalRow]:
    """Withdrawals, by id."""
    q = select(WithdrawalRow)
    if league is not None:
        q = q.where(WithdrawalRow.league == league)
    return list(session.scalars(q.order_by(WithdrawalRow.id)))


def claim_of(session: Session, *, withdrawal_id: str) -> OffsetClaimRow | None:
    """The claim on a withdrawal (None when free)."""
    return session.get(OffsetClaimRow, withdrawal_id)


def claims_of_project(session: Session, *, code: str) -> list[WithdrawalRow]:
    """The withdrawals a project holds."""
    q = (select(WithdrawalRow).join(OffsetClaimRow, OffsetClaimRow.withdrawal_id == WithdrawalRow.id)
         .where(OffsetClaimRow.project_code == code).order_by(WithdrawalRow.id))
    return list(session.scalars(q))


def key_unit(session: Session, *, code: str) -> KeyUnitRow | None:
    """A key unit of the registry (``key_units``) by credit code."""
    return session.get(KeyUnitRow, code)


def key_unit_reporting(session: Session, *, year: int) -> dict[str, tuple[int, int]]:
    """League → (key units, units whose energy report of ``year`` is submitted, under review or approved)."""
    units = dict(session.execute(select(KeyUnitRow.league, func.count()).group_by(KeyUnitRow.league)).all())
    done_q = (select(KeyUnitRow.league, func.count(func.distinct(AnnualReportRow.unit_code)))
              .join(AnnualReportRow, AnnualReportRow.unit_code == KeyUnitRow.code)
              .where(AnnualReportRow.year == year, AnnualReportRow.kind == "energy",
                     AnnualReportRow.state.in_(("submitted", "under_review", "approved")))
              .group_by(KeyUnitRow.league))
    done = dict(session.execute(done_q).all())
    return {str(k): (int(v), int(done.get(k, 0))) for k, v in units.items()}


def dispatch_timeliness(session: Session, *, year: int) -> tuple[int, dict[str, int]]:
    """(closed or open periods of ``year`` with a due date passed, responsible unit → periods it reported in
    by the due date, counted on the first version of its entries)."""
    periods = session.scalars(select(DispatchPeriodRow).where(DispatchPeriodRow.id.like(f"{year}%"))).all()
    due = {p.id: p.due_date for p in periods if p.due_date <= date(year, 12, 31)}
    on_time: dict[str, set[str]] = {}
    if due:
        rows = session.execute(select(DispatchEntryRow.period, DispatchEntryRow.responsible_unit,
                                      func.min(DispatchEntryRow.entered_at))
                               .where(DispatchEntryRow.period.in_(list(due)))
                               .group_by(DispatchEntryRow.period, DispatchEntryRow.responsible_unit)).all()
        for period, unit, first in rows:
            if first is not None and first.date() <= due[period]:
                on_time.setdefault(unit, set()).add(period)
    return len(due), {k: len(v) for k, v in on_time.items()}


def current_assessments(session: Session, *, year: int) -> list[LeagueAssessmentRow]:
    """The current assessment of every league for ``year``, by rank."""
    q = select(LeagueAssessmentRow).where(LeagueAssessmentRow.year == year, LeagueAssessmentRow.superseded_at.is_(None))
    return list(session.scalars(q.order_by(LeagueAssessmentRow.rank, LeagueAssessmentRow.league)))


def assessment_history(session: Session, *, league: str | None = None) -> list[LeagueAssessmentRow]:
    """Current assessments of every year (of one league or all), by year then rank."""
    q = select(LeagueAssessmentRow).where(LeagueAssessmentRow.superseded_at.is_(None))
    if league is not None:
        q = q.where(LeagueAssessmentRow.league == league)
    return list(session.scalars(q.order_by(LeagueAssessmentRow.year, LeagueAssessmentRow.rank)))
