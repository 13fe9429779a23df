"""Tapio decoupling: every sign combination, both thresholds under both conventions, zero changes."""

from __future__ import annotations

import pytest

from tanfeng.errors import InputError
from tanfeng.tracking.decoupling import TapioState, classify_elasticity, tapio


@pytest.mark.parametrize(
    ("gdp", "c", "state"),
    [
        (5.0, -1.0, "强脱钩"),      # ΔGDP > 0, ΔC < 0
        (5.0, 2.0, "弱脱钩"),       # e = 0.4
        (5.0, 5.0, "扩张连接"),     # e = 1
        (5.0, 10.0, "扩张负脱钩"),  # e = 2
        (-5.0, 1.0, "强负脱钩"),    # ΔGDP < 0, ΔC > 0
        (-5.0, -2.0, "弱负脱钩"),   # e = 0.4
        (-5.0, -5.0, "衰退连接"),   # e = 1
        (-5.0, -10.0, "衰退脱钩"),  # e = 2
    ],
)
def test_every_sign_combination(gdp: float, c: float, state: str) -> None:
    assert tapio(gdp, c).state == state
    assert tapio(gdp, c, "open").state == state


@pytest.mark.parametrize(
    ("e", "grows", "closed", "open_"),
    [
        (0.79, True, "弱脱钩", "弱脱钩"),
        (0.8, True, "扩张连接", "弱脱钩"),
        (0.81, True, "扩张连接", "扩张连接"),
        (1.19, True, "扩张连接", "扩张连接"),
        (1.2, True, "扩张连接", "扩张负脱钩"),
        (1.21, True, "扩张负脱钩", "扩张负脱钩"),
        (0.79, False, "弱负脱钩", "弱负脱钩"),
        (0.8, False, "衰退连接", "弱负脱钩"),
        (1.2, False, "衰退连接", "衰退脱钩"),
        (1.21, False, "衰退脱钩", "衰退脱钩"),
    ],
)
def test_thresholds_under_both_conventions(e: float, grows: bool, closed: str, open_: str) -> None:
    assert classify_elasticity(e, grows, "closed").zh == closed
    assert classify_elasticity(e, grows, "open").zh == open_


def test_threshold_reached_from_growth_rates() -> None:
    # 8 / 10 = 0.8 and 12 / 10 = 1.2 exactly.
    assert tapio(10.0, 8.0).state == "扩张连接"
    assert tapio(10.0, 8.0, "open").state == "弱脱钩"
    assert tapio(10.0, 12.0).state == "扩张连接"
    assert tapio(10.0, 12.0, "open").state == "扩张负脱钩"


def test_zero_changes() -> None:
    flat_gdp_up = tapio(0.0, 3.0)
    assert (flat_gdp_up.elasticity, flat_gdp_up.state) == (None, "强负脱钩")
    flat_gdp_down = tapio(0.0, -3.0)
    assert (flat_gdp_down.elasticity, flat_gdp_down.state) == (None, "强脱钩")
    nothing = tapio(0.0, 0.0)
    assert (nothing.elasticity, nothing.state, nothing.state_en) == (None, None, None)
    assert tapio(4.0, 0.0).elasticity == 0.0
    assert tapio(4.0, 0.0).state == "弱脱钩"
    assert tapio(-4.0, 0.0).state == "弱负脱钩"


def test_bad_boundary_is_refused() -> None:
    with pytest.raises(InputError, match="boundary"):
        classify_elasticity(1.0, True, "half")  # type: ignore[arg-type]


def test_english_names() -> None:
    assert TapioState.EXPANSIVE_NEGATIVE_DECOUPLING.en == "expansive negative decoupling"
    assert len({s.zh for s in TapioState}) == 8
