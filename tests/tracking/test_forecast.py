"""Trend forecasts: continuation of noiseless series, and the probability of meeting a target."""

from __future__ import annotations

import itertools
import math

import pytest

from tanfeng.errors import InputError
from tanfeng.tracking.forecast import forecast

# A fixed, noisy intensity series (tce/万元) falling about 3 % a year; the noise is written out, not drawn.
NOISE = [0.004, -0.006, 0.003, 0.005, -0.004, -0.002, 0.006, -0.003]
NOISY = {2013 + i: 2.0 * 0.97 ** i * (1 + n) for i, n in enumerate(NOISE)}


def test_noiseless_linear_series_forecasts_its_own_continuation() -> None:
    s = {2015 + i: 100.0 - 2.0 * i for i in range(6)}  # 100, 98, …, 90
    f = forecast(s, 2025)
    assert [p.year for p in f.points] == [2021, 2022, 2023, 2024, 2025]
    for p in f.points:
        assert p.mean == pytest.approx(100.0 - 2.0 * (p.year - 2015))
        assert p.upper - p.lower == pytest.approx(0.0, abs=1e-6)
    assert f.slope == pytest.approx(-2.0)


def test_noiseless_geometric_series_continues_under_log_linear() -> None:
    s = {2015 + i: 2.0 * 0.97 ** i for i in range(6)}
    f = forecast(s, 2025, method="log_linear")
    assert f.mean == pytest.approx(2.0 * 0.97 ** 10)
    assert f.slope == pytest.approx(math.log(0.97))


def test_interval_contains_the_mean_and_widens_with_the_horizon() -> None:
    f = forecast(NOISY, 2030, method="log_linear")
    widths = [p.upper - p.lower for p in f.points]
    assert all(p.lower < p.mean < p.upper for p in f.points)
    assert all(a < b for a, b in itertools.pairwise(widths))


def test_probability_near_1_on_the_right_side_and_near_0_on_the_wrong_side() -> None:
    # The trend reaches about 2.0 × 0.97^12 ≈ 1.39 in 2025; a cap of 2.5 is far above it, 0.8 far below.
    assert forecast(NOISY, 2025, method="log_linear", target_value=2.5).probability_met == pytest.approx(1.0, abs=1e-3)
    assert forecast(NOISY, 2025, method="log_linear", target_value=0.8).probability_met == pytest.approx(0.0, abs=1e-3)
    # For a floor (direction "up") the sides swap.
    up = forecast(NOISY, 2025, method="log_linear", target_value=2.5, direction="up")
    assert up.probability_met == pytest.approx(0.0, abs=1e-3)


def test_probability_is_monotone_in_the_target() -> None:
    targets = [1.2, 1.3, 1.35, 1.38, 1.4, 1.42, 1.45, 1.5, 1.6]
    probs = [forecast(NOISY, 2025, method="log_linear", target_value=t).probability_met for t in targets]
    assert all(p is not None for p in probs)
    assert all(a is not None and b is not None and a < b for a, b in itertools.pairwise(probs))
    linear = [forecast(NOISY, 2025, target_value=t).probability_met for t in targets]
    assert all(a is not None and b is not None and a < b for a, b in itertools.pairwise(linear))


def test_noiseless_probability_is_0_or_1() -> None:
    s = {2015 + i: 100.0 - 2.0 * i for i in range(6)}  # 80 in 2025
    assert forecast(s, 2025, target_value=81.0).probability_met == 1.0
    assert forecast(s, 2025, target_value=79.0).probability_met == 0.0


def test_bad_input() -> None:
    with pytest.raises(InputError, match="at least 4"):
        forecast({2020: 1.0, 2021: 2.0, 2022: 3.0}, 2025)
    with pytest.raises(InputError, match="after the last year"):
        forecast(NOISY, 2020)
    with pytest.raises(InputError, match="positive"):
        forecast({2020: 1.0, 2021: 0.0, 2022: 1.0, 2023: 2.0}, 2025, method="log_linear")
