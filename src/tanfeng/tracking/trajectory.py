"""Required paths from a baseline to a target, and the ONE function that reads a target's status.

Two path shapes:

- **linear** for levels (capacity, a share, a total): equal absolute steps each year,
  ``v(y) = b + (T − b)·(y − y0)/(y1 − y0)``;
- **compound** for rates and intensity declines (比2020年下降13.5%): an equal *rate* each year,
  ``v(y) = b·(T/b)^((y − y0)/(y1 − y0))`` (needs b, T > 0). A 15 % fall over five years is then
  1 − 0.85^(1/5) = 3.20 % a year, the convention of the annual dual-control targets.

Whether a value meets a target (:meth:`TrajectoryTarget.met`) follows the plan's words and the indicator's
polarity (``higher_better`` / ``lower_better`` / ``neutral`` in the vocabulary):

- ≥ > ≤ < state the direction themselves (达到…以上, 不低于, 超过, …以下);
- = (达到X) is met at or beyond X in the good direction; on a neutral indicator only at X;
- ≈ (X左右) is met within the band ``X ± tol·|X|`` (``data/status_rules.yaml``, an assumption) and
  anywhere beyond it in the good direction; on a neutral indicator only within the band;
- between (X–Y) is met from X up on a higher-is-better indicator, up to Y on a lower-is-better one,
  inside [X, Y] on a neutral one;
- decrease_by / increase_by (比2020年下降X%) compare with the baseline: met at or below b·(1 − X/100)
  (at or above b·(1 + X/100)).

Status, for an actual value in a year (:func:`progress`, which every page, export and report goes through):

- ``no_data``: no actual value;
- in or after the target year: ``achieved`` if the target is met, else ``missed``;
- before it: ``achieved`` if a target to *reach* is already met; otherwise ``on_track`` if the value is on
  or ahead of the path, ``behind`` if not. A cap (≤, <) is never "achieved" early: it must hold until the
  target year.

进度 (``progress_ratio``) = (actual − b)/(T − b) and 进度要求 (``required_ratio``) = (v(y) − b)/(T − b),
shares of the baseline→target change (1 = 100 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from tanfeng.errors import InputError, ReferenceDataError, at
from tanfeng.plan.model import Comparator, Target
from tanfeng.reference.indicators import Polarity, get_indicator

__all__ = [
    "STATUS_RULES_FILE",
    "Direction",
    "Progress",
    "Shape",
    "Status",
    "StatusRules",
    "Tolerance",
    "TrajectoryTarget",
    "met_rule",
    "polarity_of",
    "progress",
    "status_rules",
]

STATUS_RULES_FILE = "status_rules.yaml"


Shape = Literal["linear", "compound"]
Direction = Literal["up", "down"]


class Status(StrEnum):
    """Where a target stands in a year."""

    ON_TRACK = "on_track"
    BEHIND = "behind"
    ACHIEVED = "achieved"
    MISSED = "missed"
    NO_DATA = "no_data"


class Tolerance(BaseModel):
    """A tolerance of the status rules, relative to the target value, with its certainty and rationale."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float
    basis: Literal["relative"]
    certainty: Literal["P", "S", "R", "A"]
    note: str


