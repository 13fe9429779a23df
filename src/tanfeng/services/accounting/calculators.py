"""Calculations that store nothing: standard coal, the CO2 of a fuel burnt or of electricity used, the factors.

:func:`compute_combustion` and :func:`compute_electricity` are also what a stored run of those kinds keeps and
recomputes: the engine's result as JSON and the one line that explains it.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from tanfeng.accounting.combustion import CombustionResult, combustion_co2
from tanfeng.accounting.conversion import to_standard_coal
from tanfeng.accounting.electricity import ElectricityResult, electricity_co2
from tanfeng.errors import UnitError, at
from tanfeng.reference.factors import FactorRecord, library
from tanfeng.services.accounting._stored import clean, worst_confidence
from tanfeng.services.accounting.schemas import (
    CombustionRequest,
    ConversionOut,
    ElectricityConversion,
    ElectricityRequest,
)
from tanfeng.units import convert as convert_unit
from tanfeng.units import dimension_of

__all__ = [
    "combustion",
    "combustion_result",
    "compute_combustion",
    "compute_electricity",
    "conversion_detail",
    "convert",
    "electricity",
    "electricity_result",
    "list_factors",
]


def combustion_result(value: float, unit: str, product: str, *, factors: str = "china", ncv: float | None = None,
                      ncv_unit: str | None = None, carbon_content: float | None = None,
                      oxidation: float | None = None, gwp_set: str | None = None) -> CombustionResult:
    """CO2 of a fuel burnt (not stored), as the engine gives it: every number used and its source."""
    return combustion_co2(value, unit, product, factors=factors, ncv=ncv, ncv_unit=ncv_unit,
                          carbon_content=carbon_content, oxidation=oxidation, gwp_set=gwp_set)


def electricity_result(value: float, unit: str, region: str, year: int, *, kind: str = "average") -> ElectricityResult:
    """Indirect CO2 of electricity (not stored) at the grid factor of a region and data year."""
    return electricity_co2(value, unit, region, year, kind=kind)


def compute_combustion(inputs: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A combustion run's result (JSON) and its line, from its stored inputs (``request``)."""
    req = CombustionRequest.model_validate(inputs["request"])
    res = combustion_result(req.value, req.unit, req.product, factors=req.factors, ncv=req.ncv,
                            ncv_unit=req.ncv_unit, carbon_content=req.carbon_content, oxidation=req.oxidation,
                            gwp_set=req.gwp_set)
    per_tj = res.co2_factor_unit == "tCO2/TJ" and res.heat_gj is not None
    activity, unit = (res.heat_gj / 1000, "TJ") if per_tj and res.heat_gj is not None else (res.input_value, res.input_unit)
    line = {"category": "combustion", "region": None, "year": None, "sector": None, "product": res.product,
            "gas": "CO2", "activity": activity, "activity_unit": unit,
            "factor_id": " + ".join(r.id for r in res.factors) or None, "factor_value": res.co2_factor,
            "factor_unit": res.co2_factor_unit, "factor_source": res.source,
            "factor_confidence": worst_confidence([r.confidence for r in res.factors]), "formula": res.formula,
            "tco2": res.tco2, "tco2e": res.tco2e, "tce": None}
    return clean(res.model_dump(mode="json")), [line]


def compute_electricity(inputs: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """An electricity run's result (JSON) and its line, from its stored inputs (``request``)."""
    req = ElectricityRequest.model_validate(inputs["request"])
    res = electricity_result(req.value, req.unit, req.region, req.year, kind=req.kind)
    rec = res.factor_record
    line = {"category": "electricity", "region": res.region, "year": res.year, "sector": None,
            "product": "electricity", "gas": "CO2", "activity": res.input_value, "activity_unit": res.input_unit,
            "factor_id": rec.id, "factor_value": res.factor, "factor_unit": res.factor_unit, "factor_source": rec.source,
            "factor_confidence": rec.confidence, "formula": res.formula, "tco2": res.tco2, "tco2e": None, "tce": None}
    return clean(res.model_dump(mode="json")), [line]


def combustion(req: CombustionRequest) -> dict[str, Any]:
    """CO2 of a fuel burnt (not stored): the engine's :class:`CombustionResult` as JSON."""
    return compute_combustion({"request": req.model_dump(mode="json")})[0]


def electricity(req: ElectricityRequest) -> dict[str, Any]:
    """Indirect CO2 of electricity (not stored): the engine's :class:`ElectricityResult` as JSON."""
    return compute_electricity({"request": req.model_dump(mode="json")})[0]


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


def conversion_detail(value: float, unit: str, product: str, *, to: str = "tce",
                      electricity: ElectricityConversion = "equivalent", supply_coal_rate: float | None = None,
                      lhv: float | None = None, lhv_unit: str | None = None, variant: str = "") -> dict[str, Any]:
    """The engine's whole conversion to standard coal as JSON (heating value used, factor record), with
    ``value`` and ``unit`` in the standard-coal unit ``to``."""
    res = to_standard_coal(value, unit, product, electricity=electricity, supply_coal_rate=supply_coal_rate,
                           lhv=lhv, lhv_unit=lhv_unit, variant=variant)
    data: dict[str, Any] = res.model_dump(mode="json")
    data["value"] = convert_unit(res.value, "tce", to)
    data["unit"] = to
    return data


def _factor_record(row: dict[str, Any]) -> FactorRecord:
    """A row of the factor library's frame (text cells) as a record."""
    return FactorRecord(
        id=row["id"], what=row["what"], key=row["key"], variant=row["variant"], region=row["region"] or "CN",
        year=int(row["year"]) if row["year"] else None, value=float(row["value"]),
        value_high=float(row["value_high"]) if row["value_high"] else None, unit=row["unit"],
        version=row["version"], source=row["source"],
        source_year=int(row["source_year"]) if row["source_year"] else None,
        method=row["method"], confidence=row["confidence"], note=row["note"])


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
    return [_factor_record(row) for row in df.iter_rows(named=True)]
