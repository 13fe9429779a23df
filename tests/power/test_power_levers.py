"""Plan levers as constraints: the channel renewable share (binding and slack), and infeasible studies.

Binding case, by hand: 蒙东 wind (200 MW, free) reaches 蒙西 through a 200 MW tie and is otherwise
curtailed, so without the rule the new channel's 80 MWh come through the feeder at no cost and the
base's solar (2 CNY/MWh) stays idle: objective = coal's 30 MW floor × 4 h × 25 = 3,000 CNY, share 0 %.
With the ≥ 50 % rule the base supplies 40 MWh: objective 3,080 CNY, share exactly 50 %.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tanfeng.power.data import load_power_data
from tanfeng.power.network import BuildOptions, build_network
from tanfeng.power.solve import InfeasibleStudyError, channel_share_constraint_name, solve
from tanfeng.power.studies import run_study

SHARE_STUDY = """studies:
  - id: share
    title_zh: 通道
    title_en: channel
    year: 2025
    topology: two_grid
    measures: [channel_re_share]
"""
BASE_TABLES = {
    "capacity_csv": ["2025,west,coal,150,t,A", "2025,east,wind,200,t,A", "2025,base,solar,40,t,A"],
    "grid_ties_csv": ["west,east,200,t,A"],
    "channels_csv": ["new,新通道,base,X,2020,40,0.5,50,t,A"],
}


def _tech(wind_vom: float, solar_vom: float) -> list[str]:
    return ["fx,eur_cny,1,x,t,A", "coal,supply_coal_rate,245.8,x,t,A", "coal,co2_intensity,0.34,x,t,A",
            "coal,fuel,10,x,t,A", "coal,vom,5,x,t,A", "coal,p_min_pu,0.2,x,t,A", "coal_flex,p_min_pu,0.2,x,t,A",
            "coal,ramp_limit,1,x,t,A", f"wind,vom,{wind_vom},x,t,A", f"solar,vom,{solar_vom},x,t,A",
            "hydro,vom,0,x,t,A"]


def _profiles() -> dict[str, np.ndarray]:
    ones = np.zeros(8760)
    ones[:4] = 1.0
    return {"east:wind": ones, "base:solar": ones}


def _solve(folder: Path, measures_off: frozenset[str] = frozenset()) -> tuple[float, float, bool]:
    data = load_power_data(folder)
    built = build_network(data, data.studies["share"],
                          BuildOptions(hours=4, profiles=_profiles(), measures_off=measures_off))
    assert solve(built).status == "ok"
    n = built.network
    flow = float(n.links_t.p0["channel:new"].sum())
    feed = float(n.links_t.p0["feeder:new"].sum())
    has_constraint = channel_share_constraint_name("new") in n.model.constraints
    return float(n.objective), 100 * (1 - feed / flow), has_constraint


def test_channel_share_binding(folder_with: Callable[..., Path]) -> None:
    folder = folder_with(SHARE_STUDY, technology_csv=_tech(0, 2), **BASE_TABLES)
    obj_free, share_free, has_free = _solve(folder, frozenset({"channel_re_share"}))
    obj, share, has = _solve(folder)
    assert (has_free, has) == (False, True)
    assert obj_free == pytest.approx(3000.0)
    assert share_free == pytest.approx(0.0, abs=1e-6)
    assert obj == pytest.approx(3080.0)
    assert share == pytest.approx(50.0)


def test_channel_share_slack(folder_with: Callable[..., Path]) -> None:
    folder = folder_with(SHARE_STUDY, technology_csv=_tech(1, 0), **BASE_TABLES)
    obj_free, share_free, _ = _solve(folder, frozenset({"channel_re_share"}))
    obj, share, has = _solve(folder)
    assert has
    assert share == pytest.approx(100.0)
    assert share_free == pytest.approx(100.0)
    assert obj == pytest.approx(obj_free)


def test_infeasible_share_names_the_channel(folder_with: Callable[..., Path]) -> None:
    tables = dict(BASE_TABLES, capacity_csv=["2025,west,coal,150,t,A", "2025,east,wind,200,t,A"])
    folder = folder_with(SHARE_STUDY, technology_csv=_tech(0, 2), **tables)
    with pytest.raises(InfeasibleStudyError, match="renewable share ≥ 50 % on channel new") as info:
        run_study(load_power_data(folder), "share", hours=4, profiles=_profiles())
    assert info.value.location is not None
    assert info.value.location.field == "channel_re_share"


def test_infeasible_co2_cap_names_the_cap(folder_with: Callable[..., Path],
                                          hand_profiles: dict[str, np.ndarray]) -> None:
    studies = """studies:
  - id: capped
    title_zh: 限碳
    title_en: capped
    year: 2025
    topology: two_grid
    measures: [co2_cap]
    co2_cap_mt: 0.1
"""
    folder = folder_with(studies)
    with pytest.raises(InfeasibleStudyError, match="CO2 cap"):
        run_study(load_power_data(folder), "capped", hours=4, profiles=hand_profiles)


def test_infeasible_supply_names_the_energy_balance(folder_with: Callable[..., Path],
                                                    hand_profiles: dict[str, np.ndarray]) -> None:
    folder = folder_with(capacity_csv=["2025,west,coal,50,t,A", "2025,east,wind,100,t,A"])
    with pytest.raises(InfeasibleStudyError, match="cannot be supplied") as info:
        run_study(load_power_data(folder), "hand", hours=4, profiles=hand_profiles)
    assert info.value.location is not None
    assert info.value.location.field == "energy_balance"
