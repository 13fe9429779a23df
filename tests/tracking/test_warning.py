"""Early-warning levels: the 629号 rule at its boundaries, the inferred total rule, path warnings."""

from __future__ import annotations

import pytest

from tanfeng.plan.model import Comparator
from tanfeng.tracking.trajectory import TrajectoryTarget
from tanfeng.tracking.warning import (
    TWO_HIGH_REVIEW_SUSPENDED,
    TotalWarningRule,
    barometer_entry,
    carbon_intensity_warning,
    intensity_warning,
    path_warning,
    total_warning,
)


@pytest.mark.parametrize(
    ("change", "required", "level", "colour"),
    [
        (0.01, -3.2, 1, "red"),      # 不降反升: any rise is level 1
        (6.89, -3.2, 1, "red"),
        (0.0, -3.2, 2, "yellow"),    # exactly 0: did not rise, but no fall at all → short of progress
        (-3.19, -3.2, 2, "yellow"),  # fell, just short of the required −3.2
        (-3.2, -3.2, 3, "green"),    # exactly on the required progress → reached it
        (-5.0, -3.2, 3, "green"),
        (0.0, 0.0, 3, "green"),      # nothing required, nothing rose
    ],
)
def test_intensity_levels_at_their_boundaries(change: float, required: float, level: int, colour: str) -> None:
    w = intensity_warning(change, required)
    assert (w.level, w.colour) == (level, colour)
    assert w.document == "发改办环资〔2021〕629号"
    assert w.inferred is False


def test_level_1_carries_the_629_consequence_and_others_do_not() -> None:
    assert intensity_warning(0.5, -3.0).consequences == [TWO_HIGH_REVIEW_SUSPENDED]
    assert intensity_warning(-1.0, -3.0).consequences == []
    assert "两高" in TWO_HIGH_REVIEW_SUSPENDED.text
    assert TWO_HIGH_REVIEW_SUSPENDED.document == "发改办环资〔2021〕629号"


def test_carbon_intensity_uses_the_same_levels_and_says_it_is_inferred() -> None:
    assert [carbon_intensity_warning(c, -3.9).level for c in (0.1, 0.0, -3.9)] == [1, 2, 3]
    w = carbon_intensity_warning(0.1, -3.9)
    assert w.inferred is True
    assert w.indicator == "carbon_intensity"
    assert w.consequences == []


@pytest.mark.parametrize(
    ("growth", "cap", "line", "level"),
    [
        (3.01, 3.0, 2.0, 1),  # above the cap
        (3.0, 3.0, 2.0, 2),   # exactly at the cap: within it, above the progress line
        (2.0, 3.0, 2.0, 3),   # exactly on the progress line: within progress
        (-1.0, 3.0, 2.0, 3),
    ],
)
def test_total_levels_under_the_inferred_rule(growth: float, cap: float, line: float, level: int) -> None:
    w = total_warning(growth, cap, line)
    assert w.level == level
    assert w.inferred is True
    assert "inferred" in w.note


def test_total_rule_is_configurable() -> None:
    # Without a progress line only levels 1 and 3 can be told apart, and the result says so.
    w = total_warning(2.5, 3.0)
    assert w.level == 3
    assert "only levels 1 and 3" in w.note
    # A rule whose progress line is half the cap makes 2.5 % a level 2.
    assert total_warning(2.5, 3.0, rule=TotalWarningRule(progress_share=0.5)).level == 2


def test_path_warning_for_any_plan_target() -> None:
    t = TrajectoryTarget(baseline_year=2020, baseline_value=10.0, target_year=2025, comparator=Comparator.GE, value=18.0)
    assert path_warning(t, 2022, 12.0).warn is True
    assert path_warning(t, 2022, 13.2).warn is False
    assert path_warning(t, 2022, None).warn is False
    assert path_warning(t, 2025, 17.0).warn is True


def test_barometer_entry_has_both_dimensions() -> None:
    e = barometer_entry("内蒙古", "2021H1", -4.0, -3.0, 2.0, 3.0)
    assert (e.intensity.level, e.total.level) == (3, 3)
