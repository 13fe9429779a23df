"""The hand-solvable network: 3 buses, 4 hours, dispatch, cost, curtailment and emissions worked by hand.

Demand at ``west``: 100 MW load each hour + the channel's 80 MWh (40 MW × 0.5 × 4 h) at any hours.
Wind at ``east`` can offer 100, 50, 20, 0 MW, but the tie carries at most 60 MW, so wind delivers
60, 50, 20, 0 = 130 MWh and 40 MWh is curtailed in hour 0 (170 MWh available). Coal never drops to
its 30 MW floor (west needs at least 100 + 0 − 60 = 40 MW), so coal supplies 400 + 80 − 130 = 350 MWh
at 25 CNY/MWh: objective 8,750 CNY. CO2: 350 MWh / 0.5 × 0.34 t/MWh_th = 238 t.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pypsa
import pytest

from tanfeng.power.data import load_power_data
from tanfeng.power.metrics import StudyResult, balance_residual, study_result
from tanfeng.power.network import BuildOptions, BuiltNetwork, build_network
from tanfeng.power.solve import solve

WIND_EAST = [1.0, 0.5, 0.2, 0.0]
IPM_STUDIES = """solver_options: {solver: ipm, run_crossover: "on"}
studies:
  - id: hand
    title_zh: 手算
    title_en: hand
    year: 2025
    topology: two_grid
    measures: []
"""

def _run(folder: Path, profiles: dict[str, np.ndarray]) -> tuple[BuiltNetwork, StudyResult]:
    data = load_power_data(folder)
    built = build_network(data, data.studies["hand"], BuildOptions(hours=4, profiles=profiles))
    outcome = solve(built)
    assert outcome.status == "ok"
    return built, study_result(built, outcome)


def test_hand_network_dispatch_cost_and_curtailment(hand_folder: Path, hand_profiles: dict[str, np.ndarray]) -> None:
    built, result = _run(hand_folder, hand_profiles)
    n = built.network
    assert list(n.buses.index) == ["west", "east", "ext:ch"]
    np.testing.assert_allclose(n.generators_t.p["wind:east"].to_numpy(), [60, 50, 20, 0], atol=1e-6)
    assert n.generators_t.p["coal:west"].sum() == pytest.approx(350.0)
    assert result.objective == pytest.approx(8750.0)
    assert result.curtailment_by_carrier["wind"] == pytest.approx(40.0 / 1e6)
    assert result.curtailment_rate_pct == pytest.approx(100 * 40 / 170)
    assert result.co2_mt == pytest.approx(238.0 / 1e6)
    assert result.renewable_share_pct == pytest.approx(100 * 130 / 480)
    assert result.channels[0].flow_twh == pytest.approx(80.0 / 1e6)
    assert result.snapshots == 4


def test_energy_balance_closes_and_curtailment_is_available_minus_dispatched(hand_folder: Path, hand_profiles: dict[str, np.ndarray]) -> None:
    built, result = _run(hand_folder, hand_profiles)
    assert balance_residual(built) < 1e-6
    n = built.network
    available = float((n.generators_t.p_max_pu["wind:east"] * n.generators.at["wind:east", "p_nom"]).sum())
    dispatched = float(n.generators_t.p["wind:east"].sum())
    assert available == pytest.approx(170.0)
    assert result.curtailment_by_carrier["wind"] * 1e6 == pytest.approx(available - dispatched)


def test_same_network_written_directly_in_pypsa_has_the_same_objective(hand_folder: Path, hand_profiles: dict[str, np.ndarray]) -> None:
    _, result = _run(hand_folder, hand_profiles)
    n = pypsa.Network()
    n.set_snapshots(pd.RangeIndex(4))
    n.add("Carrier", ["coal", "wind"], co2_emissions=[0.34, 0.0])
    n.add("Bus", ["west", "east", "ext"])
    n.add("Load", "load", bus="west", p_set=[100.0] * 4)
    n.add("Generator", "coal", bus="west", carrier="coal", p_nom=150, p_min_pu=0.2, efficiency=0.5,
          marginal_cost=25.0)
    n.add("Generator", "wind", bus="east", carrier="wind", p_nom=100, p_max_pu=WIND_EAST)
    n.add("Link", "tie", bus0="west", bus1="east", p_nom=60, p_min_pu=-1)
    n.add("Link", "channel", bus0="west", bus1="ext", p_nom=40)
    n.add("Generator", "sink", bus="ext", p_nom=40, p_min_pu=-1, p_max_pu=0, e_sum_min=-80, e_sum_max=-80)
    status, _ = n.optimize(solver_name="highs", include_objective_constant=False, log_to_console=False,
                           progress=False)
    assert status == "ok"
    assert result.objective == pytest.approx(float(n.objective), rel=1e-9)
    assert float(n.objective) == pytest.approx(8750.0)


def test_interior_point_with_crossover_gives_the_hand_dispatch(folder_with: Callable[..., Path],
                                                                hand_profiles: dict[str, np.ndarray]) -> None:
    # the shipped studies solve with HiGHS interior point and crossover (studies.yaml, solver_options)
    folder = folder_with(IPM_STUDIES)
    assert load_power_data(folder).studies["hand"].solver_options == {"solver": "ipm", "run_crossover": "on"}
    built, result = _run(folder, hand_profiles)
    np.testing.assert_allclose(built.network.generators_t.p["wind:east"].to_numpy(), [60, 50, 20, 0], atol=1e-6)
    assert result.objective == pytest.approx(8750.0, rel=1e-9)
    assert result.curtailment_by_carrier["wind"] * 1e6 == pytest.approx(40.0, abs=1e-6)
