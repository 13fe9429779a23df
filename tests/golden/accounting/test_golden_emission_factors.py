"""Emission factors and worked cases against published values.

Sources (compiled in docs/reference/accounting_standards.md; confidence in brackets):
- China default fuel table 《各种能源折标准煤及碳排放参考系数》 (max.book118.com/html/2020/1123/8133103033003020.shtm),
  carbon columns of 《省级温室气体清单编制指南(试行)》 [A: every printed factor reproduces from NCV × CC × OF × 44/12].
- IPCC 2006 Guidelines Vol.2 Ch.2 Table 2.2, CO2 kg/TJ (transcribed in iClimate/ghgpy) [A].
- MEE/NBS electricity CO2 factors: 2022 national 0.5366 and 2023 national 0.5306 (2023 press release, 光明日报 via
  163.com/dy/article/KIQVBKCG05567I2C.html) [A]; regional grids 2022/2023 [A]; Inner Mongolia provincial 2021 0.7025,
  2022 0.6849 (public GitHub electricityEmissionFactors file) [B].
- IPCC 2006 Vol.3 Ch.2: clinker 0.52 tCO2/t; lime 0.768 tCO2/t (ClimateView/transition-element-framework) [A].
- Electrolytic aluminium guideline anode-effect defaults CF4 0.034, C2F6 0.0034 kg/t, slope 0.143 [B].
- GWP-100: IPCC SAR/AR4/AR5/AR6 tables (Metropolitan-Council/ghg-cprg R/global_warming_potential.R and others).
"""

from __future__ import annotations

import pytest

from tanfeng.accounting.combustion import combustion_co2
from tanfeng.accounting.electricity import electricity_co2
from tanfeng.accounting.enterprise import AluminiumData, CementData, EnterpriseReport, enterprise_emissions
from tanfeng.reference.factors import library

# (product, unit, NCV, CC tC/TJ, OF, printed CO2 factor per unit) — §2.1 table, all rows.
CHINA_TABLE = [
    ("raw_coal", "t", 20.908, 26.37, 0.94, 1.9003),
    ("coke", "t", 28.435, 29.5, 0.93, 2.8604),
    ("crude_oil", "t", 41.816, 20.1, 0.98, 3.0202),
    ("fuel_oil", "t", 41.816, 21.1, 0.98, 3.1705),
    ("gasoline", "t", 43.070, 18.9, 0.98, 2.9251),
    ("kerosene", "t", 43.070, 19.5, 0.98, 3.0179),
    ("diesel", "t", 42.652, 20.2, 0.98, 3.0959),
    ("lpg", "t", 50.179, 17.2, 0.98, 3.1013),
    ("refinery_gas", "t", 46.055, 18.2, 0.98, 3.0119),

]


@pytest.mark.parametrize(("product", "unit", "ncv", "cc", "of", "printed"), CHINA_TABLE)
def test_china_default_factor_printed_and_recomputed(product: str, unit: str, ncv: float, cc: float, of: float,
                                                     printed: float) -> None:
    # G-4: the published factor is used as printed ...
    assert combustion_co2(1, unit, product, factors="china").tco2 == pytest.approx(printed, abs=1e-12)
    # ... and the formula with the published NCV, CC and OF reproduces it to 4 decimals.
    assert all(f.confidence != "C" for f in combustion_co2(1, unit, product).factors)
    measured = combustion_co2(1, unit, product, factors="china", ncv=ncv, ncv_unit="GJ/t", carbon_content=cc, oxidation=of)
    assert round(measured.tco2, 4) == printed


def test_headline_china_factors() -> None:
    # raw coal 1.9003 tCO2/t, diesel 3.0959 tCO2/t, natural gas 2.1622 kgCO2/m3 (§2.1 table)
    assert combustion_co2(1, "t", "原煤").tco2 == pytest.approx(1.9003, abs=1e-12)
    assert combustion_co2(1, "t", "柴油").tco2 == pytest.approx(3.0959, abs=1e-12)
    assert combustion_co2(1000, "m³", "天然气").tco2 == pytest.approx(2.1622, abs=1e-12)
    recomputed = combustion_co2(1, "m³", "natural_gas", ncv=38.931, ncv_unit="MJ/m**3", carbon_content=15.3, oxidation=0.99)
    assert round(recomputed.tco2 * 1000, 4) == 2.1622


@pytest.mark.parametrize(("product", "kg_per_tj"), [
    ("anthracite", 98_300), ("bituminous_coal", 94_600), ("lignite", 101_000), ("coke", 107_000),
    ("coke_oven_gas", 44_400), ("blast_furnace_gas", 260_000), ("crude_oil", 73_300), ("gasoline", 69_300),
    ("kerosene", 71_900), ("diesel", 74_100), ("fuel_oil", 77_400), ("lpg", 63_100), ("refinery_gas", 57_600),
    ("petroleum_coke", 97_500), ("natural_gas", 56_100),
])
def test_ipcc2006_co2_per_tj(product: str, kg_per_tj: int) -> None:
    # IPCC 2006 Vol.2 Ch.2 Table 2.2 (oxidation 1): 1 TJ burnt emits kg_per_tj kg CO2.
    assert combustion_co2(1, "TJ", product, factors="ipcc2006").tco2 == pytest.approx(kg_per_tj / 1000, rel=1e-12)


