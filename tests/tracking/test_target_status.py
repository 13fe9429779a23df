"""A target's status from the plan's words and the indicator's polarity, written out by hand.

The ≈ band is ±1 % of the target value (``tanfeng/tracking/data/status_rules.yaml``, an assumption), so for a
target of 100 it is 99 … 101. Every case is judged in the target year 2025, where the status is ``achieved``
(已完成, A) or ``missed`` (未完成, M). Positions: *below* (95, outside the band), *within* the band below
(99.5), *at* the value (100), *within* the band above (100.5), *beyond* (105).
"""

from __future__ import annotations

import pytest

from tanfeng.plan.loader import load_builtin_plan
from tanfeng.plan.model import Comparator
from tanfeng.reference.indicators import Polarity
from tanfeng.tracking.figures import track_target
from tanfeng.tracking.sample import generate_sample
from tanfeng.tracking.series import IndicatorSeries, StoredInput
from tanfeng.tracking.trajectory import Status, TrajectoryTarget, met_rule, progress, status_rules

A, M = Status.ACHIEVED, Status.MISSED
HIGH, LOW, NEUTRAL = "higher_better", "lower_better", "neutral"
LEVELS = (95.0, 99.5, 100.0, 100.5, 105.0)
"""below, within the band below, at, within the band above, beyond (target 100)."""

# comparator, polarity → expected status at each of LEVELS, worked out by hand from the rules
TABLE: list[tuple[Comparator, Polarity, tuple[Status, ...]]] = [
    # ≥ > ≤ < say the direction themselves: the polarity changes nothing
    (Comparator.GE, HIGH, (M, M, A, A, A)), (Comparator.GE, LOW, (M, M, A, A, A)),
    (Comparator.GE, NEUTRAL, (M, M, A, A, A)),
    (Comparator.GT, HIGH, (M, M, M, A, A)), (Comparator.GT, LOW, (M, M, M, A, A)),
    (Comparator.GT, NEUTRAL, (M, M, M, A, A)),
    (Comparator.LE, HIGH, (A, A, A, M, M)), (Comparator.LE, LOW, (A, A, A, M, M)),
    (Comparator.LE, NEUTRAL, (A, A, A, M, M)),
    (Comparator.LT, HIGH, (A, A, M, M, M)), (Comparator.LT, LOW, (A, A, M, M, M)),
    (Comparator.LT, NEUTRAL, (A, A, M, M, M)),
    # 达到X: at or beyond X in the good direction; no tolerance below; neutral: X only
    (Comparator.EQ, HIGH, (M, M, A, A, A)), (Comparator.EQ, LOW, (A, A, A, M, M)),
    (Comparator.EQ, NEUTRAL, (M, M, A, M, M)),
    # X左右: within ±1 %, or beyond in the good direction; neutral: within the band only
    (Comparator.APPROX, HIGH, (M, A, A, A, A)), (Comparator.APPROX, LOW, (A, A, A, A, M)),
    (Comparator.APPROX, NEUTRAL, (M, A, A, A, M)),
]


def _target(comparator: Comparator, polarity: Polarity, *, value: float = 100.0, value_high: float | None = None,
            baseline: float = 80.0) -> TrajectoryTarget:
    return TrajectoryTarget(baseline_year=2020, baseline_value=baseline, target_year=2025, comparator=comparator,
                            value=value, value_high=value_high, polarity=polarity)


def test_the_band_of_approx_is_the_data_files_one_percent() -> None:
    rules = status_rules()
    assert rules.approx_tolerance.value == 0.01
    assert rules.approx_tolerance.certainty == "A"  # an assumption, stated as one
    assert _target(Comparator.APPROX, HIGH).band == pytest.approx(1.0)


@pytest.mark.parametrize(("comparator", "polarity", "expected"), TABLE,
                         ids=[f"{c.name}-{p}" for c, p, _ in TABLE])
def test_status_in_the_target_year(comparator: Comparator, polarity: Polarity, expected: tuple[Status, ...]) -> None:
    t = _target(comparator, polarity)
    got = tuple(progress(t, 2025, level).status for level in LEVELS)
    assert got == expected


# between 100 and 110; levels below (95), at the low end (100), inside (105), at the high end (110), beyond (115)
BETWEEN_LEVELS = (95.0, 100.0, 105.0, 110.0, 115.0)
BETWEEN: list[tuple[Polarity, tuple[Status, ...]]] = [
    (HIGH, (M, A, A, A, A)),  # reaching the low end is enough; more is better
    (LOW, (A, A, A, A, M)),  # staying under the high end is enough; less is better
    (NEUTRAL, (M, A, A, A, M)),  # inside the range only
]


@pytest.mark.parametrize(("polarity", "expected"), BETWEEN, ids=[p for p, _ in BETWEEN])
def test_status_of_a_range(polarity: Polarity, expected: tuple[Status, ...]) -> None:
    t = _target(Comparator.BETWEEN, polarity, value_high=110.0)
    assert tuple(progress(t, 2025, level).status for level in BETWEEN_LEVELS) == expected


