"""The instruments' rules, read from ``data/instruments.yaml``: allocation, vintages, surrender, penalties.

Three instruments are shipped: ``CEA`` (national carbon allowances, tCO2e), ``CCER`` (credits usable as
offsets, tCO2e) and ``EUR`` (用能权指标, tce 等价值). Every rule carries its source and certainty in the data
file; a rule that was not found is an assumption marked there (``*_assumption: true``) and can be changed
there.

Surrender checks (:func:`check_surrender`), each edge inclusive where the text says "≤" or "by":

=====================  ===========================================================================
rule                   refused when
=====================  ===========================================================================
deadline               the surrender date is after the compliance year's deadline
no borrowing           a unit's vintage is later than the compliance year
validity               a unit's vintage is more than ``validity_years − 1`` years before the year
offset cap             offsets surrendered for the year exceed ``offset_cap_share × obligation``
                       (rounded down to whole units)
=====================  ===========================================================================
"""

from __future__ import annotations

import math
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tanfeng.errors import InputError, ReferenceDataError, at

__all__ = [
    "RULES_FILE",
    "Allocation",
    "DeadlineRule",
    "Instrument",
    "PenaltyRule",
    "SurrenderLine",
    "SurrenderRule",
    "VintageRule",
    "check_surrender",
    "deadline_for",
    "instrument",
    "load_instruments",
    "offset_cap",
    "peak_regulation_factor",
    "penalty_range",
    "power_allocation",
    "settle_allocation",
]

RULES_FILE = "instruments.yaml"
"""The rules file inside ``tanfeng/registry/data``."""


class VintageRule(BaseModel):
    """Which compliance years a unit of a given vintage may cover."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    borrowing: bool
    validity_years: int | None = Field(default=None, ge=1)


class DeadlineRule(BaseModel):
    """A deadline ``years_after`` the compliance year, on ``month``/``day``."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    years_after: int = Field(ge=0)


class SurrenderRule(BaseModel):
    """Offsets allowed, their cap, and the deadlines."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    offset_instruments: tuple[str, ...] = ()
    offset_cap_share: float = Field(default=0.0, ge=0, le=1)
    deadlines: dict[int, date] = Field(default_factory=dict)
    default_deadline: DeadlineRule


class PenaltyRule(BaseModel):
    """Penalty for a shortfall: a multiple of a price (when the rule has one) and the next year's cut."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    price_multiple_low: float | None = None
    price_multiple_high: float | None = None
    price_basis: str
    next_year_cut: str


class Instrument(BaseModel):
    """One instrument and its rules."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    code: str
    name_zh: str
    name_en: str
    unit: str
    kind: str
    source: str
    certainty: str
    vintage: VintageRule
    surrender: SurrenderRule | None = None
    penalty: PenaltyRule | None = None
    transfer_kinds: tuple[str, ...] = ("transfer",)
    issuance_kinds: tuple[str, ...] = ("allocation",)
    allocation: dict[str, Any] | None = None


@cache
def load_instruments() -> dict[str, Instrument]:
    """The shipped instruments by code, read once.

    Raises
    ------
    ReferenceDataError
        The file is malformed; the message names the instrument and field.
    """
    text = resources.files("tanfeng.registry").joinpath("data", RULES_FILE).read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    out: dict[str, Instrument] = {}
    for code, body in (raw.get("instruments") or {}).items():
        try:
            out[code] = Instrument.model_validate({"code": code, **body})
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            msg = f"instrument {code}: {first['msg']}"
            raise ReferenceDataError(msg, location=at(RULES_FILE, field=f"{code}.{field}")) from None
    return out


def instrument(code: str) -> Instrument:
    """The rules of one instrument.

    Raises
    ------
    InputError
        No such instrument; the message lists the known ones.
    """
    found = load_instruments().get(code)
    if found is None:
        msg = f"unknown instrument {code!r}; known: {', '.join(sorted(load_instruments()))}"
        raise InputError(msg, location=at(field="instrument"))
    return found


def deadline_for(rules: Instrument, compliance_year: int) -> date:
    """The last day (inclusive) to surrender for ``compliance_year``: published, else the default rule."""
    if rules.surrender is None:
        msg = f"instrument {rules.code} is not surrendered"
        raise InputError(msg, location=at(field="instrument"))
    published = rules.surrender.deadlines.get(compliance_year)
    if published is not None:
        return published
    d = rules.surrender.default_deadline
    return date(compliance_year + d.years_after, d.month, d.day)


def offset_cap(rules: Instrument, obligation: int) -> int:
    """The most offset units that may be surrendered against ``obligation`` (whole units, rounded down)."""
    share = rules.surrender.offset_cap_share if rules.surrender is not None else 0.0
    # a tiny tolerance so 0.05 × 1000 (= 50.000000000000004 or 49.99999…) is 50
    return math.floor(share * obligation + 1e-9)


class SurrenderLine(BaseModel):
    """Units of one instrument and vintage offered for surrender."""

    model_config = ConfigDict(frozen=True)

    instrument: str
    vintage: int
    amount: int = Field(gt=0)


def _vintage_ok(rule: VintageRule, vintage: int, year: int) -> str | None:
    if vintage > year and not rule.borrowing:
        return f"vintage {vintage} cannot cover compliance year {year}: borrowing from a later year is not allowed"
    if rule.validity_years is not None and vintage + rule.validity_years - 1 < year:
        last = vintage + rule.validity_years - 1
        return f"vintage {vintage} has expired: it is valid for compliance years up to {last}, not {year}"
    return None


def check_surrender(rules: Instrument, *, compliance_year: int, on: date, obligation: int,
                    lines: list[SurrenderLine], offsets_already: int = 0) -> None:
    """Refuse a surrender that breaks a rule; see the table in the module docstring.

    Parameters
    ----------
    rules
        The instrument the obligation is in (``CEA`` or ``EUR``).
    compliance_year
        The year whose obligation is surrendered.
    on
        The surrender date.
    obligation
        The verified emissions (tCO2e) or comprehensive energy consumption (tce) of that year.
    lines
        What is offered: units of ``rules`` or of its offset instruments, by vintage.
    offsets_already
        Offset units surrendered earlier for the same account and year.

    Raises
    ------
    InputError
        The first rule broken, with the field it concerns.
    """
    if obligation < 0:
        msg = f"the obligation must be zero or more, got {obligation}"
        raise InputError(msg, location=at(field="obligation"))
    deadline = deadline_for(rules, compliance_year)
    if on > deadline:
        msg = f"the deadline to surrender for {compliance_year} was {deadline.isoformat()}; this is {on.isoformat()}"
        raise InputError(msg, location=at(field="on"), hint="a late surrender is a shortfall: see the penalty rule")
    offered_offsets = 0
    offset_codes = rules.surrender.offset_instruments if rules.surrender else ()
    for i, line in enumerate(lines):
        if line.instrument == rules.code:
            problem = _vintage_ok(rules.vintage, line.vintage, compliance_year)
        elif line.instrument in offset_codes:
            problem = _vintage_ok(instrument(line.instrument).vintage, line.vintage, compliance_year)
            offered_offsets += line.amount
        else:
            problem = (f"{line.instrument} cannot be surrendered for a {rules.code} obligation"
                       + (f"; offsets allowed: {', '.join(offset_codes)}" if offset_codes else ""))
        if problem is not None:
            raise InputError(problem, location=at(row=i + 1, field="vintage" if "vintage" in problem
                                                  else "instrument"))
    cap = offset_cap(rules, obligation)
    if offsets_already + offered_offsets > cap:
        share = rules.surrender.offset_cap_share if rules.surrender else 0.0
        msg = (f"offsets are capped at {share:.0%} of the obligation {obligation} = {cap} units; "
               f"{offsets_already} already surrendered + {offered_offsets} offered = "
               f"{offsets_already + offered_offsets}")
        raise InputError(msg, location=at(field="offsets"), hint="surrender allowances for the rest")


def penalty_range(rules: Instrument, shortfall: int, price: float | None) -> tuple[float, float] | None:
    """The fine for ``shortfall`` units at ``price`` (yuan per unit): (low, high), or ``None`` when the rule
    has no price multiple (or no price is given)."""
    p = rules.penalty
    if p is None or p.price_multiple_low is None or p.price_multiple_high is None or price is None:
        return None
    return (shortfall * price * p.price_multiple_low, shortfall * price * p.price_multiple_high)


def peak_regulation_factor(load_factor: float) -> float:
    """The power plan's peak-regulation factor Ff: ``1.015^(16 − 20F)`` below F = 0.65, else 1 (data file)."""
    alloc = instrument("CEA").allocation or {}
    peak = alloc["peak_regulation"]
    if load_factor < peak["load_factor_threshold"]:
        return float(float(peak["base"]) ** (16 - 20 * load_factor))
    return float(peak["above_threshold_value"])


