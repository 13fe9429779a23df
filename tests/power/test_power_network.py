"""The shipped networks: the 12-league topology keeps every megawatt of the two grids; a short dispatch
of the shipped two-grid study closes its energy balance and its curtailment is available − dispatched."""

from __future__ import annotations

import pytest

from tanfeng.power.data import load_power_data
from tanfeng.power.metrics import balance_residual, study_result
from tanfeng.power.network import BuildOptions, build_network
from tanfeng.power.solve import solve

LEAGUES = {"150100", "150200", "150300", "150400", "150500", "150600", "150700", "150800", "150900", "152200",
           "152500", "152900"}


def test_league_topology_spreads_each_grid_without_losing_capacity() -> None:
    data = load_power_data()
    league = build_network(data, data.studies["im12-2030"], BuildOptions(hours=24)).network
    expected = {}
    for (year, _node, carrier), p_nom in data.capacity.items():
        if year == 2030:
            expected[carrier] = expected.get(carrier, 0.0) + p_nom
    gens = league.generators[league.generators.carrier != "export"].groupby("carrier").p_nom.sum()
    stores = league.storage_units.groupby("carrier").p_nom.sum()
    for carrier, total in expected.items():
        got = gens.get(carrier, 0.0) + stores.get(carrier, 0.0)
        assert got == pytest.approx(total), carrier
    assert set(league.buses.index) >= LEAGUES
    # demand.csv: 542.34 TWh in 2030, spread over the year by the load shape
    first_day = 542.34e6 * data.load_shape_mw[:24].sum() / data.load_shape_mw.sum()
    assert league.loads_t.p_set.sum().sum() == pytest.approx(first_day)


def test_shipped_two_grid_day_balances_and_curtailment_is_available_minus_dispatched() -> None:
    data = load_power_data()
    built = build_network(data, data.studies["im2g-2025"], BuildOptions(hours=24, start=24 * 180))
    outcome = solve(built)
    assert outcome.status == "ok"
    assert balance_residual(built) < 1e-3
    result = study_result(built, outcome)
    for carrier, curtailed in result.curtailment_by_carrier.items():
        assert curtailed == pytest.approx(result.available_twh[carrier] - result.generation_twh[carrier], abs=1e-9)
