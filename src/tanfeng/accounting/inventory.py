"""Regional CO2 inventory from an energy balance (IPCC 2006 Vol.2 Ch.2/Ch.6; CEADs, Shan et al. 2018).

Input is an energy balance in long form, one row per cell::

    region, year, flow, sector, product, value [, unit] [, row]

``flow`` is one of :data:`FLOWS`; ``value`` is a positive magnitude (the flow gives the sign) in ``unit``
(default: the product's NBS balance unit, e.g. 万吨 or 亿立方米). ``sector`` names the consuming sector
(NBS balance rows or CEADs' 47 sectors) for final consumption and non-energy use, and the transformation
(``thermal_power``, ``heating``, ``coking`` …) for transformation flows.

- **Sectoral approach**: combustion = final consumption − non-energy (feedstock) use, plus the input to
  thermal power and heating (the transformations that burn fuel); CO2 = combustion × EF(fuel).
- **Reference (apparent) approach**: apparent consumption = production + imports − exports + stock draw
  + inflow − outflow − non-energy use; CO2 = apparent × EF(fuel). The difference is reported.
- **Electricity and heat**: production-based totals count the fuel burnt in the region; consumption-based
  totals add net imports (imports + inflow − exports − outflow) × grid (heat) factor.
- **Industrial processes** (clinker, lime …) and **sinks** (LULUCF, negative) are added by region and year;
  gross and net totals are both reported.
- **Energy consumption** (tce, for dual control): final consumption (feedstock use included, as the NBS
  counts it) + transformation input − transformation output + losses, each × its GB/T 2589 coefficient;
  electricity by 当量值 (0.1229 kgce/kWh) or 等价值 (the caller's supply coal rate), recorded in the result.

Everything is computed with polars joins and group-bys over the whole table, no loops over cells.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
from pydantic import BaseModel

from tanfeng.accounting.combustion import combustion_co2
from tanfeng.accounting.conversion import ElectricityMethod, to_standard_coal
from tanfeng.errors import (
    FactorNotFoundError,
    HeatingValueRequiredError,
    ImportDataError,
    InputError,
    Location,
    NegativeQuantityError,
    TanfengError,
)
from tanfeng.reference.factors import FactorLibrary, FactorRecord, library
from tanfeng.reference.products import catalogue, check_unit, get_product
from tanfeng.units import parse_unit, registry

__all__ = ["COMBUSTION_TRANSFORMATIONS", "FLOWS", "Inventory", "InventoryResult", "regional_inventory"]

FLOWS = (
    "production", "import", "export", "stock_draw", "inflow", "outflow",
    "transformation_input", "transformation_output", "final_consumption", "non_energy_use", "loss",
)
"""Flows of the balance. ``stock_draw`` is the NBS 库存增(-)减(+)量: positive when stocks fall."""

COMBUSTION_TRANSFORMATIONS = ("thermal_power", "heating")
"""Transformations whose fuel input is burnt (its CO2 is counted in the power and heat sector)."""

_SIGNED_FLOWS = ("stock_draw",)


class InventoryResult(BaseModel):
    """What an inventory computed, how, and from which factors (JSON-ready)."""

    method: str
    factor_set: str
    fuel_factors: dict[str, float]
    fuel_factor_unit: str = "tCO2 per unit of the product's balance unit"
    balance_units: dict[str, str]
    factors: list[FactorRecord]
    electricity_factor: dict[str, Any] | None
    totals: list[dict[str, Any]]
    by_sector: list[dict[str, Any]]
    by_fuel: list[dict[str, Any]]
    processes: list[dict[str, Any]]
    notes: list[str]
    electricity_conversion: ElectricityMethod = "equivalent"
    supply_coal_rate_gce_per_kwh: float | None = None
    energy_coefficients: dict[str, float] = {}
    energy_coefficient_unit: str = "tce per unit of the product's balance unit (GB/T 2589)"
    energy_factors: list[FactorRecord] = []
    energy_missing: list[str] = []
    energy_by_sector: list[dict[str, Any]] = []
    energy_by_product: list[dict[str, Any]] = []


_ENERGY_SIGNS = {"final_consumption": 1.0, "transformation_input": 1.0, "transformation_output": -1.0, "loss": 1.0}
"""Energy consumption = final consumption + transformation input − transformation output + losses."""


class Inventory:
    """The computed inventory: polars frames (``cells``, ``totals`` …) and a JSON-ready :meth:`summary`."""

    def __init__(self, cells: pl.DataFrame, reference: pl.DataFrame, processes: pl.DataFrame,
                 totals: pl.DataFrame, meta: dict[str, Any], energy: pl.DataFrame | None = None) -> None:
        self.cells = cells
        self.reference = reference
        self.processes = processes
        self.totals = totals
        self.meta = meta
        self.energy = energy if energy is not None else pl.DataFrame(schema=_ENERGY_SCHEMA)

    def summary(self) -> InventoryResult:
        """Totals, CO2 by sector and by fuel, and the factors used."""
        by_sector = (self.cells.group_by("region", "year", "sector", maintain_order=True).agg(pl.col("tco2").sum())
                     .sort("region", "year", "sector"))
        by_fuel = (self.cells.group_by("region", "year", "product", maintain_order=True).agg(pl.col("activity").sum(), pl.col("tco2").sum())
                   .sort("region", "year", "product"))
        return InventoryResult(
            method=self.meta["method"], factor_set=self.meta["factor_set"], fuel_factors=self.meta["fuel_factors"],
            balance_units=self.meta["balance_units"], factors=self.meta["factors"],
            electricity_factor=self.meta["electricity_factor"], totals=self.totals.to_dicts(),
            by_sector=by_sector.to_dicts(), by_fuel=by_fuel.to_dicts(), processes=self.processes.to_dicts(),
            notes=self.meta["notes"],
            electricity_conversion=self.meta.get("electricity_conversion", "equivalent"),
            supply_coal_rate_gce_per_kwh=self.meta.get("supply_coal_rate"),
            energy_coefficients=self.meta.get("energy_coefficients", {}),
            energy_factors=self.meta.get("energy_factors", []), energy_missing=self.meta.get("energy_missing", []),
            energy_by_sector=(self.energy.group_by("region", "year", "sector", maintain_order=True).agg(pl.col("tce").sum())
                              .sort("region", "year", "sector").to_dicts()),
            energy_by_product=(self.energy.group_by("region", "year", "product", maintain_order=True)
                               .agg(pl.col("activity").sum(), pl.col("tce").sum())
                               .sort("region", "year", "product").to_dicts()),
        )


_ENERGY_SCHEMA = {"region": pl.String, "year": pl.Int64, "sector": pl.String, "product": pl.String,
                  "activity": pl.Float64, "tce": pl.Float64, "final_tce": pl.Float64}


def _fail_row(df: pl.DataFrame, message: str, field: str, file: str | None,
              exc: type[TanfengError] = ImportDataError) -> None:
    row = df.row(0, named=True)
    where = Location(file=file, row=row.get("row"), field=field)
    cell = ", ".join(f"{k}={row[k]}" for k in ("region", "year", "flow", "sector", "product", "value") if k in row)
    msg = f"{message} ({cell})"
    raise exc(msg, location=where)


def _normalise(balance: pl.DataFrame, file: str | None) -> pl.DataFrame:
    required = ["region", "year", "flow", "sector", "product", "value"]
    missing = [c for c in required if c not in balance.columns]
    if missing:
        msg = f"the balance lacks columns {missing}"
        raise ImportDataError(msg, location=Location(file=file), hint=f"columns needed: {', '.join(required)}")
    df = balance
    if "row" not in df.columns:
        df = df.with_row_index("row", offset=1).with_columns(pl.col("row").cast(pl.Int64))
    df = df.with_columns(pl.col("region").cast(pl.String), pl.col("year").cast(pl.Int64),
                         pl.col("flow").cast(pl.String), pl.col("sector").cast(pl.String).fill_null(""),
                         pl.col("product").cast(pl.String), pl.col("value").cast(pl.Float64))
    bad = df.filter(~pl.col("flow").is_in(FLOWS))
    if bad.height:
        _fail_row(bad, f"unknown flow '{bad['flow'][0]}' (flows: {', '.join(FLOWS)})", "flow", file)
    nulls = df.filter(pl.col("value").is_null() | pl.col("value").is_nan())
    if nulls.height:
        _fail_row(nulls, "missing value", "value", file)
    neg = df.filter((pl.col("value") < 0) & ~pl.col("flow").is_in(_SIGNED_FLOWS))
    if neg.height:
        _fail_row(neg, f"negative {neg['flow'][0]} (only stock_draw may be negative; the flow gives the sign)",
                  "value", file, NegativeQuantityError)
    # products: accept ids and Chinese names
    names = {n: get_product(n, where=Location(file=file, field="product")).id for n in df["product"].unique().to_list()}
    df = df.with_columns(pl.col("product").replace_strict(names, return_dtype=pl.String))
    # units: convert to each product's balance unit
    cat = catalogue()
    if "unit" in df.columns:
        pairs = df.select("product", "unit").unique().to_dicts()
        mult: dict[tuple[str, str], float] = {}
        ureg = registry()
        for pr in pairs:
            p = cat[pr["product"]]
            unit = pr["unit"] or p.balance_unit
            sample = df.filter((pl.col("product") == pr["product"]) & (pl.col("unit") == pr["unit"])).head(1)
            where = Location(file=file, row=sample["row"][0] if sample.height else None, field="unit")
            check_unit(p, unit, where=where, allow_heat=False)
            mult[(pr["product"], pr["unit"])] = float(
                ureg.Quantity(1.0, parse_unit(unit)).to(parse_unit(p.balance_unit)).magnitude)
        mf = pl.DataFrame({"product": [k[0] for k in mult], "unit": [k[1] for k in mult],
                           "_mult": list(mult.values())}, schema={"product": pl.String, "unit": pl.String, "_mult": pl.Float64})
        df = df.join(mf, on=["product", "unit"], how="left", maintain_order="left").with_columns(pl.col("value") * pl.col("_mult")).drop("_mult", "unit")
    return df


def _fuel_factors(products: list[str], factor_set: str, lib: FactorLibrary) -> tuple[dict[str, float], list[FactorRecord], list[str]]:
    cat = catalogue()
    efs: dict[str, float] = {}
    used: dict[str, FactorRecord] = {}
    missing: list[str] = []
    for pid in products:
        p = cat[pid]
        if not p.fossil or pid in ("electricity", "heat"):
            efs[pid] = 0.0
            continue
        try:
            res = combustion_co2(1.0, p.balance_unit, p, factors=factor_set, lib=lib)
        except (FactorNotFoundError, ValueError):
            missing.append(pid)
            continue
        efs[pid] = res.tco2
        for r in res.factors:
            used[r.id] = r
    return efs, list(used.values()), missing


def regional_inventory(
    balance: pl.DataFrame,
    *,
    factor_set: str = "china",
    electricity_factor: str | Mapping[int, float] | None = None,
    heat_factor_version: str = "mee-guideline-2013",
    production: pl.DataFrame | None = None,
    sinks: pl.DataFrame | None = None,
    lib: FactorLibrary | None = None,
    file: str | None = None,
    electricity_conversion: ElectricityMethod = "equivalent",
    supply_coal_rate: float | None = None,
) -> Inventory:
    """Compute a regional CO2 inventory (tCO2) by sector and fuel, both approaches, processes and sinks.

    Parameters
    ----------
    balance
        Energy balance in long form (see the module docstring); ``value`` in the product's balance unit
        unless a ``unit`` column says otherwise.
    factor_set
        Combustion factor set: ``china``, ``ipcc2006`` or ``mee2013``.
    electricity_factor
        For the consumption-based total: a region (code or name) whose MEE/NBS grid factor is looked up
        for each year, or a mapping year → tCO2/MWh given by the caller. ``None`` skips the adjustment.
    heat_factor_version
        Library version of the heat factor (tCO2/GJ) for net heat imports.
    production
        Industrial production: ``region, year, process, value`` with ``value`` in t of product
        (clinker, lime …; the process ids of ``process_co2`` factors).
    sinks
        LULUCF removals: ``region, year, category, tco2`` with ``tco2`` ≤ 0 (tCO2).
    lib
        Factor library (default: the shipped one).
    file
        Name of the file the balance came from, quoted in errors.
    electricity_conversion
        Electricity in the energy totals (tce): ``equivalent`` (当量值, 0.1229 kgce/kWh) or ``equal``
        (等价值, ``supply_coal_rate`` in gce/kWh). Recorded in the result.
    supply_coal_rate
        The year's supply coal rate (gce/kWh), needed for ``equal``.

    Raises
    ------
    ImportDataError, NegativeQuantityError, UnknownProductError, UnitError
        For a bad row (the error names file, row and field).
    FactorNotFoundError
        If a fossil fuel that is burnt has no factor in the set, or a grid factor year is missing.
    """
    lib = lib or library()
    df = _normalise(balance, file)
    products = sorted(set(df["product"].to_list()))
    efs, used, missing = _fuel_factors(products, factor_set, lib)
    coefs, coef_recs, no_coef = _energy_coefficients(products, electricity_conversion, supply_coal_rate, lib)
    energy = _energy(df, coefs)
    ef_frame = _factor_frame(efs)
    cells = _sectoral_cells(df, ef_frame, missing, factor_set, file)
    ref = _reference_approach(df, ef_frame, missing, factor_set, file)
    years = sorted(set(df["year"].to_list()))
    el_by_year, el_meta = _grid_factors(electricity_factor, years, lib)
    heat_rec = lib.find("heat_co2", "default", version=heat_factor_version)
    proc = _processes(production, lib, file)
    parts = [
        cells.group_by("region", "year", maintain_order=True).agg(pl.col("tco2").sum().alias("energy_sectoral")),
        ref.group_by("region", "year", maintain_order=True).agg(pl.col("tco2").sum().alias("energy_reference")),
        _net_imports(df),
        proc.group_by("region", "year", maintain_order=True).agg(pl.col("tco2").sum().alias("process")),
        _sinks(sinks, file),
    ]
    totals = _totals(df, parts, el_by_year, energy, heat_rec)
    meta = {
        "method": "IPCC 2006 Vol.2 sectoral and reference approaches (CEADs layout); GB/T 2589 units",
        "factor_set": factor_set, "fuel_factors": efs,
        "balance_units": {p: catalogue()[p].balance_unit for p in products},
        "factors": [*used, heat_rec, *_process_records(proc, lib)],
        "electricity_factor": el_meta, "notes": _notes(electricity_conversion, no_coef, electricity_factor),
        "electricity_conversion": electricity_conversion, "supply_coal_rate": supply_coal_rate,
        "energy_coefficients": coefs, "energy_factors": coef_recs, "energy_missing": no_coef,
    }
    return Inventory(cells, ref, proc, totals, meta, energy)


def _sectoral_cells(df: pl.DataFrame, ef_frame: pl.DataFrame, missing: list[str], factor_set: str,
                    file: str | None) -> pl.DataFrame:
    """Fuel burnt per region, year, sector and product (final consumption − non-energy use, plus the input
    to thermal power and heating) and its CO2 at the fuel's factor."""
    burnt = df.filter(
        pl.col("flow").is_in(["final_consumption", "non_energy_use"])
        | ((pl.col("flow") == "transformation_input") & pl.col("sector").is_in(COMBUSTION_TRANSFORMATIONS))
    ).with_columns(
        pl.when(pl.col("flow") == "non_energy_use").then(-pl.col("value")).otherwise(pl.col("value")).alias("signed"))
    cells = burnt.group_by("region", "year", "sector", "product", maintain_order=True).agg(
        pl.col("signed").sum().alias("activity"), pl.col("row").min().alias("row"))
    over = cells.filter(pl.col("activity") < -1e-9)
    if over.height:
        _fail_row(over, "non-energy use exceeds final consumption", "value", file, NegativeQuantityError)
    _check_missing(cells, missing, factor_set, file)
    return (cells.join(ef_frame, on="product", how="left", maintain_order="left")
            .with_columns((pl.col("activity") * pl.col("ef")).alias("tco2")).drop("row"))


