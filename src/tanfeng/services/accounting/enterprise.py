"""An enterprise's report (form 205-1 workbook, JSON file or mapping): account it, store it as a run, or preview it.

A stored report keeps the report after validation; its lines are the engine's lines (fuels, processes,
purchased electricity and heat) with the factor records behind each.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tanfeng.accounting.enterprise import EnterpriseReport, EnterpriseResult, enterprise_emissions
from tanfeng.accounting.importers import read_report_205_1, read_report_json, report_from_dict
from tanfeng.accounting.uncertainty import enterprise_uncertainty
from tanfeng.errors import ImportDataError, at
from tanfeng.services.accounting._files import readable
from tanfeng.services.accounting._stored import clean
from tanfeng.services.accounting.runs import get_run, store_run
from tanfeng.services.accounting.schemas import RunDetail

__all__ = ["EnterprisePreview", "compute_enterprise", "enterprise_inputs", "preview_enterprise", "run_enterprise"]

_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def _read_report_file(path: Path, name: str, *, enterprise: str | None, year: int | None, sector: str,
                      region: str | None) -> EnterpriseReport:
    """A 205-1 workbook (which needs the enterprise and the year) or a JSON report."""
    if path.suffix.lower() in _WORKBOOK_SUFFIXES:
        if enterprise is None or year is None:
            msg = "an Excel (205-1) report needs the enterprise's name and the year"
            raise ImportDataError(msg, location=at(name), hint="give the enterprise and the year")
        with readable(name):
            return read_report_205_1(path, enterprise=enterprise, year=year, sector=sector, region=region)
    return read_report_json(path)


def enterprise_inputs(report: str | Path | dict[str, Any] | EnterpriseReport, *, enterprise: str | None,
                      year: int | None, sector: str, region: str | None, file_name: str | None) -> dict[str, Any]:
    """What an enterprise run keeps as its inputs: the file's name and the report after validation.

    Raises
    ------
    ImportDataError
        A file that cannot be read, a workbook without enterprise and year, a report that does not validate.
    """
    if isinstance(report, EnterpriseReport):
        rep, name = report, file_name or "<report>"
    elif isinstance(report, dict):
        name = file_name or "<json>"
        rep = report_from_dict(report, file=name)
    else:
        path = Path(report)
        name = file_name or path.name
        rep = _read_report_file(path, name, enterprise=enterprise, year=year, sector=sector, region=region)
    inputs: dict[str, Any] = clean({"file": name, "report": rep.model_dump(mode="json")})
    return inputs


def compute_enterprise(inputs: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """An enterprise run's result (JSON) and its lines, from its stored inputs."""
    rep = report_from_dict(inputs["report"], file=inputs["file"])
    res = enterprise_emissions(rep, file=inputs["file"])
    lines = [{
        "category": ln.category, "region": rep.region, "year": rep.year, "sector": rep.sector, "product": ln.item,
        "gas": ln.gas, "activity": ln.activity, "activity_unit": ln.activity_unit,
        "factor_id": " + ".join(r.id for r in ln.factors) or None, "factor_value": ln.factor,
        "factor_unit": ln.factor_unit, "factor_source": "; ".join(dict.fromkeys(r.source for r in ln.factors)) or None,
        "factor_confidence": ln.confidence, "formula": ln.formula + (f" × GWP {ln.gwp:g}" if ln.gwp != 1 else ""),
        "tco2": ln.tco2e if ln.gas == "CO2" else None, "tco2e": ln.tco2e, "tce": None} for ln in res.lines]
    return clean(res.model_dump(mode="json")), lines


def run_enterprise(session: Session, report: str | Path | dict[str, Any] | EnterpriseReport, *, actor: str,
                   enterprise: str | None = None, year: int | None = None, sector: str = "generic",
                   region: str | None = None, file_name: str | None = None) -> RunDetail:
    """Import an enterprise report (205-1 Excel, JSON file or a mapping), account it and store the run.

    Raises
    ------
    ImportDataError, UnknownProductError, UnitError, NegativeQuantityError, FactorNotFoundError
        For a bad file, row or field (named in the error); nothing is stored.
    """
    inputs = enterprise_inputs(report, enterprise=enterprise, year=year, sector=sector, region=region,
                               file_name=file_name)
    result, lines = compute_enterprise(inputs)
    rep = inputs["report"]
    tco2 = sum(ln["tco2"] for ln in lines if ln["tco2"] is not None)
    header = {"region": rep.get("region"), "unit_id": str(rep["enterprise"])[:200], "year": rep["year"],
              "method": result["method"], "factor_set": result["factor_set"], "gwp_set": result["gwp_set"],
              "electricity_conversion": None, "source_name": inputs["file"][:300], "tco2": float(tco2),
              "tco2e": float(result["total"]), "energy_tce": None}
    run_id = store_run(session, "enterprise", inputs, result, lines, actor=actor, header=header,
                       rows=max(1, len(rep.get("fuels", [])) + len(rep.get("processes", []))))
    return get_run(session, run_id)


@dataclass(frozen=True)
class EnterprisePreview:
    """An enterprise report accounted and not stored: the engine's result, and it as JSON (with the
    uncertainty when asked)."""

    result: EnterpriseResult
    data: dict[str, Any]


def preview_enterprise(report: Path, *, enterprise: str | None = None, year: int | None = None,
                       sector: str = "generic", uncertainty: bool = False) -> EnterprisePreview:
    """An enterprise report file (205-1 workbook or JSON) accounted, not stored; ``uncertainty`` adds a 95 %
    interval (IPCC Approach 1).

    Raises
    ------
    ImportDataError, UnknownProductError, UnitError, NegativeQuantityError, FactorNotFoundError
        For a bad file, row or field (named in the error).
    """
    if report.suffix.lower() in _WORKBOOK_SUFFIXES:
        if enterprise is None or year is None:
            msg = "an Excel (205-1) report needs the enterprise's name and the year"
            raise ImportDataError(msg)
        rep = read_report_205_1(report, enterprise=enterprise, year=year, sector=sector)
    else:
        rep = read_report_json(report)
    res = enterprise_emissions(rep, file=report.name)
    data: dict[str, Any] = res.model_dump(mode="json")
    if uncertainty:
        data["uncertainty"] = enterprise_uncertainty(res).model_dump(mode="json")
    return EnterprisePreview(result=res, data=data)