@pytest.mark.parametrize(("region", "year", "tco2"), [
    ("内蒙古", 2022, 6849.0),  # G-7, IM provincial 0.6849 [B]
    ("150000", 2021, 7025.0),  # IM provincial 2021 0.7025 [B]
    ("CN", 2022, 5366.0),  # national 2022 0.5366 [A]
    ("全国", 2023, 5306.0),  # national 2023 0.5306 [A]
    ("华北", 2023, 6361.0),  # North China grid 2023 0.6361 [A]
    ("CN-NORTHEAST", 2022, 5564.0),  # Northeast grid 2022 0.5564 [A]
])
def test_g7_purchased_electricity(region: str, year: int, tco2: float) -> None:
    assert electricity_co2(10_000, "MWh", region, year).tco2 == pytest.approx(tco2, abs=1e-9)


def test_national_excl_market_and_fossil_factors_2023() -> None:
    # 2023: excl. market-traded non-fossil 0.6096; fossil power 0.8273 kgCO2/kWh [A]
    assert electricity_co2(1000, "kWh", "CN", 2023, kind="excl_market_nonfossil").tco2 == pytest.approx(0.6096)
    assert electricity_co2(1000, "kWh", "CN", 2023, kind="fossil").tco2 == pytest.approx(0.8273)


def test_g12_north_china_trend_minus_6_1_pct() -> None:
    # G-12: the official 2023 text gives -6.1 % for 华北 (0.6776 -> 0.6361).
    lib = library()
    change = (lib.grid("CN-NORTH", 2023).value / lib.grid("CN-NORTH", 2022).value - 1) * 100
    assert round(change, 1) == -6.1


def test_g8_aluminium_anode_effect_ar5_and_sar() -> None:
    # G-8: 100 000 t Al, CF4 0.034 and C2F6 0.0034 kg/t: AR5 (6630/11100) 26 316 tCO2e; SAR (6500/9200) 25 228.
    rep = EnterpriseReport(enterprise="Al smelter", year=2022, sector="aluminium",
                           aluminium=AluminiumData(production=100_000), gwp_set="AR5")
    assert enterprise_emissions(rep).process == pytest.approx(26_316, abs=1e-6)
    rep_sar = rep.model_copy(update={"gwp_set": "SAR"})
    assert enterprise_emissions(rep_sar).process == pytest.approx(25_228, abs=1e-6)


def test_g9_anode_effect_slope() -> None:
    # G-9: AEM 0.5 min/cell-day -> EF_CF4 = 0.143 × 0.5 = 0.0715 kg/t; EF_C2F6 = 0.1 × EF_CF4 = 0.00715 kg/t.
    rep = EnterpriseReport(enterprise="Al", year=2022, sector="aluminium",
                           aluminium=AluminiumData(production=1, anode_effect_minutes=0.5))
    lines = {ln.gas: ln for ln in enterprise_emissions(rep).lines}
    assert lines["CF4"].factor == pytest.approx(0.0715, abs=1e-12)
    assert lines["C2F6"].factor == pytest.approx(0.00715, abs=1e-12)


def test_g10_clinker_and_g11_lime() -> None:
    # G-10: 1 000 000 t clinker × 0.52 = 520 000 tCO2; G-11: 10 000 t lime × 0.768 = 7 680 tCO2 (IPCC 2006 Vol.3 Ch.2)
    cement = EnterpriseReport(enterprise="kiln", year=2022, sector="cement", cement=CementData(clinker=1_000_000))
    assert enterprise_emissions(cement).process == pytest.approx(520_000, abs=1e-6)
    lime = EnterpriseReport(enterprise="lime", year=2022, processes=[{"process": "lime", "quantity": 10_000}])  # type: ignore[list-item]
    assert enterprise_emissions(lime).process == pytest.approx(7_680, abs=1e-6)


GWP = {  # gas: (SAR, AR4, AR5, AR6) — IPCC GWP-100 tables
    "CO2": (1, 1, 1, 1),
    "CH4": (21, 25, 28, 27.9),
    "N2O": (310, 298, 265, 273),
    "CF4": (6500, 7390, 6630, 7380),
    "C2F6": (9200, 12200, 11100, 12400),
    "SF6": (23900, 22800, 23500, 25200),
}


@pytest.mark.parametrize("gas", list(GWP))
def test_gwp_tables(gas: str) -> None:
    lib = library()
    for i, gwp_set in enumerate(("SAR", "AR4", "AR5", "AR6")):
        rec = lib.gwp(gas, gwp_set)
        assert rec.value == GWP[gas][i]
        assert rec.confidence in ("A", "B")
    assert lib.gwp("CH4_fossil", "AR6").value == 29.8  # AR6 fossil methane