class StatusRules(BaseModel):
    """The data of the status rules (``tracking/data/status_rules.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    approx_tolerance: Tolerance
    equal_tolerance: Tolerance


@lru_cache(maxsize=1)
def status_rules() -> StatusRules:
    """The status rules file, read once.

    Raises
    ------
    ReferenceDataError
        The file does not match :class:`StatusRules` (the location names the field).
    """
    text = resources.files("tanfeng.tracking").joinpath("data", STATUS_RULES_FILE).read_text(encoding="utf-8")
    try:
        return StatusRules.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        msg = f"{STATUS_RULES_FILE}: {err['msg']}"
        raise ReferenceDataError(msg, location=at(file=STATUS_RULES_FILE, field=field),
                                 hint="see the comments at the top of the file") from exc


def polarity_of(indicator_id: str) -> Polarity | None:
    """The indicator's polarity from the vocabulary, or None when the indicator is not in it."""
    try:
        return get_indicator(indicator_id).polarity
    except InputError:
        return None


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
    polarity: Polarity = "neutral"
    """Which way is good for the indicator (the vocabulary's ``polarity``)."""
    approx_tolerance: float | None = None
    """Relative band of ≈ (0.01 = ±1 %); None: the value in ``data/status_rules.yaml``."""

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
                  shape: Shape | None = None, polarity: Polarity | None = None) -> TrajectoryTarget:
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
        polarity
            Default: the vocabulary's polarity of the target's indicator (``neutral`` when it is not there).
        """
        by = baseline_year if baseline_year is not None else target.baseline_year
        if target.year is None:
            msg = f"target {target.id} has no year, so it has no path"
            raise InputError(msg, location=at(field="year"))
        if by is None:
            msg = f"target {target.id} has no baseline_year; give one"
            raise InputError(msg, location=at(field="baseline_year"))
        return cls(baseline_year=by, baseline_value=baseline_value, target_year=target.year,
                   comparator=target.comparator, value=target.value, value_high=target.value_high, shape=shape,
                   polarity=polarity or polarity_of(target.indicator_id) or "neutral")

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
        if self.polarity != "neutral":
            return "down" if self.polarity == "lower_better" else "up"
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

    @property
    def band(self) -> float:
        """Half-width of the ≈ band in the indicator's unit (``tol·|value|``)."""
        tol = self.approx_tolerance if self.approx_tolerance is not None else status_rules().approx_tolerance.value
        return tol * abs(self.value)

    def met(self, actual: float) -> bool:
        """Whether ``actual`` meets the target itself (the rules of the module docstring)."""
        c, v, pol = self.comparator, self.value, self.polarity
        eps = status_rules().equal_tolerance.value * max(abs(v), abs(self.target_value))  # rounding only
        if c in (Comparator.EQ, Comparator.APPROX):
            band = self.band if c is Comparator.APPROX else eps
            if pol == "higher_better":
                return actual >= v - band
            if pol == "lower_better":
                return actual <= v + band
            return abs(actual - v) <= band
        if c is Comparator.BETWEEN:
            high = self.value_high if self.value_high is not None else v
            return (actual >= v - eps if pol == "higher_better" else actual <= high + eps if pol == "lower_better"
                    else v - eps <= actual <= high + eps)
        checks = {Comparator.GE: actual >= v - eps, Comparator.GT: actual > v + eps, Comparator.LE: actual <= v + eps,
                  Comparator.LT: actual < v - eps, Comparator.DECREASE_BY: actual <= self.target_value + eps,
                  Comparator.INCREASE_BY: actual >= self.target_value - eps}
        return checks[c]


def met_rule(target: TrajectoryTarget) -> str:
    """The condition under which ``target`` is met, in words a reader checks by hand (Chinese)."""
    c, v, pol = target.comparator, target.value, target.polarity
    if c is Comparator.APPROX:
        lo, hi = v - target.band, v + target.band
        if pol == "higher_better":
            return f"左右: 实际值 ≥ {lo:g} (目标 {v:g} 减去 ±{target.band:g} 容差, 越高越好)"
        if pol == "lower_better":
            return f"左右: 实际值 ≤ {hi:g} (目标 {v:g} 加上 ±{target.band:g} 容差, 越低越好)"
        return f"左右: {lo:g} ≤ 实际值 ≤ {hi:g}"
    if c is Comparator.EQ:
        return {"higher_better": f"达到: 实际值 ≥ {v:g} (越高越好)",
                "lower_better": f"达到: 实际值 ≤ {v:g} (越低越好)"}.get(pol, f"达到: 实际值 = {v:g}")
    if c is Comparator.BETWEEN:
        high = target.value_high if target.value_high is not None else v
        return {"higher_better": f"区间: 实际值 ≥ {v:g} (越高越好)",
                "lower_better": f"区间: 实际值 ≤ {high:g} (越低越好)"}.get(pol, f"区间: {v:g} ≤ 实际值 ≤ {high:g}")
    if c is Comparator.DECREASE_BY:
        return f"比基期下降{v:g}%: 实际值 ≤ 基期值 × (1 − {v:g}%) = {target.target_value:g}"
    if c is Comparator.INCREASE_BY:
        return f"比基期提高{v:g}%: 实际值 ≥ 基期值 × (1 + {v:g}%) = {target.target_value:g}"
    return f"实际值 {c.value} {v:g}"


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
    rule: str
    """When the target is met (:func:`met_rule`)."""


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
                        required_ratio=req_ratio, gap=None, years_left=years_left, status=Status.NO_DATA,
                        rule=met_rule(target))
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
                    required_ratio=req_ratio, gap=gap, years_left=years_left, status=status,
                    rule=met_rule(target))