_APPARENT_SIGNS = {"production": 1.0, "import": 1.0, "export": -1.0, "stock_draw": 1.0, "inflow": 1.0,
                   "outflow": -1.0, "non_energy_use": -1.0}
"""Flows of apparent consumption (reference approach) and their signs."""

_TRADE_SIGNS = {"import": 1.0, "inflow": 1.0, "export": -1.0, "outflow": -1.0}
"""Flows of net imports and their signs."""


def _reference_approach(df: pl.DataFrame, ef_frame: pl.DataFrame, missing: list[str], factor_set: str,
                        file: str | None) -> pl.DataFrame:
    """Apparent consumption per region, year and product and its CO2 at the fuel's factor."""
    sign_frame = pl.DataFrame({"flow": list(_APPARENT_SIGNS), "_sign": list(_APPARENT_SIGNS.values())})
    ref = (df.join(sign_frame, on="flow", how="inner", maintain_order="left")
           .group_by("region", "year", "product", maintain_order=True).agg((pl.col("value") * pl.col("_sign")).sum().alias("apparent"),
                                                      pl.col("row").min().alias("row")))
    _check_missing(ref.filter(pl.col("apparent") != 0).rename({"apparent": "activity"}), missing, factor_set, file)
    return ref.join(ef_frame, on="product", how="left", maintain_order="left").with_columns(
        (pl.col("apparent") * pl.col("ef")).alias("tco2")).drop("row")


