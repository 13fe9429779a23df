"""Per-league capacity from the WRI Global Power Plant Database (v1.3.0, CC-BY-4.0).

Golden values summed by hand from the rows of ``raw_source_files/WRI/China.csv`` of
wri/global-power-plant-database @ 7a91cfbb2a4e272597acbc00506d61fc1ec73b3d (one row per plant for these;
columns Power Plant ID, Name, Fuel, Capacity (MW)), each plant placed by its latitude/longitude.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tanfeng.errors import ImportDataError
from tanfeng.power.data import default_data_dir, load_power_data
from tanfeng.power.network import BuildOptions, build_network

# 乌海市 (150300), Coal: seven GCPT rows
WUHAI_COAL = {
    "1070144 Shenhua Wuhai Xilaifeng power station": 400,
    "1070146 Junzheng Wuhai power station": 500,
    "1070147 Jingmei Wuhai Jinghai Waste Coal power station": 660,
    "1070150 Huadian Wuda power station": 300,
    "1070255 Huaneng Wuhai Haibowan power station": 1060,
    "1075599 Dongyuan Tech power station": 200,
    "1075637 Huaneng Wuhai Cogen power station": 400,
}  # 400 + 500 + 660 + 300 + 1060 + 200 + 400 = 3520 MW
# 兴安盟 (152200), Coal: 680 + 330 + 100 = 1110 MW
HINGGAN_COAL = {
    "1070149 Inner Mongolia Xingan power station": 680,
    "1070419 Keyouzhongqi power station": 330,
    "1070657 Ulanhot Xingan-2 power station": 100,
}
# 阿拉善盟 (152900), Coal: 112 + 600 = 712 MW (both at Wusitai, just west of the 乌海 boundary on the map)
ALXA_COAL = {"1070143 Wusitai - Wuda Coal": 112, "1070145 Alashan Left Qi Wusitai power station": 600}
# 呼和浩特市 (150100), Hydro: 1000558 Huhhot, Generator Technology "Pumped Storage", 1200 MW
# 蒙东 coal (150400 赤峰 3870 + 150500 通辽 8040 + 150700 呼伦贝尔 7250 + 152200 兴安盟 1110 + 152500 锡林郭勒 5800)
EAST_COAL_MW = 3870 + 8040 + 7250 + 1110 + 5800  # 26,070 MW


def _aggregate() -> dict[tuple[str, str], dict[str, str]]:
    with (default_data_dir() / "league_capacity_wri.csv").open(encoding="utf-8") as handle:
        return {(r["league"], r["fuel"]): r for r in csv.DictReader(handle)}


def test_league_totals_match_the_hand_sums_of_the_wri_rows() -> None:
    rows = _aggregate()
    for (league, fuel), plants in ((("150300", "Coal"), WUHAI_COAL), (("152200", "Coal"), HINGGAN_COAL),
                                   (("152900", "Coal"), ALXA_COAL)):
        assert float(rows[(league, fuel)]["capacity_mw"]) == sum(plants.values()), (league, fuel)
        assert int(rows[(league, fuel)]["plants"]) == len(plants), (league, fuel)
    assert float(rows[("150300", "Coal")]["capacity_mw"]) == 3520
    assert float(rows[("150100", "Hydro")]["capacity_mw"]) == 1200
    assert float(rows[("150100", "Hydro")]["pumped_storage_mw"]) == 1200
    with (default_data_dir() / "wri_plants_im.csv").open(encoding="utf-8") as handle:
        placed = {r["gppd_idnr"]: r for r in csv.DictReader(handle)}
    for key, mw in {**WUHAI_COAL, **HINGGAN_COAL, **ALXA_COAL}.items():
        plant = placed[f"WRI{key.split()[0]}"]
        assert plant["name"] == key.split(" ", 1)[1]
        assert float(plant["capacity_mw"]) == mw


def test_league_shares_follow_the_wri_plants_and_keep_the_region_totals() -> None:
    data = load_power_data()
    leagues = {lg.code: lg for lg in data.leagues}
    assert leagues["152200"].shares["coal"] == pytest.approx(1110 / EAST_COAL_MW)
    assert leagues["152200"].basis["coal"] == "wri"
    assert leagues["150100"].shares["phs"] == 1.0  # the only pumped storage of 蒙西 in the database
    assert leagues["150400"].basis["hydro"] == "load"  # no hydro plant of 蒙东 in the database
    assert leagues["150400"].shares["battery"] == leagues["150400"].shares["load"]
    for grid in ("west", "east"):
        for key in ("load", "coal", "wind", "solar", "hydro", "battery"):
            assert sum(lg.shares[key] for lg in data.leagues if lg.grid == grid) == pytest.approx(1.0), (grid, key)
    n = build_network(data, data.studies["im12-2030"], BuildOptions(hours=24)).network
    east_coal_2030 = data.capacity[(2030, "east", "coal")]  # unretrofitted 蒙东 coal in capacity.csv
    coal = n.generators.at["coal:152200", "p_nom"] + n.generators.at["coal:152200:chp", "p_nom"]  # CHP share apart
    assert coal == pytest.approx(east_coal_2030 * 1110 / EAST_COAL_MW)


def test_metadata_states_repository_licence_vintage_and_the_join() -> None:
    meta = yaml.safe_load((default_data_dir() / "league_capacity_wri.yaml").read_text(encoding="utf-8"))
    assert meta["repository"] == "wri/global-power-plant-database"
    assert meta["commit"] == "7a91cfbb2a4e272597acbc00506d61fc1ec73b3d"
    assert meta["licence"].startswith("CC-BY-4.0")
    assert meta["database_version"] == "1.3.0"
    assert meta["vintage"]["year_of_data_in_league_rows"] == ["2018"]
    check = meta["rebuilt_vs_country_summary"]
    assert check["plants"]["rebuilt"] == check["plants"]["summary"] == 4235
    join = meta["spatial_join"]
    assert join["placed_in_a_league"] + join["outside_every_league"] == join["china_plants"] == 4235
    assert all(r["distance_km"] <= join["near_km"] for r in join["near_outside"])
    with (default_data_dir() / "wri_plants_im.csv").open(encoding="utf-8") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == join["placed_in_a_league"]


def test_unknown_league_in_the_wri_file_is_refused(folder_with: Callable[..., Path]) -> None:
    folder = folder_with(league_capacity_wri_csv=["159999,某盟,Coal,1,100,0,test,S"])
    with pytest.raises(ImportDataError) as info:
        load_power_data(folder)
    assert info.value.location is not None
    assert info.value.location.file == "league_capacity_wri.csv"
    assert info.value.location.row == 1
    assert info.value.location.field == "league"
