"""Sinks beside the inventory: gross from CEADs as published, net = gross − sink, only years both are known."""

from __future__ import annotations

import pytest

from tanfeng.errors import InputError
from tanfeng.sinks import account, inventory_net, scenario_net


def test_province_years_and_published_gross() -> None:
    rows = inventory_net("150000")
    # CEADs ends in 2019; the sink drivers start in 2009 (2008 is the first forest inventory point)
    assert [r.year for r in rows] == list(range(2009, 2020))
    last = rows[-1]
    assert last.gross_mtco2 == 794.279  # CEADs Inner Mongolia 2019 scope-1 total, MtCO2, as published
    assert rows[0].gross_mtco2 == 445.31  # CEADs 2009
    assert last.gross_source == "CEADs"


def test_net_is_gross_minus_the_sink_account() -> None:
    row = inventory_net("150000")[-1]
    sink = account("150000", 2019)
    assert row.sink_mtco2 == pytest.approx(sink.total_tco2 / 1e6, abs=1e-6)
    assert row.net_mtco2 == pytest.approx(794.279 - sink.total_tco2 / 1e6, abs=1e-6)
    assert row.sink_share_pct == pytest.approx(100 * sink.total_tco2 / 1e6 / 794.279, abs=0.01)
    assert row.sink_uncertainty_pct == sink.uncertainty_pct


def test_a_league_uses_its_city_inventory_and_keeps_gaps() -> None:
    rows = inventory_net("150200")  # 包头市
    assert rows
    assert all(r.gross_source == "CEADs (city inventory)" for r in rows)
    assert all(2009 <= r.year <= 2019 for r in rows)


def test_unknown_region_is_refused() -> None:
    with pytest.raises(InputError, match="no sink data for region 150602"):
        inventory_net("150602")


def test_scenario_years_stop_where_the_sink_drivers_stop() -> None:
    rows = scenario_net("150000", {2020: 800.0, 2025: 790.0, 2030: 700.0}, "plan")
    assert [r.year for r in rows] == [2020, 2025]  # 2030 is past the plan's last forest target: not extrapolated
    assert rows[0].gross_source == "scenario plan"
    assert rows[1].net_mtco2 == pytest.approx(790.0 - account("150000", 2025).total_tco2 / 1e6, abs=1e-6)
