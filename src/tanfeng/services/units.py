"""Use cases of key energy-consuming units (重点用能单位): registry, sample population, annual reports,
energy budgets, responsibility assessment, bottom-up vs top-down.

Annual reports
--------------
A unit files, per year, an energy utilisation status report (``energy``, 能源利用状况报告) and a GHG
report (``ghg``, 温室气体排放报告), through the API (JSON) or an Excel template (download, fill,
upload). States::

    draft ──submit──► submitted ──review──► under_review ──approve──► approved
      ▲                   │                     │
      └────── edit ◄── returned ◄──return───────┘ (return needs comments; also from submitted)

Every change (edit or state change) writes a new version; every version is kept
(``annual_report_versions``) and any two can be compared field by field (:func:`diff_versions`).
Edits carry the lock version the editor started from; a stale one is refused with a
:class:`~tanfeng.errors.ConflictError` naming who changed the report and when (optimistic locking: two
people editing one report never silently overwrite each other). Figures (energy in tce, CO2 in t,
budget use, specific energy and its benchmark position) are computed by the accounting engine on every
save, never typed.

Writes are atomic and audited (:func:`tanfeng.store.repository.record_audit`) and commit when the session
has no transaction open (the API and CLI case).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import polars as pl
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from tanfeng.access import Action as AccessAction
from tanfeng.access import Principal, Resource, ResourceKind, authorize
from tanfeng.accounting import enterprise_emissions, to_standard_coal
from tanfeng.accounting.enterprise import EnterpriseReport, FuelUse
from tanfeng.audit.changes import diff
from tanfeng.config import Settings
from tanfeng.enterprises.benchmarks import classify, load_levels
from tanfeng.enterprises.registry import KEY_UNIT_LEVEL_ZH, KeyUnit
from tanfeng.enterprises.sample import SampleParams, generate
from tanfeng.errors import ConflictError, ImportDataError, InputError, NotFoundError, TanfengError, at
from tanfeng.services import metering
from tanfeng.store.models import utcnow
from tanfeng.store.models_accounting import AccountingRunRow
from tanfeng.store.models_enterprises import (
    AnnualReportRow,
    AssessmentRow,
    EnergyBudgetRow,
    FacilityRow,
    KeyUnitRow,
    MeterRow,
    ReadingBatchRow,
    ReportVersionRow,
)
from tanfeng.store.repository import content_hash, record_audit
from tanfeng.store.transaction import atomic

__all__ = [
    "RULES_FILE",
    "SAMPLE_NOTICE",
    "Assessment",
    "RegionUnits",
    "ReportContent",
    "ReportOut",
    "SampleLoaded",
    "UnitDetail",
    "UnitInfo",
    "assess",
    "bottom_up_vs_top_down",
    "compute_figures",
    "create_report",
    "diff_versions",
    "get_report",
    "get_unit",
    "list_meters",
    "list_reports",
    "list_units",
    "list_versions",
    "load_rules",
    "load_sample",
    "may_list_units",
    "parse_template",
    "report_template",
    "set_budget",
    "transition",
    "units_in_region",
    "update_report",
    "upsert_unit",
    "visible_to",
]

SAMPLE_NOTICE = metering.SAMPLE_NOTICE
RULES_FILE = "responsibility_rules.csv"
ReportKind = Literal["energy", "ghg"]
Action = Literal["submit", "review", "approve", "return"]
KIND_ZH = {"energy": "能源利用状况报告", "ghg": "温室气体排放报告"}
STATE_ZH = {"draft": "草稿", "submitted": "已提交", "under_review": "审核中", "approved": "已通过", "returned": "已退回"}

_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": (("draft", "returned"), "submitted"),
    "review": (("submitted",), "under_review"),
    "approve": (("under_review",), "approved"),
    "return": (("submitted", "under_review"), "returned"),
}
_EDITABLE = ("draft", "returned")


def _commit(session: Session) -> None:
    if session.in_transaction() and not session.in_nested_transaction():
        session.commit()


def _fresh(session: Session) -> None:
    """End the read transaction a lookup opened, so the write below is its own transaction."""
    if session.in_transaction() and not session.in_nested_transaction():
        session.rollback()


# ------------------------------------------------------------------------------------------------------
# registry

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


def _unit_info(u: KeyUnitRow, meters: int) -> UnitInfo:
    return UnitInfo(code=u.code, name=u.name, league=u.league, county=u.county, industry=u.industry, level=u.level,
                    level_zh=KEY_UNIT_LEVEL_ZH.get(u.level, u.level), products=list(u.products), meters=meters,
                    sample=u.sample, notice=SAMPLE_NOTICE if u.sample else None)


def _unit_dict(u: KeyUnit) -> dict[str, Any]:
    return u.model_dump(mode="json")


def upsert_unit(session: Session, unit: KeyUnit, *, actor: str, actor_role: str | None = None) -> UnitDetail:
    """Create or replace a unit with its facilities and meters (audited with before and after)."""
    before_row = session.get(KeyUnitRow, unit.code)
    before = _detail_dict(session, before_row) if before_row is not None else None
    _fresh(session)
    now = utcnow()
    with atomic(session, f"unit {unit.code}"):
        row = session.get(KeyUnitRow, unit.code)
        if row is None:
            row = KeyUnitRow(code=unit.code, created_at=now)
            session.add(row)
        row.name, row.league, row.county, row.industry, row.level = (unit.name, unit.league, unit.county,
                                                                     unit.industry, unit.level)
        row.products, row.contacts = list(unit.products), [c.model_dump() for c in unit.contacts]
        row.sample, row.updated_at = unit.sample, now
        session.flush()
        session.execute(delete(FacilityRow).where(FacilityRow.unit_code == unit.code))
        session.execute(delete(MeterRow).where(MeterRow.unit_code == unit.code))
        for f in unit.facilities:
            session.add(FacilityRow(facility_id=f.facility_id, unit_code=unit.code, name=f.name, product=f.product))
        for m in unit.meters:
            session.add(MeterRow(meter_id=m.meter_id, unit_code=unit.code, facility_id=m.facility_id,
                                 product=m.product, unit=m.unit, multiplier=m.multiplier, kind=m.kind,
                                 rollover_max=m.rollover_max, sample=unit.sample))
        session.flush()
        record_audit(session, actor=actor, action="update" if before else "insert", entity="key_unit",
                     entity_id=unit.code, before=before, after=_unit_dict(unit), actor_role=actor_role)
    _commit(session)
    return get_unit(session, unit.code)


def list_units(session: Session, *, league: str | None = None, industry: str | None = None,
               county: str | None = None, level: str | None = None, code: str | None = None) -> list[UnitInfo]:
    """Units in code order, filtered by league, county, industry (a GB/T 4754 code or its prefix) and level."""
    counts = dict(session.execute(select(MeterRow.unit_code, func.count()).group_by(MeterRow.unit_code)).all())
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
    return [_unit_info(u, int(counts.get(u.code, 0))) for u in session.scalars(q)]


def _row(session: Session, code: str) -> KeyUnitRow:
    row = session.get(KeyUnitRow, code)
    if row is None:
        msg = f"unit '{code}' is not in the registry"
        raise NotFoundError(msg, hint="`tanfeng units list` shows the registered units")
    return row


def list_meters(session: Session, code: str) -> list[MeterInfo]:
    """A unit's meters."""
    _row(session, code)
    return [MeterInfo(meter_id=m.meter_id, unit_code=m.unit_code, facility_id=m.facility_id, product=m.product,
                      unit=m.unit, multiplier=m.multiplier, kind=m.kind, rollover_max=m.rollover_max, sample=m.sample)
            for m in session.scalars(select(MeterRow).where(MeterRow.unit_code == code).order_by(MeterRow.meter_id))]