def _net_imports(df: pl.DataFrame) -> pl.DataFrame:
    """Net imports of electricity (MWh) and heat (GJ) per region and year."""
    trade_frame = pl.DataFrame({"flow": list(_TRADE_SIGNS), "_sign": list(_TRADE_SIGNS.values())})
    ureg = registry()
    cat = catalogue()
    el_mult = float(ureg.Quantity(1, parse_unit(cat["electricity"].balance_unit)).to("MWh").magnitude)
    heat_mult = float(ureg.Quantity(1, parse_unit(cat["heat"].balance_unit)).to("GJ").magnitude)
    return (df.filter(pl.col("product").is_in(["electricity", "heat"])).join(trade_frame, on="flow", how="inner", maintain_order="left")
            .group_by("region", "year", maintain_order=True).agg(
                ((pl.col("value") * pl.col("_sign")).filter(pl.col("product") == "electricity").sum() * el_mult)
                .alias("electricity_net_import_mwh"),
                ((pl.col("value") * pl.col("_sign")).filter(pl.col("product") == "heat").sum() * heat_mult)
                .alias("heat_net_import_gj")))


def _grid_factors(electricity_factor: str | Mapping[int, float] | None, years: list[int],
                  lib: FactorLibrary) -> tuple[dict[int, float | None], dict[str, Any] | None]:
    """The grid factor (tCO2/MWh) per year, and how it was chosen (None when no factor is used).

    Raises
    ------
    FactorNotFoundError
        A year without a factor (given by the caller or in the library).
    """
    if electricity_factor is None:
        return dict.fromkeys(years), None
    if isinstance(electricity_factor, Mapping):
        given = {y: float(electricity_factor[y]) if y in electricity_factor else None for y in years}
        absent = [y for y in years if given[y] is None]
        if absent:
            msg = f"no electricity factor given for years {absent}"
            raise FactorNotFoundError(msg, hint=f"years given: {sorted(electricity_factor)}")
        return given, {"source": "given by the caller", "tco2_per_mwh": given}
    recs = {y: lib.grid(electricity_factor, y) for y in years}
    ureg = registry()
    found: dict[int, float | None] = {
        y: float(ureg.Quantity(r.value, parse_unit(r.unit)).to("tCO2/MWh").magnitude) for y, r in recs.items()}
    return found, {"region": electricity_factor, "tco2_per_mwh": found,
                   "records": [r.model_dump() for r in recs.values()]}