# 比2020年下降10% / 提高10% from a baseline of 100: the level to reach is 90 / 110, whatever the polarity
RELATIVE: list[tuple[Comparator, tuple[float, ...], tuple[Status, ...]]] = [
    (Comparator.DECREASE_BY, (95.0, 90.5, 90.0, 89.5, 85.0), (M, M, A, A, A)),
    (Comparator.INCREASE_BY, (105.0, 109.5, 110.0, 110.5, 115.0), (M, M, A, A, A)),
]


@pytest.mark.parametrize("polarity", [HIGH, LOW, NEUTRAL])
@pytest.mark.parametrize(("comparator", "levels", "expected"), RELATIVE, ids=["decrease_by", "increase_by"])
def test_a_relative_target_compares_with_the_baseline(comparator: Comparator, levels: tuple[float, ...],
                                                       expected: tuple[Status, ...], polarity: Polarity) -> None:
    t = _target(comparator, polarity, value=10.0, baseline=100.0)
    assert tuple(progress(t, 2025, level).status for level in levels) == expected


def test_before_the_target_year_met_is_achieved_a_cap_is_not_and_the_rest_follow_the_path() -> None:
    # 左右 100 on a higher-is-better indicator from 80 in 2020: the linear path requires 88 in 2022
    t = _target(Comparator.APPROX, HIGH)
    assert progress(t, 2022, 99.2).status is Status.ACHIEVED  # already within the band
    assert progress(t, 2022, 90.0).status is Status.ON_TRACK  # ahead of 88
    assert progress(t, 2022, 85.0).status is Status.BEHIND
    # 达到 100 on a lower-is-better indicator from 120: the path requires 112 in 2022
    low = _target(Comparator.EQ, LOW, baseline=120.0)
    assert progress(low, 2022, 110.0).status is Status.ON_TRACK
    assert progress(low, 2022, 115.0).status is Status.BEHIND
    assert progress(low, 2022, 99.0).status is Status.ACHIEVED
    # ≤ 100 from 120 is a cap: met in 2022, yet only on track until 2025
    cap = _target(Comparator.LE, LOW, baseline=120.0)
    assert progress(cap, 2022, 99.0).status is Status.ON_TRACK
    assert progress(_target(Comparator.LE, LOW, baseline=120.0), 2025, 99.0).status is Status.ACHIEVED


def test_progress_and_required_progress_are_shares_of_the_change_from_the_baseline() -> None:
    # baseline 80, target 100, 2023 of 2020–2025: 进度要求 = (92 − 80)/(100 − 80) = 60 %; 进度 at 95 = 75 %
    p = progress(_target(Comparator.EQ, HIGH), 2023, 95.0)
    assert p.required == pytest.approx(92.0)
    assert p.required_ratio == pytest.approx(0.60)
    assert p.progress_ratio == pytest.approx(0.75)


def test_the_rule_says_when_the_target_is_met() -> None:
    assert met_rule(_target(Comparator.APPROX, LOW, value=305.0)) == \
        "左右: 实际值 ≤ 308.05 (目标 305 加上 ±3.05 容差, 越低越好)"
    assert met_rule(_target(Comparator.EQ, HIGH, value=23.5)) == "达到: 实际值 ≥ 23.5 (越高越好)"
    assert met_rule(_target(Comparator.DECREASE_BY, LOW, value=5.0, baseline=100.0)) == \
        "比基期下降5%: 实际值 ≤ 基期值 × (1 − 5%) = 95"


# The shipped plan (im2022) and the sample (seed default), in 2025; the values are the ones issue 10 quotes.
# target id, plan words, quoted value, status by hand
QUOTED = [
    ("im2022.a09.m2.t3", "森林覆盖率达到23.5%", 23.501, A),  # at or above 23.5, higher is better
    ("im2022.a02.m2.t3", "建筑节能改造面积1000万平方米", 1019.8, A),
    ("im2022.a04.m1.t2", "黑土地保护面积1500万亩", 1550.4, A),
    ("im2022.a06.m1.t3", "新增新能源、清洁能源动力的交通工具比例达到20%左右", 22.3, A),  # beyond, good side
    ("im2022.a02.m2.t2", "平均供电煤耗305克标准煤/千瓦时左右", 309.4, M),  # 309.4 > 305 + 3.05, lower is better
]


@pytest.fixture(scope="module")
def sample_series() -> IndicatorSeries:
    rows = [StoredInput(region=r.region, indicator=r.indicator, period=str(r.year), value=r.value, unit=r.unit,
                        source=r.source, certainty="R", sample=True) for r in generate_sample()]
    return IndicatorSeries.merge(rows, [], {})


@pytest.mark.parametrize(("target_id", "words", "value", "expected"), QUOTED, ids=[q[0] for q in QUOTED])
def test_the_quoted_targets_of_the_shipped_plan(sample_series: IndicatorSeries, target_id: str, words: str,
                                                value: float, expected: Status) -> None:
    target = next(t for t in load_builtin_plan("im2022").targets if t.id == target_id)
    track = track_target(target, sample_series, "150000", 2025)
    assert track.actual == pytest.approx(value, abs=0.05), words
    assert track.status == expected.value
