"""Use cases of accounting: run the engine on imported data, store the run, list, recompute and explain it.

A stored run keeps the inputs exactly as the engine received them (the balance in long form after import,
the enterprise report after validation, every option), the engine's result as JSON, its headline totals and
one line per figure (activity × factor = tCO2 / tCO2e / tce). :func:`recompute` runs the engine again on
the stored inputs and says whether the result is the same; :func:`explain` shows one line's factor, its
source and the arithmetic.

Writes go through the store's atomic, audited path: one ``accounting_runs`` row with its lines, one audit
entry and one import-batch row, in one transaction; a bad file raises before anything is written. A write
commits when the session has no transaction open (the API and CLI case); inside a caller's transaction it
becomes a savepoint and the caller commits.
"""

from __future__ import annotations

import json
import math
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, Field
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from tanfeng import __version__
from tanfeng.accounting.combustion import combustion_co2
from tanfeng.accounting.conversion import to_standard_coal
from tanfeng.accounting.electricity import electricity_co2
from tanfeng.accounting.enterprise import EnterpriseReport, enterprise_emissions
from tanfeng.accounting.importers import (
    read_balance,
    read_production,
    read_report_205_1,
    read_report_json,
    read_sinks,
    report_from_dict,
)
from tanfeng.accounting.inventory import regional_inventory
from tanfeng.errors import ImportDataError, InputError, NotFoundError, UnitError, at
from tanfeng.reference.factors import FactorRecord, library
from tanfeng.reference.products import catalogue
from tanfeng.store.models import utcnow
from tanfeng.store.models_accounting import RUN_KINDS, AccountingLineRow, AccountingRunRow
from tanfeng.store.repository import content_hash, record_audit, record_batch
from tanfeng.store.transaction import atomic
from tanfeng.units import convert as convert_unit
from tanfeng.units import dimension_of

__all__ = [
    "CombustionRequest",
    "ConversionOut",
    "ElectricityRequest",
    "Explanation",
    "InventoryOptions",
    "RecomputeResult",
    "RunDetail",
    "RunInfo",
    "RunLine",
    "combustion",
    "convert",
    "electricity",
    "explain",
    "get_run",
    "list_factors",
    "list_lines",
    "list_runs",
    "recompute",
    "run_combustion",
    "run_electricity",
    "run_enterprise",
    "run_inventory",
]

RunKind = Literal["inventory", "enterprise", "combustion", "electricity"]
ElectricityConversion = Literal["equivalent", "equal"]


# -- models -------------------------------------------------------------------------------------------

class InventoryOptions(BaseModel):
    """Choices of a regional inventory (every one is recorded with the run)."""

    factor_set: str = Field("china", description="combustion factor set: china, ipcc2006 or mee2013")
    electricity_region: str | None = Field(
        None, description="grid-factor region for the consumption-based total (e.g. 150000); none skips it")
    electricity_factors: dict[int, float] | None = Field(
        None, description="or the grid factor per year given by the caller, tCO2/MWh")
    heat_factor_version: str = "mee-guideline-2013"
    electricity_conversion: ElectricityConversion = Field(
        "equivalent", description="electricity in the tce totals: equivalent (当量值) or equal (等价值)")
    supply_coal_rate: float | None = Field(None, ge=0, description="for equal: the year's supply coal rate, gce/kWh")


class CombustionRequest(BaseModel):
    """A fuel burnt (``tanfeng account combustion``)."""

    value: float = Field(ge=0)
    unit: str
    product: str
    factors: str = "china"
    ncv: float | None = Field(None, ge=0)
    ncv_unit: str | None = None
    carbon_content: float | None = Field(None, ge=0, description="tC/TJ")
    oxidation: float | None = Field(None, gt=0, le=1)
    gwp_set: str | None = None


class ElectricityRequest(BaseModel):
    """Electricity used (``tanfeng account electricity``)."""

    value: float = Field(ge=0)
    unit: str = "MWh"
    region: str
    year: int
    kind: str = "average"


class ConversionOut(BaseModel):
    """A quantity converted to standard coal, in the unit asked for, with the coefficient and its source."""

    input_value: float
    input_unit: str
    product: str
    product_zh: str
    value: float
    unit: str
    value_tce: float
    coefficient: float
    coefficient_unit: str
    method: str
    electricity_method: str | None
    supply_coal_rate_gce_per_kwh: float | None
    factor: FactorRecord | None
    source: str