_TOTAL_PARTS = ("energy_sectoral", "energy_reference", "electricity_net_import_mwh", "heat_net_import_gj",
                "process", "sinks", "energy_tce", "energy_final_tce")


def _factor_frame(efs: dict[str, float]) -> pl.DataFrame:
    """The fuels' CO2 factors as a frame to join on ``product``."""
    return pl.DataFrame({"product": list(efs), "ef": list(efs.values())}, schema={"product": pl.String, "ef": pl.Float64})


def _totals(df: pl.DataFrame, parts: list[pl.DataFrame], el_by_year: dict[int, float | None],
            energy: pl.DataFrame, heat_rec: FactorRecord) -> pl.DataFrame:
    """One row per region and year of the balance ``df``: the parts (missing ones 0), both approaches' difference, gross, net,
    production- and consumption-based totals (net imports × the grid factor of the year and the heat factor),
    energy in tce."""
    energy_tot = energy.group_by("region", "year", maintain_order=True).agg(pl.col("tce").sum().alias("energy_tce"),
                                                        pl.col("final_tce").sum().alias("energy_final_tce"))
    heat_ef = float(registry().Quantity(heat_rec.value, parse_unit(heat_rec.unit)).to("tCO2/GJ").magnitude)
    years = list(el_by_year)
    el_frame = pl.DataFrame({"year": years, "_elf": [el_by_year[y] for y in years]},
                            schema={"year": pl.Int64, "_elf": pl.Float64})
    joined = df.select("region", "year").unique()
    for part in parts:
        joined = joined.join(part, on=["region", "year"], how="left", maintain_order="left")
    joined = (joined.join(el_frame, on="year", how="left", maintain_order="left")
              .join(energy_tot, on=["region", "year"], how="left", maintain_order="left"))
    return (joined
            .with_columns(pl.col(c).fill_null(0.0) for c in _TOTAL_PARTS)
            .with_columns(
                (pl.col("energy_reference") - pl.col("energy_sectoral")).alias("reference_minus_sectoral"),
                pl.when(pl.col("energy_sectoral") != 0)
                .then((pl.col("energy_reference") - pl.col("energy_sectoral")) / pl.col("energy_sectoral") * 100)
                .otherwise(None).alias("reference_difference_pct"),
                (pl.col("energy_sectoral") + pl.col("process")).alias("gross"),
                (pl.col("electricity_net_import_mwh") * pl.col("_elf")).alias("electricity_adjustment"),
                (pl.col("heat_net_import_gj") * heat_ef).alias("heat_adjustment"),
            )
            .with_columns(
                (pl.col("gross") + pl.col("sinks")).alias("net"),
                pl.col("gross").alias("production_based"),
                (pl.col("gross") + pl.col("electricity_adjustment") + pl.col("heat_adjustment")).alias("consumption_based"),
            ).drop("_elf").sort("region", "year"))


