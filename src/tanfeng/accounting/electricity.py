"""Indirect CO2 of electricity and heat: E = AD × EF (GB/T 32150; MEE/NBS electricity CO2 factors)."""

from __future__ import annotations

from pydantic import BaseModel

from tanfeng.accounting.conversion import _nonnegative
from tanfeng.errors import Location, UnitError
from tanfeng.reference.factors import FactorLibrary, FactorRecord, library
from tanfeng.units import dimension_of, parse_unit, registry

__all__ = ["ElectricityResult", "electricity_co2", "heat_co2"]


class ElectricityResult(BaseModel):
    """CO2 of electricity (or heat) with the factor used."""

    input_value: float
    input_unit: str
    region: str
    year: int | None
    kind: str
    tco2: float
    factor: float
    factor_unit: str
    factor_record: FactorRecord
    formula: str = "E = AD × EF"
    source: str


def electricity_co2(value: float, unit: str, region: str, year: int, *, kind: str = "average",
                    version: str | None = None, lib: FactorLibrary | None = None,
                    where: Location | None = None) -> ElectricityResult:
    """CO2 (t) of ``value`` ``unit`` of electricity at the factor of ``region`` for data ``year``.

    Parameters
    ----------
    value
        Electricity, in ``unit`` (kWh, MWh, 万千瓦时); must not be negative.
    unit
        An energy unit.
    region
        ``CN`` (national), a grid (``CN-NORTH``, 华北) or a province (``150000``, 内蒙古).
    year
        Data year of the factor (the announcement for that year is used).
    kind
        ``average`` (default), ``excl_market_nonfossil``, ``fossil`` or ``ets_guideline``.
    version
        Library version, if several exist.

    Raises
    ------
    UnknownRegionError, FactorNotFoundError
        If the region or the year is missing (the message lists those that exist).
    """
    lib = lib or library()
    _nonnegative(value, "electricity", where)
    if dimension_of(unit) != "energy":
        msg = f"'{unit}' is not an energy unit"
        raise UnitError(msg, location=where, hint="give electricity in kWh, MWh or 万千瓦时")
    rec = lib.grid(region, year, kind=kind, version=version)
    ureg = registry()
    tco2 = (ureg.Quantity(value, parse_unit(unit)) * ureg.Quantity(rec.value, parse_unit(rec.unit))).to("tCO2").magnitude
    return ElectricityResult(input_value=value, input_unit=unit, region=rec.region, year=rec.year, kind=kind,
                             tco2=float(tco2), factor=rec.value, factor_unit=rec.unit, factor_record=rec,
                             source=rec.source)


def heat_co2(value: float, unit: str, *, version: str = "mee-guideline-2013", lib: FactorLibrary | None = None,
             where: Location | None = None) -> ElectricityResult:
    """CO2 (t) of purchased heat at the default heat factor (tCO2/GJ).

    Parameters
    ----------
    value
        Heat, in ``unit`` (GJ, TJ); must not be negative.
    unit
        An energy unit.
    """
    lib = lib or library()
    _nonnegative(value, "heat", where)
    if dimension_of(unit) != "energy":
        msg = f"'{unit}' is not an energy unit"
        raise UnitError(msg, location=where, hint="give heat in GJ")
    rec = lib.find("heat_co2", "default", version=version)
    ureg = registry()
    tco2 = (ureg.Quantity(value, parse_unit(unit)) * ureg.Quantity(rec.value, parse_unit(rec.unit))).to("tCO2").magnitude
    return ElectricityResult(input_value=value, input_unit=unit, region=rec.region, year=rec.year, kind="heat",
                             tco2=float(tco2), factor=rec.value, factor_unit=rec.unit, factor_record=rec,
                             source=rec.source)
