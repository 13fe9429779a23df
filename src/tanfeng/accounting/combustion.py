"""CO2 from fuel combustion: E = FC × NCV × CC × OF × 44/12 (GB/T 32150; IPCC 2006 Vol.2 Ch.2).

Factor sets (named per calculation and recorded in the result):

- ``china``: the Chinese default table (《省级温室气体清单编制指南(试行)》 carbon columns with GB/T 2589 NCVs,
  version ``cn-provincial-2011``), and for fuels that table lacks, the MEE enterprise-guideline defaults
  (``mee-guideline-2013``). The version used is named in every result.
- ``ipcc2006``: IPCC 2006 Tier 1 defaults (CO2 per TJ; full oxidation). Its NCVs are C (recalled).
- ``mee2013``: the MEE enterprise-guideline defaults only.

With the default NCV the published CO2 factor is used as printed (raw coal 1.9003 tCO2/t); a measured NCV,
carbon content or oxidation rate replaces the default and the factor is recomputed from the formula.
"""

from __future__ import annotations

from typing import Any, Literal

import pint
from pydantic import BaseModel

from tanfeng.accounting.conversion import _nonnegative
from tanfeng.errors import FactorNotFoundError, HeatingValueRequiredError, InputError, Location, UnitError
from tanfeng.reference.factors import FactorLibrary, FactorRecord, library
from tanfeng.reference.products import Product, check_unit, get_product
from tanfeng.units import dimension_of, parse_unit, registry

__all__ = ["CO2_PER_C", "FACTOR_SETS", "CombustionResult", "FactorSet", "combustion_co2", "fuel_version"]

FactorSet = Literal["china", "ipcc2006", "mee2013"]

FACTOR_SETS: dict[str, tuple[str, ...]] = {
    "china": ("cn-provincial-2011", "mee-guideline-2013"),
    "ipcc2006": ("ipcc2006",),
    "mee2013": ("mee-guideline-2013",),
}
"""Versions a factor set draws on, in order: the first version that has the fuel is used (and recorded)."""

CO2_PER_C = 44.0 / 12.0
"""Mass ratio CO2/C (IPCC 2006; GB/T 32150)."""


class CombustionResult(BaseModel):
    """CO2 of one fuel burnt, with every number used and where it came from."""

    product: str
    product_zh: str
    input_value: float
    input_unit: str
    factor_set: str
    version: str
    tco2: float
    heat_gj: float | None = None
    ncv: float | None = None
    ncv_unit: str | None = None
    carbon_content_tc_per_tj: float | None = None
    oxidation: float | None = None
    co2_factor: float
    co2_factor_unit: str
    method: str
    formula: str
    measured: list[str] = []
    factors: list[FactorRecord] = []
    source: str
    gwp_set: str | None = None
    ch4_t: float | None = None
    n2o_t: float | None = None
    tco2e: float | None = None


def fuel_version(product: str, factor_set: str, lib: FactorLibrary) -> str:
    """The version of ``factor_set`` that covers ``product``.

    Raises
    ------
    FactorNotFoundError
        If no version of the set has factors for the product; the message lists the products it covers.
    """
    if factor_set not in FACTOR_SETS:
        msg = f"unknown factor set '{factor_set}'"
        raise FactorNotFoundError(msg, hint=f"factor sets: {', '.join(FACTOR_SETS)}")
    covered: set[str] = set()
    for version in FACTOR_SETS[factor_set]:
        keys = set(lib.keys("co2_ef", version)) | set(lib.keys("carbon_content", version)) | set(
            lib.keys("co2_ef_heat", version))
        if product in keys:
            return version
        covered |= keys
    msg = f"factor set '{factor_set}' has no combustion factor for '{product}'"
    raise FactorNotFoundError(msg, hint=f"it covers: {', '.join(sorted(covered - {'coal_unmeasured'}))}")


def _ef_heat(product: str, version: str, lib: FactorLibrary, carbon_content: float | None,
             oxidation: float | None, used: list[FactorRecord]) -> tuple[float, float, float]:
    """CO2 per TJ (t/TJ), carbon content (tC/TJ) and oxidation rate."""
    ureg = registry()
    if lib.has("co2_ef_heat", product, version=version) and carbon_content is None:
        rec = lib.find("co2_ef_heat", product, version=version)
        used.append(rec)
        ef = ureg.Quantity(rec.value, parse_unit(rec.unit)).to("tCO2/TJ").magnitude
        cc = ef / CO2_PER_C
    else:
        if carbon_content is None:
            rec = lib.find("carbon_content", product, version=version)
            used.append(rec)
            cc = ureg.Quantity(rec.value, parse_unit(rec.unit)).to("tC/TJ").magnitude
        else:
            cc = carbon_content
        ef = cc * CO2_PER_C
    if oxidation is None:
        rec = lib.find("oxidation", product, version=version)
        used.append(rec)
        of = rec.value
    else:
        of = oxidation
    return float(ef * of), float(cc), float(of)