def _notes(electricity_conversion: str, no_coef: list[str],
           electricity_factor: str | Mapping[int, float] | None) -> list[str]:
    """How the totals were made, in words, for the result."""
    notes = [
        "sectoral approach: final consumption minus non-energy use, plus fuel input to thermal power and heating",
        "reference approach: production + import - export + stock draw + inflow - outflow - non-energy use",
        "production_based = gross = energy (sectoral) + industrial processes; net = gross + sinks",
        "consumption_based = gross + net electricity imports × grid factor + net heat imports × heat factor "
        "(negative adjustment for a net exporter)",
    ]
    notes.append(f"energy_tce = final consumption + transformation input - output + losses, GB/T 2589 coefficients; "
                 f"electricity {electricity_conversion} value")
    if no_coef:
        notes.append(f"left out of energy_tce (no single GB/T 2589 coefficient; give a measured heating value): "
                     f"{', '.join(no_coef)}")
    if electricity_factor is None:
        notes.append("no electricity factor given: consumption_based equals production_based plus the heat adjustment")
    return notes


def _energy_coefficients(products: list[str], electricity: str, supply_coal_rate: float | None,
                         lib: FactorLibrary) -> tuple[dict[str, float], list[FactorRecord], list[str]]:
    """tce per unit of each product's balance unit (GB/T 2589), the records used, and products without one."""
    if electricity not in ("equivalent", "equal"):
        msg = f"electricity conversion must be 'equivalent' (当量值) or 'equal' (等价值), not '{electricity}'"
        raise InputError(msg, location=Location(field="electricity_conversion"))
    if electricity == "equal" and supply_coal_rate is None:
        msg = "the equal-value (等价值) conversion of electricity needs the year's supply coal rate"
        raise InputError(msg, location=Location(field="supply_coal_rate"), hint="give it in gce/kWh, e.g. 300")
    cat = catalogue()
    coefs: dict[str, float] = {}
    recs: dict[str, FactorRecord] = {}
    missing: list[str] = []
    for pid in products:
        try:
            res = to_standard_coal(1.0, cat[pid].balance_unit, cat[pid], electricity=electricity,  # type: ignore[arg-type]
                                   supply_coal_rate=supply_coal_rate, lib=lib)
        except HeatingValueRequiredError:
            missing.append(pid)
            continue
        coefs[pid] = res.value
        if res.factor is not None:
            recs[res.factor.id] = res.factor
    return coefs, list(recs.values()), missing


