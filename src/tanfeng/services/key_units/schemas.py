"""What the key-unit use cases answer: units, meters, reports and their versions, budgets, assessments,
the pages' overviews. Built from stored rows here, so every use case answers the same shapes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from tanfeng.enterprises.annual_report import KIND_ZH, STATE_ZH
from tanfeng.enterprises.registry import KEY_UNIT_LEVEL_ZH
from tanfeng.enterprises.sample import SAMPLE_NOTICE
from tanfeng.store.models_enterprises import AnnualReportRow, KeyUnitRow, MeterRow

__all__ = ["Assessment", "BudgetOut", "MeterInfo", "RegionUnits", "ReportOut", "SampleLoaded", "UnitDetail",
           "UnitInfo", "UnitOverview", "VersionDiff", "VersionOut", "meter_info", "report_out", "snapshot",
           "unit_info"]


class MeterInfo(BaseModel):
    """A stored meter."""

    meter_id: str
    unit_code: str
    facility_id: str | None
    product: str
    unit: str
    multiplier: float
    kind: str
    rollover_max: float | None
    sample: bool


class UnitInfo(BaseModel):
    """A unit in the registry list."""

    code: str
    name: str
    league: str
    county: str
    industry: str
    level: str
    level_zh: str
    products: list[str]
    meters: int
    sample: bool
    notice: str | None = None


class UnitDetail(UnitInfo):
    """A unit with its contacts, facilities and meters."""

    contacts: list[dict[str, Any]]
    facilities: list[dict[str, Any]]
    meter_list: list[MeterInfo]


class SampleLoaded(BaseModel):
    """What :func:`~tanfeng.services.key_units.load_sample` stored (示例数据)."""

    units: int
    meters: int
    batches: int
    readings: int
    duplicate_batches: int
    start: datetime
    end: datetime
    notice: str = SAMPLE_NOTICE


class ReportOut(BaseModel):
    """A report as stored: content, computed figures, state and versions."""

    id: int
    unit_code: str
    year: int
    kind: str
    kind_zh: str
    state: str
    state_zh: str
    version: int
    lock_version: int
    content: dict[str, Any]
    figures: dict[str, Any]
    comments: str | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    submitted_at: datetime | None
    submitted_by: str | None
    reviewed_at: datetime | None
    reviewed_by: str | None
    sample: bool = False
    notice: str | None = None


class VersionOut(BaseModel):
    """One kept version of a report."""

    version: int
    action: str
    state: str
    content: dict[str, Any]
    figures: dict[str, Any]
    comments: str | None
    actor: str
    at: datetime


class VersionDiff(BaseModel):
    """Field-by-field changes between two versions (JSON Pointer paths)."""

    report_id: int
    from_version: int
    to_version: int
    changes: list[dict[str, Any]]


class BudgetOut(BaseModel):
    """A unit's energy budget (用能预算) and its use: reported and monitored energy against it."""

    unit_code: str
    year: int
    budget_tce: float | None
    reported_tce: float | None
    monitored_tce: float | None
    reported_use: float | None
    monitored_use: float | None


class Assessment(BaseModel):
    """A unit's responsibility score for a year with the reason of every criterion."""

    unit_code: str
    year: int
    score: float
    grade: str
    criteria: list[dict[str, Any]]
    rules_digest: str
    sample: bool
    notice: str | None


class UnitOverview(BaseModel):
    """Everything a unit's page shows."""

    unit: UnitDetail
    monthly: list[dict[str, Any]]
    completeness: list[dict[str, Any]]
    reports: list[ReportOut]
    benchmark: list[dict[str, Any]]
    sample: bool
    notice: str | None


class RegionUnits(BaseModel):
    """The key units of a league or county as one principal sees them.

    ``total`` (how many units the registry holds there) is an aggregate and shown to everyone; ``units``
    lists only those the principal may read (nothing for the public).
    """

    region: str
    level: Literal["league", "county"]
    total: int
    units: list[UnitInfo]
    sample: bool
    may_list: bool
    """Whether the principal may open the list of the region's units (``may_list_units``)."""


def unit_info(u: KeyUnitRow, meters: int) -> UnitInfo:
    """A stored unit with its meter count."""
    return UnitInfo(code=u.code, name=u.name, league=u.league, county=u.county, industry=u.industry, level=u.level,
                    level_zh=KEY_UNIT_LEVEL_ZH.get(u.level, u.level), products=list(u.products), meters=meters,
                    sample=u.sample, notice=SAMPLE_NOTICE if u.sample else None)


def meter_info(m: MeterRow) -> MeterInfo:
    """A stored meter."""
    return MeterInfo(meter_id=m.meter_id, unit_code=m.unit_code, facility_id=m.facility_id, product=m.product,
                     unit=m.unit, multiplier=m.multiplier, kind=m.kind, rollover_max=m.rollover_max, sample=m.sample)


def report_out(r: AnnualReportRow, sample: bool) -> ReportOut:
    """A stored report; ``sample`` is its unit's flag."""
    return ReportOut(id=r.id, unit_code=r.unit_code, year=r.year, kind=r.kind, kind_zh=KIND_ZH[r.kind], state=r.state,
                     state_zh=STATE_ZH[r.state], version=r.version, lock_version=r.lock_version,
                     content=dict(r.content), figures=dict(r.figures), comments=r.comments, created_at=r.created_at,
                     created_by=r.created_by, updated_at=r.updated_at, updated_by=r.updated_by,
                     submitted_at=r.submitted_at, submitted_by=r.submitted_by, reviewed_at=r.reviewed_at,
                     reviewed_by=r.reviewed_by, sample=sample, notice=SAMPLE_NOTICE if sample else None)


def snapshot(r: AnnualReportRow) -> dict[str, Any]:
    """What the audit trail keeps of a report before and after a change."""
    return {"state": r.state, "version": r.version, "lock_version": r.lock_version, "content": r.content,
            "figures_energy_tce": r.figures.get("energy_tce"), "figures_tco2": r.figures.get("tco2"),
            "comments": r.comments}
