"""A regional inventory from an energy balance: import, compute, store as a run; or compute without storing.

A stored inventory keeps the balance in long form after import (with production and sinks when given) and
every option; its lines are one per emission cell (combustion), process and energy-consumption cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import polars as pl
from sqlalchemy.orm import Session

from tanfeng.accounting.combustion import combustion_co2
from tanfeng.accounting.importers import read_balance, read_production, read_sinks
from tanfeng.accounting.inventory import Inventory, InventoryResult, regional_inventory
from tanfeng.accounting.uncertainty import inventory_uncertainty
from tanfeng.errors import ImportDataError, InputError, at
from tanfeng.reference.factors import FactorRecord
from tanfeng.reference.products import catalogue
from tanfeng.services.accounting._files import readable, source_name
from tanfeng.services.accounting._stored import (
    BALANCE_SCHEMA,
    PRODUCTION_SCHEMA,
    SINKS_SCHEMA,
    clean,
    frame_from_json,
    frame_to_json,
    worst_confidence,
)
from tanfeng.services.accounting.runs import get_run, store_run
from tanfeng.services.accounting.schemas import ElectricityConversion, InventoryOptions, RunDetail

__all__ = [
    "InventoryPreview",
    "Source",
    "compute_inventory",
    "inventory_inputs",
    "preview_inventory",
    "run_inventory",
]

Source = str | Path | pl.DataFrame

_BALANCE_COLUMNS = ("region", "year", "flow", "sector", "product", "value")


def _read_optional(source: Source | None, reader: Callable[[str | Path], pl.DataFrame],
                   fallback_name: str) -> pl.DataFrame | None:
    """A production or sinks table: the frame given, the file read, or None."""
    with readable(fallback_name if source is None or isinstance(source, pl.DataFrame) else Path(source).name):
        return source if isinstance(source, pl.DataFrame | None) else reader(source)


def inventory_inputs(balance: Source, *, region: str | None, year: int | None, options: InventoryOptions,
                     production: Source | None, sinks: Source | None, file_name: str | None) -> dict[str, Any]:
    """What an inventory run keeps as its inputs: the file's name, the tables in long form, the options.

    Raises
    ------
    ImportDataError
        A file that cannot be read, or a balance without the long-form columns.
    """
    name = source_name(balance, file_name)
    with readable(name):
        frame = balance if isinstance(balance, pl.DataFrame) else read_balance(balance, region=region, year=year)
    missing = [c for c in _BALANCE_COLUMNS if c not in frame.columns]
    if missing:
        msg = f"the balance lacks columns {missing}"
        raise ImportDataError(msg, location=at(name))
    prod = _read_optional(production, read_production, name)
    snk = _read_optional(sinks, read_sinks, name)
    inputs: dict[str, Any] = clean({
        "file": name,
        "balance": frame_to_json(frame, BALANCE_SCHEMA),
        "production": None if prod is None else frame_to_json(prod, PRODUCTION_SCHEMA),
        "sinks": None if snk is None else frame_to_json(snk, SINKS_SCHEMA),
        "options": options.model_dump(mode="json"),
    })
    return inputs


def _combustion_lines(inv: Inventory, summary: InventoryResult) -> list[dict[str, Any]]:
    """One line per emission cell: activity × the fuel's CO2 factor (records of the factor set)."""
    products = catalogue()
    fuel_records: dict[str, list[FactorRecord]] = {}
    for product, factor in summary.fuel_factors.items():
        if factor:
            fuel_records[product] = combustion_co2(1.0, products[product].balance_unit, products[product],
                                                   factors=summary.factor_set).factors
    lines: list[dict[str, Any]] = []
    for cell in inv.cells.sort("region", "year", "sector", "product").iter_rows(named=True):
        records = fuel_records.get(cell["product"], [])
        unit = summary.balance_units[cell["product"]]
        lines.append({
            "category": "combustion", "region": cell["region"], "year": cell["year"], "sector": cell["sector"],
            "product": cell["product"], "gas": "CO2", "activity": cell["activity"], "activity_unit": unit,
            "factor_id": " + ".join(r.id for r in records) or None, "factor_value": cell["ef"],
            "factor_unit": f"tCO2/{unit}",
            "factor_source": "; ".join(dict.fromkeys(r.source for r in records)) or None,
            "factor_confidence": worst_confidence([r.confidence for r in records]),
            "formula": "E = (final consumption − non-energy use, or input to power and heat) × EF" if records
            else "non-fossil or secondary energy: no combustion CO2 counted here",
            "tco2": cell["tco2"], "tco2e": None, "tce": None})
    return lines