def _energy(df: pl.DataFrame, coefs: dict[str, float]) -> pl.DataFrame:
    """Energy consumption cells (tce) by region, year, sector (losses: ``loss``) and product (unsorted, as ``cells``)."""
    if not coefs:
        return pl.DataFrame(schema=_ENERGY_SCHEMA)
    signed = (df.filter(pl.col("flow").is_in(list(_ENERGY_SIGNS)) & pl.col("product").is_in(list(coefs)))
              .with_columns(
                  pl.when(pl.col("flow") == "loss").then(pl.lit("loss")).otherwise(pl.col("sector")).alias("sector"),
                  (pl.col("value") * pl.col("flow").replace_strict(_ENERGY_SIGNS, return_dtype=pl.Float64))
                  .alias("_signed"))
              .with_columns((pl.col("_signed") * pl.col("product").replace_strict(coefs, return_dtype=pl.Float64))
                            .alias("_tce"))
              .with_columns(pl.when(pl.col("flow") == "final_consumption").then(pl.col("_tce")).otherwise(0.0)
                            .alias("_final")))
    return (signed.group_by("region", "year", "sector", "product", maintain_order=True)
            .agg(pl.col("_signed").sum().alias("activity"), pl.col("_tce").sum().alias("tce"),
                 pl.col("_final").sum().alias("final_tce"))
            .select(list(_ENERGY_SCHEMA)).cast(_ENERGY_SCHEMA))  # type: ignore[arg-type]


