"""Forecast an annual indicator to its target year, with a prediction interval and P(target met).

Method: an ordinary-least-squares **trend** fitted with statsmodels (``statsmodels.api.OLS``),

- ``linear``: ``v_t = a + b·t + ε`` for levels (totals, capacities, shares);
- ``log_linear``: ``ln v_t = a + b·t + ε`` for intensities and other quantities that change at a
  roughly constant *rate* (needs positive values); the interval is computed on the log scale and
  transformed back.

Why not exponential smoothing (Holt with damped trend, ``statsmodels.tsa``)? Annual series of
dual-control indicators have 5–15 points. A damped Holt model estimates five quantities (α, β, φ
and the initial level and trend) by maximum likelihood; with so few points the estimates are poorly
identified, and its prediction intervals come from simulation. A two-parameter trend has exact
Student-t prediction intervals under independent normal errors (``get_prediction`` → ``obs_ci``),
and it is what the paper-and-pencil extrapolation in annual reviews does. Its limit: errors that
are autocorrelated make the interval too narrow; the result says how many points it rests on.

The probability of meeting the target is the predictive Student-t distribution (df = n − 2) at the
target year evaluated at the target value: ``P(Y ≤ target)`` for a target where lower is better
(``direction="down"``), ``P(Y ≥ target)`` otherwise. For a perfect fit (zero residual) it is 1 or 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import statsmodels.api as sm  # type: ignore[import-untyped]  # no stubs or py.typed
from pydantic import BaseModel, ConfigDict
from scipy import stats

from tanfeng.errors import InputError, at

__all__ = [
    "MIN_POINTS",
    "Direction",
    "Forecast",
    "ForecastPoint",
    "Method",
    "forecast",
]


Method = Literal["linear", "log_linear"]
Direction = Literal["down", "up"]
MIN_POINTS = 4


class ForecastPoint(BaseModel):
    """The forecast for one year: mean and the prediction interval (series unit)."""

    model_config = ConfigDict(extra="forbid")

    year: int
    mean: float
    lower: float
    upper: float


class Forecast(BaseModel):
    """A trend forecast to ``target_year`` (values in the series' unit)."""

    model_config = ConfigDict(extra="forbid")

    method: Method
    n_obs: int
    first_year: int
    last_year: int
    target_year: int
    level: float
    slope: float
    residual_se: float
    points: list[ForecastPoint]
    mean: float
    lower: float
    upper: float
    target_value: float | None
    direction: Direction | None
    probability_met: float | None


def _checked_values(series: Mapping[int, float], target_year: int, *, method: Method, level: float,
                    target_value: float | None) -> tuple[list[int], np.ndarray[Any, np.dtype[np.float64]]]:
    """The years and the values to fit (logged for ``log_linear``), or :class:`InputError` for bad input."""
    if len(series) < MIN_POINTS:
        msg = f"a forecast needs at least {MIN_POINTS} years of data, got {len(series)}"
        raise InputError(msg, location=at(field="series"))
    if not 0.0 < level < 1.0:
        msg = f"level must be between 0 and 1, not {level}"
        raise InputError(msg, location=at(field="level"))
    years = sorted(series)
    if target_year <= years[-1]:
        msg = f"target_year {target_year} must be after the last year of data {years[-1]}"
        raise InputError(msg, location=at(field="target_year"))
    values = np.array([series[y] for y in years], dtype=float)
    if not np.all(np.isfinite(values)):
        msg = "the series has a value that is not a finite number"
        raise InputError(msg, location=at(field="series"))
    if method == "log_linear":
        if np.any(values <= 0):
            msg = "log_linear needs positive values"
            raise InputError(msg, location=at(field="series"), hint="use method='linear'")
        values = np.log(values)
        if target_value is not None and target_value <= 0:
            msg = "log_linear needs a positive target value"
            raise InputError(msg, location=at(field="target_value"))
    return years, values


def _probability_met(mean: float, se: float, target: float, df: int, direction: Direction) -> float:
    """P(the forecast meets ``target``) under the t distribution (0 or 1 when the spread is nil)."""
    tol = 1e-12 * max(1.0, abs(mean))
    if se <= tol:
        met = mean <= target + tol if direction == "down" else mean >= target - tol
        return 1.0 if met else 0.0
    cdf = float(stats.t.cdf((target - mean) / se, df))
    return cdf if direction == "down" else 1.0 - cdf


def forecast(series: Mapping[int, float], target_year: int, *, method: Method = "linear", level: float = 0.9,
             target_value: float | None = None, direction: Direction = "down") -> Forecast:
    """Fit a trend to ``series`` and forecast every year up to ``target_year``.

    Parameters
    ----------
    series
        Year → value, at least four years (unit as the indicator's, e.g. tce/万元).
    target_year
        Year to forecast to (after the last observed year).
    method
        ``linear`` (levels) or ``log_linear`` (constant rate; positive values only).
    level
        Coverage of the prediction interval (0.9 = 90 %).
    target_value
        The target's value; when given, the result carries the probability of meeting it.
    direction
        ``down`` when the target is met at or below ``target_value`` (caps, intensities),
        ``up`` when at or above it.

    Raises
    ------
    InputError
        Too few points, non-finite values, non-positive values for ``log_linear``, or a target year
        not after the data.
    """
    years, values = _checked_values(series, target_year, method=method, level=level, target_value=target_value)
    log = method == "log_linear"
    t0 = years[0]
    x = sm.add_constant(np.array([y - t0 for y in years], dtype=float))
    fit = sm.OLS(values, x).fit()
    ahead = list(range(years[-1] + 1, target_year + 1))
    xf = sm.add_constant(np.array([y - t0 for y in ahead], dtype=float), has_constant="add")
    pred = fit.get_prediction(xf)
    mean = np.asarray(pred.predicted_mean, dtype=float)
    se_obs = np.sqrt(np.asarray(pred.var_pred_mean, dtype=float) + float(fit.scale))
    df = int(fit.df_resid)
    q = float(stats.t.ppf(0.5 + level / 2.0, df))
    lo, hi = mean - q * se_obs, mean + q * se_obs
    back = np.exp if log else (lambda a: a)
    points = [ForecastPoint(year=y, mean=float(back(m)), lower=float(back(lw)), upper=float(back(up)))
              for y, m, lw, up in zip(ahead, mean, lo, hi, strict=True)]

    prob = None
    if target_value is not None:
        tv = math.log(target_value) if log else target_value
        prob = _probability_met(float(mean[-1]), float(se_obs[-1]), tv, df, direction)
    last = points[-1]
    return Forecast(method=method, n_obs=len(years), first_year=years[0], last_year=years[-1], target_year=target_year,
                    level=level, slope=float(fit.params[1]), residual_se=float(math.sqrt(max(fit.scale, 0.0))),
                    points=points, mean=last.mean, lower=last.lower, upper=last.upper, target_value=target_value,
                    direction=direction if target_value is not None else None, probability_met=prob)