def _detail_dict(session: Session, row: KeyUnitRow) -> dict[str, Any]:
    return get_unit(session, row.code).model_dump(mode="json")


def get_unit(session: Session, code: str) -> UnitDetail:
    """One unit with contacts, facilities and meters."""
    row = _row(session, code)
    meters = list_meters(session, code)
    facilities = [{"facility_id": f.facility_id, "name": f.name, "product": f.product}
                  for f in session.scalars(select(FacilityRow).where(FacilityRow.unit_code == code)
                                           .order_by(FacilityRow.facility_id))]
    info = _unit_info(row, len(meters))
    return UnitDetail(**info.model_dump(), contacts=list(row.contacts), facilities=facilities, meter_list=meters)


class SampleLoaded(BaseModel):
    """What :func:`load_sample` stored (示例数据)."""

    units: int
    meters: int
    batches: int
    readings: int
    duplicate_batches: int
    start: datetime
    end: datetime
    notice: str = SAMPLE_NOTICE


def load_sample(session: Session, settings: Settings, *, units: int = 20, days: int = 1, meters_per_unit: int = 20,
                actor: str = "tanfeng units load-sample") -> SampleLoaded:
    """Generate the deterministic sample population (示例数据) at a small scale and store it.

    Units and meters go to the registry (``sample = true``), readings go through the same durable ingestion
    as real batches (one batch per unit and day), so loading twice adds nothing.
    """
    if units < 1 or days < 1 or meters_per_unit < 4:
        msg = "load-sample needs at least 1 unit, 1 day and 4 meters per unit"
        raise InputError(msg)
    n_int, n_cum = units * (meters_per_unit - 3), units * 3
    faults = max(0, min(10, n_int // 7, n_cum // 3))
    sample = generate(SampleParams(n_units=units, meters_per_unit=meters_per_unit, days=days,
                                   faults_per_kind=max(faults, 1)))
    now = utcnow()
    existing = set(session.scalars(select(KeyUnitRow.code)))
    _fresh(session)
    with atomic(session, "the sample units"):
        new_units = [r for r in sample.units.iter_rows(named=True) if r["unit_code"] not in existing]
        for r in new_units:
            session.add(KeyUnitRow(code=r["unit_code"], name=r["name"], league=r["league"], county=r["county"],
                                   industry=r["industry"], level=r["level"], products=[r["product"]], contacts=[],
                                   sample=True, created_at=now, updated_at=now))
        session.flush()
        new_codes = {r["unit_code"] for r in new_units}
        for m in sample.meters.iter_rows(named=True):
            if m["unit_code"] in new_codes:
                session.add(MeterRow(meter_id=m["meter_id"], unit_code=m["unit_code"], facility_id=None,
                                     product=m["product"], unit=m["unit"], multiplier=m["multiplier"], kind=m["kind"],
                                     rollover_max=m["rollover_max"], sample=True))
        session.flush()
        record_audit(session, actor=actor, action="load_sample", entity="key_unit", entity_id="sample",
                     after={"units": len(new_units), "meters_per_unit": meters_per_unit, "days": days,
                            "notice": SAMPLE_NOTICE})
    _commit(session)
    readings = sample.readings.with_columns(
        unit_code=pl.col("meter_id").str.split("-M").list.first(),
        day=pl.col("ts").dt.convert_time_zone("Asia/Shanghai").dt.date())
    batches = dup = total = 0
    for (unit_code, day), part in readings.group_by("unit_code", "day", maintain_order=True):
        res = metering.ingest_frame(session, settings, part, source=f"sample:{unit_code}:{day}", actor=actor,
                                    sample=True)
        batches += 1
        dup += int(res.duplicate)
        total += res.rows
    return SampleLoaded(units=sample.units.height, meters=sample.meters.height, batches=batches, readings=total,
                        duplicate_batches=dup, start=sample.start, end=sample.end)


# ------------------------------------------------------------------------------------------------------
# annual reports

class Quantity(BaseModel):
    """A quantity of an energy product or of a product made."""

    model_config = ConfigDict(extra="forbid")

    product: str = Field(min_length=1)
    quantity: float = Field(ge=0)
    unit: str = Field(min_length=1)


class ReportContent(BaseModel):
    """What a unit fills in; the figures are computed from it.

    ``fuels``: energy consumed (product id or Chinese name of the catalogue, quantity, unit);
    ``purchased_electricity``/``exported_electricity`` in MWh; ``purchased_heat``/``exported_heat`` in GJ;
    ``outputs``: products made (t), for specific energy use; ``measures``: energy-saving and carbon
    measures taken in the year (text).
    """

    model_config = ConfigDict(extra="forbid")

    fuels: list[Quantity] = []
    purchased_electricity: float = Field(default=0.0, ge=0)
    exported_electricity: float = Field(default=0.0, ge=0)
    purchased_heat: float = Field(default=0.0, ge=0)
    exported_heat: float = Field(default=0.0, ge=0)
    outputs: list[Quantity] = []
    measures: list[str] = []


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


def _newest_grid_year(year: int) -> int | None:
    for y in range(year, year - 8, -1):
        try:
            from tanfeng.accounting import electricity_co2

            electricity_co2(1.0, "MWh", metering.GRID_REGION, y)
        except TanfengError:
            continue
        return y
    return None


def compute_figures(unit: KeyUnitRow, year: int, content: ReportContent,
                    budget_tce: float | None = None) -> dict[str, Any]:
    """Figures of a report from the accounting engine: energy (tce), CO2 (t), budget use, specific energy.

    Electricity is converted at its equivalent value (GB/T 2589, 0.1229 kgce/kWh) and its CO2 at the Inner
    Mongolia grid factor of the report year (or the newest earlier year in the library, named in
    ``grid_year``); fuels use the China default factor set.
    """
    energy = 0.0
    lines = []
    for i, f in enumerate(content.fuels, start=1):
        res = to_standard_coal(f.quantity, f.unit, f.product)
        energy += res.value
        lines.append({"line": i, "product": res.product, "tce": res.value, "coefficient": res.coefficient,
                      "coefficient_unit": res.coefficient_unit})
    net_mwh = content.purchased_electricity - content.exported_electricity
    if net_mwh:
        energy += to_standard_coal(net_mwh, "MWh", "electricity").value
    net_gj = content.purchased_heat - content.exported_heat
    if net_gj:
        energy += to_standard_coal(net_gj, "GJ", "heat").value
    grid_year = _newest_grid_year(year)
    report = EnterpriseReport(
        enterprise=unit.code, year=year,
        fuels=[FuelUse(product=f.product, quantity=f.quantity, unit=f.unit) for f in content.fuels],
        purchased_electricity=content.purchased_electricity, exported_electricity=content.exported_electricity,
        electricity_unit="MWh", purchased_heat=content.purchased_heat, exported_heat=content.exported_heat,
        heat_unit="GJ", grid_region=metering.GRID_REGION if grid_year else None, grid_year=grid_year)
    result = enterprise_emissions(report)
    figures: dict[str, Any] = {
        "energy_tce": energy, "tco2": result.total, "combustion_tco2": result.combustion,
        "electricity_tco2": result.electricity, "heat_tco2": result.heat, "grid_year": grid_year,
        "energy_lines": lines, "method": result.method, "budget_tce": budget_tce,
        "budget_use": energy / budget_tce if budget_tce else None,
    }
    positions: list[dict[str, Any]] = []
    levels = load_levels()
    for o in content.outputs:
        if o.quantity <= 0 or o.product not in set(levels["product"].to_list()):
            continue
        unit_of = levels.filter(pl.col("product") == o.product)["unit"][0]
        if unit_of != "kgce/t" or o.unit != "t":
            positions.append({"product": o.product, "position": None,
                              "reason": f"levels in {unit_of}; only kgce/t per t of output is computed"})
            continue
        specific = energy * 1000.0 / o.quantity
        row = classify(pl.DataFrame({"unit_code": [unit.code], "product": [o.product], "specific": [specific]}),
                       levels).row(0, named=True)
        positions.append({"product": o.product, "specific_kgce_per_t": specific, "position": row["position"],
                          "gb_grade": row["gb_grade"], "benchmark": row["benchmark"], "baseline": row["baseline"]})
    figures["benchmark"] = positions
    return figures


def _report_out(r: AnnualReportRow, sample: bool) -> ReportOut:
    return ReportOut(id=r.id, unit_code=r.unit_code, year=r.year, kind=r.kind, kind_zh=KIND_ZH[r.kind], state=r.state,
                     state_zh=STATE_ZH[r.state], version=r.version, lock_version=r.lock_version,
                     content=dict(r.content), figures=dict(r.figures), comments=r.comments, created_at=r.created_at,
                     created_by=r.created_by, updated_at=r.updated_at, updated_by=r.updated_by,
                     submitted_at=r.submitted_at, submitted_by=r.submitted_by, reviewed_at=r.reviewed_at,
                     reviewed_by=r.reviewed_by, sample=sample, notice=SAMPLE_NOTICE if sample else None)


def _budget(session: Session, code: str, year: int) -> float | None:
    b = session.get(EnergyBudgetRow, (code, year))
    return b.budget_tce if b is not None else None


def _content(data: dict[str, Any] | ReportContent) -> ReportContent:
    if isinstance(data, ReportContent):
        return data
    try:
        return ReportContent.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        msg = f"report content: {field}: {err['msg']}"
        raise InputError(msg, location=at(field=field)) from exc


def _snapshot(r: AnnualReportRow) -> dict[str, Any]:
    return {"state": r.state, "version": r.version, "lock_version": r.lock_version, "content": r.content,
            "figures_energy_tce": r.figures.get("energy_tce"), "figures_tco2": r.figures.get("tco2"),
            "comments": r.comments}


def _add_version(session: Session, r: AnnualReportRow, action: str, actor: str, at_: datetime) -> None:
    session.add(ReportVersionRow(report_id=r.id, version=r.version, action=action, state=r.state,
                                 content=dict(r.content), figures=dict(r.figures), comments=r.comments,
                                 actor=actor, at=at_))


def create_report(session: Session, code: str, *, year: int, kind: ReportKind,
                  content: dict[str, Any] | ReportContent, actor: str, actor_role: str | None = None) -> ReportOut:
    """Start a report (state ``draft``, version 1, lock version 1) with figures from the engine.

    Raises
    ------
    ConflictError
        The unit already has a report of this kind for this year (edit that one).
    """
    if kind not in KIND_ZH:
        msg = f"report kind '{kind}' is not one of {list(KIND_ZH)}"
        raise InputError(msg)
    unit = _row(session, code)
    body = _content(content)
    figures = compute_figures(unit, year, body, _budget(session, code, year))
    sample = unit.sample
    taken = session.scalar(select(AnnualReportRow.id).where(AnnualReportRow.unit_code == code,
                                                            AnnualReportRow.year == year, AnnualReportRow.kind == kind))
    _fresh(session)
    if taken is not None:
        msg = f"unit {code} already has a {kind} report for {year} (report {taken})"
        raise ConflictError(msg, hint=f"edit it with PUT /api/units/{code}/reports/{taken}")
    now = utcnow()
    with atomic(session, f"the {kind} report {year} of unit {code}"):
        r = AnnualReportRow(unit_code=code, year=year, kind=kind, state="draft", version=1, lock_version=1,
                            content=body.model_dump(mode="json"), figures=figures, comments=None, created_at=now,
                            created_by=actor, updated_at=now, updated_by=actor)
        session.add(r)
        session.flush()
        _add_version(session, r, "create", actor, now)
        record_audit(session, actor=actor, action="insert", entity="annual_report", entity_id=str(r.id),
                     after=_snapshot(r), actor_role=actor_role)
        out = _report_out(r, sample)
    _commit(session)
    return out


def _report(session: Session, code: str, report_id: int) -> AnnualReportRow:
    r = session.get(AnnualReportRow, report_id)
    if r is None or r.unit_code != code:
        msg = f"report {report_id} of unit {code} does not exist"
        raise NotFoundError(msg)
    return r


def get_report(session: Session, code: str, report_id: int) -> ReportOut:
    """One report."""
    r = _report(session, code, report_id)
    return _report_out(r, _row(session, code).sample)


def list_reports(session: Session, code: str, *, year: int | None = None) -> list[ReportOut]:
    """A unit's reports, newest year first."""
    unit = _row(session, code)
    q = select(AnnualReportRow).where(AnnualReportRow.unit_code == code)
    if year is not None:
        q = q.where(AnnualReportRow.year == year)
    return [_report_out(r, unit.sample)
            for r in session.scalars(q.order_by(AnnualReportRow.year.desc(), AnnualReportRow.kind))]


def _conflict(r: AnnualReportRow | None, report_id: int, expected: int) -> ConflictError:
    if r is None:
        return ConflictError(f"report {report_id} was deleted")
    msg = (f"report {report_id} was changed by {r.updated_by} at {r.updated_at.isoformat(timespec='seconds')} "
           f"(now lock version {r.lock_version}, state {r.state}); your change was made on lock version {expected}")
    return ConflictError(msg, hint="nothing was saved: reload the report, re-apply your change and save again")


def _guarded_update(session: Session, r: AnnualReportRow, expected: int, values: dict[str, Any]) -> None:
    """UPDATE … WHERE lock_version = expected; a concurrent writer makes it touch no row → ConflictError."""
    res = session.execute(
        update(AnnualReportRow).where(AnnualReportRow.id == r.id, AnnualReportRow.lock_version == expected)
        .values(lock_version=expected + 1, version=AnnualReportRow.version + 1, **values)
        .execution_options(synchronize_session=False))
    if res.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise _conflict(session.get(AnnualReportRow, r.id), r.id, expected)
    session.refresh(r)


def update_report(session: Session, code: str, report_id: int, *, content: dict[str, Any] | ReportContent,
                  lock_version: int, actor: str, actor_role: str | None = None) -> ReportOut:
    """Replace a draft's (or a returned report's) content; ``lock_version`` is the one the editor loaded.

    Raises
    ------
    ConflictError
        Someone saved the report since ``lock_version`` (nothing is saved), or its state does not allow edits.
    """
    r = _report(session, code, report_id)
    unit = _row(session, code)
    if r.lock_version != lock_version:
        err = _conflict(r, report_id, lock_version)
        _fresh(session)
        raise err
    if r.state not in _EDITABLE:
        msg = f"report {report_id} is {r.state} ({STATE_ZH[r.state]}); only a draft or a returned report can be edited"
        _fresh(session)
        raise ConflictError(msg)
    body = _content(content)
    figures = compute_figures(unit, r.year, body, _budget(session, code, r.year))
    before = _snapshot(r)
    sample = unit.sample
    _fresh(session)
    now = utcnow()
    with atomic(session, f"report {report_id}"):
        r = _report(session, code, report_id)
        _guarded_update(session, r, lock_version, {"content": body.model_dump(mode="json"), "figures": figures,
                                                   "updated_at": now, "updated_by": actor})
        _add_version(session, r, "edit", actor, now)
        record_audit(session, actor=actor, action="update", entity="annual_report", entity_id=str(r.id),
                     before=before, after=_snapshot(r), actor_role=actor_role)
        out = _report_out(r, sample)
    _commit(session)
    return out


def transition(session: Session, code: str, report_id: int, action: Action, *, actor: str,
               lock_version: int | None = None, comments: str | None = None,
               actor_role: str | None = None) -> ReportOut:
    """Move a report along its workflow (submit, review, approve, return); a new version is kept.

    Raises
    ------
    ConflictError
        The state does not allow the action, or ``lock_version`` is stale.
    InputError
        ``return`` without comments.
    """
    if action not in _TRANSITIONS:
        msg = f"action '{action}' is not one of {list(_TRANSITIONS)}"
        raise InputError(msg)
    sources, target = _TRANSITIONS[action]
    r = _report(session, code, report_id)
    sample = _row(session, code).sample
    expected = r.lock_version if lock_version is None else lock_version
    if r.lock_version != expected:
        err = _conflict(r, report_id, expected)
        _fresh(session)
        raise err
    if r.state not in sources:
        msg = (f"report {report_id} is {r.state} ({STATE_ZH[r.state]}); '{action}' needs it to be "
               f"{' or '.join(sources)}")
        _fresh(session)
        raise ConflictError(msg)
    if action == "return" and not (comments or "").strip():
        _fresh(session)
        msg = "returning a report needs comments saying what to change"
        raise InputError(msg, location=at(field="comments"))
    before = _snapshot(r)
    _fresh(session)
    now = utcnow()
    values: dict[str, Any] = {"state": target, "updated_at": now, "updated_by": actor}
    if action == "submit":
        values |= {"submitted_at": now, "submitted_by": actor}
    if action in ("approve", "return"):
        values |= {"reviewed_at": now, "reviewed_by": actor}
    if comments is not None:
        values["comments"] = comments
    with atomic(session, f"report {report_id}"):
        r = _report(session, code, report_id)
        _guarded_update(session, r, expected, values)
        _add_version(session, r, action, actor, now)
        record_audit(session, actor=actor, action=action, entity="annual_report", entity_id=str(r.id),
                     before=before, after=_snapshot(r), actor_role=actor_role)
        out = _report_out(r, sample)
    _commit(session)
    return out


def list_versions(session: Session, code: str, report_id: int) -> list[VersionOut]:
    """Every kept version of a report, oldest first."""
    _report(session, code, report_id)
    return [VersionOut(version=v.version, action=v.action, state=v.state, content=dict(v.content),
                       figures=dict(v.figures), comments=v.comments, actor=v.actor, at=v.at)
            for v in session.scalars(select(ReportVersionRow).where(ReportVersionRow.report_id == report_id)
                                     .order_by(ReportVersionRow.version))]


def diff_versions(session: Session, code: str, report_id: int, a: int, b: int) -> VersionDiff:
    """Field-by-field differences between versions ``a`` and ``b`` of a report (content, figures, state, comments)."""
    _report(session, code, report_id)
    got = {v.version: v for v in session.scalars(select(ReportVersionRow).where(
        ReportVersionRow.report_id == report_id, ReportVersionRow.version.in_([a, b])))}
    for v in (a, b):
        if v not in got:
            msg = f"report {report_id} has no version {v}"
            raise NotFoundError(msg)

    def state(v: ReportVersionRow) -> dict[str, Any]:
        return {"state": v.state, "content": v.content, "figures": v.figures, "comments": v.comments}

    changes = diff(state(got[a]), state(got[b]))
    return VersionDiff(report_id=report_id, from_version=a, to_version=b,
                       changes=[{"path": c.pointer, "kind": c.kind, "before": c.before, "after": c.after}
                                for c in changes])


# ------------------------------------------------------------------------------------------------------
# Excel template

_SHEET_COVER, _SHEET_FUELS, _SHEET_ELEC, _SHEET_OUT, _SHEET_MEAS = "封面", "能源消费", "电力热力", "产品产量", "节能措施"
_ELEC_ITEMS = {"外购电力 (MWh)": "purchased_electricity", "外供电力 (MWh)": "exported_electricity",
               "外购热力 (GJ)": "purchased_heat", "外供热力 (GJ)": "exported_heat"}
_BOLD = Font(bold=True)
_FILL = PatternFill("solid", fgColor="FFF2CC")


def report_template(session: Session, code: str, *, year: int, kind: ReportKind) -> bytes:
    """An Excel workbook to fill in offline (cover, fuels, electricity and heat, outputs, measures).

    The unit's existing report of that kind and year, if any, is pre-filled.
    """
    unit = _row(session, code)
    existing = session.scalars(select(AnnualReportRow).where(AnnualReportRow.unit_code == code,
                                                             AnnualReportRow.year == year,
                                                             AnnualReportRow.kind == kind)).first()
    content = _content(existing.content) if existing is not None else ReportContent()
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = _SHEET_COVER
    cover: list[tuple[str, Any]] = [("统一社会信用代码", unit.code), ("单位名称", unit.name), ("年度", year), ("报告类型", kind),
             ("报告名称", KIND_ZH[kind]), ("锁版本 lock_version", existing.lock_version if existing else "")]
    if unit.sample:
        cover.append(("示例数据", SAMPLE_NOTICE))
    for i, (k, v) in enumerate(cover, start=1):
        ws.cell(i, 1, k).font = _BOLD
        ws.cell(i, 2, v)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 48

    def table(title: str, header: list[str], rows: list[list[Any]]) -> None:
        sh = wb.create_sheet(title)
        for j, h in enumerate(header, start=1):
            c = sh.cell(1, j, h)
            c.font, c.fill = _BOLD, _FILL
            sh.column_dimensions[chr(64 + j)].width = 22
        for i, r in enumerate(rows, start=2):
            for j, v in enumerate(r, start=1):
                sh.cell(i, j, v)

    table(_SHEET_FUELS, ["product", "quantity", "unit"], [[f.product, f.quantity, f.unit] for f in content.fuels])
    table(_SHEET_ELEC, ["item", "value"], [[label, getattr(content, name)] for label, name in _ELEC_ITEMS.items()])
    table(_SHEET_OUT, ["product", "quantity", "unit"], [[o.product, o.quantity, o.unit] for o in content.outputs])
    table(_SHEET_MEAS, ["measure"], [[m] for m in content.measures])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _number(value: Any, where: str, row: int, field: str) -> float:
    if isinstance(value, bool) or value is None or value == "":
        msg = f"{field} is empty"
        raise ImportDataError(msg, location=at(where, row=row, field=field))
    try:
        number = float(value)
    except (TypeError, ValueError):
        msg = f"{field} '{value}' is not a number"
        raise ImportDataError(msg, location=at(where, row=row, field=field)) from None
    if number < 0:
        msg = f"{field} {number:g} is negative"
        raise ImportDataError(msg, location=at(where, row=row, field=field))
    return number


def parse_template(data: bytes, *, filename: str = "report.xlsx",
                   code: str | None = None) -> tuple[int, ReportKind, ReportContent, int | None]:
    """Read a filled template: ``(year, kind, content, lock_version)``.

    Raises
    ------
    ImportDataError
        Naming the sheet (``file / sheet``), the row and the field of the first problem.
    """
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not xlsx
        msg = f"cannot read as an Excel workbook: {exc.__class__.__name__}"
        raise ImportDataError(msg, location=at(filename)) from exc

    def sheet(name: str) -> Any:
        if name not in wb.sheetnames:
            msg = f"sheet '{name}' is missing; the template has {[_SHEET_COVER, _SHEET_FUELS, _SHEET_ELEC]}"
            raise ImportDataError(msg, location=at(f"{filename} / {name}"))
        return wb[name]

    cover_where = f"{filename} / {_SHEET_COVER}"
    cover = {str(r[0]).strip(): (r[1] if len(r) > 1 else None, i)
             for i, r in enumerate(sheet(_SHEET_COVER).iter_rows(values_only=True), start=1) if r and r[0]}
    ucode, urow = cover.get("统一社会信用代码", (None, 1))
    if code is not None and str(ucode or "").strip() != code:
        msg = f"the workbook is for unit '{ucode}', not {code}"
        raise ImportDataError(msg, location=at(cover_where, row=urow, field="统一社会信用代码"))
    year_v, yrow = cover.get("年度", (None, 3))
    try:
        year = int(str(year_v).strip())
    except ValueError:
        msg = f"年度 '{year_v}' is not a year"
        raise ImportDataError(msg, location=at(cover_where, row=yrow, field="年度")) from None
    kind_v, krow = cover.get("报告类型", (None, 4))
    kind = str(kind_v or "").strip()
    if kind not in KIND_ZH:
        msg = f"报告类型 '{kind}' is not one of {list(KIND_ZH)}"
        raise ImportDataError(msg, location=at(cover_where, row=krow, field="报告类型"))
    lock_v, _ = cover.get("锁版本 lock_version", (None, 6))
    lock = int(lock_v) if isinstance(lock_v, int | float) and not isinstance(lock_v, bool) else None

    def quantities(name: str) -> list[Quantity]:
        where = f"{filename} / {name}"
        out = []
        for i, r in enumerate(sheet(name).iter_rows(min_row=2, values_only=True), start=2):
            if not r or all(v in (None, "") for v in r[:3]):
                continue
            product = str(r[0] or "").strip()
            if not product:
                msg = "product is empty"
                raise ImportDataError(msg, location=at(where, row=i, field="product"))
            qty = _number(r[1] if len(r) > 1 else None, where, i, "quantity")
            unit = str((r[2] if len(r) > 2 else None) or "").strip()
            if not unit:
                msg = "unit is empty"
                raise ImportDataError(msg, location=at(where, row=i, field="unit"))
            if name == _SHEET_FUELS:
                try:
                    to_standard_coal(qty, unit, product)
                except TanfengError as exc:
                    raise ImportDataError(exc.message if hasattr(exc, "message") else str(exc),
                                          location=at(where, row=i, field="product/unit")) from exc
            out.append(Quantity(product=product, quantity=qty, unit=unit))
        return out

    fuels = quantities(_SHEET_FUELS)
    outputs = quantities(_SHEET_OUT)
    elec: dict[str, float] = {}
    where = f"{filename} / {_SHEET_ELEC}"
    for i, r in enumerate(sheet(_SHEET_ELEC).iter_rows(min_row=2, values_only=True), start=2):
        if not r or r[0] in (None, ""):
            continue
        label = str(r[0]).strip()
        if label not in _ELEC_ITEMS:
            msg = f"item '{label}' is not one of {list(_ELEC_ITEMS)}"
            raise ImportDataError(msg, location=at(where, row=i, field="item"))
        value = r[1] if len(r) > 1 else None
        elec[_ELEC_ITEMS[label]] = 0.0 if value in (None, "") else _number(value, where, i, "value")
    measures = [str(r[0]).strip() for r in sheet(_SHEET_MEAS).iter_rows(min_row=2, values_only=True)
                if r and r[0] not in (None, "")] if _SHEET_MEAS in wb.sheetnames else []
    content = ReportContent(fuels=fuels, outputs=outputs, measures=measures, **elec)
    return year, kind, content, lock  # type: ignore[return-value]


def upload_report(session: Session, code: str, data: bytes, *, filename: str, actor: str,
                  actor_role: str | None = None) -> ReportOut:
    """File a filled template: creates the report, or edits it (with the lock version written in the workbook)."""
    _row(session, code)
    year, kind, content, lock = parse_template(data, filename=filename, code=code)
    existing = session.scalars(select(AnnualReportRow).where(AnnualReportRow.unit_code == code,
                                                             AnnualReportRow.year == year,
                                                             AnnualReportRow.kind == kind)).first()
    if existing is None:
        _fresh(session)
        return create_report(session, code, year=year, kind=kind, content=content, actor=actor, actor_role=actor_role)
    rid, current = existing.id, existing.lock_version
    _fresh(session)
    if lock is None:
        msg = "the workbook has no lock version but the report already exists"
        raise ConflictError(msg, hint=f"download the template again (report {rid}, lock version {current}) and refill it")
    return update_report(session, code, rid, content=content, lock_version=lock, actor=actor, actor_role=actor_role)


# ------------------------------------------------------------------------------------------------------
# budgets

class BudgetOut(BaseModel):
    """A unit's energy budget (用能预算) and its use: reported and monitored energy against it."""

    unit_code: str
    year: int
    budget_tce: float | None
    reported_tce: float | None
    monitored_tce: float | None
    reported_use: float | None
    monitored_use: float | None


def set_budget(session: Session, code: str, *, year: int, budget_tce: float, source: str | None, actor: str,
               actor_role: str | None = None) -> None:
    """Set (or change) a unit's energy budget for a year (audited)."""
    if budget_tce <= 0:
        msg = "an energy budget must be > 0 tce"
        raise InputError(msg, location=at(field="budget_tce"))
    _row(session, code)
    old = session.get(EnergyBudgetRow, (code, year))
    before = {"budget_tce": old.budget_tce, "source": old.source} if old else None
    _fresh(session)
    with atomic(session, f"the budget {year} of unit {code}"):
        row = session.get(EnergyBudgetRow, (code, year))
        if row is None:
            row = EnergyBudgetRow(unit_code=code, year=year)
            session.add(row)
        row.budget_tce, row.source, row.set_by, row.set_at = budget_tce, source, actor, utcnow()
        session.flush()
        record_audit(session, actor=actor, action="update" if before else "insert", entity="energy_budget",
                     entity_id=f"{code}/{year}", before=before, after={"budget_tce": budget_tce, "source": source},
                     actor_role=actor_role)
    _commit(session)


def _reported(session: Session, code: str, year: int, kind: str = "energy") -> AnnualReportRow | None:
    return session.scalars(select(AnnualReportRow).where(AnnualReportRow.unit_code == code,
                                                         AnnualReportRow.year == year,
                                                         AnnualReportRow.kind == kind)).first()


def _monitored(session: Session, settings: Settings, code: str, year: int) -> float | None:
    rows = metering.aggregate(session, settings, period="month", by="unit", first_day=date(year, 1, 1),
                              last_day=date(year, 12, 31))
    mine = [r["energy_tce"] for r in rows if r["unit"] == code]
    return float(sum(mine)) if mine else None


def budget_use(session: Session, settings: Settings, code: str, *, year: int) -> BudgetOut:
    """Reported and monitored energy against the budget."""
    _row(session, code)
    budget = _budget(session, code, year)
    rep = _reported(session, code, year)
    reported = float(rep.figures["energy_tce"]) if rep is not None else None
    monitored = _monitored(session, settings, code, year)
    return BudgetOut(unit_code=code, year=year, budget_tce=budget, reported_tce=reported, monitored_tce=monitored,
                     reported_use=reported / budget if budget and reported is not None else None,
                     monitored_use=monitored / budget if budget and monitored is not None else None)


# ------------------------------------------------------------------------------------------------------
# responsibility assessment

class Rule(BaseModel):
    """One criterion of the responsibility rules file."""

    criterion: str
    weight: float
    threshold: float
    label_zh: str
    description: str


class Grade(BaseModel):
    """A grade band: a score at or above ``min_score``."""

    grade: str
    min_score: float


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


@lru_cache(maxsize=1)
def _rules_text() -> str:
    return (resources.files("tanfeng.reference").joinpath("data", "assessment", RULES_FILE)
            .read_text(encoding="utf-8"))


def load_rules() -> tuple[list[Rule], list[Grade], str]:
    """The rules file: criteria (weights sum to 100), grade bands, and the file's SHA-256."""
    text = _rules_text()
    where = f"reference/data/assessment/{RULES_FILE}"
    rules: list[Rule] = []
    grades: list[Grade] = []
    for i, r in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            if r["kind"] == "criterion":
                rules.append(Rule(criterion=r["key"], weight=float(r["weight"]), threshold=float(r["threshold"]),
                                  label_zh=r["label_zh"], description=r["description"]))
            elif r["kind"] == "grade":
                grades.append(Grade(grade=r["key"], min_score=float(r["threshold"])))
            else:
                msg = f"kind '{r['kind']}' is not criterion or grade"
                raise InputError(msg, location=at(where, line=i, field="kind"))
        except (ValueError, KeyError) as exc:
            if isinstance(exc, InputError):
                raise
            msg = f"bad rule: {exc}"
            raise InputError(msg, location=at(where, line=i)) from exc
    known = {"target_met", "report_on_time", "data_quality", "measures"}
    if {r.criterion for r in rules} != known or abs(sum(r.weight for r in rules) - 100.0) > 1e-9:
        msg = f"the rules must weigh {sorted(known)} and the weights must sum to 100"
        raise InputError(msg, location=at(where))
    grades.sort(key=lambda g: -g.min_score)
    return rules, grades, content_hash(text)


def assess(session: Session, settings: Settings, code: str, *, year: int, actor: str | None = None) -> Assessment:
    """Score a unit for ``year`` from the rules file, with reasons; stored when ``actor`` is given.

    Criteria: ``target_met`` (reported energy ≤ threshold × budget), ``report_on_time`` (energy report
    submitted within ``threshold`` days after the year's end), ``data_quality`` (share of the year's
    unit-days with online data meeting the completeness rule ≥ threshold), ``measures`` (at least
    ``threshold`` measures reported). A criterion met earns its weight; not met (or not assessable) earns 0.
    """
    unit = _row(session, code)
    rules, grades, digest = load_rules()
    budget = _budget(session, code, year)
    rep = _reported(session, code, year)
    out: list[dict[str, Any]] = []
    for rule in rules:
        met = False
        reason = ""
        if rule.criterion == "target_met":
            if budget is None:
                reason = f"no energy budget set for {year}"
            elif rep is None:
                reason = f"no energy report for {year}"
            else:
                energy = float(rep.figures["energy_tce"])
                met = energy <= rule.threshold * budget
                reason = f"reported {energy:,.1f} tce against a budget of {budget:,.1f} tce ({energy / budget:.1%})"
        elif rule.criterion == "report_on_time":
            deadline = datetime(year + 1, 1, 1, tzinfo=UTC) + timedelta(days=rule.threshold)
            if rep is None or rep.submitted_at is None:
                reason = f"energy report for {year} not submitted"
            else:
                met = rep.submitted_at <= deadline
                reason = (f"submitted {rep.submitted_at.date().isoformat()}, deadline "
                          f"{deadline.date().isoformat()}")
        elif rule.criterion == "data_quality":
            q = metering.quality(session, settings, first_day=date(year, 1, 1), last_day=date(year, 12, 31))
            mine = [c for c in q.completeness if c["unit_code"] == code]
            if not mine or not any(c["valid_intervals"] for c in mine):
                reason = f"no online data for {year}"
            else:
                days_with_data = [c for c in mine if c["valid_intervals"] > 0]
                share = sum(1 for c in days_with_data if c["meets_threshold"]) / len(days_with_data)
                met = share >= rule.threshold
                reason = (f"{share:.1%} of {len(days_with_data)} days with data reach {q.threshold:.0%} completeness "
                          f"(rule: ≥ {rule.threshold:.0%})")
        elif rule.criterion == "measures":
            n = len((rep.content or {}).get("measures", [])) if rep is not None else 0
            met = n >= rule.threshold
            reason = f"{n} measure(s) reported (rule: ≥ {rule.threshold:g})"
        out.append({"criterion": rule.criterion, "label_zh": rule.label_zh, "weight": rule.weight, "met": met,
                    "points": rule.weight if met else 0.0, "reason": reason})
    score = float(sum(c["points"] for c in out))
    grade = next((g.grade for g in grades if score >= g.min_score), grades[-1].grade if grades else "")
    result = Assessment(unit_code=code, year=year, score=score, grade=grade, criteria=out, rules_digest=digest,
                        sample=unit.sample, notice=SAMPLE_NOTICE if unit.sample else None)
    _fresh(session)
    if actor is not None:
        with atomic(session, f"the assessment {year} of unit {code}"):
            row = session.get(AssessmentRow, (code, year))
            before = {"score": row.score, "grade": row.grade} if row else None
            if row is None:
                row = AssessmentRow(unit_code=code, year=year)
                session.add(row)
            row.score, row.grade, row.criteria, row.rules_digest = score, grade, out, digest
            row.computed_at, row.computed_by = utcnow(), actor
            session.flush()
            record_audit(session, actor=actor, action="assess", entity="unit_assessment", entity_id=f"{code}/{year}",
                         before=before, after={"score": score, "grade": grade, "rules_digest": digest})
        _commit(session)
    return result


# ------------------------------------------------------------------------------------------------------
# bottom-up vs top-down

def bottom_up_vs_top_down(session: Session, *, year: int) -> dict[str, Any]:
    """Units' reported emissions per league and industry beside the stored regional inventory, with coverage.

    Bottom-up: the ``tco2`` figure of each unit's GHG report for ``year`` (any state but draft), summed per
    league and per industry. Top-down: the newest stored ``inventory`` accounting run for that league (or
    for the region ``150000``) and year. Coverage = bottom-up ÷ inventory.
    """
    rows = session.execute(
        select(KeyUnitRow.league, KeyUnitRow.industry, KeyUnitRow.sample, AnnualReportRow.figures)
        .join(AnnualReportRow, AnnualReportRow.unit_code == KeyUnitRow.code)
        .where(AnnualReportRow.year == year, AnnualReportRow.kind == "ghg", AnnualReportRow.state != "draft")).all()
    frame = pl.DataFrame([{"league": lg, "industry": ind, "sample": s, "tco2": float(f.get("tco2") or 0.0)}
                          for lg, ind, s, f in rows],
                         schema={"league": pl.String, "industry": pl.String, "sample": pl.Boolean, "tco2": pl.Float64})
    runs = session.scalars(select(AccountingRunRow).where(AccountingRunRow.kind == "inventory",
                                                          AccountingRunRow.year == year)
                           .order_by(AccountingRunRow.created_at.desc())).all()
    inventory: dict[str, tuple[float, int]] = {}
    for run in runs:
        if run.region and run.region not in inventory and run.tco2 is not None:
            inventory[run.region] = (run.tco2, run.id)
    by_league = frame.group_by("league").agg(pl.col("tco2").sum(), pl.len().alias("units"),
                                            pl.col("sample").any()).sort("league")
    leagues = []
    for r in by_league.iter_rows(named=True):
        inv = inventory.get(r["league"])
        leagues.append({**r, "inventory_tco2": inv[0] if inv else None, "inventory_run": inv[1] if inv else None,
                        "coverage": r["tco2"] / inv[0] if inv and inv[0] else None})
    by_industry = frame.group_by("industry").agg(pl.col("tco2").sum(), pl.len().alias("units"),
                                                pl.col("sample").any()).sort("industry")
    total = float(frame["tco2"].sum()) if frame.height else 0.0
    region = inventory.get("150000")
    sample = bool(frame["sample"].any()) if frame.height else False
    return {"year": year, "bottom_up_tco2": total, "leagues": leagues,
            "industries": [dict(r) for r in by_industry.iter_rows(named=True)],
            "inventory_tco2": region[0] if region else None, "inventory_run": region[1] if region else None,
            "coverage": total / region[0] if region and region[0] else None, "sample": sample,
            "notice": SAMPLE_NOTICE if sample else None}


def count_batches(session: Session) -> int:
    """Ledger rows (for summaries)."""
    return session.scalar(select(func.count()).select_from(ReadingBatchRow)) or 0


# ------------------------------------------------------------------------------------------------------
# pages

class UnitOverview(BaseModel):
    """Everything a unit's page shows."""

    unit: UnitDetail
    monthly: list[dict[str, Any]]
    completeness: list[dict[str, Any]]
    reports: list[ReportOut]
    benchmark: list[dict[str, Any]]
    sample: bool
    notice: str | None


def unit_overview(session: Session, settings: Settings, code: str) -> UnitOverview:
    """A unit's meters, daily completeness, monthly energy and CO2, report states and benchmark position."""
    detail = get_unit(session, code)
    reports = list_reports(session, code)
    _fresh(session)
    monthly = [r for r in metering.aggregate(session, settings, period="month", by="unit") if r["unit"] == code]
    quality = metering.quality(session, settings)
    completeness = [c for c in quality.completeness if c["unit_code"] == code]
    energy = [r for r in reports if r.kind == "energy"]
    bench = list(energy[0].figures.get("benchmark", [])) if energy else []
    return UnitOverview(unit=detail, monthly=monthly, completeness=completeness[-31:], reports=reports,
                        benchmark=bench, sample=detail.sample, notice=detail.notice)


# ------------------------------------------------------------------------------------------------------
# read-only views scoped to who asks

def visible_to(principal: Principal, unit: UnitInfo) -> bool:
    """Whether ``principal`` may read ``unit``'s data (the matrix's ``enterprise_data`` read rule)."""
    resource = Resource(kind=ResourceKind.ENTERPRISE_DATA, id=unit.code, unit_id=unit.code, region_code=unit.county)
    return authorize(principal, AccessAction.READ, resource).allowed


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
    """Whether the principal may open the list of the region's units (:func:`may_list_units`)."""


def may_list_units(principal: Principal, code: str) -> bool:
    """Whether ``principal`` may read the enterprise data of league or county ``code`` as a whole (the list page):
    the region admin, office and auditor anywhere, a league officer its league and counties, a county officer
    its county; not enterprises, departments or the public."""
    resource = Resource(kind=ResourceKind.ENTERPRISE_DATA, id=f"units of {code}", region_code=code)
    return authorize(principal, AccessAction.READ, resource).allowed


def units_in_region(session: Session, code: str, principal: Principal) -> RegionUnits | None:
    """The units of league or county ``code`` that ``principal`` may read, and how many there are in all.

    ``None`` for a code that is neither a league (``xxxx00``) nor a county (the region itself has no list).
    """
    if code.endswith("0000"):
        return None
    level: Literal["league", "county"] = "league" if code.endswith("00") else "county"
    rows = list_units(session, league=code) if level == "league" else list_units(session, county=code)
    visible = [u for u in rows if visible_to(principal, u)]
    return RegionUnits(region=code, level=level, total=len(rows), units=visible, sample=any(u.sample for u in rows),
                       may_list=may_list_units(principal, code))
