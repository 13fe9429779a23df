"""Queries and row writes of key units: the registry (units, facilities, meters), annual reports and their
versions, energy budgets and assessments.

Keyword-only like :mod:`tanfeng.store.repository`; the services wrap writes in
:func:`tanfeng.store.transaction.atomic` and audit them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from tanfeng.store.models_accounting import AccountingRunRow
from tanfeng.store.models_enterprises import (
    AnnualReportRow,
    AssessmentRow,
    EnergyBudgetRow,
    FacilityRow,
    KeyUnitRow,
    MeterRow,
    ReportVersionRow,
)

__all__ = ["add_version", "budget", "budget_row", "facilities", "find_report", "ghg_figures", "guarded_update",
           "inventory_runs", "meter_counts", "meters", "put_assessment", "replace_equipment", "report",
           "reports", "unit", "unit_codes", "units", "versions"]


# ------------------------------------------------------------------------------------------------ registry

def unit(session: Session, *, code: str) -> KeyUnitRow | None:
    """The stored unit with credit code ``code``."""
    return session.get(KeyUnitRow, code)


def unit_codes(session: Session) -> set[str]:
    """Every registered credit code."""
    return set(session.scalars(select(KeyUnitRow.code)))


def units(session: Session, *, league: str | None = None, industry: str | None = None, county: str | None = None,
          level: str | None = None, code: str | None = None) -> list[KeyUnitRow]:
    """Units in code order, filtered by league, county, industry (a GB/T 4754 code or its prefix) and level."""
    q = select(KeyUnitRow).order_by(KeyUnitRow.code)
    if code:
        q = q.where(KeyUnitRow.code == code)
    if league:
        q = q.where(KeyUnitRow.league == league)
    if county:
        q = q.where(KeyUnitRow.county == county)
    if industry:
        q = q.where(KeyUnitRow.industry.startswith(industry))
    if level:
        q = q.where(KeyUnitRow.level == level)
    return list(session.scalars(q))


def meter_counts(session: Session) -> dict[str, int]:
    """How many meters each unit has (units without meters are absent)."""
    return {c: int(n) for c, n in session.execute(select(MeterRow.unit_code, func.count())
                                                  .group_by(MeterRow.unit_code)).all()}


def meters(session: Session, *, unit_code: str) -> list[MeterRow]:
    """A unit's meters by id."""
    return list(session.scalars(select(MeterRow).where(MeterRow.unit_code == unit_code).order_by(MeterRow.meter_id)))


def facilities(session: Session, *, unit_code: str) -> list[FacilityRow]:
    """A unit's facilities by id."""
    return list(session.scalars(select(FacilityRow).where(FacilityRow.unit_code == unit_code)
                                .order_by(FacilityRow.facility_id)))


def replace_equipment(session: Session, *, unit_code: str, facility_rows: Sequence[FacilityRow],
                      meter_rows: Sequence[MeterRow]) -> None:
    """Replace a unit's facilities and meters by the given rows."""
    session.execute(delete(FacilityRow).where(FacilityRow.unit_code == unit_code))
    session.execute(delete(MeterRow).where(MeterRow.unit_code == unit_code))
    session.add_all(facility_rows)
    session.add_all(meter_rows)
    session.flush()


# ------------------------------------------------------------------------------------------------ reports

def report(session: Session, *, report_id: int) -> AnnualReportRow | None:
    """One report by id."""
    return session.get(AnnualReportRow, report_id)


def find_report(session: Session, *, unit_code: str, year: int, kind: str) -> AnnualReportRow | None:
    """The unit's report of ``kind`` for ``year``, if it has one."""
    return session.scalars(select(AnnualReportRow).where(AnnualReportRow.unit_code == unit_code,
                                                         AnnualReportRow.year == year,
                                                         AnnualReportRow.kind == kind)).first()


