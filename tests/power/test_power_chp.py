"""CHP heat constraint (以热定电): the CHP share of coal holds a higher minimum output in the heating season.

Hand network, four hours from 15 April 22:00 (hours 2518–2521 of the year; the heating season of both grids
runs 10-15 … 04-15, so the first two hours are in it and the last two are not):

* 蒙西 ``west``: load 100 MW; coal 100 MW at 25 CNY/MWh with a 20 % floor; CHP share 0.5, heating floor 0.9.
* 蒙东 ``east``: wind 100 MW available every hour, free, reaching 蒙西 through a 60 MW tie.
* one channel with utilisation 0 (it carries nothing).

Heating hours: coal ≥ 0.9 × 50 + 0.2 × 50 = 55 MW, so wind ≤ 45 MW: coal 55, wind 45, curtailed 55.
Other hours: coal ≥ 0.2 × 100 = 20 MW but the tie carries at most 60 MW: coal 40, wind 60, curtailed 40
(the floor is slack). Coal = 2 × 55 + 2 × 40 = 190 MWh → 4,750 CNY; curtailment 2 × 55 + 2 × 40 = 190 MWh.
Without the constraint (``chp_heat`` off): coal 40 MW every hour = 160 MWh → 4,000 CNY; curtailment 160 MWh.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tanfeng.errors import ImportDataError
from tanfeng.power.data import load_power_data
from tanfeng.power.metrics import study_result
from tanfeng.power.network import BuildOptions, build_network
from tanfeng.power.solve import InfeasibleStudyError, solve
from tanfeng.power.studies import run_study

CHP_STUDY = """studies:
  - id: chp
    title_zh: 供热
    title_en: chp
    year: 2025
    topology: two_grid
    measures: [chp_heat]
"""
START = 104 * 24 + 22  # 15 April 22:00 (15 April is day 104 of a non-leap year, counting from 0)
TECH = ["fx,eur_cny,1,x,t,A", "coal,supply_coal_rate,245.8,x,t,A", "coal,co2_intensity,0.34,x,t,A",
        "coal,fuel,10,x,t,A", "coal,vom,5,x,t,A", "coal,p_min_pu,0.2,x,t,A", "coal_flex,p_min_pu,0.2,x,t,A",
        "coal,ramp_limit,1,x,t,A", "wind,vom,0,x,t,A", "solar,vom,0,x,t,A", "hydro,vom,0,x,t,A",
        "chp,share_of_coal,0.5,x,t,A", "chp,p_min_pu_heating,0.9,x,t,A", "chp,p_min_pu_heating_flex,0.6,x,t,A"]
TABLES = {"capacity_csv": ["2025,west,coal,100,t,A", "2025,east,wind,100,t,A"],
          "channels_csv": ["ch,通道,west,X,2020,40,0,,t,A"], "technology_csv": TECH}
WIND = {"east:wind": np.ones(8760)}


def _folder(folder_with: Callable[..., Path], **extra: list[str]) -> Path:
    return folder_with(CHP_STUDY, **{**TABLES, **extra})


def test_chp_floor_binds_in_the_heating_season_and_not_outside(folder_with: Callable[..., Path]) -> None:
    data = load_power_data(_folder(folder_with))
    built = build_network(data, data.studies["chp"], BuildOptions(hours=4, start=START, profiles=WIND))
    n = built.network
    assert n.generators.at["coal:west", "p_nom"] == pytest.approx(50.0)
    assert n.generators.at["coal:west:chp", "p_nom"] == pytest.approx(50.0)
    assert list(n.get_switchable_as_dense("Generator", "p_min_pu")["coal:west:chp"]) == [0.9, 0.9, 0.2, 0.2]
    outcome = solve(built)
    assert outcome.status == "ok"
    coal = n.generators_t.p[["coal:west", "coal:west:chp"]].sum(axis=1).to_numpy()
    assert coal == pytest.approx([55.0, 55.0, 40.0, 40.0])
    assert n.generators_t.p["coal:west:chp"].iloc[:2].to_numpy() == pytest.approx([45.0, 45.0])  # at its floor
    assert coal[2:].min() > 20.0 + 1e-6  # outside the season the floor (20 MW) is slack
    assert float(n.objective) == pytest.approx(4750.0)
    result = study_result(built, outcome)
    assert result.curtailment_by_carrier["wind"] * 1e6 == pytest.approx(190.0)
    assert result.coal_hours_at_min["coal:west:chp"] == 2  # the two heating hours


def test_without_chp_heat_the_coal_floor_is_the_plain_minimum(folder_with: Callable[..., Path]) -> None:
    data = load_power_data(_folder(folder_with))
    built = build_network(data, data.studies["chp"], BuildOptions(hours=4, start=START, profiles=WIND,
                                                                  measures_off=frozenset({"chp_heat"})))
    assert sorted(built.network.generators.index) == ["coal:west", "export:ch", "wind:east"]
    assert solve(built).status == "ok"
    assert float(built.network.objective) == pytest.approx(4000.0)
    full = run_study(data, "chp", hours=4, start=START, profiles=WIND)
    off = run_study(data, "chp", hours=4, start=START, profiles=WIND, measures_off=frozenset({"chp_heat"}))
    assert (full.curtailment_by_carrier["wind"] - off.curtailment_by_carrier["wind"]) * 1e6 == pytest.approx(30.0)


def test_heating_floor_too_high_for_the_load_names_the_chp_constraint(folder_with: Callable[..., Path]) -> None:
    # CHP share 1.0 at a 0.9 floor and 150 MW of coal: 135 MW must run against 100 MW of load
    tech = [*TECH[:-3], "chp,share_of_coal,1.0,x,t,A", "chp,p_min_pu_heating,0.9,x,t,A",
            "chp,p_min_pu_heating_flex,0.6,x,t,A"]
    folder = _folder(folder_with, technology_csv=tech, capacity_csv=["2025,west,coal,150,t,A",
                                                                      "2025,east,wind,100,t,A"])
    with pytest.raises(InfeasibleStudyError, match="the heating-season floor of the CHP units cannot be met") as info:
        run_study(load_power_data(folder), "chp", hours=4, start=START, profiles=WIND)
    assert info.value.causes == [("chp_heat",)]  # relaxing the coal minimum alone leaves the CHP floor


def test_heating_season_dates_are_checked(folder_with: Callable[..., Path]) -> None:
    folder = _folder(folder_with, heating_season_csv=["west,10-15,02-30,t,A", "east,10-15,04-15,t,A"])
    with pytest.raises(ImportDataError) as info:
        load_power_data(folder)
    loc = info.value.location
    assert loc is not None
    assert (loc.file, loc.row, loc.field) == ("heating_season.csv", 1, "end")
    data = load_power_data(_folder(folder_with))
    season = data.heating_hours("west")
    assert season.sum() == 183 * 24  # 15 October … 15 April, both days included
    assert season[0]
    assert season[START + 1]
    assert not season[START + 2]


def test_a_chp_share_above_one_is_refused(folder_with: Callable[..., Path]) -> None:
    tech = [*TECH[:-3], "chp,share_of_coal,1.2,x,t,A", *TECH[-2:]]
    with pytest.raises(ImportDataError) as info:
        load_power_data(_folder(folder_with, technology_csv=tech))
    loc = info.value.location
    assert loc is not None
    assert (loc.file, loc.row, loc.field) == ("technology.csv", len(TECH) - 2, "value")
