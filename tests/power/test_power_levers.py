"""Plan levers as constraints: the channel renewable share (binding and slack), and infeasible studies.

An infeasible study is explained by relaxing groups of constraints (all channel shares, the CHP floors, the
coal minima, the CO2 cap), one at a time and then in pairs; the shipped 2030 study over one winter day
(hours 8000–8023, late November) cannot give its three new 2030 channels half renewable electricity.

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
from tanfeng.web.i18n import translate_message

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
    # no generation at the channel's base: everything comes through the feeder, share 0 %
    tables = dict(BASE_TABLES, capacity_csv=["2025,west,coal,150,t,A", "2025,east,wind,200,t,A"])
    folder = folder_with(SHARE_STUDY, technology_csv=_tech(0, 2), **tables)
    with pytest.raises(InfeasibleStudyError, match="the renewable share of the new channels cannot be met") as info:
        run_study(load_power_data(folder), "share", hours=4, profiles=_profiles())
    assert info.value.location is not None
    assert info.value.location.field == "channel_re_share"
    assert info.value.causes == [("channel_re_share",)]
    [short] = info.value.shortfalls
    assert (short.name, short.required_pct) == ("new", 50.0)
    assert short.share_pct == pytest.approx(0.0, abs=1e-6)
    assert short.shortfall_mwh == pytest.approx(40.0)  # half of the channel's 80 MWh
    assert "新通道 (new) 0.0 % < 50 %" in info.value.message


def test_two_groups_needed_together_are_named_as_a_pair(folder_with: Callable[..., Path]) -> None:
    # as above, and a 90 % coal floor: 135 MW must run against 100 MW of load and 20 MW of export on average
    tech = [r.replace("coal,p_min_pu,0.2", "coal,p_min_pu,0.9") for r in _tech(0, 2)]
    tables = dict(BASE_TABLES, capacity_csv=["2025,west,coal,150,t,A", "2025,east,wind,200,t,A"])
    folder = folder_with(SHARE_STUDY, technology_csv=tech, **tables)
    with pytest.raises(InfeasibleStudyError) as info:
        run_study(load_power_data(folder), "share", hours=4, profiles=_profiles())
    assert info.value.causes == [("channel_re_share", "coal_min")]
    assert info.value.location is not None
    assert info.value.location.field == "channel_re_share+coal_min"
    assert ("the renewable share of the new channels and the minimum output of the coal units cannot be met "
            "together") in info.value.message
    assert [s.name for s in info.value.shortfalls] == ["new"]


def test_a_winter_day_of_2030_is_infeasible_for_the_new_channels() -> None:
    data = load_power_data()
    with pytest.raises(InfeasibleStudyError) as info:
        run_study(data, "im2g-2030", hours=24, start=8000)
    error = info.value
    assert error.causes == [("channel_re_share",)]  # neither the CHP floors nor the coal minima alone
    assert error.location is not None
    assert error.location.field == "channel_re_share"
    new_2030 = {c.name for c in data.channels if c.first_year == 2030}
    short = {s.name for s in error.shortfalls}
    assert short
    assert short <= new_2030
    assert all(s.share_pct < s.required_pct and s.shortfall_mwh > 0 for s in error.shortfalls)
    assert "the renewable share of the new channels cannot be met" in error.message
    assert translate_message("zh", error.message).startswith(
        "研究 im2g-2030(自第 8000 小时起 24 小时)无可行解:新建外送通道的新能源电量占比无法满足;")
    assert translate_message("zh", error.hint or "").startswith("该占比按全年考核")
    assert translate_message("en", error.message) == error.message


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
    with pytest.raises(InfeasibleStudyError, match=r"the CO2 cap of .* MtCO2 over the horizon cannot be met") as info:
        run_study(load_power_data(folder), "capped", hours=4, profiles=hand_profiles)
    assert info.value.causes[0] == ("co2_cap",)


def test_infeasible_supply_names_the_energy_balance(folder_with: Callable[..., Path],
                                                    hand_profiles: dict[str, np.ndarray]) -> None:
    folder = folder_with(capacity_csv=["2025,west,coal,50,t,A", "2025,east,wind,100,t,A"])
    with pytest.raises(InfeasibleStudyError, match="cannot be supplied") as info:
        run_study(load_power_data(folder), "hand", hours=4, profiles=hand_profiles)
    assert info.value.location is not None
    assert info.value.location.field == "energy_balance"
