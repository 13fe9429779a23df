"""Product catalogue, unit registry extensions and the factor library: lookups and errors."""

from __future__ import annotations

import pytest

from tanfeng.errors import (
    FactorNotFoundError,
    ReferenceDataError,
    UnitError,
    UnknownProductError,
    UnknownRegionError,
)
from tanfeng.reference.factors import frame_from_files, library
from tanfeng.reference.products import catalogue, check_unit, get_product
from tanfeng.units import convert, dimension_of

BALANCE_PRODUCTS = [
    "raw_coal", "washed_coal", "other_washed_coal", "briquettes", "gangue", "coke", "coke_oven_gas", "blast_furnace_gas",
    "converter_gas", "other_gas", "other_coking_products", "crude_oil", "gasoline", "kerosene", "diesel", "fuel_oil",
    "naphtha", "lubricants", "paraffin", "white_spirit", "asphalt", "petroleum_coke", "lpg", "refinery_gas",
    "other_petroleum_products", "natural_gas", "lng", "heat", "electricity", "other_energy", "hydrogen", "methanol",
    "biomass",
]


def test_catalogue_covers_the_balance_table() -> None:
    assert set(BALANCE_PRODUCTS) <= set(catalogue())


@pytest.mark.parametrize(("name", "pid"), [("原煤", "raw_coal"), ("天然气", "natural_gas"), ("电力", "electricity"),
                                           ("LPG", "lpg"), ("Raw_Coal", "raw_coal"), ("液化石油气", "lpg")])
def test_names_are_accepted_wherever_an_id_is(name: str, pid: str) -> None:
    assert get_product(name).id == pid


def test_unknown_product_lists_the_catalogue() -> None:
    with pytest.raises(UnknownProductError, match="unknown energy product '煤气罐'") as exc:
        get_product("煤气罐")
    assert "raw_coal (原煤)" in str(exc.value)


def test_unit_must_fit_the_product() -> None:
    with pytest.raises(UnitError, match="does not fit raw_coal"):
        check_unit(get_product("raw_coal"), "m³")
    with pytest.raises(UnitError, match="does not fit natural_gas"):
        check_unit(get_product("natural_gas"), "万吨", allow_heat=False)
    with pytest.raises(UnitError, match="does not fit electricity"):
        check_unit(get_product("electricity"), "t")
    check_unit(get_product("natural_gas"), "万立方米")
    check_unit(get_product("electricity"), "万千瓦时")


@pytest.mark.parametrize(("unit", "dim"), [("tce", "energy"), ("万吨标准煤", "energy"), ("tCO2", "co2_mass"),
                                           ("tCO2e", "co2_mass"), ("GJ", "energy"), ("TJ", "energy"), ("kWh", "energy"),
                                           ("MWh", "energy"), ("万千瓦时", "energy"), ("m³", "volume"),
                                           ("万立方米", "volume"), ("t", "mass"), ("万吨", "mass")])
def test_registry_units(unit: str, dim: str) -> None:
    assert dimension_of(unit) == dim


def test_scaled_units() -> None:
    assert convert(1, "万吨标准煤", "tce") == pytest.approx(10_000)
    assert convert(1, "万千瓦时", "MWh") == pytest.approx(10)
    assert convert(1, "万立方米", "m³") == pytest.approx(10_000)
    assert convert(1, "万吨二氧化碳当量", "tCO2e") == pytest.approx(10_000)
    assert convert(1, "TJ", "GJ") == pytest.approx(1000)


def test_missing_year_lists_the_years_that_exist() -> None:
    with pytest.raises(FactorNotFoundError, match="for year 2023") as exc:
        library().grid("内蒙古", 2023)
    assert "2021, 2022" in str(exc.value)


def test_missing_region_lists_the_regions() -> None:
    with pytest.raises(UnknownRegionError, match="150200") as exc:
        library().grid("150200", 2022)  # a league: no league factor is published, and none is borrowed
    assert "150000" in str(exc.value)


def test_no_silent_choice_between_versions() -> None:
    lib = library()
    # two versions of the ETS grid factor cover no common year, so a year picks one; the kind must be named
    assert lib.grid("CN", 2022, kind="ets_guideline").confidence == "C"
    with pytest.raises(FactorNotFoundError, match="versions that have it"):
        lib.find("coal_coefficient", "raw_coal", version="gbt2589-2020")


def test_every_row_has_source_and_confidence() -> None:
    df = library().frame
    assert df.height > 200
    assert set(df["confidence"].unique()) <= {"A", "B", "C"}
    assert (df["source"].str.len_chars() > 10).all()
    assert df["id"].is_unique().all()


def test_bad_factor_file_is_a_reference_data_error() -> None:
    header = "id,what,key,variant,region,year,value,value_high,unit,version,source,source_year,method,confidence,note\n"
    with pytest.raises(ReferenceDataError, match="confidence must be A, B or C"):
        frame_from_files([("x.csv", header + "a,ncv,raw_coal,,CN,,1,,GJ/t,v,src,2011,m,D,\n")])
    with pytest.raises(ReferenceDataError, match="not a number"):
        frame_from_files([("x.csv", header + "a,ncv,raw_coal,,CN,,one,,GJ/t,v,src,2011,m,A,\n")])


def test_a_missing_factor_is_refused_the_same_way_every_time() -> None:
    # the library remembers what it lacks: the second refusal must say what the first said
    lib = library()
    refusals = []
    for _ in range(2):
        with pytest.raises(FactorNotFoundError) as exc:
            lib.find("coal_coefficient", "raw_coal", version="gbt2589-2020")
        refusals.append((str(exc.value), exc.value.hint))
    assert refusals[0] == refusals[1]
    assert "versions that have it" in refusals[0][0]
    assert not lib.has("coal_coefficient", "raw_coal", version="gbt2589-2020")
    assert lib.has("coal_coefficient", "raw_coal", version="gbt2589-2008")


def test_keys_are_a_fresh_list_each_time() -> None:
    lib = library()
    keys = lib.keys("co2_ef")
    keys.append("not a product")
    assert "not a product" not in lib.keys("co2_ef")
