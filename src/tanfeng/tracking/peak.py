"""Has a series peaked? A plateau rule with explicit parameters.

Rule (:class:`PlateauRule`): let *p* be the year of the series maximum *M* (the **latest** year
if the maximum is reached more than once, so a flat top is not a peak until it is left). The series
has peaked at *p* when

1. at least ``k`` years are observed after *p*, and
2. each of the last ``k`` observed years is below *M* by at least ``x`` %:
   ``value ≤ M × (1 − x/100)``.

Defaults ``k = 3`` years and ``x = 1.0`` %: three consecutive years at least 1 % below the top.
These are choices of this platform, not numbers from a policy text (none defines a peak test);
pass other values where a document says otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from tanfeng.errors import InputError, at

__all__ = [
    "PeakResult",
    "PlateauRule",
    "detect_peak",
]



@dataclass(frozen=True)
class PlateauRule:
    """Parameters of the peak test.

    Attributes
    ----------
    years_below
        k: how many of the latest years must all be below the maximum.
    min_drop_pct
        x: by how much (% of the maximum) each of them must be below it.
    """

    years_below: int = 3
    min_drop_pct: float = 1.0

    def __post_init__(self) -> None:
        if self.years_below < 1:
            msg = f"years_below must be at least 1, not {self.years_below}"
            raise InputError(msg, location=at(field="years_below"))
        if not 0.0 <= self.min_drop_pct < 100.0:
            msg = f"min_drop_pct must be in [0, 100), not {self.min_drop_pct}"
            raise InputError(msg, location=at(field="min_drop_pct"))


class PeakResult(BaseModel):
    """Outcome of the peak test (values in the series' unit)."""

    model_config = ConfigDict(extra="forbid")

    peaked: bool
    max_year: int
    max_value: float
    peak_year: int | None
    years_since_max: int
    threshold: float
    rule: str
    reason: str


def detect_peak(series: Mapping[int, float], rule: PlateauRule | None = None) -> PeakResult:
    """Apply the plateau rule to a yearly series.

    Parameters
    ----------
    series
        Year → value (e.g. CO2 in 万t or energy in 万tce); at least two finite, positive-or-zero values.
    rule
        The plateau rule (default ``PlateauRule()``: k = 3, x = 1 %).
    """
    r = rule or PlateauRule()
    if len(series) < 2:
        msg = f"a peak test needs at least 2 years, got {len(series)}"
        raise InputError(msg, location=at(field="series"))
    for y, v in series.items():
        if not math.isfinite(v):
            msg = f"value for {y} is not a finite number"
            raise InputError(msg, location=at(field=str(y)))
    years = sorted(series)
    top = max(series[y] for y in years)
    p = max(y for y in years if series[y] == top)
    after = [y for y in years if y > p]
    threshold = top * (1.0 - r.min_drop_pct / 100.0)
    desc = f"max at year p; each of the last {r.years_below} years ≤ max × (1 − {r.min_drop_pct:g} %)"
    if len(after) < r.years_below:
        reason = f"only {len(after)} year(s) after the maximum in {p}; {r.years_below} needed"
        return PeakResult(peaked=False, max_year=p, max_value=top, peak_year=None, years_since_max=len(after),
                          threshold=threshold, rule=desc, reason=reason)
    last = years[-r.years_below:]
    above = [y for y in last if series[y] > threshold]
    if above:
        reason = f"year(s) {', '.join(map(str, above))} not at least {r.min_drop_pct:g} % below the maximum {top:g}"
        return PeakResult(peaked=False, max_year=p, max_value=top, peak_year=None, years_since_max=len(after),
                          threshold=threshold, rule=desc, reason=reason)
    return PeakResult(peaked=True, max_year=p, max_value=top, peak_year=p, years_since_max=len(after),
                      threshold=threshold, rule=desc,
                      reason=f"the last {r.years_below} years are all ≤ {threshold:g}, {r.min_drop_pct:g} % below {top:g}")