class Allocation(BaseModel):
    """A power unit's allocation: the benchmark result, then the shortfall cap and the gas top-up."""

    model_config = ConfigDict(frozen=True)

    year: int
    unit_class: str
    benchmark_tco2: float
    """A = Qe·Be·Ff + Qh·Bh."""
    final: int
    """Whole allowances after the shortfall cap (and the gas top-up)."""
    capped: bool
    pre_allocation: int
    settlement: int
    """final − pre_allocation: issued (positive) or returned (negative) at settlement (多退少补)."""


def power_allocation(*, year: int, unit_class: str, power_mwh: float, heat_gj: float, load_factor: float,
                     verified_tco2: float, previous_verified_tco2: float) -> Allocation:
    """The intensity-benchmark allocation of one power unit with its pre-allocation and settlement.

    ``A = Qe·Be·Ff + Qh·Bh``; the pre-allocation is ``70 %`` of the previous year's verified emissions; a
    result below ``(1 − 20 %)`` of the verified emissions is topped up to it; gas units are topped up to
    the verified emissions. Shares and benchmarks come from the data file. Whole allowances are rounded
    down (ASSUMPTION: the rounding rule was not found).

    Raises
    ------
    InputError
        Unknown unit class or a year without benchmarks.
    """
    alloc = instrument("CEA").allocation or {}
    bench = alloc["benchmarks"].get(unit_class)
    if bench is None or year not in bench["power"]:
        msg = f"no benchmark for unit class {unit_class!r} in {year}; classes: {', '.join(alloc['benchmarks'])}"
        raise InputError(msg, location=at(RULES_FILE, field="allocation.benchmarks"))
    a = power_mwh * bench["power"][year] * peak_regulation_factor(load_factor) + heat_gj * bench["heat"][year]
    floor_share = 1 - float(alloc["shortfall_cap_share"])
    final = a
    capped = False
    if unit_class == "IV" and alloc.get("gas_units_topped_up"):
        capped = a < verified_tco2
        final = max(a, verified_tco2)
    elif a < floor_share * verified_tco2:
        capped = True
        final = floor_share * verified_tco2
    pre = math.floor(float(alloc["pre_allocation_share"]) * previous_verified_tco2 + 1e-9)
    whole = math.floor(final + 1e-9)
    return Allocation(year=year, unit_class=unit_class, benchmark_tco2=a, final=whole, capped=capped,
                      pre_allocation=pre, settlement=whole - pre)


def settle_allocation(pre_allocated: int, final: int) -> int:
    """What settlement issues (positive) or takes back (negative): 多退少补."""
    return final - pre_allocated