def _process_lines(inv: Inventory, summary: InventoryResult) -> list[dict[str, Any]]:
    """One line per industrial process: production × EF."""
    records = {r.id: r for r in summary.factors}
    lines: list[dict[str, Any]] = []
    for process in inv.processes.sort("region", "year", "process").iter_rows(named=True):
        rec = records.get(process["factor_id"])
        lines.append({
            "category": "process", "region": process["region"], "year": process["year"],
            "sector": "industrial_processes", "product": process["process"], "gas": "CO2",
            "activity": process["value"], "activity_unit": "t", "factor_id": process["factor_id"],
            "factor_value": process["ef"], "factor_unit": "tCO2/t",
            "factor_source": rec.source if rec else None, "factor_confidence": rec.confidence if rec else None,
            "formula": "E = production × EF", "tco2": process["tco2"], "tce": None, "tco2e": None})
    return lines


def _energy_lines(inv: Inventory, summary: InventoryResult) -> list[dict[str, Any]]:
    """One line per energy-consumption cell: activity × the GB/T 2589 coefficient (or the supply coal rate)."""
    records = {r.key: r for r in summary.energy_factors}
    lines: list[dict[str, Any]] = []
    for cell in inv.energy.sort("region", "year", "sector", "product").iter_rows(named=True):
        unit = summary.balance_units[cell["product"]]
        rec = records.get(cell["product"])
        equal = cell["product"] == "electricity" and summary.electricity_conversion == "equal"
        lines.append({
            "category": "energy_consumption", "region": cell["region"], "year": cell["year"],
            "sector": cell["sector"], "product": cell["product"], "gas": None, "activity": cell["activity"],
            "activity_unit": unit, "factor_id": None if equal or rec is None else rec.id,
            "factor_value": summary.energy_coefficients[cell["product"]], "factor_unit": f"tce/{unit}",
            "factor_source": ("supply coal rate given by the caller (等价值)" if equal
                              else rec.source if rec else "GB/T 2589: 1 kgce = 29307 kJ"),
            "factor_confidence": None if equal or rec is None else rec.confidence,
            "formula": "tce = (final consumption + transformation input − output + loss) × GB/T 2589 coefficient",
            "tco2": None, "tco2e": None, "tce": cell["tce"]})
    return lines