class RunInfo(BaseModel):
    """A stored run in a listing: what it is about, the choices and the headline totals."""

    id: int
    kind: str
    region: str | None
    unit_id: str | None
    year: int | None
    method: str
    factor_set: str | None
    factor_versions: list[str]
    gwp_set: str | None
    electricity_conversion: str | None
    source_name: str | None
    input_digest: str
    tco2: float | None
    tco2e: float | None
    energy_tce: float | None
    engine_version: str
    created_by: str
    created_at: datetime
    status: str


class RunDetail(RunInfo):
    """A stored run with its inputs and the engine's result."""

    inputs: dict[str, Any]
    result: dict[str, Any]
    lines: int


class RunLine(BaseModel):
    """One line of a run: activity × factor = tCO2 (tCO2e, tce)."""

    run_id: int
    line_no: int
    category: str
    region: str | None
    year: int | None
    sector: str | None
    product: str | None
    gas: str | None
    activity: float
    activity_unit: str
    factor_id: str | None
    factor_value: float | None
    factor_unit: str | None
    factor_source: str | None
    factor_confidence: str | None
    formula: str | None
    tco2: float | None
    tco2e: float | None
    tce: float | None


class RecomputeResult(BaseModel):
    """The engine run again on a run's stored inputs, compared with the stored result."""

    run_id: int
    equal: bool
    differences: list[str]
    engine_version: str
    stored_engine_version: str
    result: dict[str, Any]


class Explanation(BaseModel):
    """One line of a run explained: the factor records behind it, their sources and the arithmetic."""

    run_id: int
    kind: str
    method: str
    line: RunLine
    factors: list[FactorRecord]
    arithmetic: str
    inputs: dict[str, Any]


# -- helpers ------------------------------------------------------------------------------------------

def _clean(obj: Any) -> Any:
    """JSON-ready copy: NaN and infinities become null, keys strings, as the database will give it back."""
    def fix(o: Any) -> Any:
        if isinstance(o, float) and not math.isfinite(o):
            return None
        if isinstance(o, Mapping):
            return {str(k): fix(v) for k, v in o.items()}
        if isinstance(o, list | tuple):
            return [fix(v) for v in o]
        return o

    return json.loads(json.dumps(fix(obj), ensure_ascii=False, allow_nan=False, default=str))


_BALANCE_SCHEMA: dict[str, Any] = {"region": pl.String, "year": pl.Int64, "flow": pl.String, "sector": pl.String,
                                   "product": pl.String, "value": pl.Float64, "unit": pl.String, "row": pl.Int64}
_PRODUCTION_SCHEMA: dict[str, Any] = {"region": pl.String, "year": pl.Int64, "process": pl.String,
                                      "value": pl.Float64, "row": pl.Int64}
_SINKS_SCHEMA: dict[str, Any] = {"region": pl.String, "year": pl.Int64, "category": pl.String, "tco2": pl.Float64,
                                 "row": pl.Int64}


def _frame_to_json(df: pl.DataFrame, schema: dict[str, Any]) -> dict[str, Any]:
    cols = [c for c in schema if c in df.columns]
    try:
        df = df.select(cols).cast({c: schema[c] for c in cols})
    except pl.exceptions.PolarsError as exc:
        msg = f"a column has the wrong type: {str(exc).splitlines()[0]}"
        raise ImportDataError(msg, hint=f"columns and types: {', '.join(f'{c} {t}' for c, t in schema.items())}") from exc
    return {"columns": cols, "rows": [list(r) for r in df.rows()]}


def _frame_from_json(data: dict[str, Any], schema: dict[str, Any]) -> pl.DataFrame:
    cols = list(data["columns"])
    return pl.DataFrame(data["rows"], schema={c: schema[c] for c in cols}, orient="row")


def _name(source: str | Path | pl.DataFrame | None, file_name: str | None) -> str:
    if file_name:
        return file_name
    if isinstance(source, str | Path):
        return Path(source).name
    return "<frame>"


def _num(x: float | None) -> str:
    return "null" if x is None else format(x, ".12g")


def _worst(confidences: list[str]) -> str | None:
    return max(confidences, default=None)


