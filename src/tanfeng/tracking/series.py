"""The indicator read model: stored values and reference statistics merged, by region, indicator and period.

For a (region, indicator, period) the value used is, in order of priority:

1. a **real reference statistic** (``reference_statistics``, e.g. the 2020 intensity change +6.89 % of
   NBS/NDRC/NEA 2021-08-23, or the CEADs CO2 inventories 1997–2019), with its source and certainty,
   converted to the indicator's unit through the one pint registry (the published value and unit stay in
   the observation's note); of two statistics for one key, the one whose id the vocabulary lists first
   wins (``co2_emissions``: the province's energy-activity series before the CEADs scope-1 totals), and of
   two with the same id the first one given;
2. the current version of the key in ``indicator_values`` (entered by a user, or the sample data).

A year-on-year change (:meth:`IndicatorSeries.change`) is computed from the levels shown whenever the level
of that year is a real statistic, so a CEADs level never sits beside a change of the sample's levels.

Every :class:`Observation` carries its unit, source, certainty and sample flag; anything computed from a
sample observation is marked sample (:func:`is_sample`, :func:`sources`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from tanfeng.errors import InputError, NotFoundError, UnitError, at
from tanfeng.reference.indicators import indicators
from tanfeng.tracking.scope import BASE_YEAR
from tanfeng.units import convert

__all__ = [
    "IndicatorSeries",
    "Observation",
    "Origin",
    "StatisticInput",
    "StoredInput",
    "is_sample",
    "price_base",
    "sources",
    "statistic_observation",
    "top_statistics",
]

Origin = Literal["reference_statistics", "indicator_values"]
_PRICE_BASE = re.compile(r"(\d{4})\s*年?\s*不变价")


@dataclass(frozen=True)
class Observation:
    """One value with its unit, source, certainty (P/S/R), sample flag and where it was read from.

    ``note``: what the value is against the indicator's definition and, for a converted statistic, the
    published value and unit. ``file``: the shipped or imported file a statistic came from; ``reporter``: who
    entered a stored value that is not sample data (a user name); ``inputs``: what a computed value was computed
    from (its provenance is theirs).
    """

    value: float
    unit: str
    source: str
    certainty: str
    sample: bool
    origin: Origin
    note: str | None = None
    file: str | None = None
    reporter: str | None = None
    inputs: tuple[Observation, ...] = ()


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
    entered_by: str | None = None


@dataclass(frozen=True, kw_only=True)
class StatisticInput:
    """A reference statistic, as the read model takes it (``period`` None: the year; ``file`` the shipped or
    imported file it came from)."""

    region: str
    indicator: str
    year: int
    period: str | None
    value: float
    unit: str
    source: str
    certainty: str
    note: str | None = None
    file: str | None = None


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


def top_statistics(statistics: Iterable[StatisticInput],
                   aliases: Mapping[str, str]) -> dict[tuple[str, str, str], StatisticInput]:
    """The statistic in use per (region, indicator, period): the alias listed first in ``aliases`` wins, and
    of one alias the first statistic given."""
    rank = {a: n for n, a in enumerate(aliases)}
    out: dict[tuple[str, str, str], StatisticInput] = {}
    for s in statistics:
        ind = aliases.get(s.indicator)
        if ind is None:
            continue
        key = (s.region, ind, s.period or str(s.year))
        prev = out.get(key)
        if prev is None or rank[s.indicator] < rank[prev.indicator]:
            out[key] = s
    return out


def statistic_observation(s: StatisticInput, indicator: str, unit: str | None) -> Observation:
    """``s`` as an observation of ``indicator`` in ``unit`` (None or the same unit: as published).

    A converted value keeps the published one in its note (``794.279 MtCO2 (co2_emissions_ceads) →
    79427.9 万tCO2``), after the statistic's own note.

    Raises
    ------
    InputError
        The statistic's unit does not convert to ``unit``.
    """
    if unit is None or unit == s.unit:
        return Observation(s.value, s.unit, s.source, s.certainty, False, "reference_statistics", s.note, file=s.file)
    try:
        value = round(convert(s.value, s.unit, unit), 6)
    except UnitError as e:
        msg = (f"statistic '{s.indicator}' ({s.region} {s.period or s.year}) is in '{s.unit}', which does not "
               f"convert to '{unit}', the unit of indicator '{indicator}': {e}")
        raise InputError(msg, location=at(s.file, field="unit"),
                         hint=f"publish the statistic in a unit of the same quantity as '{unit}', or alias it "
                              "to another indicator in the vocabulary") from e
    conv = f"published {s.value} {s.unit} ({s.indicator}) → {value} {unit}"
    return Observation(value, unit, s.source, s.certainty, False, "reference_statistics",
                       f"{s.note}; {conv}" if s.note else conv, file=s.file)


class IndicatorSeries:
    """Every value in use, keyed by (region, indicator, period), with yearly series and GDP checks.

    Build it with :meth:`merge`; it does not change afterwards.
    """

    def __init__(self, values: Mapping[tuple[str, str, str], Observation]) -> None:
        self._values = dict(values)
        self._annual: dict[tuple[str, str], dict[int, Observation]] = {}
        for (r, i, p), v in sorted(self._values.items()):
            if p.isdigit():
                self._annual.setdefault((r, i), {})[int(p)] = v

    @classmethod
    def merge(cls, stored: Iterable[StoredInput], statistics: Iterable[StatisticInput],
              aliases: Mapping[str, str], regions: Iterable[str] | None = None,
              units: Mapping[str, str] | None = None) -> IndicatorSeries:
        """Stored values with the real statistics on top, converted to the indicator's unit.

        Parameters
        ----------
        aliases
            Statistic id → indicator id, in order of priority; statistics of other ids are left out.
        regions
            Keep only these regions (None: all).
        units
            Indicator id → unit (None: the vocabulary's units); an indicator without one keeps the
            statistic's unit.

        Raises
        ------
        InputError
            A statistic whose unit cannot be converted to its indicator's (file, indicator and unit named).
        """
        keep = None if regions is None else set(regions)
        out: dict[tuple[str, str, str], Observation] = {}
        for r in stored:
            if keep is None or r.region in keep:
                out[(r.region, r.indicator, r.period)] = Observation(
                    r.value, r.unit, r.source, r.certainty, r.sample, "indicator_values",
                    reporter=None if r.sample else r.entered_by)
        to_unit = dict(units) if units is not None else {i.id: i.unit for i in indicators()}
        chosen = top_statistics((s for s in statistics if keep is None or s.region in keep), aliases)
        for key, s in chosen.items():
            out[key] = statistic_observation(s, key[1], to_unit.get(key[1]))
        return cls(out)

    def items(self) -> list[tuple[tuple[str, str, str], Observation]]:
        """Every (key, observation), sorted by region, indicator and period."""
        return sorted(self._values.items())

    def get(self, region: str, indicator: str, period: str) -> Observation | None:
        """The observation of one key, or None."""
        return self._values.get((region, indicator, period))

    def annual(self, region: str, indicator: str) -> dict[int, Observation]:
        """The yearly observations (periods that are a plain year) of one series, by year ascending."""
        return dict(sorted(self._annual.get((region, indicator), {}).items()))

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
        """A year-on-year change in %: the stored ``indicator``, else computed from the levels.

        The computed change is that of ``level`` / GDP: ``((L_t / Y_t) / (L_t−1 / Y_t−1) − 1) × 100``
        (units cancel); it is certainty R and sample when any input is. None when an input is missing.
        When the level of ``year`` is a real statistic (e.g. CEADs) and the stored change is not, the change
        is computed from the levels shown, so the page does not contradict itself; if the level of the year
        before is missing, the stored change is kept.
        """
        stored = self.at(region, indicator, year)
        lv_now = self.at(region, level, year)
        real_level = lv_now is not None and lv_now.origin == "reference_statistics"
        if stored is not None and (stored.origin == "reference_statistics" or not real_level):
            return stored
        gdp, _ = self.gdp(region)
        lv = self.annual(region, level)
        before_real = year - 1 in lv and lv[year - 1].origin == "reference_statistics"
        if stored is not None and not before_real:
            return replace(stored, note=f"the sample's change, of its own levels: the {level} of {year - 1} is "
                                        f"not on the basis of the real {year} level shown")
        if not {year, year - 1} <= set(gdp) & set(lv):
            return stored
        now = lv[year].value / gdp[year].value
        before = lv[year - 1].value / gdp[year - 1].value
        used = (lv[year], lv[year - 1], gdp[year], gdp[year - 1])
        note = f"computed from the {level} levels shown ({level} of {year - 1} and {year})" if real_level else None
        return Observation(round((now / before - 1) * 100, 4), "%", "计算: " + sources(*used), "R", is_sample(*used),
                           "indicator_values", note, inputs=used)

    def latest_year(self, indicator: str = "energy_consumption") -> int:
        """The latest year with a value of ``indicator`` in any region.

        Raises
        ------
        NotFoundError
            No value of the indicator is held.
        """
        years = [y for (_r, i), by_year in self._annual.items() if i == indicator for y in by_year]
        if not years:
            msg = "no energy consumption values are stored"
            raise NotFoundError(msg, hint="load the sample data or enter values first")
        return max(years)