def compute_inventory(inputs: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """An inventory run's result (JSON) and its lines, from its stored inputs."""
    opts = InventoryOptions.model_validate(inputs["options"])
    grid: str | dict[int, float] | None = opts.electricity_region
    if opts.electricity_factors is not None:
        grid = dict(opts.electricity_factors)
    inv = regional_inventory(
        frame_from_json(inputs["balance"], BALANCE_SCHEMA), factor_set=opts.factor_set, electricity_factor=grid,
        heat_factor_version=opts.heat_factor_version,
        production=None if inputs["production"] is None else frame_from_json(inputs["production"], PRODUCTION_SCHEMA),
        sinks=None if inputs["sinks"] is None else frame_from_json(inputs["sinks"], SINKS_SCHEMA),
        file=inputs["file"], electricity_conversion=opts.electricity_conversion,
        supply_coal_rate=opts.supply_coal_rate)
    summary = inv.summary()
    result = clean(summary.model_dump(mode="json"))
    lines = _combustion_lines(inv, summary) + _process_lines(inv, summary) + _energy_lines(inv, summary)
    return result, lines


def _only(values: list[Any]) -> Any:
    """The one distinct non-null value, or None when there are none or several."""
    distinct = sorted({v for v in values if v is not None}, key=str)
    return distinct[0] if len(distinct) == 1 else None


def run_inventory(session: Session, balance: Source, *, region: str | None = None,
                  year: int | None = None, options: InventoryOptions | None = None, actor: str,
                  production: Source | None = None, sinks: Source | None = None,
                  file_name: str | None = None) -> RunDetail:
    """Import a balance table (CSV/Excel, NBS layout or long form) or take a long-form frame, compute the
    regional inventory and store the run.

    Raises
    ------
    ImportDataError, UnknownProductError, UnitError, NegativeQuantityError, FactorNotFoundError
        For a bad file, row or field (named in the error); nothing is stored.
    """
    options = options or InventoryOptions()
    inputs = inventory_inputs(balance, region=region, year=year, options=options, production=production,
                              sinks=sinks, file_name=file_name)
    result, lines = compute_inventory(inputs)
    totals = result["totals"]
    regions = sorted({str(t["region"]) for t in totals})
    header = {
        "region": ",".join(regions)[:100] or None, "unit_id": None, "year": _only([t["year"] for t in totals]),
        "method": result["method"], "factor_set": result["factor_set"], "gwp_set": None,
        "electricity_conversion": result["electricity_conversion"], "source_name": inputs["file"][:300],
        "tco2": float(sum(t["gross"] for t in totals)), "tco2e": None,
        "energy_tce": float(sum(t["energy_tce"] for t in totals)),
    }
    run_id = store_run(session, "inventory", inputs, result, lines, actor=actor, header=header,
                       rows=len(inputs["balance"]["rows"]))
    return get_run(session, run_id)


@dataclass(frozen=True)
class InventoryPreview:
    """An inventory computed and not stored: the engine's summary, and it as JSON with the uncertainty if asked."""

    summary: InventoryResult
    data: dict[str, Any]


def preview_inventory(balance: Path, *, region: str | None = None, year: int | None = None,
                      factor_set: str = "china", electricity_region: str | None = None,
                      production: Path | None = None, sinks: Path | None = None,
                      electricity_conversion: ElectricityConversion = "equivalent",
                      supply_coal_rate: float | None = None, uncertainty: int = 0, draws: int = 10_000,
                      seed: int = 0) -> InventoryPreview:
    """A regional inventory from a balance file, not stored; ``uncertainty`` 1 propagates errors, 2 draws.

    Raises
    ------
    InputError
        ``uncertainty`` is not 0, 1 or 2.
    ImportDataError, UnknownProductError, UnitError, NegativeQuantityError, FactorNotFoundError
        For a bad file, row or field (named in the error).
    """
    frame = read_balance(balance, region=region, year=year)
    inv = regional_inventory(frame, factor_set=factor_set, electricity_factor=electricity_region, file=balance.name,
                             production=read_production(production) if production else None,
                             sinks=read_sinks(sinks) if sinks else None,
                             electricity_conversion=electricity_conversion, supply_coal_rate=supply_coal_rate)
    summary = inv.summary()
    data: dict[str, Any] = summary.model_dump(mode="json")
    if uncertainty:
        if uncertainty not in (1, 2):
            msg = f"uncertainty must be 0, 1 or 2, not {uncertainty}"
            raise InputError(msg, location=at(field="uncertainty"))
        approach: Literal[1, 2] = 1 if uncertainty == 1 else 2
        data["uncertainty"] = inventory_uncertainty(inv, approach=approach, draws=draws,
                                                    seed=seed).model_dump(mode="json")
    return InventoryPreview(summary=summary, data=data)
