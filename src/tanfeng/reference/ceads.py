"""CEADs CO2 inventories of Inner Mongolia (1997–2019): the province by sector and fuel, and the 12 leagues.

The files and their source, licence, citation and caveats are in ``data/ceads/README.md``. The league
(city) series and the provincial series are compiled on different bases: :func:`league_vs_province` shows
both side by side with the reason, and nothing here sums the leagues to the province.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import polars as pl

from tanfeng.errors import ReferenceDataError, at

__all__ = [
    "CEADS_CITATION",
    "CEADS_SOURCE",
    "CEADS_SOURCE_ZH",
    "CITY_TOTAL_NOTE",
    "LEAGUE_PROVINCE_NOTE",
    "LEAGUE_PROVINCE_NOTE_ZH",
    "PROVINCE_ENERGY_NOTE",
    "PROVINCE_ENERGY_STATISTIC",
    "PROVINCE_SCOPE1_NOTE",
    "SECTOR_FUEL_FILE",
    "LeagueProvinceRow",
    "league_totals",
    "league_vs_province",
    "province_energy_co2",
    "province_sector_fuel",
    "province_totals",
    "sector_ids",
]

SECTOR_FUEL_FILE = "reference/data/ceads/im_ceads_province_co2_sector_fuel_1997_2019.csv"
CEADS_SOURCE = ("CEADs (ceads.net) inventories via Open-Earth-Foundation/OpenClimate commit "
                "822037b737999c397f58b442a5a31e4098dd42e1")
CEADS_CITATION = ("Shan et al. 2018 Sci. Data 5:170201; Shan et al. 2020 Sci. Data 7:54; Guan et al. 2021 "
                  "Earth's Future 9 e2021EF002241; cities: Shan et al. 2022 Sci. Bull. 67(18):1910")
LEAGUE_PROVINCE_NOTE = (
    "CEADs compiles the city inventories separately from the provincial one (city energy data, different "
    "boundaries and allocation of power plants and industrial parks); the 12 league values do not add up to "
    "the provincial total (2015: 827 Mt against 602 Mt) and are never reconciled by summation.")
CEADS_SOURCE_ZH = "中国碳核算数据库(CEADs)排放清单"
""":data:`CEADS_SOURCE` for Chinese pages (the commit and the citations follow it in English)."""
LEAGUE_PROVINCE_NOTE_ZH = (
    "CEADs 的城市清单与省级清单分别编制(城市能源数据不同, 电厂与工业园区的边界和分摊不同); 12个盟市之和不等于"
    "全区总量(2015年: 8.27亿吨对6.02亿吨), 从不以加总方式调平。")
PROVINCE_ENERGY_STATISTIC = "co2_emissions_ceads_energy"
"""Statistic id of the province's energy-activity CO2 derived from the sector × fuel inventory."""
PROVINCE_ENERGY_NOTE = (
    "energy-activity CO2 = CEADs scope-1 total minus cement process (TotalEmissions row of "
    f"{SECTOR_FUEL_FILE}: Scope_1_Total − Process = sum of the 17 fuels); matches the indicator co2_emissions "
    "(energy activity, 国办发〔2024〕39号)")
PROVINCE_SCOPE1_NOTE = (
    "CEADs provincial scope-1 total incl. cement process; the energy-activity series of the province is "
    f"{PROVINCE_ENERGY_STATISTIC} (this total minus process)")
CITY_TOTAL_NOTE = (
    "CEADs city total incl. process (no energy/process split published for the leagues), compiled apart from "
    "the provincial inventory: never summed to the province")


def _text(name: str) -> str:
    return resources.files("tanfeng.reference").joinpath("data", "ceads", name).read_text(encoding="utf-8")


@cache
def _sector_fuel() -> pl.DataFrame:
    frame = pl.read_csv(_text("im_ceads_province_co2_sector_fuel_1997_2019.csv").encode("utf-8"))
    frame = frame.rename({"MtCO2": "mtco2"})
    ids = sector_ids()
    unknown = set(frame["sector"].unique().to_list()) - set(ids) - {"TotalEmissions"}
    if unknown:
        msg = f"CEADs sectors not in energy/ceads_sectors.csv: {sorted(unknown)}"
        raise ReferenceDataError(msg, location=at(SECTOR_FUEL_FILE, field="sector"))
    return frame.with_columns(pl.col("sector").replace_strict(ids, default=None).alias("sector_id"))


@cache
def sector_ids() -> dict[str, str]:
    """CEADs sector name (English, as in the inventory) → sector id of ``energy/ceads_sectors.csv``."""
    text = resources.files("tanfeng.reference").joinpath("data", "energy", "ceads_sectors.csv").read_text(
        encoding="utf-8")
    out = {row["name_en"]: row["id"] for row in csv.DictReader(text.splitlines())}
    out.update(_SPELLINGS)
    return out


