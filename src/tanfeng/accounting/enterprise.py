"""Enterprise accounting on the GB/T 32150-2015 / MEE guideline structure.

E_GHG = E_combustion + E_process − R_CO2,recovered + E_net electricity + E_net heat (GB/T 32150):

- combustion: Σ FC × NCV × CC × OF × 44/12 (measured values where given, else the factor set's defaults);
- process: Σ AD × EF, non-CO2 gases × GWP of the chosen set;
- net purchased electricity / heat: (purchased − exported) × grid / heat factor.

Sector rules:

- ``power`` (发电设施): coal burnt with a measured element carbon content as received (C_ar, tC/t) gives
  FC × C_ar × OF × 44/12; without it, NCV (measured, required) × the guideline's default carbon content for
  unmeasured coal (a C value of the library, named in the result);
- ``aluminium`` (电解铝): anode-effect PFCs (default EFs, or the slope method from AE-minutes per cell-day),
  carbon-anode consumption P × NC × (1 − S − A) × 44/12, and any process lines given;
- ``cement``: clinker × EF (IPCC default, or from the clinker's CaO and MgO fractions by stoichiometry).

Every line cites its factors (id, version, source, confidence).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tanfeng.accounting.combustion import CO2_PER_C, combustion_co2
from tanfeng.accounting.electricity import electricity_co2, heat_co2
from tanfeng.errors import HeatingValueRequiredError, InputError, Location
from tanfeng.reference.factors import FactorLibrary, FactorRecord, library
from tanfeng.reference.products import get_product
from tanfeng.units import parse_unit, registry

__all__ = ["AluminiumData", "CementData", "EmissionLine", "EnterpriseReport", "EnterpriseResult", "FuelUse", "GwpSet", "ProcessUse", "Sector", "enterprise_emissions"]

GwpSet = Literal["SAR", "AR4", "AR5", "AR6"]
Sector = Literal["generic", "power", "aluminium", "cement"]

M_CO2, M_CAO, M_MGO = 44.01, 56.08, 40.30
"""Molar masses (g/mol) used for the clinker stoichiometry."""


class FuelUse(BaseModel):
    """One fuel burnt. Quantities in ``unit``; measured parameters override the defaults."""

    model_config = ConfigDict(extra="forbid")

    product: str
    quantity: float = Field(ge=0)
    unit: str
    ncv: float | None = Field(default=None, ge=0, description="measured NCV in ncv_unit (default GJ/t or GJ/万m³)")
    ncv_unit: str | None = None
    carbon_content: float | None = Field(default=None, ge=0, description="tC/TJ")
    carbon_content_ar: float | None = Field(default=None, ge=0, le=1, description="element carbon as received, tC/t")
    oxidation: float | None = Field(default=None, gt=0, le=1)


class ProcessUse(BaseModel):
    """An industrial process line: ``quantity`` t of product with a ``process_co2`` factor id (clinker, lime …)."""

    model_config = ConfigDict(extra="forbid")

    process: str
    quantity: float = Field(ge=0)
    unit: str = "t"


class AluminiumData(BaseModel):
    """Electrolytic aluminium: production (t Al) and optional anode-effect and anode data."""

    model_config = ConfigDict(extra="forbid")

    production: float = Field(ge=0, description="t aluminium")
    anode_effect_minutes: float | None = Field(default=None, ge=0, description="AE-minutes per cell-day")
    anode_net_consumption: float | None = Field(default=None, ge=0, description="t anode per t Al")
    anode_sulphur: float = Field(default=0.0, ge=0, le=1, description="fraction")
    anode_ash: float = Field(default=0.0, ge=0, le=1, description="fraction")


class CementData(BaseModel):
    """Cement: clinker produced (t) and optionally its CaO and MgO mass fractions (from non-carbonate sources excluded)."""

    model_config = ConfigDict(extra="forbid")

    clinker: float = Field(ge=0, description="t clinker")
    cao_fraction: float | None = Field(default=None, ge=0, le=1)
    mgo_fraction: float | None = Field(default=None, ge=0, le=1)


class EnterpriseReport(BaseModel):
    """An enterprise's annual activity data (the JSON layout of the importer)."""

    model_config = ConfigDict(extra="forbid")

    enterprise: str
    year: int
    sector: Sector = "generic"
    region: str | None = None
    fuels: list[FuelUse] = []
    processes: list[ProcessUse] = []
    aluminium: AluminiumData | None = None
    cement: CementData | None = None
    co2_recovered: float = Field(default=0.0, ge=0, description="tCO2 recovered and supplied or stored")
    purchased_electricity: float = Field(default=0.0, ge=0)
    exported_electricity: float = Field(default=0.0, ge=0)
    electricity_unit: str = "MWh"
    purchased_heat: float = Field(default=0.0, ge=0)
    exported_heat: float = Field(default=0.0, ge=0)
    heat_unit: str = "GJ"
    grid_region: str | None = None
    grid_year: int | None = None
    grid_kind: str = "average"
    factor_set: str = "china"
    gwp_set: GwpSet = "AR5"
    power_guideline_version: str = "mee-power-2022"


