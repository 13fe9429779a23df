"""CEADs inventories of Inner Mongolia and the NBS GDP/population series, against their published values."""

from __future__ import annotations

import polars as pl
import pytest

from tanfeng.reference import ceads, macro
from tanfeng.reference.regions import load_statistics


def test_sectors_sum_to_the_published_total_every_year() -> None:
    frame = ceads.province_sector_fuel().filter(pl.col("fuel") == "Scope_1_Total")
    sums = frame.filter(pl.col("sector") != "TotalEmissions").group_by("year").agg(pl.col("mtco2").sum())
    totals = frame.filter(pl.col("sector") == "TotalEmissions").select("year", pl.col("mtco2").alias("total"))
    joined = sums.join(totals, on="year")
    assert joined.height == 23
    assert (joined["mtco2"] - joined["total"]).abs().max() < 1e-4  # type: ignore[operator]
    assert frame["sector_id"].null_count() == 23  # only the publisher's total rows have no sector id


def test_2019_total_equals_openclimate_processed_value() -> None:
    # OpenClimate EmissionsAgg.csv, actor CN-NM, 2019: 794 279 374 t
    totals = ceads.province_totals()
    assert totals.filter(pl.col("year") == 2019)["scope1_total"][0] == pytest.approx(794.279, abs=1e-3)
    assert totals.filter(pl.col("year") == 2019)["power_heat_sector"][0] == pytest.approx(604.176, abs=1e-3)


def test_leagues_and_province_are_shown_side_by_side_never_summed() -> None:
    rows = {r.year: r for r in ceads.league_vs_province()}
    assert rows[2015].leagues_reported == 12
    assert rows[2015].leagues_listed_mtco2 == pytest.approx(827.27, abs=0.01)  # CEADs README: 827 Mt
    assert rows[2015].province_mtco2 == pytest.approx(601.546)  # against 602 Mt
    assert rows[2017].leagues_listed_mtco2 == pytest.approx(809.73, abs=0.01)
    assert "never reconciled" in rows[2015].note
    alxa = ceads.league_totals().filter(pl.col("region") == "152900")
    assert alxa["year"].to_list() == [2015, 2016, 2017]  # real gaps kept


def test_nbs_gdp_and_population() -> None:
    frame = macro.gdp_population()
    assert frame["year"].to_list() == list(range(2005, 2025))
    row = frame.filter(pl.col("year") == 2023)
    assert row["gdp_current_yi_yuan"][0] == 24627  # 2023 统计公报 (statistics/im_macro_facts.csv)
    assert row["population_10k"][0] == 2396  # 2023 统计公报: 2396.0 万人
    assert frame.filter(pl.col("year") == 2024)["gdp_current_yi_yuan"][0] == 26314.6


def test_ceads_totals_are_reference_statistics() -> None:
    stats = [s for s in load_statistics() if s.indicator == "co2_emissions_ceads"]
    assert len(stats) == 23 + 147
    prov = {s.year: s for s in stats if s.region == "150000"}
    assert prov[2019].value == 794.279
    assert prov[2019].unit == "MtCO2"
    assert prov[2019].certainty.value == "P"
    assert "CEADs" in prov[2019].source
