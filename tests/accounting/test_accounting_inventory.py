"""Regional inventory: sectoral vs reference approach, non-energy use, electricity trade, processes, sinks."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tanfeng.accounting.inventory import regional_inventory
from tanfeng.errors import FactorNotFoundError, ImportDataError, NegativeQuantityError, UnitError

FUELS = ["raw_coal", "coke", "diesel", "gasoline", "natural_gas", "lpg", "fuel_oil"]
SECTORS = ["coal_mining", "chemicals", "ferrous_smelting", "transport", "urban"]

cells = st.lists(st.tuples(st.sampled_from(SECTORS), st.sampled_from(FUELS), st.floats(min_value=0, max_value=1e4)),
                 min_size=1, max_size=30)


def _closed_balance(rows: list[tuple[str, str, float]]) -> pl.DataFrame:
    """Final consumption per sector, supplied by production + imports − exports, no stocks, no feedstock."""
    final = pl.DataFrame({"region": "R", "year": 2020, "flow": "final_consumption",
                          "sector": [r[0] for r in rows], "product": [r[1] for r in rows], "value": [r[2] for r in rows]},
                         schema_overrides={"year": pl.Int64})
    per_fuel = final.group_by("product").agg(pl.col("value").sum())
    supply = pl.concat([
        per_fuel.with_columns((pl.col("value") * 0.7).alias("value"), pl.lit("production").alias("flow")),
        per_fuel.with_columns((pl.col("value") * 0.5).alias("value"), pl.lit("import").alias("flow")),
        per_fuel.with_columns((pl.col("value") * 0.2).alias("value"), pl.lit("export").alias("flow")),
    ]).with_columns(pl.lit("R").alias("region"), pl.lit(2020).cast(pl.Int64).alias("year"), pl.lit("").alias("sector"))
    return pl.concat([final, supply.select(final.columns)])


@settings(max_examples=40, deadline=None)
@given(cells)
def test_closed_balance_sectoral_equals_reference_and_parts_sum(rows: list[tuple[str, str, float]]) -> None:
    inv = regional_inventory(_closed_balance(rows))
    t = inv.totals.row(0, named=True)
    assert t["energy_reference"] == pytest.approx(t["energy_sectoral"], rel=1e-9, abs=1e-6)
    # parts sum to totals: cells -> by sector -> by fuel -> total
    s = inv.summary()
    assert sum(r["tco2"] for r in s.by_sector) == pytest.approx(t["energy_sectoral"], rel=1e-9, abs=1e-6)
    assert sum(r["tco2"] for r in s.by_fuel) == pytest.approx(t["energy_sectoral"], rel=1e-9, abs=1e-6)
    assert t["gross"] == pytest.approx(t["energy_sectoral"] + t["process"])
    assert t["net"] == pytest.approx(t["gross"] + t["sinks"])


def _simple() -> pl.DataFrame:
    return pl.DataFrame({
        "region": ["150000"] * 7, "year": [2022] * 7,
        "flow": ["production", "final_consumption", "non_energy_use", "transformation_input", "transformation_input",
                 "outflow", "transformation_output"],
        "sector": ["", "chemicals", "chemicals", "thermal_power", "coking", "", "thermal_power"],
        "product": ["raw_coal", "raw_coal", "raw_coal", "raw_coal", "raw_coal", "electricity", "electricity"],
        "value": [300.0, 100.0, 40.0, 150.0, 50.0, 20.0, 30.0],
    })


def test_feedstock_is_kept_out_and_only_power_heat_inputs_are_burnt() -> None:
    # raw coal, 1.9003 tCO2/t (China default table); balance unit 万吨 -> 19 003 tCO2 per 万吨
    inv = regional_inventory(_simple())
    by = {r["sector"]: r["tco2"] for r in inv.summary().by_sector}
    assert by["chemicals"] == pytest.approx((100 - 40) * 19_003)
    assert by["thermal_power"] == pytest.approx(150 * 19_003)
    assert "coking" not in by  # coal turned into coke is burnt where the coke is
    t = inv.totals.row(0, named=True)
    assert t["energy_reference"] == pytest.approx((300 - 40) * 19_003)
    assert t["reference_minus_sectoral"] == pytest.approx((260 - 210) * 19_003)


def test_production_and_consumption_based_totals_for_an_exporter() -> None:
    # 20 亿千瓦时 exported = 2 000 000 MWh; Inner Mongolia 2022 provincial factor 0.6849 tCO2/MWh
    inv = regional_inventory(_simple(), electricity_factor="内蒙古")
    t = inv.totals.row(0, named=True)
    assert t["electricity_net_import_mwh"] == pytest.approx(-2_000_000)
    assert t["consumption_based"] == pytest.approx(t["production_based"] - 2_000_000 * 0.6849)
    with pytest.raises(FactorNotFoundError, match="2021, 2022"):
        regional_inventory(_simple().with_columns(pl.lit(2023).alias("year")), electricity_factor="内蒙古")


def test_processes_and_sinks() -> None:
    prod = pl.DataFrame({"region": ["150000"], "year": [2022], "process": ["clinker"], "value": [1_000_000.0]})
    sinks = pl.DataFrame({"region": ["150000"], "year": [2022], "category": ["forest"], "tco2": [-50_000.0]})
    t = regional_inventory(_simple(), production=prod, sinks=sinks).totals.row(0, named=True)
    assert t["process"] == pytest.approx(520_000)  # IPCC clinker 0.52 tCO2/t
    assert t["sinks"] == pytest.approx(-50_000)
    assert t["gross"] == pytest.approx(t["energy_sectoral"] + 520_000)
    assert t["net"] == pytest.approx(t["gross"] - 50_000)
    with pytest.raises(ImportDataError, match="sink must be zero or negative"):
        regional_inventory(_simple(), sinks=sinks.with_columns(pl.lit(5.0).alias("tco2")))


def test_units_column_is_converted() -> None:
    a = regional_inventory(_simple()).totals["energy_sectoral"][0]
    b = regional_inventory(_simple().with_columns(pl.col("value") * 10_000, pl.lit("t").alias("unit"))
                           .with_columns(pl.when(pl.col("product") == "electricity").then(pl.lit("万千瓦时"))
                                         .otherwise(pl.col("unit")).alias("unit"))).totals["energy_sectoral"][0]
    assert a == pytest.approx(b)
    with pytest.raises(UnitError, match=r"row \d, field 'unit'.*does not fit"):
        regional_inventory(_simple().with_columns(pl.lit("m³").alias("unit")))


def test_bad_rows_name_row_and_field() -> None:
    bad = _simple().with_columns(pl.when(pl.col("flow") == "final_consumption").then(-1.0).otherwise(pl.col("value"))
                                 .alias("value"))
    with pytest.raises(NegativeQuantityError, match="row 2, field 'value'"):
        regional_inventory(bad, file="b.csv")
    with pytest.raises(ImportDataError, match="unknown flow"):
        regional_inventory(_simple().with_columns(pl.lit("burn").alias("flow")))
    too_much = _simple().with_columns(pl.when(pl.col("flow") == "non_energy_use").then(500.0).otherwise(pl.col("value"))
                                      .alias("value"))
    with pytest.raises(NegativeQuantityError, match="non-energy use exceeds"):
        regional_inventory(too_much)
    naphtha = pl.DataFrame({"region": ["R"], "year": [2020], "flow": ["final_consumption"], "sector": ["chemicals"],
                            "product": ["石脑油"], "value": [1.0]})
    with pytest.raises(FactorNotFoundError, match="naphtha"):
        regional_inventory(naphtha)