class EmissionLine(BaseModel):
    """One line of an enterprise result: activity × factor (× GWP) with the factors it used."""

    category: Literal["combustion", "process", "recovered", "electricity", "heat"]
    item: str
    gas: str = "CO2"
    activity: float
    activity_unit: str
    factor: float | None
    factor_unit: str | None
    gwp: float = 1.0
    tco2e: float
    formula: str
    factors: list[FactorRecord] = []
    confidence: Literal["A", "B", "C"] | None = None


class EnterpriseResult(BaseModel):
    """Emissions of one enterprise (tCO2e) by GB/T 32150 category, line by line."""

    enterprise: str
    year: int
    sector: str
    method: str
    factor_set: str
    gwp_set: str
    lines: list[EmissionLine]
    combustion: float
    process: float
    recovered: float
    electricity: float
    heat: float
    total: float
    report: EnterpriseReport


def _worst(recs: list[FactorRecord]) -> Literal["A", "B", "C"] | None:
    return max((r.confidence for r in recs), default=None)


def _line(category: str, item: str, activity: float, unit: str, factor: float | None, factor_unit: str | None,
          tco2e: float, formula: str, recs: list[FactorRecord], gas: str = "CO2", gwp: float = 1.0) -> EmissionLine:
    return EmissionLine(category=category, item=item, gas=gas, activity=activity, activity_unit=unit,
                        factor=factor, factor_unit=factor_unit, gwp=gwp, tco2e=tco2e, formula=formula, factors=recs,
                        confidence=_worst(recs))


def _fuel_line(i: int, f: FuelUse, r: EnterpriseReport, lib: FactorLibrary, file: str | None) -> EmissionLine:
    where = Location(file=file, row=i + 1, field="fuels")
    p = get_product(f.product, where=where)
    ureg = registry()
    if r.sector == "power" and p.category == "coal":
        of_recs: list[FactorRecord] = []
        of = f.oxidation
        if of is None:
            rec = lib.find("oxidation", "coal_unmeasured", version=r.power_guideline_version)
            of_recs.append(rec)
            of = rec.value
        t = ureg.Quantity(f.quantity, parse_unit(f.unit)).to("t").magnitude
        if f.carbon_content_ar is not None:
            e = t * f.carbon_content_ar * of * CO2_PER_C
            return _line("combustion", p.id, float(t), "t", f.carbon_content_ar * of * CO2_PER_C, "tCO2/t", float(e),
                         "E = FC × C_ar × OF × 44/12 (发电设施)", of_recs)
        if f.ncv is None:
            msg = f"power plant coal '{p.id}' needs its measured NCV (or C_ar) under the 发电设施 guideline"
            raise HeatingValueRequiredError(msg, location=Location(file=file, row=i + 1, field="ncv"))
        cc_recs: list[FactorRecord] = []
        if f.carbon_content is not None:
            cc = f.carbon_content / 1000  # tC/TJ -> tC/GJ
        else:
            rec = lib.find("carbon_content", "coal_unmeasured", version=r.power_guideline_version)
            cc_recs.append(rec)
            cc = ureg.Quantity(rec.value, parse_unit(rec.unit)).to("tC/GJ").magnitude
        ncv_gj_t = ureg.Quantity(f.ncv, parse_unit(f.ncv_unit or "GJ/t")).to("GJ/t").magnitude
        e = t * ncv_gj_t * cc * of * CO2_PER_C
        return _line("combustion", p.id, float(t), "t", float(ncv_gj_t * cc * of * CO2_PER_C), "tCO2/t", float(e),
                     "E = FC × NCV × CC × OF × 44/12 (发电设施; C_ar = NCV × CC)", cc_recs + of_recs)
    res = combustion_co2(f.quantity, f.unit, p, factors=r.factor_set, ncv=f.ncv, ncv_unit=f.ncv_unit,
                         carbon_content=f.carbon_content, oxidation=f.oxidation, lib=lib, where=where)
    return _line("combustion", p.id, f.quantity, f.unit, res.co2_factor, res.co2_factor_unit, res.tco2, res.formula,
                 res.factors)


