"""Standard-coal conversion (GB/T 2589 《综合能耗计算通则》).

E = Σ eᵢ × pᵢ: physical quantity times the published reference coefficient (附录A). The coefficients are
stored as published (raw coal 0.7143 kgce/kg), never recomputed from the kJ column (20908/29307 = 0.7134).
A measured lower heating value given by the user overrides the default: p = LHV / 29 307 kJ per kgce.
Electricity is converted by 当量值 (0.1229 kgce/kWh) or 等价值 (a given year's supply coal rate, gce/kWh),
chosen per calculation and recorded in the result.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from tanfeng.errors import HeatingValueRequiredError, InputError, Location, NegativeQuantityError, UnitError
from tanfeng.reference.factors import FactorLibrary, FactorRecord, library
from tanfeng.reference.products import Product, check_unit, get_product
from tanfeng.units import dimension_of, parse_unit, registry

__all__ = ["KGCE_KJ", "ConversionResult", "ElectricityMethod", "from_standard_coal", "to_standard_coal"]

ElectricityMethod = Literal["equivalent", "equal"]

KGCE_KJ = 29307.0
"""Lower heating value of 1 kgce in kJ (GB/T 2589 definition of standard coal)."""


class ConversionResult(BaseModel):
    """A quantity of energy converted to standard coal, with what was used to convert it.

    ``value`` is in ``unit`` (tce). ``coefficient`` is in ``coefficient_unit`` (kgce per physical unit).
    """

    input_value: float
    input_unit: str
    product: str
    product_zh: str
    value: float
    unit: Literal["tce"] = "tce"
    coefficient: float
    coefficient_unit: str
    method: str
    electricity_method: ElectricityMethod | None = None
    supply_coal_rate_gce_per_kwh: float | None = None
    lhv: float | None = None
    lhv_unit: str | None = None
    factor: FactorRecord | None = None
    source: str


def _nonnegative(value: float, what: str, where: Location | None) -> None:
    if value < 0:
        msg = f"{what} must not be negative (got {value})"
        raise NegativeQuantityError(msg, location=where, hint="give consumption as a positive quantity")


def _coefficient_products(lib: FactorLibrary) -> str:
    return ", ".join(lib.keys("coal_coefficient"))


def to_standard_coal(
    value: float,
    unit: str,
    product: str | Product,
    *,
    electricity: ElectricityMethod = "equivalent",
    supply_coal_rate: float | None = None,
    lhv: float | None = None,
    lhv_unit: str | None = None,
    variant: str = "",
    lib: FactorLibrary | None = None,
    where: Location | None = None,
) -> ConversionResult:
    """Convert a physical quantity of an energy product to tonnes of standard coal (tce).

    Parameters
    ----------
    value
        Quantity consumed, in ``unit``; must not be negative.
    unit
        Unit of ``value`` (t, 万吨, m³, 万立方米, kWh, 万千瓦时, GJ …); must fit the product.
        An energy unit given for a fuel is read as heat content (NCV basis) and divided by 29 307 kJ/kgce.
    product
        Product id or Chinese name (``raw_coal``, 原煤).
    electricity
        For electricity: ``equivalent`` (当量值, 0.1229 kgce/kWh) or ``equal`` (等价值, the supply coal rate).
    supply_coal_rate
        For ``equal``: the year's supply coal rate in gce/kWh (grams of standard coal per kWh).
    lhv
        Measured lower heating value per unit of product, in ``lhv_unit``; overrides the default coefficient.
    lhv_unit
        Unit of ``lhv``: energy per unit of the product (kJ/kg, MJ/m³, GJ/t …); default kJ/kg or kJ/m³.
    variant
        A row of the table below the product (``gas_field`` natural gas, ``middlings`` other washed coal).
    lib
        Factor library (default: the shipped one).
    where
        Where the input was read, quoted in errors.

    Raises
    ------
    UnknownProductError, UnitError, NegativeQuantityError
        For bad input.
    HeatingValueRequiredError
        If the standard gives no single coefficient (a range, or no row) and no heating value was given.
    """
    lib = lib or library()
    fuel = product if isinstance(product, Product) else get_product(product, where=where)
    _nonnegative(value, "quantity", where)
    check_unit(fuel, unit, where=where)
    if fuel.id == "electricity" and lhv is None:
        return _electricity(value, unit, fuel, electricity, supply_coal_rate, lib, where)
    if lhv is not None:
        return _measured_heating_value(value, unit, fuel, lhv, lhv_unit, where)
    if dimension_of(unit) == "energy":
        if fuel.id == "heat":
            return _heat(value, unit, fuel, lib)
        return ConversionResult(
            input_value=value, input_unit=unit, product=fuel.id, product_zh=fuel.name_zh,
            value=float(registry().Quantity(value, parse_unit(unit)).to("tce").magnitude), coefficient=1 / KGCE_KJ,
            coefficient_unit="kgce/kJ", method="heat content (NCV basis) / 29307 kJ per kgce (GB/T 2589)",
            source="GB/T 2589 definition of standard coal: 1 kgce = 29307 kJ",
        )
    return _published_coefficient(value, unit, fuel, variant, lib, where)


def _electricity(value: float, unit: str, fuel: Product, electricity: ElectricityMethod,
                 supply_coal_rate: float | None, lib: FactorLibrary, where: Location | None) -> ConversionResult:
    """Electricity at the equal value (等价值: the year's supply coal rate) or the equivalent value (当量值)."""
    quantity = registry().Quantity(value, parse_unit(unit))
    if electricity == "equal":
        if supply_coal_rate is None:
            msg = "the equal-value (等价值) conversion of electricity needs the year's supply coal rate"
            raise InputError(msg, location=where, hint="pass supply_coal_rate in gce/kWh (e.g. --supply-coal-rate 300)")
        _nonnegative(supply_coal_rate, "supply coal rate", where)
        kwh = quantity.to("kWh").magnitude
        return ConversionResult(
            input_value=value, input_unit=unit, product=fuel.id, product_zh=fuel.name_zh,
            value=float(kwh * supply_coal_rate / 1e6), coefficient=supply_coal_rate / 1000,
            coefficient_unit="kgce/kWh", method="electricity equal value (等价值): supply coal rate",
            electricity_method="equal", supply_coal_rate_gce_per_kwh=supply_coal_rate,
            source="supply coal rate given by the user (GB/T 2589: 等价值 by the year's coal rate)",
        )
    rec = lib.find("coal_coefficient", "electricity", version="gbt2589-2008")
    tce = (quantity * registry().Quantity(rec.value, parse_unit(rec.unit))).to("tce").magnitude
    return ConversionResult(
        input_value=value, input_unit=unit, product=fuel.id, product_zh=fuel.name_zh, value=float(tce),
        coefficient=rec.value, coefficient_unit=rec.unit, method="electricity equivalent value (当量值)",
        electricity_method="equivalent", factor=rec, source=rec.source,
    )


def _measured_heating_value(value: float, unit: str, fuel: Product, lhv: float, lhv_unit: str | None,
                            where: Location | None) -> ConversionResult:
    """A physical quantity at its measured lower heating value, over 29 307 kJ per kgce."""
    ureg = registry()
    _nonnegative(lhv, "heating value", where)
    unit_of_lhv = lhv_unit or ("kJ/kg" if fuel.dimension == "mass" else "kJ/m**3" if fuel.dimension == "volume"
                               else "kJ/kJ")
    if dimension_of(unit) == "energy":
        msg = "a heating value applies to a physical quantity (t, m³), not to one given in energy units"
        raise UnitError(msg, location=where)
    heat = ureg.Quantity(value, parse_unit(unit)) * ureg.Quantity(lhv, parse_unit(unit_of_lhv))
    if dimension_of(str(heat.units)) != "energy":
        msg = f"heating value unit '{unit_of_lhv}' does not turn {unit} of {fuel.id} into energy"
        raise UnitError(msg, location=where, hint="give energy per unit of product, e.g. kJ/kg or MJ/m³")
    kgce_per_unit = ureg.Quantity(lhv, parse_unit(unit_of_lhv)).to(f"kgce/({parse_unit(unit)})").magnitude
    return ConversionResult(
        input_value=value, input_unit=unit, product=fuel.id, product_zh=fuel.name_zh,
        value=float(heat.to("tce").magnitude), coefficient=float(kgce_per_unit), coefficient_unit=f"kgce/{unit}",
        method="measured lower heating value / 29307 kJ per kgce (GB/T 2589)", lhv=lhv, lhv_unit=unit_of_lhv,
        source="heating value given by the user; 1 kgce = 29307 kJ (GB/T 2589)",
    )


def _published_coefficient(value: float, unit: str, fuel: Product, variant: str, lib: FactorLibrary,
                           where: Location | None) -> ConversionResult:
    """A physical quantity at the GB/T 2589 reference coefficient, when the standard gives one value."""
    if not lib.has("coal_coefficient", fuel.id, version="gbt2589-2008", variant=variant):
        msg = (f"GB/T 2589 gives no coefficient for {fuel.id} ({fuel.name_zh})"
               + (f" variant '{variant}'" if variant else ""))
        raise HeatingValueRequiredError(
            msg, location=where,
            hint=f"give its measured heating value (lhv, e.g. kJ/kg); coefficients exist for: {_coefficient_products(lib)}")
    rec = lib.find("coal_coefficient", fuel.id, version="gbt2589-2008", variant=variant)
    if rec.value_high is not None:
        msg = (f"GB/T 2589 gives a range {rec.value}–{rec.value_high} {rec.unit} for {fuel.id} ({fuel.name_zh})"
               + (f" variant '{variant}'" if variant else ""))
        raise HeatingValueRequiredError(msg, location=where, hint="give the measured heating value (lhv) of the fuel")
    ureg = registry()
    tce = (ureg.Quantity(value, parse_unit(unit)) * ureg.Quantity(rec.value, parse_unit(rec.unit))).to("tce").magnitude
    return ConversionResult(
        input_value=value, input_unit=unit, product=fuel.id, product_zh=fuel.name_zh, value=float(tce),
        coefficient=rec.value, coefficient_unit=rec.unit, method="GB/T 2589 reference coefficient (as published)",
        electricity_method=None, factor=rec, source=rec.source,
    )


def _heat(value: float, unit: str, p: Product, lib: FactorLibrary) -> ConversionResult:
    ureg = registry()
    rec = lib.find("coal_coefficient", "heat", version="gbt2589-2008")
    tce = (ureg.Quantity(value, parse_unit(unit)) * ureg.Quantity(rec.value, parse_unit(rec.unit))).to("tce").magnitude
    return ConversionResult(
        input_value=value, input_unit=unit, product=p.id, product_zh=p.name_zh, value=float(tce),
        coefficient=rec.value, coefficient_unit=rec.unit, method="GB/T 2589 reference coefficient for heat (当量值)",
        factor=rec, source=rec.source,
    )


def from_standard_coal(tce: float, product: str | Product, unit: str, *, variant: str = "",
                       lib: FactorLibrary | None = None) -> float:
    """Physical quantity of ``product`` (in ``unit``) that holds ``tce`` tonnes of standard coal.

    The inverse of :func:`to_standard_coal` with the published coefficient (electricity: 当量值).

    Parameters
    ----------
    tce
        Standard coal, tce.
    product
        Product id or Chinese name.
    unit
        Physical unit wanted (t, 万吨, m³ …).
    """
    one = to_standard_coal(1.0, unit, product, variant=variant, lib=lib)
    return tce / one.value
