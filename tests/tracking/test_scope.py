"""The required pace (a stated assumption kept as data) and the region's leagues."""

from __future__ import annotations

import pytest

from tanfeng.tracking.scope import (
    REGION,
    carbon_required_annual_pct,
    intensity_required_annual_pct,
    leagues,
    required_note,
    required_pace,
)


def test_the_pace_spreads_the_five_year_fall_evenly() -> None:
    # (1 − 15 %)^(1/5) − 1 = 0.85^0.2 − 1 = −3.1981 % → −3.2; (1 − 18 %)^(1/5) − 1 = 0.82^0.2 − 1 = −3.8916 % → −3.89
    assert intensity_required_annual_pct() == pytest.approx(-3.2)
    assert carbon_required_annual_pct() == pytest.approx(-3.89)


def test_each_pace_is_marked_an_assumption_with_its_source() -> None:
    for pid in ("energy_intensity", "carbon_intensity"):
        pace = required_pace(pid)
        assert pace.assumption is True
        assert pace.source
        assert pace.years == 5
    assert "示例假设" in required_note()


def test_the_region_has_twelve_leagues() -> None:
    got = leagues(REGION)
    assert len(got) == 12
    assert got[0] == "150100"
    assert "152900" in got