def combustion_co2(
    value: float,
    unit: str,
    product: str | Product,
    *,
    factors: str = "china",
    ncv: float | None = None,
    ncv_unit: str | None = None,
    carbon_content: float | None = None,
    oxidation: float | None = None,
    gwp_set: str | None = None,
    lib: FactorLibrary | None = None,
    where: Location | None = None,
) -> CombustionResult:
    """CO2 (t) from burning ``value`` ``unit`` of ``product``.

    Parameters
    ----------
    value
        Fuel burnt, in ``unit``; must not be negative.
    unit
        A unit that fits the product (t, 万吨, m³, 万立方米), or an energy unit (GJ, TJ) read as heat on a
        net-calorific-value basis.
    product
        Product id or Chinese name.
    factors
        Factor set: ``china``, ``ipcc2006`` or ``mee2013``.
    ncv
        Measured net calorific value, in ``ncv_unit`` (default GJ/t for solids and liquids, GJ/万m³ for gases).
    ncv_unit
        Unit of ``ncv``.
    carbon_content
        Measured carbon content per unit heat, tC/TJ (= kgC/GJ).
    oxidation
        Measured oxidation rate, a fraction (0–1].
    gwp_set
        SAR, AR4, AR5 or AR6: also count CH4 and N2O (t, and tCO2e with this GWP set) where the factor set
        has them (``ipcc2006``); ``None`` counts CO2 only.
    lib
        Factor library (default: the shipped one).
    where
        Where the input was read, quoted in errors.

    Raises
    ------
    UnknownProductError, UnitError, NegativeQuantityError
        For bad input.
    FactorNotFoundError
        If the factor set lacks the fuel (the message lists the fuels it has).
    HeatingValueRequiredError
        If the quantity is physical, the set has no NCV that fits (IPCC NCVs are per mass) and none was given.
    """
    lib = lib or library()
    fuel = product if isinstance(product, Product) else get_product(product, where=where)
    _check_fuel_input(fuel, value, unit, oxidation, where)
    if not fuel.fossil:
        return _non_fossil(fuel, value, unit, factors)
    version = fuel_version(fuel.id, factors, lib)
    used: list[FactorRecord] = []
    measured = [n for n, v in (("ncv", ncv), ("carbon_content", carbon_content), ("oxidation", oxidation)) if v is not None]
    quantity = registry().Quantity(value, parse_unit(unit))
    common = {"product": fuel.id, "product_zh": fuel.name_zh, "input_value": value, "input_unit": unit,
              "factor_set": factors, "version": version, "measured": measured}

    # printed factor per physical unit, used as published when nothing was measured
    if (dimension_of(unit) != "energy" and not measured and gwp_set is None
            and lib.has("co2_ef", fuel.id, version=version)):
        return _published_factor(quantity, fuel, version, lib, common)
    heat_tj, ncv_used, ncv_unit_used = _heat(quantity, unit, fuel, ncv, ncv_unit, version, lib, used, where)
    ef_tj, cc, of = _ef_heat(fuel.id, version, lib, carbon_content, oxidation, used)
    tco2 = heat_tj * ef_tj
    extra = _non_co2(fuel.id, version, heat_tj, tco2, gwp_set, lib, used) if gwp_set is not None else {}
    return CombustionResult(
        **common, tco2=tco2, heat_gj=heat_tj * 1000, ncv=ncv_used, ncv_unit=ncv_unit_used,
        carbon_content_tc_per_tj=cc, oxidation=of, co2_factor=ef_tj, co2_factor_unit="tCO2/TJ",
        method="heat × carbon per unit heat × oxidation × 44/12",
        formula="E = FC × NCV × CC × OF × 44/12", factors=used,
        source="; ".join(dict.fromkeys(r.source for r in used)) or "measured values given by the user",
        **extra,
    )


def _non_fossil(fuel: Product, value: float, unit: str, factors: str) -> CombustionResult:
    """A non-fossil fuel: no fossil CO2 is counted (biogenic CO2 is a memo item)."""
    return CombustionResult(
        product=fuel.id, product_zh=fuel.name_zh, input_value=value, input_unit=unit, factor_set=factors,
        version="-", tco2=0.0, co2_factor=0.0, co2_factor_unit="tCO2", method="non-fossil: no fossil CO2 counted",
        formula="0", source="IPCC 2006 Vol.2 Ch.2: biogenic CO2 is reported as a memo item, not in the total",
    )