def reports(session: Session, *, unit_code: str, year: int | None = None) -> list[AnnualReportRow]:
    """A unit's reports, newest year first, then by kind."""
    q = select(AnnualReportRow).where(AnnualReportRow.unit_code == unit_code)
    if year is not None:
        q = q.where(AnnualReportRow.year == year)
    return list(session.scalars(q.order_by(AnnualReportRow.year.desc(), AnnualReportRow.kind)))


def guarded_update(session: Session, *, report_id: int, expected_lock: int, values: dict[str, Any]) -> bool:
    """``UPDATE … WHERE lock_version = expected_lock``, raising the lock and version by one.

    Returns whether the row was updated (``False``: someone saved the report since ``expected_lock``).
    """
    res = session.execute(
        update(AnnualReportRow).where(AnnualReportRow.id == report_id, AnnualReportRow.lock_version == expected_lock)
        .values(lock_version=expected_lock + 1, version=AnnualReportRow.version + 1, **values)
        .execution_options(synchronize_session=False))
    return bool(res.rowcount == 1)  # type: ignore[attr-defined]


def add_version(session: Session, *, row: AnnualReportRow, action: str, actor: str, at: datetime) -> None:
    """Keep the report's current state as its version ``row.version``."""
    session.add(ReportVersionRow(report_id=row.id, version=row.version, action=action, state=row.state,
                                 content=dict(row.content), figures=dict(row.figures), comments=row.comments,
                                 actor=actor, at=at))


def versions(session: Session, *, report_id: int, numbers: Sequence[int] | None = None) -> list[ReportVersionRow]:
    """A report's kept versions, oldest first (only ``numbers`` when given)."""
    q = select(ReportVersionRow).where(ReportVersionRow.report_id == report_id)
    if numbers is not None:
        q = q.where(ReportVersionRow.version.in_(list(numbers)))
    return list(session.scalars(q.order_by(ReportVersionRow.version)))


def ghg_figures(session: Session, *, year: int) -> list[tuple[str, str, bool, dict[str, Any]]]:
    """``(league, industry, sample, figures)`` of every GHG report of ``year`` past its draft."""
    rows = session.execute(
        select(KeyUnitRow.league, KeyUnitRow.industry, KeyUnitRow.sample, AnnualReportRow.figures)
        .join(AnnualReportRow, AnnualReportRow.unit_code == KeyUnitRow.code)
        .where(AnnualReportRow.year == year, AnnualReportRow.kind == "ghg", AnnualReportRow.state != "draft")).all()
    return [(lg, ind, bool(s), dict(f)) for lg, ind, s, f in rows]


def inventory_runs(session: Session, *, year: int) -> list[AccountingRunRow]:
    """The stored ``inventory`` accounting runs of ``year``, newest first."""
    return list(session.scalars(select(AccountingRunRow).where(AccountingRunRow.kind == "inventory",
                                                               AccountingRunRow.year == year)
                                .order_by(AccountingRunRow.created_at.desc())))


# ------------------------------------------------------------------------------------------------ budgets, assessments

def budget_row(session: Session, *, unit_code: str, year: int) -> EnergyBudgetRow | None:
    """The unit's stored energy budget of ``year``."""
    return session.get(EnergyBudgetRow, (unit_code, year))


def budget(session: Session, *, unit_code: str, year: int) -> float | None:
    """The unit's energy budget (tce) of ``year``, if one is set."""
    row = budget_row(session, unit_code=unit_code, year=year)
    return row.budget_tce if row is not None else None


def put_assessment(session: Session, *, unit_code: str, year: int, score: float, grade: str,
                   criteria: list[dict[str, Any]], rules_digest: str, at: datetime,
                   by: str) -> dict[str, Any] | None:
    """Store an assessment (replacing the year's previous one); returns the previous score and grade."""
    row = session.get(AssessmentRow, (unit_code, year))
    before = {"score": row.score, "grade": row.grade} if row else None
    if row is None:
        row = AssessmentRow(unit_code=unit_code, year=year)
        session.add(row)
    row.score, row.grade, row.criteria, row.rules_digest = score, grade, criteria, rules_digest
    row.computed_at, row.computed_by = at, by
    session.flush()
    return before