_SPELLINGS = {
    # the inventory spells four sectors differently from the sector list
    "Timber Processing, Bamboo, Cane, Palm Fiber & Straw Products": "timber",
    "Scrap and waste": "scrap_waste",
    "Urban": "urban",
    "Rural": "rural",
}


def province_sector_fuel(*, year: int | None = None) -> pl.DataFrame:
    """The provincial inventory in long format: ``year, sector, sector_id, fuel, mtco2`` (MtCO2).

    ``sector`` ``TotalEmissions`` (no ``sector_id``) is the publisher's total row; ``fuel``
    ``Scope_1_Total`` the publisher's total column. ``year`` keeps one year.
    """
    frame = _sector_fuel()
    return frame.filter(pl.col("year") == year) if year is not None else frame


_ENERGY_FUELS_EXCLUDED = ("Process", "Scope_1_Total", "Scope_2_Heat", "Scope_2_Electricity", "Other_Energy")


@cache
def province_energy_co2() -> dict[int, float]:
    """The province's energy-activity CO2 per year (MtCO2): the 17 fuels of the ``TotalEmissions`` row.

    Raises
    ------
    ReferenceDataError
        The fuels do not add up to ``Scope_1_Total − Process`` (to 0.001 Mt) in some year.
    """
    total = _sector_fuel().filter(pl.col("sector") == "TotalEmissions")
    out: dict[int, float] = {}
    for (year,), rows in total.group_by(["year"], maintain_order=True):
        by_fuel = dict(zip(rows["fuel"].to_list(), rows["mtco2"].to_list(), strict=True))
        energy = sum(v for f, v in by_fuel.items() if f not in _ENERGY_FUELS_EXCLUDED)
        if abs(energy - (by_fuel["Scope_1_Total"] - by_fuel["Process"])) > 1e-3:
            msg = f"{year}: the fuels add up to {energy:.6f} Mt, Scope_1_Total − Process is " \
                  f"{by_fuel['Scope_1_Total'] - by_fuel['Process']:.6f} Mt"
            raise ReferenceDataError(msg, location=at(SECTOR_FUEL_FILE, field="MtCO2"))
        out[int(year)] = round(energy, 6)
    return dict(sorted(out.items()))


@cache
def province_totals() -> pl.DataFrame:
    """Yearly provincial totals (MtCO2): ``year, scope1_total, coal_products, oil_products, natural_gas,
    process_cement, power_heat_sector``."""
    frame = pl.read_csv(_text("im_ceads_province_co2_totals_1997_2019.csv").encode("utf-8"))
    return frame.select(
        "year", pl.col("scope1_total_MtCO2").alias("scope1_total"),
        pl.col("coal_products_MtCO2").alias("coal_products"), pl.col("oil_products_MtCO2").alias("oil_products"),
        pl.col("natural_gas_MtCO2").alias("natural_gas"), pl.col("process_cement_MtCO2").alias("process_cement"),
        pl.col("power_heat_sector_MtCO2").alias("power_heat_sector"))


@cache
def league_totals() -> pl.DataFrame:
    """League (city) totals in long format: ``region, name_zh, year, mtco2``; missing years are absent."""
    frame = pl.read_csv(_text("im_ceads_city_co2_1997_2019.csv").encode("utf-8"))
    return frame.select(pl.col("gb_code").cast(pl.String).alias("region"), pl.col("league").alias("name_zh"),
                        "year", pl.col("co2_MtCO2").alias("mtco2")).sort("region", "year")


@dataclass(frozen=True)
class LeagueProvinceRow:
    """One year of the two CEADs series side by side (never one derived from the other)."""

    year: int
    province_mtco2: float
    leagues_reported: int
    leagues_listed_mtco2: float
    note: str


def league_vs_province() -> list[LeagueProvinceRow]:
    """Per year: the provincial total and the plain total of the league values CEADs lists that year, with
    how many leagues report and why the two differ. The listed total is shown only to expose the gap."""
    prov = dict(zip(province_totals()["year"].to_list(), province_totals()["scope1_total"].to_list(),
                    strict=True))
    per_year = league_totals().group_by("year").agg(pl.len().alias("n"), pl.col("mtco2").sum().alias("s"))
    rows = []
    for year, n, total in per_year.sort("year").iter_rows():
        if year in prov:
            rows.append(LeagueProvinceRow(year=year, province_mtco2=prov[year], leagues_reported=n,
                                          leagues_listed_mtco2=round(total, 4), note=LEAGUE_PROVINCE_NOTE))
    return rows
