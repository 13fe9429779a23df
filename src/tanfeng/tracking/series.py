"""The indicator read model: stored values and reference statistics merged, by region, indicator and period.

For a (region, indicator, period) the value used is, in order of priority:

1. a **real reference statistic** (``reference_statistics``, e.g. the 2020 intensity change +6.89 % of
   NBS/NDRC/NEA 2021-08-23), with its source and certainty; of two statistics for one key the first
   one given wins (the files are read in a fixed order);
2. the current version of the key in ``indicator_values`` (entered by a user, or the sample data).

Every :class:`Observation` carries its unit, source, certainty and sample flag; anything computed from a
sample observation is marked sample (:func:`is_sample`, :func:`sources`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from tanfeng.errors import InputError, NotFoundError, at
from tanfeng.tracking.scope import BASE_YEAR

__all__ = [
    "IndicatorSeries",
    "Observation",
    "Origin",
    "StatisticInput",
    "StoredInput",
    "is_sample",
    "price_base",
    "sources",
]

Origin = Literal["reference_statistics", "indicator_values"]
_PRICE_BASE = re.compile(r"(\d{4})\s*年?\s*不变价")


@dataclass(frozen=True)
class Observation:
    """One value with its unit, source, certainty (P/S/R), sample flag and where it was read from."""

    value: float
    unit: str
    source: str
    certainty: str
    sample: bool
    origin: Origin


@dataclass(frozen=True, kw_only=True)
class StoredInput:
    """The current version of a stored indicator value, as the read model takes it."""

    region: str
    indicator: str
    period: str
    value: float
    unit: str
    source: str
    certainty: str
    sample: bool


@dataclass(frozen=True, kw_only=True)
class StatisticInput:
    """A reference statistic, as the read model takes it (``period`` None: the year)."""

    region: str
    indicator: str
    year: int
    period: str | None
    value: float
    unit: str
    source: str
    certainty: str


def price_base(unit: str) -> int | None:
    """The constant-price base year named in a GDP unit (``亿元 (2020年不变价)`` → 2020), or None."""
    m = _PRICE_BASE.search(unit)
    return int(m.group(1)) if m else None


def sources(*obs: Observation | None) -> str:
    """The distinct sources of ``obs`` joined with ``"; "``, in the order given."""
    seen: list[str] = []
    for o in obs:
        if o is not None and o.source not in seen:
            seen.append(o.source)
    return "; ".join(seen)


def is_sample(*obs: Observation | None) -> bool:
    """Whether any of ``obs`` is sample data."""
    return any(o is not None and o.sample for o in obs)


class IndicatorSeries:
    """Every value in use, keyed by (region, indicator, period), with yearly series and GDP checks.

    Build it with :meth:`merge`; it does not change afterwards.
    """

    def __init__(self, values: Mapping[tuple[str, str, str], Observation]) -> None:
        self._values = dict(values)

    @classmethod
    def merge(cls, stored: Iterable[StoredInput], statistics: Iterable[StatisticInput],
              aliases: Mapping[str, str], regions: Iterable[str] | None = None) -> IndicatorSeries:
        """Stored values with the real statistics on top (the first statistic of a key wins).

        Parameters
        ----------
        aliases
            Statistic id → indicator id; statistics of other ids are left out.
        regions
            Keep only these regions (None: all).
        """
        keep = None if regions is None else set(regions)
        out: dict[tuple[str, str, str], Observation] = {}
        for r in stored:
            if keep is None or r.region in keep:
                out[(r.region, r.indicator, r.period)] = Observation(r.value, r.unit, r.source, r.certainty,
                                                                     r.sample, "indicator_values")
        for s in statistics:
            ind = aliases.get(s.indicator)
            if ind is None or (keep is not None and s.region not in keep):
                continue
            key = (s.region, ind, s.period or str(s.year))
            prev = out.get(key)
            if prev is not None and prev.origin == "reference_statistics":
                continue
            out[key] = Observation(s.value, s.unit, s.source, s.certainty, False, "reference_statistics")
        return cls(out)

    def items(self) -> list[tuple[tuple[str, str, str], Observation]]:
        """Every (key, observation), sorted by region, indicator and period."""
        return sorted(self._values.items())

    def get(self, region: str, indicator: str, period: str) -> Observation | None:
        """The observation of one key, or None."""
        return self._values.get((region, indicator, period))

    def annual(self, region: str, indicator: str) -> dict[int, Observation]:
        """The yearly observations (periods that are a plain year) of one series, by year ascending."""
        out = {int(p): v for (r, i, p), v in self._values.items() if r == region and i == indicator and p.isdigit()}
        return dict(sorted(out.items()))

    def at(self, region: str, indicator: str, year: int) -> Observation | None:
        """The observation of one series in ``year``, or None."""
        return self._values.get((region, indicator, str(year)))

    def gdp(self, region: str) -> tuple[dict[int, Observation], int | None]:
        """GDP levels of ``region`` and their price base (None when there is no GDP).

        Raises
        ------
        InputError
            A GDP value without a constant-price base, mixed bases, or a base other than 2020 (the
            14th-FYP intensity uses constant 2020 prices).
        """
        gdp = self.annual(region, "gdp")
        if not gdp:
            return gdp, None
        bases = {price_base(v.unit) for v in gdp.values()}
        if None in bases:
            bad = next(y for y, v in gdp.items() if price_base(v.unit) is None)
            msg = f"GDP of {region} has no constant-price base (unit of {bad}: '{gdp[bad].unit}')"
        elif len(bases) != 1:
            msg = f"GDP of {region} mixes price bases {sorted(b for b in bases if b)}"
        else:
            base = bases.pop()
            if base == BASE_YEAR:
                return gdp, base
            msg = f"GDP of {region} is at {base} prices; the 14th-FYP intensity uses constant {BASE_YEAR} prices"
            raise InputError(msg, location=at(field="gdp_price_base"), hint="rebase the GDP series to 2020 prices")
        raise InputError(msg, location=at(field="gdp_price_base"),
                         hint="intensity needs GDP at constant 2020 prices: store it with unit '亿元 (2020年不变价)'")

    def change(self, region: str, indicator: str, level: str, year: int) -> Observation | None:
        """A year-on-year change in %: the stored ``indicator`` (real first), else computed from the levels.

        The computed change is that of ``level`` / GDP: ``((L_t / Y_t) / (L_t−1 / Y_t−1) − 1) × 100``
        (units cancel); it is certainty R and sample when any input is. None when an input is missing.
        """
        stored = self.at(region, indicator, year)
        if stored is not None:
            return stored
        gdp, _ = self.gdp(region)
        lv = self.annual(region, level)
        if not {year, year - 1} <= set(gdp) & set(lv):
            return None
        now = lv[year].value / gdp[year].value
        before = lv[year - 1].value / gdp[year - 1].value
        used = (lv[year], lv[year - 1], gdp[year], gdp[year - 1])
        return Observation(round((now / before - 1) * 100, 4), "%", "计算: " + sources(*used), "R", is_sample(*used),
                           "indicator_values")

    def latest_year(self, indicator: str = "energy_consumption") -> int:
        """The latest year with a value of ``indicator`` in any region.

        Raises
        ------
        NotFoundError
            No value of the indicator is held.
        """
        years = [int(p) for (_r, i, p) in self._values if i == indicator and p.isdigit()]
        if not years:
            msg = "no energy consumption values are stored"
            raise NotFoundError(msg, hint="load the sample data or enter values first")
        return max(years)