def _records_in(obj: Any, out: dict[str, dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """Every factor record (a dict with id, what, key, value, version, source, confidence) in a stored result."""
    out = {} if out is None else out
    if isinstance(obj, dict):
        if {"id", "what", "key", "value", "version", "source", "confidence"} <= obj.keys():
            out.setdefault(str(obj["id"]), obj)
        for v in obj.values():
            _records_in(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _records_in(v, out)
    return out


@contextmanager
def _readable(name: str) -> Iterator[None]:
    """A file that is not the workbook it claims to be is bad input naming the file (not an internal error)."""
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        yield
    except (zipfile.BadZipFile, InvalidFileException) as exc:
        msg = f"cannot read the workbook: {exc}"
        raise ImportDataError(msg, location=at(name), hint="save it as .xlsx from Excel or WPS, or send CSV") from exc


# -- computing (pure: no store) -------------------------------------------------------------------------

def _inventory_inputs(balance: str | Path | pl.DataFrame, *, region: str | None, year: int | None,
                      options: InventoryOptions, production: str | Path | pl.DataFrame | None,
                      sinks: str | Path | pl.DataFrame | None, file_name: str | None) -> dict[str, Any]:
    name = _name(balance, file_name)
    with _readable(name):
        frame = balance if isinstance(balance, pl.DataFrame) else read_balance(balance, region=region, year=year)
    missing = [c for c in ("region", "year", "flow", "sector", "product", "value") if c not in frame.columns]
    if missing:
        msg = f"the balance lacks columns {missing}"
        raise ImportDataError(msg, location=at(name))
    with _readable(name if production is None or isinstance(production, pl.DataFrame) else Path(production).name):
        prod = production if isinstance(production, pl.DataFrame | None) else read_production(production)
    with _readable(name if sinks is None or isinstance(sinks, pl.DataFrame) else Path(sinks).name):
        snk = sinks if isinstance(sinks, pl.DataFrame | None) else read_sinks(sinks)
    inputs: dict[str, Any] = _clean({
        "file": name,
        "balance": _frame_to_json(frame, _BALANCE_SCHEMA),
        "production": None if prod is None else _frame_to_json(prod, _PRODUCTION_SCHEMA),
        "sinks": None if snk is None else _frame_to_json(snk, _SINKS_SCHEMA),
        "options": options.model_dump(mode="json"),
    })
    return inputs


def _compute_inventory(inputs: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    opts = InventoryOptions.model_validate(inputs["options"])
    el: str | dict[int, float] | None = opts.electricity_region
    if opts.electricity_factors is not None:
        el = dict(opts.electricity_factors)
    inv = regional_inventory(
        _frame_from_json(inputs["balance"], _BALANCE_SCHEMA), factor_set=opts.factor_set, electricity_factor=el,
        heat_factor_version=opts.heat_factor_version,
        production=None if inputs["production"] is None else _frame_from_json(inputs["production"], _PRODUCTION_SCHEMA),
        sinks=None if inputs["sinks"] is None else _frame_from_json(inputs["sinks"], _SINKS_SCHEMA),
        file=inputs["file"], electricity_conversion=opts.electricity_conversion,
        supply_coal_rate=opts.supply_coal_rate)
    summary = inv.summary()
    result = _clean(summary.model_dump(mode="json"))
    lines: list[dict[str, Any]] = []
    cat = catalogue()
    fuel_recs: dict[str, list[FactorRecord]] = {}
    for pid, ef in summary.fuel_factors.items():
        if ef:
            fuel_recs[pid] = combustion_co2(1.0, cat[pid].balance_unit, cat[pid], factors=summary.factor_set).factors
    for c in inv.cells.sort("region", "year", "sector", "product").iter_rows(named=True):
        recs = fuel_recs.get(c["product"], [])
        unit = summary.balance_units[c["product"]]
        lines.append({
            "category": "combustion", "region": c["region"], "year": c["year"], "sector": c["sector"],
            "product": c["product"], "gas": "CO2", "activity": c["activity"], "activity_unit": unit,
            "factor_id": " + ".join(r.id for r in recs) or None, "factor_value": c["ef"],
            "factor_unit": f"tCO2/{unit}", "factor_source": "; ".join(dict.fromkeys(r.source for r in recs)) or None,
            "factor_confidence": _worst([r.confidence for r in recs]),
            "formula": "E = (final consumption − non-energy use, or input to power and heat) × EF" if recs
            else "non-fossil or secondary energy: no combustion CO2 counted here",
            "tco2": c["tco2"], "tco2e": None, "tce": None})
    proc_recs = {r.id: r for r in summary.factors}
    for p in inv.processes.sort("region", "year", "process").iter_rows(named=True):
        rec = proc_recs.get(p["factor_id"])
        lines.append({
            "category": "process", "region": p["region"], "year": p["year"], "sector": "industrial_processes",
            "product": p["process"], "gas": "CO2", "activity": p["value"], "activity_unit": "t",
            "factor_id": p["factor_id"], "factor_value": p["ef"], "factor_unit": "tCO2/t",
            "factor_source": rec.source if rec else None, "factor_confidence": rec.confidence if rec else None,
            "formula": "E = production × EF", "tco2": p["tco2"], "tce": None, "tco2e": None})
    coef_recs = {r.key: r for r in summary.energy_factors}
    for e in inv.energy.sort("region", "year", "sector", "product").iter_rows(named=True):
        unit = summary.balance_units[e["product"]]
        rec = coef_recs.get(e["product"])
        equal = e["product"] == "electricity" and summary.electricity_conversion == "equal"
        lines.append({
            "category": "energy_consumption", "region": e["region"], "year": e["year"], "sector": e["sector"],
            "product": e["product"], "gas": None, "activity": e["activity"], "activity_unit": unit,
            "factor_id": None if equal or rec is None else rec.id,
            "factor_value": summary.energy_coefficients[e["product"]], "factor_unit": f"tce/{unit}",
            "factor_source": ("supply coal rate given by the caller (等价值)" if equal
                              else rec.source if rec else "GB/T 2589: 1 kgce = 29307 kJ"),
            "factor_confidence": None if equal or rec is None else rec.confidence,
            "formula": "tce = (final consumption + transformation input − output + loss) × GB/T 2589 coefficient",
            "tco2": None, "tco2e": None, "tce": e["tce"]})
    return result, lines


def _enterprise_inputs(report: str | Path | dict[str, Any] | EnterpriseReport, *, enterprise: str | None,
                       year: int | None, sector: str, region: str | None, file_name: str | None) -> dict[str, Any]:
    if isinstance(report, EnterpriseReport):
        rep, name = report, file_name or "<report>"
    elif isinstance(report, dict):
        name = file_name or "<json>"
        rep = report_from_dict(report, file=name)
    else:
        path = Path(report)
        name = file_name or path.name
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            if enterprise is None or year is None:
                msg = "an Excel (205-1) report needs the enterprise's name and the year"
                raise ImportDataError(msg, location=at(name), hint="give enterprise and year (--enterprise, --year)")
            with _readable(name):
                rep = read_report_205_1(path, enterprise=enterprise, year=year, sector=sector, region=region)
        else:
            rep = read_report_json(path)
    inputs: dict[str, Any] = _clean({"file": name, "report": rep.model_dump(mode="json")})
    return inputs


def _compute_enterprise(inputs: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rep = report_from_dict(inputs["report"], file=inputs["file"])
    res = enterprise_emissions(rep, file=inputs["file"])
    lines = [{
        "category": ln.category, "region": rep.region, "year": rep.year, "sector": rep.sector, "product": ln.item,
        "gas": ln.gas, "activity": ln.activity, "activity_unit": ln.activity_unit,
        "factor_id": " + ".join(r.id for r in ln.factors) or None, "factor_value": ln.factor,
        "factor_unit": ln.factor_unit, "factor_source": "; ".join(dict.fromkeys(r.source for r in ln.factors)) or None,
        "factor_confidence": ln.confidence, "formula": ln.formula + (f" × GWP {ln.gwp:g}" if ln.gwp != 1 else ""),
        "tco2": ln.tco2e if ln.gas == "CO2" else None, "tco2e": ln.tco2e, "tce": None} for ln in res.lines]
    return _clean(res.model_dump(mode="json")), lines


def _compute_combustion(inputs: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    req = CombustionRequest.model_validate(inputs["request"])
    res = combustion_co2(req.value, req.unit, req.product, factors=req.factors, ncv=req.ncv, ncv_unit=req.ncv_unit,
                         carbon_content=req.carbon_content, oxidation=req.oxidation, gwp_set=req.gwp_set)
    per_tj = res.co2_factor_unit == "tCO2/TJ" and res.heat_gj is not None
    activity, unit = (res.heat_gj / 1000, "TJ") if per_tj and res.heat_gj is not None else (res.input_value, res.input_unit)
    line = {"category": "combustion", "region": None, "year": None, "sector": None, "product": res.product,
            "gas": "CO2", "activity": activity, "activity_unit": unit,
            "factor_id": " + ".join(r.id for r in res.factors) or None, "factor_value": res.co2_factor,
            "factor_unit": res.co2_factor_unit, "factor_source": res.source,
            "factor_confidence": _worst([r.confidence for r in res.factors]), "formula": res.formula,
            "tco2": res.tco2, "tco2e": res.tco2e, "tce": None}
    return _clean(res.model_dump(mode="json")), [line]


def _compute_electricity(inputs: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    req = ElectricityRequest.model_validate(inputs["request"])
    res = electricity_co2(req.value, req.unit, req.region, req.year, kind=req.kind)
    rec = res.factor_record
    line = {"category": "electricity", "region": res.region, "year": res.year, "sector": None,
            "product": "electricity", "gas": "CO2", "activity": res.input_value, "activity_unit": res.input_unit,
            "factor_id": rec.id, "factor_value": res.factor, "factor_unit": res.factor_unit, "factor_source": rec.source,
            "factor_confidence": rec.confidence, "formula": res.formula, "tco2": res.tco2, "tco2e": None, "tce": None}
    return _clean(res.model_dump(mode="json")), [line]


_COMPUTE = {"inventory": _compute_inventory, "enterprise": _compute_enterprise, "combustion": _compute_combustion,
            "electricity": _compute_electricity}


def combustion(req: CombustionRequest) -> dict[str, Any]:
    """CO2 of a fuel burnt (not stored): the engine's :class:`CombustionResult` as JSON."""
    return _compute_combustion({"request": req.model_dump(mode="json")})[0]


def electricity(req: ElectricityRequest) -> dict[str, Any]:
    """Indirect CO2 of electricity (not stored): the engine's :class:`ElectricityResult` as JSON."""
    return _compute_electricity({"request": req.model_dump(mode="json")})[0]


def convert(value: float, unit: str, product: str, *, to: str = "tce", electricity: str = "equivalent",
            supply_coal_rate: float | None = None, lhv: float | None = None, lhv_unit: str | None = None,
            variant: str = "") -> ConversionOut:
    """A quantity of an energy product in standard coal (GB/T 2589), in the standard-coal unit ``to``."""
    if electricity not in ("equivalent", "equal"):
        msg = f"electricity must be 'equivalent' (当量值) or 'equal' (等价值), not '{electricity}'"
        raise UnitError(msg, location=at(field="electricity"))
    if dimension_of(to) != "energy":
        msg = f"'{to}' is not a standard-coal unit"
        raise UnitError(msg, location=at(field="to"), hint="use tce, kgce or 万吨标准煤")
    res = to_standard_coal(value, unit, product, electricity=electricity,  # type: ignore[arg-type]
                           supply_coal_rate=supply_coal_rate, lhv=lhv, lhv_unit=lhv_unit, variant=variant)
    return ConversionOut(input_value=res.input_value, input_unit=res.input_unit, product=res.product,
                         product_zh=res.product_zh, value=float(convert_unit(res.value, "tce", to)), unit=to,
                         value_tce=res.value, coefficient=res.coefficient, coefficient_unit=res.coefficient_unit,
                         method=res.method, electricity_method=res.electricity_method,
                         supply_coal_rate_gce_per_kwh=res.supply_coal_rate_gce_per_kwh, factor=res.factor,
                         source=res.source)


def list_factors(*, what: str | None = None, key: str | None = None, region: str | None = None,
                 year: int | None = None, version: str | None = None) -> list[FactorRecord]:
    """Rows of the factor library with their sources, filtered (a region by code or Chinese name)."""
    lib = library()
    df = lib.frame
    if what is not None:
        df = df.filter(pl.col("what") == what)
    if key is not None:
        df = df.filter(pl.col("key") == key)
    if region is not None:
        df = df.filter(pl.col("region") == lib.region_code(region))
    if year is not None:
        df = df.filter(pl.col("year") == str(year))
    if version is not None:
        df = df.filter(pl.col("version") == version)
    out: list[FactorRecord] = []
    for r in df.iter_rows(named=True):
        out.append(FactorRecord(
            id=r["id"], what=r["what"], key=r["key"], variant=r["variant"], region=r["region"] or "CN",
            year=int(r["year"]) if r["year"] else None, value=float(r["value"]),
            value_high=float(r["value_high"]) if r["value_high"] else None, unit=r["unit"], version=r["version"],
            source=r["source"], source_year=int(r["source_year"]) if r["source_year"] else None,
            method=r["method"], confidence=r["confidence"], note=r["note"]))
    return out


# -- storing --------------------------------------------------------------------------------------------

def _info(row: AccountingRunRow) -> dict[str, Any]:
    return {"id": row.id, "kind": row.kind, "region": row.region, "unit_id": row.unit_id, "year": row.year,
            "method": row.method, "factor_set": row.factor_set, "factor_versions": list(row.factor_versions),
            "gwp_set": row.gwp_set, "electricity_conversion": row.electricity_conversion,
            "source_name": row.source_name, "input_digest": row.input_digest, "tco2": row.tco2, "tco2e": row.tco2e,
            "energy_tce": row.energy_tce, "engine_version": row.engine_version, "created_by": row.created_by,
            "created_at": row.created_at, "status": row.status}


def _store(session: Session, kind: RunKind, inputs: dict[str, Any], result: dict[str, Any],
           lines: list[dict[str, Any]], *, actor: str, header: dict[str, Any], rows: int) -> int:
    digest = content_hash(inputs)
    versions = sorted({str(r["version"]) for r in _records_in(result).values()})
    with atomic(session, f"accounting run ({kind})"):
        row = AccountingRunRow(kind=kind, inputs=inputs, result=result, input_digest=digest, factor_versions=versions,
                               engine_version=__version__, created_by=actor, created_at=utcnow(), status="stored",
                               **header)
        session.add(row)
        session.flush()
        run_id = row.id
        if lines:
            session.execute(insert(AccountingLineRow),
                            [{"run_id": run_id, "line_no": n, **ln} for n, ln in enumerate(lines, start=1)])
        record_audit(session, actor=actor, action="insert", entity="accounting_run", entity_id=str(run_id),
                     before=None, after=_clean({**_info(row), "lines": len(lines)}))
        record_batch(session, kind=f"accounting_{kind}", name=header.get("source_name") or kind, rows=rows,
                     digest=digest, status="loaded", actor=actor, message=f"accounting run {run_id}, {len(lines)} lines")
    return run_id


def _one(values: list[Any]) -> Any:
    distinct = sorted({v for v in values if v is not None}, key=str)
    return distinct[0] if len(distinct) == 1 else None


def run_inventory(session: Session, balance: str | Path | pl.DataFrame, *, region: str | None = None,
                  year: int | None = None, options: InventoryOptions | None = None, actor: str,
                  production: str | Path | pl.DataFrame | None = None,
                  sinks: str | Path | pl.DataFrame | None = None, file_name: str | None = None) -> RunDetail:
    """Import a balance table (CSV/Excel, NBS layout or long form) or take a long-form frame, compute the
    regional inventory and store the run.

    Raises
    ------
    ImportDataError, UnknownProductError, UnitError, NegativeQuantityError, FactorNotFoundError
        For a bad file, row or field (named in the error); nothing is stored.
    """
    options = options or InventoryOptions()
    inputs = _inventory_inputs(balance, region=region, year=year, options=options, production=production,
                               sinks=sinks, file_name=file_name)
    result, lines = _compute_inventory(inputs)
    totals = result["totals"]
    regions = sorted({str(t["region"]) for t in totals})
    header = {
        "region": ",".join(regions)[:100] or None, "unit_id": None, "year": _one([t["year"] for t in totals]),
        "method": result["method"], "factor_set": result["factor_set"], "gwp_set": None,
        "electricity_conversion": result["electricity_conversion"], "source_name": inputs["file"][:300],
        "tco2": float(sum(t["gross"] for t in totals)), "tco2e": None,
        "energy_tce": float(sum(t["energy_tce"] for t in totals)),
    }
    run_id = _store(session, "inventory", inputs, result, lines, actor=actor, header=header,
                    rows=len(inputs["balance"]["rows"]))
    return get_run(session, run_id)


def run_enterprise(session: Session, report: str | Path | dict[str, Any] | EnterpriseReport, *, actor: str,
                   enterprise: str | None = None, year: int | None = None, sector: str = "generic",
                   region: str | None = None, file_name: str | None = None) -> RunDetail:
    """Import an enterprise report (205-1 Excel, JSON file or a mapping), account it and store the run.

    Raises
    ------
    ImportDataError, UnknownProductError, UnitError, NegativeQuantityError, FactorNotFoundError
        For a bad file, row or field (named in the error); nothing is stored.
    """
    inputs = _enterprise_inputs(report, enterprise=enterprise, year=year, sector=sector, region=region,
                                file_name=file_name)
    result, lines = _compute_enterprise(inputs)
    rep = inputs["report"]
    tco2 = sum(ln["tco2"] for ln in lines if ln["tco2"] is not None)
    header = {"region": rep.get("region"), "unit_id": str(rep["enterprise"])[:200], "year": rep["year"],
              "method": result["method"], "factor_set": result["factor_set"], "gwp_set": result["gwp_set"],
              "electricity_conversion": None, "source_name": inputs["file"][:300], "tco2": float(tco2),
              "tco2e": float(result["total"]), "energy_tce": None}
    run_id = _store(session, "enterprise", inputs, result, lines, actor=actor, header=header,
                    rows=max(1, len(rep.get("fuels", [])) + len(rep.get("processes", []))))
    return get_run(session, run_id)


def run_combustion(session: Session, req: CombustionRequest, *, actor: str) -> RunDetail:
    """Compute the CO2 of a fuel burnt and store it as a run."""
    inputs = _clean({"file": "<api>", "request": req.model_dump(mode="json")})
    result, lines = _compute_combustion(inputs)
    header = {"region": None, "unit_id": None, "year": None, "method": result["method"],
              "factor_set": result["factor_set"], "gwp_set": result["gwp_set"], "electricity_conversion": None,
              "source_name": None, "tco2": result["tco2"], "tco2e": result["tco2e"], "energy_tce": None}
    return get_run(session, _store(session, "combustion", inputs, result, lines, actor=actor, header=header, rows=1))


def run_electricity(session: Session, req: ElectricityRequest, *, actor: str) -> RunDetail:
    """Compute the indirect CO2 of electricity and store it as a run."""
    inputs = _clean({"file": "<api>", "request": req.model_dump(mode="json")})
    result, lines = _compute_electricity(inputs)
    header = {"region": result["region"], "unit_id": None, "year": result["year"], "method": result["formula"],
              "factor_set": result["kind"], "gwp_set": None, "electricity_conversion": None, "source_name": None,
              "tco2": result["tco2"], "tco2e": None, "energy_tce": None}
    return get_run(session, _store(session, "electricity", inputs, result, lines, actor=actor, header=header, rows=1))


# -- reading --------------------------------------------------------------------------------------------

def _row(session: Session, run_id: int) -> AccountingRunRow:
    row = session.get(AccountingRunRow, run_id)
    if row is None:
        n = session.scalar(select(func.count()).select_from(AccountingRunRow)) or 0
        msg = f"accounting run {run_id} is not in the store ({n} runs stored)"
        raise NotFoundError(msg, hint="list them with GET /api/accounting/runs or `tanfeng account runs`")
    return row


def get_run(session: Session, run_id: int) -> RunDetail:
    """A stored run with its inputs and result.

    Raises
    ------
    NotFoundError
        No run with that id.
    """
    row = _row(session, run_id)
    n = session.scalar(select(func.count()).select_from(AccountingLineRow)
                       .where(AccountingLineRow.run_id == run_id)) or 0
    return RunDetail(**_info(row), inputs=row.inputs, result=row.result, lines=n)


def list_runs(session: Session, *, kind: str | None = None, region: str | None = None,
              year: int | None = None) -> list[RunInfo]:
    """Stored runs, oldest first, filtered by kind, region (code as stored) and year."""
    if kind is not None and kind not in RUN_KINDS:
        msg = f"kind '{kind}' is not one of {', '.join(RUN_KINDS)}"
        raise InputError(msg, location=at(field="kind"))
    q = select(AccountingRunRow)
    if kind is not None:
        q = q.where(AccountingRunRow.kind == kind)
    if region is not None:
        q = q.where(AccountingRunRow.region == region)
    if year is not None:
        q = q.where(AccountingRunRow.year == year)
    return [RunInfo(**_info(r)) for r in session.scalars(q.order_by(AccountingRunRow.id))]


def _line(r: AccountingLineRow) -> RunLine:
    return RunLine(run_id=r.run_id, line_no=r.line_no, category=r.category, region=r.region, year=r.year,
                   sector=r.sector, product=r.product, gas=r.gas, activity=r.activity, activity_unit=r.activity_unit,
                   factor_id=r.factor_id, factor_value=r.factor_value, factor_unit=r.factor_unit,
                   factor_source=r.factor_source, factor_confidence=r.factor_confidence, formula=r.formula,
                   tco2=r.tco2, tco2e=r.tco2e, tce=r.tce)


def list_lines(session: Session, run_id: int, *, category: str | None = None) -> list[RunLine]:
    """A run's lines in order, optionally of one category (combustion, process, energy_consumption …)."""
    _row(session, run_id)
    q = select(AccountingLineRow).where(AccountingLineRow.run_id == run_id)
    if category is not None:
        q = q.where(AccountingLineRow.category == category)
    return [_line(r) for r in session.scalars(q.order_by(AccountingLineRow.line_no))]


def _diff(a: Any, b: Any, path: str, out: list[str], limit: int = 20) -> None:
    if len(out) >= limit or a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            _diff(a.get(k), b.get(k), f"{path}.{k}" if path else k, out, limit)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _diff(x, y, f"{path}[{i}]", out, limit)
    else:
        out.append(f"{path}: stored {json.dumps(a, ensure_ascii=False)[:200]}, "
                   f"now {json.dumps(b, ensure_ascii=False)[:200]}")


def recompute(session: Session, run_id: int) -> RecomputeResult:
    """Run the engine again on the run's stored inputs; ``equal`` says whether the result is the same.

    Nothing is written. A difference means the factor library or the engine changed since the run was stored;
    ``differences`` names the first fields that differ.
    """
    row = _row(session, run_id)
    result, _ = _COMPUTE[row.kind](row.inputs)
    differences: list[str] = []
    _diff(row.result, result, "", differences)
    return RecomputeResult(run_id=run_id, equal=result == row.result, differences=differences,
                           engine_version=__version__, stored_engine_version=row.engine_version, result=result)


def explain(session: Session, run_id: int, line: int = 1) -> Explanation:
    """One line of a run: the factor records behind it (with sources), the formula and the arithmetic.

    Raises
    ------
    NotFoundError
        No such run, or the run has no line with that number.
    """
    row = _row(session, run_id)
    ln = session.get(AccountingLineRow, (run_id, line))
    if ln is None:
        n = session.scalar(select(func.count()).select_from(AccountingLineRow)
                           .where(AccountingLineRow.run_id == run_id)) or 0
        msg = f"accounting run {run_id} has no line {line} (it has lines 1 to {n})"
        raise NotFoundError(msg, location=at(field="line"))
    known = _records_in(row.result)
    recs = [FactorRecord.model_validate(known[i]) for i in (ln.factor_id or "").split(" + ") if i in known]
    out, out_unit = (ln.tce, "tce") if ln.tce is not None else (
        (ln.tco2e, "tCO2e") if ln.tco2e is not None and ln.tco2 is None else (ln.tco2, "tCO2"))
    if ln.factor_value is None:
        arithmetic = f"{_num(ln.activity)} {ln.activity_unit} → {_num(out)} {out_unit} ({ln.formula})"
    else:
        arithmetic = (f"{_num(ln.activity)} {ln.activity_unit} × {_num(ln.factor_value)} {ln.factor_unit} "
                      f"= {_num(out)} {out_unit}")
    if ln.tco2e is not None and ln.tco2 is not None and ln.tco2e != ln.tco2:
        arithmetic += f"; {_num(ln.tco2e)} tCO2e"
    for r in recs:
        if r.unit and ln.factor_unit and r.value != ln.factor_value:
            arithmetic += f"; {r.id}: {_num(r.value)} {r.unit}"
    return Explanation(run_id=run_id, kind=row.kind, method=row.method, line=_line(ln), factors=recs,
                       arithmetic=arithmetic, inputs={k: v for k, v in row.inputs.items()
                                                      if k in ("file", "options", "request")})


# -- uploads --------------------------------------------------------------------------------------------

def _safe_name(name: str | None, default: str) -> str:
    base = Path(name or default).name.strip() or default
    return "".join(c for c in base if c not in '\\/:*?"<>|\0')[:200] or default


def run_inventory_upload(session: Session, data: bytes, filename: str | None, *, region: str | None,
                         year: int | None, options: InventoryOptions, actor: str) -> RunDetail:
    """:func:`run_inventory` on an uploaded file (kept in a temporary folder under its own name while read)."""
    name = _safe_name(filename, "balance.csv")
    with tempfile.TemporaryDirectory(prefix="tanfeng-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return run_inventory(session, path, region=region, year=year, options=options, actor=actor, file_name=name)


def run_enterprise_upload(session: Session, data: bytes, filename: str | None, *, actor: str,
                          enterprise: str | None, year: int | None, sector: str = "generic",
                          region: str | None = None) -> RunDetail:
    """:func:`run_enterprise` on an uploaded 205-1 workbook or JSON file."""
    name = _safe_name(filename, "report.json")
    with tempfile.TemporaryDirectory(prefix="tanfeng-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return run_enterprise(session, path, actor=actor, enterprise=enterprise, year=year, sector=sector,
                              region=region, file_name=name)