def enterprise_emissions(report: EnterpriseReport, *, lib: FactorLibrary | None = None,
                         file: str | None = None) -> EnterpriseResult:
    """Account an enterprise's emissions (tCO2e) line by line.

    Parameters
    ----------
    report
        Activity data (quantities with their units; see :class:`EnterpriseReport`).
    lib
        Factor library (default: the shipped one).
    file
        Name of the file the report came from, quoted in errors.

    Raises
    ------
    InputError
        If electricity or heat is reported without a grid region and year, or a fuel lacks what its rule needs.
    FactorNotFoundError
        If a factor (grid year or region, process, GWP) is missing; the message lists what exists.
    """
    lib = lib or library()
    ureg = registry()
    lines = [_fuel_line(i, f, report, lib, file) for i, f in enumerate(report.fuels)]
    for i, pu in enumerate(report.processes):
        rec = lib.find("process_co2", pu.process)
        t = ureg.Quantity(pu.quantity, parse_unit(pu.unit)).to("t").magnitude
        ef = ureg.Quantity(rec.value, parse_unit(rec.unit)).to("tCO2/t").magnitude
        lines.append(_line("process", pu.process, float(t), "t", float(ef), "tCO2/t", float(t * ef), "E = AD × EF", [rec]))
        del i
    if report.aluminium is not None:
        lines += _aluminium(report.aluminium, report.gwp_set, lib)
    if report.cement is not None:
        lines.append(_cement(report.cement, lib))
    if report.co2_recovered:
        lines.append(_line("recovered", "CO2 recovered", report.co2_recovered, "tCO2", None, None,
                           -report.co2_recovered, "− R_CO2", []))
    net_el = report.purchased_electricity - report.exported_electricity
    if net_el:
        if report.grid_region is None or report.grid_year is None:
            msg = "purchased electricity needs grid_region and grid_year to choose the grid factor"
            raise InputError(msg, location=Location(file=file, field="grid_region"),
                             hint="e.g. grid_region 150000 (内蒙古) or CN, grid_year 2022")
        res = electricity_co2(abs(net_el), report.electricity_unit, report.grid_region, report.grid_year,
                              kind=report.grid_kind, lib=lib)
        lines.append(_line("electricity", "net purchased electricity", net_el, report.electricity_unit, res.factor,
                           res.factor_unit, res.tco2 if net_el > 0 else -res.tco2,
                           "E = (purchased − exported) × EF_grid", [res.factor_record]))
    net_heat = report.purchased_heat - report.exported_heat
    if net_heat:
        res = heat_co2(abs(net_heat), report.heat_unit, lib=lib)
        lines.append(_line("heat", "net purchased heat", net_heat, report.heat_unit, res.factor, res.factor_unit,
                           res.tco2 if net_heat > 0 else -res.tco2, "E = (purchased − exported) × EF_heat",
                           [res.factor_record]))

    def total(cat: str) -> float:
        return float(sum(line.tco2e for line in lines if line.category == cat))

    parts = {c: total(c) for c in ("combustion", "process", "recovered", "electricity", "heat")}
    return EnterpriseResult(
        enterprise=report.enterprise, year=report.year, sector=report.sector,
        method="GB/T 32150-2015: E = E_combustion + E_process − R_recovered + E_electricity + E_heat",
        factor_set=report.factor_set, gwp_set=report.gwp_set, lines=lines, **parts,
        total=float(sum(parts.values())), report=report,
    )


def _aluminium(a: AluminiumData, gwp_set: str, lib: FactorLibrary) -> list[EmissionLine]:
    lines: list[EmissionLine] = []
    if a.anode_effect_minutes is not None:
        slope = lib.find("process_pfc", "aluminium_cf4_slope")
        ratio = lib.find("process_pfc", "aluminium_c2f6_cf4_ratio")
        ef_cf4 = slope.value * a.anode_effect_minutes
        ef_c2f6 = ratio.value * ef_cf4
        recs_cf4, recs_c2f6 = [slope], [slope, ratio]
        how = "EF_CF4 = slope × AEM; EF_C2F6 = ratio × EF_CF4"
    else:
        d_cf4 = lib.find("process_pfc", "aluminium_anode_effect_cf4")
        d_c2f6 = lib.find("process_pfc", "aluminium_anode_effect_c2f6")
        ef_cf4, ef_c2f6 = d_cf4.value, d_c2f6.value
        recs_cf4, recs_c2f6 = [d_cf4], [d_c2f6]
        how = "default EFs"
    for gas, ef, recs in (("CF4", ef_cf4, recs_cf4), ("C2F6", ef_c2f6, recs_c2f6)):
        g = lib.gwp(gas, gwp_set)
        lines.append(_line("process", f"anode effect {gas}", a.production, "t", ef, "kg/t",
                           a.production * ef * g.value / 1000, f"E = P × EF × GWP / 1000 ({how})", [*recs, g],
                           gas=gas, gwp=g.value))
    if a.anode_net_consumption is not None:
        ef = a.anode_net_consumption * (1 - a.anode_sulphur - a.anode_ash) * CO2_PER_C
        lines.append(_line("process", "carbon anode consumption", a.production, "t", ef, "tCO2/t",
                           a.production * ef, "E = P × NC × (1 − S − A) × 44/12", []))
    return lines


def _cement(c: CementData, lib: FactorLibrary) -> EmissionLine:
    if c.cao_fraction is not None or c.mgo_fraction is not None:
        ef = (c.cao_fraction or 0.0) * M_CO2 / M_CAO + (c.mgo_fraction or 0.0) * M_CO2 / M_MGO
        return _line("process", "clinker", c.clinker, "t", ef, "tCO2/t", c.clinker * ef,
                     "E = Q_clinker × (CaO × 44.01/56.08 + MgO × 44.01/40.30)", [])
    rec = lib.find("process_co2", "clinker")
    return _line("process", "clinker", c.clinker, "t", rec.value, rec.unit, c.clinker * rec.value,
                 "E = Q_clinker × EF_clinker", [rec])