def _published_factor(quantity: pint.Quantity, fuel: Product, version: str, lib: FactorLibrary,  # type: ignore[type-arg]
                      common: dict[str, Any]) -> CombustionResult:
    """A physical quantity at the version's printed CO2 factor per unit (raw coal 1.9003 tCO2/t), as published."""
    rec = lib.find("co2_ef", fuel.id, version=version)
    tco2 = (quantity * registry().Quantity(rec.value, parse_unit(rec.unit))).to("tCO2").magnitude
    return CombustionResult(
        **common, tco2=float(tco2), co2_factor=rec.value, co2_factor_unit=rec.unit,
        method="published CO2 factor per physical unit", formula="E = FC × EF", factors=[rec], source=rec.source,
    )


def _check_fuel_input(fuel: Product, value: float, unit: str, oxidation: float | None,
                      where: Location | None) -> None:
    """Refuse a negative quantity, a unit that does not fit, energy bought in, an oxidation rate outside (0, 1]."""
    _nonnegative(value, "fuel consumption", where)
    check_unit(fuel, unit, where=where)
    if fuel.id in ("electricity", "heat"):
        msg = f"{fuel.id} is not burnt on site; its CO2 is an indirect emission"
        raise InputError(msg, location=where, hint="use the electricity/heat accounting (tanfeng account electricity)")
    if oxidation is not None and not 0 < oxidation <= 1:
        msg = f"oxidation rate must be in (0, 1], got {oxidation}"
        raise InputError(msg, location=where, hint="give a fraction, e.g. 0.98")


def _heat(quantity: pint.Quantity, unit: str, fuel: Product, ncv: float | None, ncv_unit: str | None, version: str,  # type: ignore[type-arg]
          lib: FactorLibrary, used: list[FactorRecord],
          where: Location | None) -> tuple[float, float | None, str | None]:
    """The heat burnt (TJ) and, for a physical quantity, the NCV applied to it and its unit.

    A quantity in energy units is the heat itself (no NCV may be given); a physical one is multiplied by the
    measured NCV, else the version's default.
    """
    if dimension_of(unit) == "energy":
        if ncv is not None:
            msg = "an NCV applies to a physical quantity (t, m³), not to one given in energy units"
            raise UnitError(msg, location=where)
        return float(quantity.to("TJ").magnitude), None, None
    if ncv is not None:
        _nonnegative(ncv, "NCV", where)
        ncv_unit_used = ncv_unit or ("GJ/t" if fuel.dimension == "mass" else "GJ/wan_m3")
        ncv_quantity = registry().Quantity(ncv, parse_unit(ncv_unit_used))
    else:
        if not lib.has("ncv", fuel.id, version=version):
            msg = f"version '{version}' has no NCV for {fuel.id}"
            raise HeatingValueRequiredError(msg, location=where, hint="give the measured NCV (ncv, ncv_unit)")
        ncv_rec = lib.find("ncv", fuel.id, version=version)
        used.append(ncv_rec)
        ncv_unit_used = ncv_rec.unit
        ncv_quantity = registry().Quantity(ncv_rec.value, parse_unit(ncv_unit_used))
    heat = quantity * ncv_quantity
    if dimension_of(str(heat.units)) != "energy":
        msg = f"the NCV in {ncv_unit_used} does not fit {unit} of {fuel.id}"
        raise HeatingValueRequiredError(
            msg, location=where, hint=f"give a measured NCV per {fuel.dimension} unit (ncv, ncv_unit)")
    return float(heat.to("TJ").magnitude), float(ncv_quantity.magnitude), ncv_unit_used


def _non_co2(product: str, version: str, heat_tj: float, tco2: float, gwp_set: str, lib: FactorLibrary,
             used: list[FactorRecord]) -> dict[str, object]:
    """CH4 and N2O (t) from heat (TJ) and the factor set's kg/TJ factors, and the total in tCO2e."""
    if not (lib.has("ch4_ef_heat", product, version=version) and lib.has("n2o_ef_heat", product, version=version)):
        msg = f"version '{version}' has no CH4/N2O factors for {product}"
        raise FactorNotFoundError(msg, hint="CH4 and N2O defaults exist in: " + ", ".join(lib.versions("ch4_ef_heat")))
    ch4 = lib.find("ch4_ef_heat", product, version=version)
    n2o = lib.find("n2o_ef_heat", product, version=version)
    g_ch4, g_n2o = lib.gwp("CH4", gwp_set), lib.gwp("N2O", gwp_set)
    used += [ch4, n2o, g_ch4, g_n2o]
    ch4_t, n2o_t = heat_tj * ch4.value / 1000, heat_tj * n2o.value / 1000
    return {"gwp_set": gwp_set, "ch4_t": ch4_t, "n2o_t": n2o_t,
            "tco2e": tco2 + ch4_t * g_ch4.value + n2o_t * g_n2o.value}
