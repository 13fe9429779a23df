"""Required paths and progress: worked cases and properties."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tanfeng.errors import InputError
from tanfeng.plan.model import Comparator, SourceRef, Target
from tanfeng.tracking.trajectory import Status, TrajectoryTarget, progress


def test_compound_path_of_a_15_percent_intensity_fall() -> None:
    # 内政发〔2022〕17号: 单位GDP能耗 2025 比 2020 下降15%. Compound: 0.85^(1/5) − 1 = −3.1981 % a year (0.85^0.2 = 0.968019).
    t = TrajectoryTarget(baseline_year=2020, baseline_value=1.0, target_year=2025,
                         comparator=Comparator.DECREASE_BY, value=15.0)
    assert t.path_shape == "compound"
    assert t.target_value == pytest.approx(0.85)
    assert t.annual_rate_pct() == pytest.approx((0.85 ** 0.2 - 1) * 100)
    assert t.annual_rate_pct() == pytest.approx(-3.1981, abs=1e-4)
    assert t.required(2022) == pytest.approx(0.85 ** 0.4)


def test_linear_path_of_a_level_target() -> None:
    # 非化石能源消费比重 2020 → 2025 达到18%: from, say, 10 % the path is 10, 11.6, 13.2, 14.8, 16.4, 18.
    t = TrajectoryTarget(baseline_year=2020, baseline_value=10.0, target_year=2025, comparator=Comparator.GE, value=18.0)
    assert [round(v, 6) for _, v in t.path()] == [10.0, 11.6, 13.2, 14.8, 16.4, 18.0]


def test_progress_statuses() -> None:
    t = TrajectoryTarget(baseline_year=2020, baseline_value=10.0, target_year=2025, comparator=Comparator.GE, value=18.0)
    on = progress(t, 2022, 13.2)  # exactly on the path
    assert on.status is Status.ON_TRACK
    assert on.gap == pytest.approx(0.0)
    assert on.progress_ratio == pytest.approx(0.4)
    assert on.years_left == 3
    behind = progress(t, 2022, 12.0)
    assert behind.status is Status.BEHIND
    assert behind.gap == pytest.approx(1.2)
    assert progress(t, 2023, 18.5).status is Status.ACHIEVED
    assert progress(t, 2025, 18.0).status is Status.ACHIEVED
    assert progress(t, 2025, 17.9).status is Status.MISSED
    assert progress(t, 2022, None).status is Status.NO_DATA


def test_a_cap_is_not_achieved_early() -> None:
    # ≤ 22,500 万tce in 2020 (十三五 cap): being under it in 2018 is on track, not achieved.
    t = TrajectoryTarget(baseline_year=2015, baseline_value=18_000.0, target_year=2020, comparator=Comparator.LE,
                         value=22_500.0)
    assert progress(t, 2018, 19_000.0).status is Status.ON_TRACK
    assert progress(t, 2018, 22_000.0).status is Status.BEHIND
    assert progress(t, 2020, 22_600.0).status is Status.MISSED


def test_bad_targets_are_refused() -> None:
    with pytest.raises(InputError, match="must be after"):
        TrajectoryTarget(baseline_year=2025, baseline_value=1.0, target_year=2020, comparator=Comparator.GE, value=2.0)
    with pytest.raises(InputError, match="positive"):
        TrajectoryTarget(baseline_year=2020, baseline_value=-1.0, target_year=2025,
                         comparator=Comparator.DECREASE_BY, value=10.0)


def test_intensity_decline_behind_its_compound_path() -> None:
    # −15 % by 2025 from 1.0 in 2020: 2022 requires 0.85^(2/5) = 0.937060; 0.95 (−5 %) is 0.012940 behind.
    t = TrajectoryTarget(baseline_year=2020, baseline_value=1.0, target_year=2025,
                         comparator=Comparator.DECREASE_BY, value=15.0)
    p = progress(t, 2022, 0.95)
    assert p.required == pytest.approx(0.937060, abs=1e-6)
    assert p.gap == pytest.approx(0.95 - 0.85 ** 0.4)
    assert p.status is Status.BEHIND
    assert progress(t, 2022, 0.93).status is Status.ON_TRACK
    assert progress(t, 2024, 0.84).status is Status.ACHIEVED  # already −16 %


def test_from_plan_target() -> None:
    # 内政发〔2022〕17号: 单位GDP能耗 2025 比 2020 下降15%.
    pt = Target(id="im.energy_intensity", indicator="单位GDP能耗", indicator_id="energy_intensity", scope="150000",
                year=2025, comparator=Comparator.DECREASE_BY, value=15.0, qualifier="≥", unit="%", baseline_year=2020,
                source_text="单位GDP能耗 2025 比 2020 下降15% (test fixture, paraphrased)",
                source=SourceRef(document="内政发〔2022〕17号"))
    t = TrajectoryTarget.from_plan(pt, baseline_value=1.0)
    assert (t.baseline_year, t.target_year, t.path_shape) == (2020, 2025, "compound")
    assert t.target_value == pytest.approx(0.85)
    standing = pt.model_copy(update={"year": None})
    with pytest.raises(InputError, match="no year"):
        TrajectoryTarget.from_plan(standing, baseline_value=1.0)


years = st.integers(min_value=1990, max_value=2080)
spans = st.integers(min_value=1, max_value=40)
positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False)


@settings(deadline=None)  # no timing assertions
@given(y0=years, n=spans, b=positive, pct=st.floats(min_value=0.1, max_value=90.0))
def test_compound_path_starts_at_baseline_ends_at_target_and_falls(y0: int, n: int, b: float, pct: float) -> None:
    t = TrajectoryTarget(baseline_year=y0, baseline_value=b, target_year=y0 + n,
                         comparator=Comparator.DECREASE_BY, value=pct)
    path = [v for _, v in t.path()]
    assert path[0] == pytest.approx(b)
    assert path[-1] == pytest.approx(b * (1 - pct / 100))
    assert all(a >= c for a, c in itertools.pairwise(path))


@settings(deadline=None)
@given(y0=years, n=spans, b=st.floats(min_value=-1e6, max_value=1e6), t_=st.floats(min_value=-1e6, max_value=1e6))
def test_linear_path_starts_at_baseline_ends_at_target_and_is_monotonic(y0: int, n: int, b: float, t_: float) -> None:
    t = TrajectoryTarget(baseline_year=y0, baseline_value=b, target_year=y0 + n, comparator=Comparator.EQ, value=t_)
    path = [v for _, v in t.path()]
    assert path[0] == pytest.approx(b)
    assert path[-1] == pytest.approx(t_, abs=1e-6)
    steps = [c - a for a, c in itertools.pairwise(path)]
    tol = 1e-9 * max(1.0, abs(b), abs(t_))
    assert all(s >= -tol for s in steps) or all(s <= tol for s in steps)