def _check_missing(cells: pl.DataFrame, missing: list[str], factor_set: str, file: str | None) -> None:
    if not missing:
        return
    bad = cells.filter(pl.col("product").is_in(missing) & (pl.col("activity") != 0))
    if bad.height:
        p = bad["product"][0]
        msg = f"fuel '{p}' is burnt but factor set '{factor_set}' has no factor for it"
        row = bad["row"][0] if "row" in bad.columns else None
        raise FactorNotFoundError(msg, location=Location(file=file, row=row, field="product"),
                                  hint=f"fuels without a factor in this set: {', '.join(missing)}")


def _processes(production: pl.DataFrame | None, lib: FactorLibrary, file: str | None) -> pl.DataFrame:
    empty = pl.DataFrame(schema={"region": pl.String, "year": pl.Int64, "process": pl.String, "value": pl.Float64,
                                 "ef": pl.Float64, "factor_id": pl.String, "tco2": pl.Float64})
    if production is None or production.height == 0:
        return empty
    df = production.with_columns(pl.col("region").cast(pl.String), pl.col("year").cast(pl.Int64),
                                 pl.col("value").cast(pl.Float64))
    if "row" not in df.columns:
        df = df.with_row_index("row", offset=1)
    neg = df.filter(pl.col("value") < 0)
    if neg.height:
        _fail_row(neg, "negative production", "value", file, NegativeQuantityError)
    ureg = registry()
    recs: dict[str, FactorRecord] = {}
    for proc in df["process"].unique().to_list():
        rec = lib.find("process_co2", proc)
        recs[proc] = rec
    f = pl.DataFrame({"process": list(recs),
                      "ef": [float(ureg.Quantity(r.value, parse_unit(r.unit)).to("tCO2/t").magnitude) for r in recs.values()],
                      "factor_id": [r.id for r in recs.values()]})
    return (df.join(f, on="process", how="left", maintain_order="left").with_columns((pl.col("value") * pl.col("ef")).alias("tco2"))
            .select(empty.columns))


def _process_records(proc: pl.DataFrame, lib: FactorLibrary) -> list[FactorRecord]:
    ids = set(proc["factor_id"].to_list())
    return [lib.find("process_co2", p) for p in sorted(set(proc["process"].to_list()))] if ids else []


def _sinks(sinks: pl.DataFrame | None, file: str | None) -> pl.DataFrame:
    if sinks is None or sinks.height == 0:
        return pl.DataFrame(schema={"region": pl.String, "year": pl.Int64, "sinks": pl.Float64})
    df = sinks.with_columns(pl.col("region").cast(pl.String), pl.col("year").cast(pl.Int64), pl.col("tco2").cast(pl.Float64))
    if "row" not in df.columns:
        df = df.with_row_index("row", offset=1)
    pos = df.filter(pl.col("tco2") > 0)
    if pos.height:
        _fail_row(pos, "a sink must be zero or negative (tCO2 removed)", "tco2", file)
    return df.group_by("region", "year", maintain_order=True).agg(pl.col("tco2").sum().alias("sinks"))
