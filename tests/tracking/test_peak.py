"""Peak detection on constructed series whose answer follows from the plateau rule.

Rule: max M at year p (latest if tied); peaked when ≥ k years follow p and each of the last k
years is ≤ M × (1 − x/100).
"""

from __future__ import annotations

import pytest

from tanfeng.errors import InputError
from tanfeng.tracking.peak import PlateauRule, detect_peak

RULE = PlateauRule(years_below=3, min_drop_pct=1.0)


def _s(start: int, values: list[float]) -> dict[int, float]:
    return {start + i: v for i, v in enumerate(values)}


def test_clear_peak() -> None:
    # M = 100 in 2025; 2026–2028 are 98, 97, 95, all ≤ 99 → peaked in 2025.
    r = detect_peak(_s(2022, [90, 95, 99, 100, 98, 97, 95]), RULE)
    assert (r.peaked, r.peak_year, r.max_value) == (True, 2025, 100.0)
    assert r.threshold == pytest.approx(99.0)


def test_still_rising_has_not_peaked() -> None:
    r = detect_peak(_s(2020, [90, 92, 94, 96, 98]), RULE)
    assert (r.peaked, r.max_year, r.years_since_max) == (False, 2024, 0)


def test_too_few_years_after_the_maximum() -> None:
    # Only 2 years after the max, k = 3.
    r = detect_peak(_s(2020, [90, 100, 95, 94]), RULE)
    assert r.peaked is False
    assert "2 year(s) after" in r.reason


def test_a_year_within_x_percent_of_the_max_blocks_the_peak() -> None:
    # 2024 is 99.5 > 99 (1 % below 100): not a peak; with x = 0.5 % (threshold 99.5) it is.
    s = _s(2020, [95, 100, 98, 97, 99.5])
    assert detect_peak(s, RULE).peaked is False
    assert detect_peak(s, PlateauRule(years_below=3, min_drop_pct=0.5)).peaked is True


def test_exactly_at_the_threshold_counts_as_below() -> None:
    r = detect_peak(_s(2020, [100, 99, 99, 99]), RULE)
    assert (r.peaked, r.peak_year) == (True, 2020)


def test_flat_top_takes_the_latest_maximum() -> None:
    # 100 in 2021 and again in 2023: p = 2023, only one year after it.
    r = detect_peak(_s(2020, [90, 100, 95, 100, 90]), RULE)
    assert (r.peaked, r.max_year) == (False, 2023)


def test_bad_input() -> None:
    with pytest.raises(InputError, match="at least 2"):
        detect_peak({2020: 1.0})
    with pytest.raises(InputError, match="finite"):
        detect_peak({2020: 1.0, 2021: float("nan")})
    with pytest.raises(InputError, match="years_below"):
        PlateauRule(years_below=0)
