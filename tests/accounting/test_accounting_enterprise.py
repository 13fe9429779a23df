"""Enterprise accounting (GB/T 32150 structure; 发电设施, 电解铝, cement rules)."""

from __future__ import annotations

import pytest

from tanfeng.accounting.enterprise import (
    AluminiumData,
    CementData,
    EnterpriseReport,
    FuelUse,
    enterprise_emissions,
)
from tanfeng.errors import FactorNotFoundError, HeatingValueRequiredError, InputError

CO2_C = 44 / 12


def test_structure_parts_sum_to_total_and_lines_cite_sources() -> None:
    rep = EnterpriseReport(
        enterprise="E", year=2022, fuels=[FuelUse(product="原煤", quantity=1000, unit="t")],
        processes=[{"process": "lime", "quantity": 100}],  # type: ignore[list-item]
        co2_recovered=50, purchased_electricity=300, exported_electricity=100, grid_region="CN", grid_year=2023,
        purchased_heat=10, heat_unit="GJ")
    res = enterprise_emissions(rep)
    assert res.total == pytest.approx(res.combustion + res.process + res.recovered + res.electricity + res.heat)
    assert res.combustion == pytest.approx(1900.3)
    assert res.process == pytest.approx(76.8)
    assert res.recovered == -50
    assert res.electricity == pytest.approx(200 * 0.5306)
    assert res.heat == pytest.approx(1.1)
    for line in res.lines:
        if line.category != "recovered":
            assert line.factors
            assert all(f.source for f in line.factors)
    assert res.model_dump(mode="json")["report"]["enterprise"] == "E"


def test_net_exported_electricity_is_negative() -> None:
    rep = EnterpriseReport(enterprise="E", year=2022, purchased_electricity=100, exported_electricity=300,
                           grid_region="华北", grid_year=2022)
    assert enterprise_emissions(rep).electricity == pytest.approx(-200 * 0.6776)


def test_electricity_needs_grid_region() -> None:
    with pytest.raises(InputError, match="grid_region"):
        enterprise_emissions(EnterpriseReport(enterprise="E", year=2022, purchased_electricity=1))
    with pytest.raises(FactorNotFoundError, match="years that exist"):
        enterprise_emissions(EnterpriseReport(enterprise="E", year=2023, purchased_electricity=1,
                                              grid_region="内蒙古", grid_year=2023))


def test_power_rule() -> None:
    # 发电设施: E = FC × C_ar × OF × 44/12 with measured C_ar
    rep = EnterpriseReport(enterprise="P", year=2022, sector="power",
                           fuels=[FuelUse(product="bituminous_coal", quantity=1000, unit="t", carbon_content_ar=0.6,
                                          oxidation=0.98)])
    assert enterprise_emissions(rep).total == pytest.approx(1000 * 0.6 * 0.98 * CO2_C)
    # C_ar = NCV × CC when carbon is measured per unit heat (CC in tC/TJ)
    rep = EnterpriseReport(enterprise="P", year=2022, sector="power",
                           fuels=[FuelUse(product="raw_coal", quantity=1000, unit="t", ncv=20, carbon_content=26,
                                          oxidation=0.98)])
    assert enterprise_emissions(rep).total == pytest.approx(1000 * 20 * 0.026 * 0.98 * CO2_C)
    # without C_ar the guideline needs a measured NCV
    rep = EnterpriseReport(enterprise="P", year=2022, sector="power",
                           fuels=[FuelUse(product="raw_coal", quantity=1000, unit="t")])
    with pytest.raises(HeatingValueRequiredError, match="row 1, field 'ncv'"):
        enterprise_emissions(rep)
    # the unmeasured-coal default is a C value: it is used but flagged on the line
    rep = EnterpriseReport(enterprise="P", year=2022, sector="power",
                           fuels=[FuelUse(product="raw_coal", quantity=1000, unit="t", ncv=20.908)])
    assert enterprise_emissions(rep).lines[0].confidence == "C"


def test_cement_from_cao_mgo_and_aluminium_anode() -> None:
    rep = EnterpriseReport(enterprise="C", year=2022, sector="cement",
                           cement=CementData(clinker=1000, cao_fraction=0.65, mgo_fraction=0.02))
    assert enterprise_emissions(rep).process == pytest.approx(1000 * (0.65 * 44.01 / 56.08 + 0.02 * 44.01 / 40.30))
    rep = EnterpriseReport(enterprise="A", year=2022, sector="aluminium",
                           aluminium=AluminiumData(production=1000, anode_net_consumption=0.4, anode_sulphur=0.02,
                                                   anode_ash=0.004))
    lines = {ln.item: ln.tco2e for ln in enterprise_emissions(rep).lines}
    assert lines["carbon anode consumption"] == pytest.approx(1000 * 0.4 * (1 - 0.024) * CO2_C)
