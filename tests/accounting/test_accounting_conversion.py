"""Standard-coal conversion and combustion: options, overrides, errors and round-trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tanfeng.accounting.combustion import combustion_co2
from tanfeng.accounting.conversion import from_standard_coal, to_standard_coal
from tanfeng.errors import (
    FactorNotFoundError,
    HeatingValueRequiredError,
    InputError,
    NegativeQuantityError,
    UnitError,
)
from tanfeng.units import convert


def test_electricity_equal_value_uses_the_supply_coal_rate() -> None:
    res = to_standard_coal(10_000, "万千瓦时", "electricity", electricity="equal", supply_coal_rate=302.5)
    assert res.electricity_method == "equal"
    assert res.value == pytest.approx(1e8 * 302.5 / 1e6)  # kWh × gce/kWh -> t
    with pytest.raises(InputError, match="supply coal rate"):
        to_standard_coal(1, "kWh", "electricity", electricity="equal")


def test_measured_heating_value_overrides_the_default() -> None:
    res = to_standard_coal(1000, "t", "raw_coal", lhv=23_000, lhv_unit="kJ/kg")
    assert res.value == pytest.approx(1000 * 23_000 / 29_307)
    assert "measured" in res.method


def test_a_range_needs_a_heating_value() -> None:
    with pytest.raises(HeatingValueRequiredError, match=r"range 0\.5714–0\.6143"):
        to_standard_coal(1, "万立方米", "coke_oven_gas")
    assert to_standard_coal(1e4, "m³", "coke_oven_gas", lhv=17.0, lhv_unit="MJ/m**3").value == pytest.approx(
        1e4 * 17_000 / 29_307 / 1000)


def test_no_coefficient_needs_a_heating_value() -> None:
    with pytest.raises(HeatingValueRequiredError, match="no coefficient for naphtha"):
        to_standard_coal(1, "t", "naphtha")


def test_bad_input() -> None:
    with pytest.raises(NegativeQuantityError):
        to_standard_coal(-1, "t", "raw_coal")
    with pytest.raises(UnitError, match="does not fit raw_coal"):
        to_standard_coal(1, "m³", "raw_coal")
    with pytest.raises(NegativeQuantityError):
        combustion_co2(-5, "t", "diesel")
    with pytest.raises(InputError, match="indirect"):
        combustion_co2(1, "kWh", "electricity")
    with pytest.raises(FactorNotFoundError, match="it covers"):
        combustion_co2(1, "t", "raw_coal", factors="ipcc2006")
    with pytest.raises(HeatingValueRequiredError):
        combustion_co2(1, "m³", "natural_gas", factors="ipcc2006")
    with pytest.raises(InputError, match="oxidation"):
        combustion_co2(1, "t", "diesel", oxidation=1.5)


def test_result_names_its_source_and_version() -> None:
    res = combustion_co2(1, "t", "washed_coal")
    assert res.version == "mee-guideline-2013"  # not in the provincial table: the MEE guideline default is used
    assert {f.what for f in res.factors} == {"ncv", "carbon_content", "oxidation"}
    assert res.model_dump(mode="json")["factors"][0]["source"]


def test_biomass_is_not_fossil() -> None:
    assert combustion_co2(10, "t", "biomass").tco2 == 0.0


@settings(deadline=None)
@given(st.floats(min_value=0, max_value=1e9, allow_nan=False), st.sampled_from(
    [("raw_coal", "t", "万吨"), ("natural_gas", "m³", "万立方米"), ("electricity", "kWh", "万千瓦时"),
     ("diesel", "kg", "t")]))
def test_conversion_is_unit_invariant_and_round_trips(x: float, case: tuple[str, str, str]) -> None:
    product, small, big = case
    a = to_standard_coal(x, small, product).value
    b = to_standard_coal(convert(x, small, big), big, product).value
    assert a == pytest.approx(b, rel=1e-9, abs=1e-12)
    assert from_standard_coal(a, product, small) == pytest.approx(x, rel=1e-9, abs=1e-9)
    assert convert(convert(x, small, big), big, small) == pytest.approx(x, rel=1e-12, abs=1e-12)


@settings(deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1e7, allow_nan=False), min_size=1, max_size=10))
def test_combustion_is_additive(parts: list[float]) -> None:
    total = combustion_co2(sum(parts), "t", "raw_coal").tco2
    assert sum(combustion_co2(p, "t", "raw_coal").tco2 for p in parts) == pytest.approx(total, rel=1e-9, abs=1e-9)


def test_non_co2_with_a_named_gwp_set() -> None:
    # IPCC 2006 Table 2.2 energy industries, gas/diesel oil: CH4 3 kg/TJ, N2O 0.6 kg/TJ (B); AR5 GWP 28 and 265
    res = combustion_co2(1, "TJ", "diesel", factors="ipcc2006", gwp_set="AR5")
    assert res.gwp_set == "AR5"
    assert res.ch4_t == pytest.approx(0.003)
    assert res.n2o_t == pytest.approx(0.0006)
    assert res.tco2e == pytest.approx(res.tco2 + 0.003 * 28 + 0.0006 * 265)
    with pytest.raises(FactorNotFoundError, match="CH4/N2O"):
        combustion_co2(1, "t", "raw_coal", gwp_set="AR5")
