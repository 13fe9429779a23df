"""Export a run in IAMC long format (model, scenario, region, variable, unit, year, value) and to Excel."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from tanfeng.cells import csv_row, xlsx_safe
from tanfeng.errors import InputError, at
from tanfeng.scenarios.catalog import load_catalog

__all__ = ["IAMC_COLUMNS", "MODEL", "iamc_csv", "iamc_rows", "workbook_bytes", "write_export"]

MODEL = "tanfeng"
IAMC_COLUMNS = ("model", "scenario", "region", "variable", "unit", "year", "value")


def _region_name(code: str) -> str:
    return f"CN|{code}"


def iamc_rows(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """Long rows from :func:`run_detail`: emissions per region (with the 5/95 % band), emissions and fossil
    energy per region and sector, the land-use sink and net emissions (years the sink is known), and the
    wedges of the region."""
    scenario = detail["scenario"]
    view = detail["electricity_accounting"]
    rows: list[dict[str, Any]] = []

    def add(region: str, variable: str, year: int, value: float, unit: str = "Mt CO2/yr") -> None:
        rows.append({"model": MODEL, "scenario": scenario, "region": _region_name(region),
                     "variable": variable, "unit": unit, "year": year, "value": value})

    for reg in detail["regions"]:
        for y in reg["emissions"]:
            add(reg["region"], f"Emissions|CO2|{view.title()}-based", y["year"], y["mtco2"])
            add(reg["region"], f"Emissions|CO2|{view.title()}-based|P5", y["year"], y["low"])
            add(reg["region"], f"Emissions|CO2|{view.title()}-based|P95", y["year"], y["high"])
    names = {s.id: s.name_en for s in load_catalog().sectors}
    first = detail["regions"][0]["emissions"][0]["year"]
    for sec in detail["sectors"]:
        for year, value, energy in zip(detail["sector_years"], sec["values"], sec["energy_mtce"], strict=True):
            if year >= first:
                add(sec["region"], f"Emissions|CO2|{names[sec['sector']]}", year, value)
                add(sec["region"], f"Energy|Fossil Fuel Use|{names[sec['sector']]}", year, energy, "Mtce/yr")
    for reg in detail.get("sinks", {}).get("regions", []):
        for y in reg["years"]:
            add(reg["region"], "Carbon Sequestration|Land Use", y["year"], y["sink_mtco2"])
            add(reg["region"], "Emissions|CO2|Net of Land Use Sink", y["year"], y["net_mtco2"])
    for w in detail["wedges"]:
        if w["region"] == "150000":
            for year, value in zip(detail["wedge_years"], w["values"], strict=True):
                if year >= first:
                    add("150000", f"Emissions|CO2|Wedge|{w['lever']}", year, value)
    return rows


def iamc_csv(detail: dict[str, Any]) -> str:
    """The IAMC rows as CSV text (UTF-8, no BOM: pandas and pyam read it as is)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=IAMC_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(dict(zip(IAMC_COLUMNS, csv_row(r[c] for c in IAMC_COLUMNS), strict=True))
                     for r in iamc_rows(detail))
    return buf.getvalue()


def workbook_bytes(detail: dict[str, Any]) -> bytes:
    """An Excel workbook: the IAMC rows, the league order, the target checks and what the figures are."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = "iamc"
    ws.append(list(IAMC_COLUMNS))
    for r in iamc_rows(detail):
        ws.append([r[c] for c in IAMC_COLUMNS])
    for title, items in (("leagues", detail["leagues"]), ("targets", detail["targets"])):
        sheet = wb.create_sheet(title)
        if items:
            sheet.append(list(items[0]))
            for item in items:
                sheet.append([", ".join(map(str, v)) if isinstance(v, list) else str(v) if isinstance(v, dict) else v
                              for v in item.values()])
    note = wb.create_sheet("about")
    note.append(["electricity_accounting", detail["electricity_accounting"]])
    note.append(["source", detail["history"]["source"]])
    note.append(["note", detail["history"]["note"]])
    buf = io.BytesIO()
    xlsx_safe(wb).save(buf)
    return buf.getvalue()


def write_export(detail: dict[str, Any], *, to: str, out: Path) -> dict[str, Any]:
    """Write ``iamc`` (CSV) or ``xlsx`` to ``out``."""
    if to == "iamc":
        out.write_text(iamc_csv(detail), encoding="utf-8")
    elif to == "xlsx":
        out.write_bytes(workbook_bytes(detail))
    else:
        msg = f"unknown export format '{to}'"
        raise InputError(msg, location=at(field="to"), hint="use iamc or xlsx")
    return {"scenario": detail["scenario"], "to": to, "file": str(out), "rows": len(iamc_rows(detail)),
            "electricity_accounting": detail["electricity_accounting"]}
