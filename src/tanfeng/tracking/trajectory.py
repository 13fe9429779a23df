"""Required paths from a baseline to a target, and the progress of an actual value against them.

Two path shapes:

- **linear** for levels (capacity, a share, a total): equal absolute steps each year,
  ``v(y) = b + (T − b)·(y − y0)/(y1 − y0)``;
- **compound** for rates and intensity declines (比2020年下降13.5%): an equal *rate* each year,
  ``v(y) = b·(T/b)^((y − y0)/(y1 − y0))`` (needs b, T > 0). A 15 % fall over five years is then
  1 − 0.85^(1/5) = 3.20 % a year, the convention of the annual dual-control targets.

Status, for an actual value in a year:

- ``no_data``: no actual value;
- in or after the target year: ``achieved`` if the target is met, else ``missed``;
- before it: ``achieved`` if a target to *reach* (≥, >, =, ≈, between, decrease_by, increase_by)
  is already met; otherwise ``on_track`` if the value is on or ahead of the path, ``behind`` if not.
  A cap (≤, <) is never "achieved" early: it must hold until the target year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tanfeng.errors import InputError, at
from tanfeng.plan.model import Comparator, Target

__all__ = [
    "Direction",
    "Progress",
    "Shape",
    "Status",
    "TrajectoryTarget",
    "progress",
]


Shape = Literal["linear", "compound"]
Direction = Literal["up", "down"]


class Status(StrEnum):
    """Where a target stands in a year."""

    ON_TRACK = "on_track"
    BEHIND = "behind"
    ACHIEVED = "achieved"
    MISSED = "missed"
    NO_DATA = "no_data"


_DOWN = {Comparator.LE, Comparator.LT, Comparator.DECREASE_BY}
_UP = {Comparator.GE, Comparator.GT, Comparator.INCREASE_BY}
_CAPS = {Comparator.LE, Comparator.LT}


@dataclass(frozen=True)
class TrajectoryTarget:
    """A target with its baseline, in the indicator's own unit.

    For ``decrease_by`` / ``increase_by`` ``value`` is the change in % of the baseline value; for
    ``between`` the range is ``value`` … ``value_high``; for the others ``value`` is the level.
    """

    baseline_year: int
    baseline_value: float
    target_year: int
    comparator: Comparator
    value: float
    value_high: float | None = None
    shape: Shape | None = None
    """Path shape; default compound for decrease_by/increase_by, linear otherwise."""
    approx_tolerance: float = 0.05
    """Relative tolerance of ≈ (0.05 = ±5 %)."""

    def __post_init__(self) -> None:
        if self.target_year <= self.baseline_year:
            msg = f"target_year {self.target_year} must be after baseline_year {self.baseline_year}"
            raise InputError(msg, location=at(field="target_year"))
        if self.comparator is Comparator.BETWEEN and (self.value_high is None or self.value_high < self.value):
            msg = "a 'between' target needs value_high ≥ value"
            raise InputError(msg, location=at(field="value_high"))
        if self.path_shape == "compound" and (self.baseline_value <= 0 or self.target_value <= 0):
            msg = "a compound path needs a positive baseline and target value"
            raise InputError(msg, location=at(field="baseline_value"), hint="use shape='linear'")

    @classmethod
    def from_plan(cls, target: Target, baseline_value: float, baseline_year: int | None = None,
                  shape: Shape | None = None) -> TrajectoryTarget:
        """Build from a plan :class:`~tanfeng.plan.model.Target` and the observed baseline value.

        Parameters
        ----------
        target
            The plan target; it needs a ``year``.
        baseline_value
            The indicator's value in the baseline year (target's unit).
        baseline_year
            Default: the target's own ``baseline_year``.
        shape
            Path shape (default: compound for decrease_by/increase_by, linear otherwise).
        """
        by = baseline_year if baseline_year is not None else target.baseline_year
        if target.year is None:
            msg = f"target {target.id} has no year, so it has no path"
            raise InputError(msg, location=at(field="year"))
        if by is None:
            msg = f"target {target.id} has no baseline_year; give one"
            raise InputError(msg, location=at(field="baseline_year"))
        return cls(baseline_year=by, baseline_value=baseline_value, target_year=target.year,
                   comparator=target.comparator, value=target.value, value_high=target.value_high, shape=shape)

    @property
    def path_shape(self) -> Shape:
        """The path shape used (explicit, or compound for relative changes, linear otherwise)."""
        if self.shape is not None:
            return self.shape
        return "compound" if self.comparator in (Comparator.DECREASE_BY, Comparator.INCREASE_BY) else "linear"

    @property
    def target_value(self) -> float:
        """The level the path ends at (for a range, its middle)."""
        if self.comparator is Comparator.DECREASE_BY:
            return self.baseline_value * (1.0 - self.value / 100.0)
        if self.comparator is Comparator.INCREASE_BY:
            return self.baseline_value * (1.0 + self.value / 100.0)
        if self.comparator is Comparator.BETWEEN and self.value_high is not None:
            return (self.value + self.value_high) / 2.0
        return self.value

    @property
    def direction(self) -> Direction:
        """Which way is good: ``down`` (lower is better) or ``up``."""
        if self.comparator in _DOWN:
            return "down"
        if self.comparator in _UP:
            return "up"
        return "down" if self.target_value < self.baseline_value else "up"

    def required(self, year: int) -> float:
        """The value the path requires in ``year`` (clamped to the baseline before it and the target after it)."""
        f = min(1.0, max(0.0, (year - self.baseline_year) / (self.target_year - self.baseline_year)))
        b, t = self.baseline_value, self.target_value
        if self.path_shape == "compound":
            return float(b * (t / b) ** f)
        return b + (t - b) * f

    def path(self) -> list[tuple[int, float]]:
        """The required value for every year from the baseline to the target year."""
        return [(y, self.required(y)) for y in range(self.baseline_year, self.target_year + 1)]

    def annual_rate_pct(self) -> float:
        """For a compound path, the constant yearly change in % (negative for a decline)."""
        n = self.target_year - self.baseline_year
        return (float((self.target_value / self.baseline_value) ** (1.0 / n)) - 1.0) * 100.0

    def met(self, actual: float) -> bool:
        """Whether ``actual`` meets the target itself."""
        c, v = self.comparator, self.value
        if c is Comparator.GE:
            return actual >= v
        if c is Comparator.GT:
            return actual > v
        if c is Comparator.LE:
            return actual <= v
        if c is Comparator.LT:
            return actual < v
        if c is Comparator.EQ:
            return math.isclose(actual, v, rel_tol=1e-9, abs_tol=1e-12)
        if c is Comparator.APPROX:
            return abs(actual - v) <= self.approx_tolerance * abs(v)
        if c is Comparator.BETWEEN:
            return v <= actual <= (self.value_high if self.value_high is not None else v)
        if c is Comparator.DECREASE_BY:
            return actual <= self.target_value
        return actual >= self.target_value  # INCREASE_BY


class Progress(BaseModel):
    """Progress of an actual value against a target's path in one year.

    ``progress_ratio`` is the share of the baseline→target change done (1 = target reached);
    ``gap`` is how far the actual value lags the path, in the indicator's unit (positive = behind,
    negative = ahead).
    """

    model_config = ConfigDict(extra="forbid")

    year: int
    actual: float | None
    required: float
    target_value: float
    progress_ratio: float | None
    required_ratio: float
    gap: float | None
    years_left: int
    status: Status


def progress(target: TrajectoryTarget, year: int, actual: float | None) -> Progress:
    """Where ``target`` stands in ``year`` given the ``actual`` value (None: no data).

    Parameters
    ----------
    target
        The target with its baseline.
    year
        The year of ``actual``.
    actual
        The observed value in the indicator's unit, or None.
    """
    req = target.required(year)
    span = target.target_value - target.baseline_value
    req_ratio = (req - target.baseline_value) / span if span != 0 else 1.0
    years_left = max(0, target.target_year - year)
    if actual is None:
        return Progress(year=year, actual=None, required=req, target_value=target.target_value, progress_ratio=None,
                        required_ratio=req_ratio, gap=None, years_left=years_left, status=Status.NO_DATA)
    ratio = (actual - target.baseline_value) / span if span != 0 else None
    gap = (actual - req) if target.direction == "down" else (req - actual)
    eps = 1e-9 * max(1.0, abs(req))
    if year >= target.target_year:
        status = Status.ACHIEVED if target.met(actual) else Status.MISSED
    elif target.comparator not in _CAPS and target.met(actual):
        status = Status.ACHIEVED
    else:
        status = Status.ON_TRACK if gap <= eps else Status.BEHIND
    return Progress(year=year, actual=actual, required=req, target_value=target.target_value, progress_ratio=ratio,
                    required_ratio=req_ratio, gap=gap, years_left=years_left, status=status)
