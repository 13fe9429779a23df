"""Early warning (预警): the NDRC dual-control barometer levels and a path warning for any target.

Levels (发改办环资〔2021〕629号, docs/reference §2.1):

====  ========  ======  =====================================================================
level label     colour  energy-intensity rule (629号, P)
====  ========  ======  =====================================================================
1     一级预警  red     intensity **rose** in the period (change > 0)
2     二级预警  yellow  intensity did not rise, but the fall is short of the required progress
3     三级预警  green   the fall reached the required progress (change ≤ required change)
====  ========  ======  =====================================================================

Boundaries: a change of exactly 0 did not rise, so it is level 2 (or 3 when nothing is required);
a change exactly equal to the required change has reached the progress, so it is level 3.

The total-consumption rule is **not written** in 629号; the default here (:data:`TOTAL_GROWTH_INFERRED`)
is the reading of the 2014–15 barometers in §2.1 and every result using it says ``inferred: true``:
level 1 if growth is above the growth cap, level 2 if above the progress line but within the cap,
level 3 if within the progress line. The carbon-intensity warning applies the 629号 logic to carbon
intensity; 国办发〔2024〕39号 asks for carbon warning without levels, so it is flagged inferred too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from pydantic import BaseModel, ConfigDict

from tanfeng.errors import InputError
from tanfeng.reference.regions import get_region
from tanfeng.tracking.figures import Provenance, provenance
from tanfeng.tracking.indicators import implied_energy_growth_pct
from tanfeng.tracking.series import IndicatorSeries, is_sample, sources
from tanfeng.tracking.trajectory import Progress, Status, TrajectoryTarget, progress

__all__ = [
    "CARBON_INTENSITY_BY_ANALOGY",
    "ENERGY_INTENSITY_629",
    "LABELS",
    "NDRC_629",
    "NDRC_629_URL",
    "TOTAL_GROWTH_INFERRED",
    "TWO_HIGH_REVIEW_SUSPENDED",
    "Alert",
    "BarometerEntry",
    "Consequence",
    "IntensityWarningRule",
    "LeagueWarnings",
    "Level",
    "PathWarning",
    "TotalWarningRule",
    "barometer_entry",
    "carbon_intensity_warning",
    "intensity_level",
    "intensity_warning",
    "league_warnings",
    "path_warning",
    "region_warnings",
    "total_warning",
]

_EPS = 1e-9

NDRC_629 = "发改办环资〔2021〕629号"
NDRC_629_URL = "https://hbsb.xny365.com/article-48633.html"


class Level(IntEnum):
    """Warning level: 1 is the most severe."""

    ONE = 1
    TWO = 2
    THREE = 3


LABELS: dict[Level, tuple[str, str, str]] = {
    Level.ONE: ("一级预警", "red", "节能形势十分严峻"),
    Level.TWO: ("二级预警", "yellow", "节能形势比较严峻"),
    Level.THREE: ("三级预警", "green", "节能进度基本顺利"),
}
"""Label, colour and the older barometer wording of each level."""


class Consequence(BaseModel):
    """A consequence a warning level carries, with its document."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    short: str
    """Chinese label, as the documents say it."""
    short_en: str
    """English label."""
    text: str
    document: str
    url: str


TWO_HIGH_REVIEW_SUSPENDED = Consequence(
    short="“两高”项目节能审查暂停",
    short_en="energy reviews of two-high projects suspended",
    text=("自通知印发之日起,能耗强度不降反升的地区(地级市、州、盟)2021年暂停“两高”项目节能审查"
          "(国家规划布局的重大项目除外),并于20个工作日内将项目清单报国家发展改革委 — energy reviews of "
          "两高 projects suspended for 2021 in every prefecture whose intensity rose (national major projects "
          "excepted); the list goes to NDRC within 20 working days"),
    document=NDRC_629,
    url=NDRC_629_URL,
)


@dataclass(frozen=True, kw_only=True)
class IntensityWarningRule:
    """The intensity-reduction warning: rose → 1; fell short of progress → 2; else 3."""

    id: str
    indicator: str
    document: str
    url: str
    inferred: bool
    note: str
    level1_consequences: tuple[Consequence, ...] = ()


ENERGY_INTENSITY_629 = IntensityWarningRule(
    id="energy_intensity_629", indicator="energy_intensity", document=NDRC_629, url=NDRC_629_URL, inferred=False,
    note="能耗强度不降反升为一级预警;降低率未达到进度要求为二级预警;达到进度要求为三级预警",
    level1_consequences=(TWO_HIGH_REVIEW_SUSPENDED,),
)
CARBON_INTENSITY_BY_ANALOGY = IntensityWarningRule(
    id="carbon_intensity_629_analogy", indicator="carbon_intensity", document=f"{NDRC_629} (by analogy); 国办发〔2024〕39号",
    url=NDRC_629_URL, inferred=True,
    note="the 629号 levels applied to carbon intensity; 国办发〔2024〕39号 asks for carbon warning but gives no levels",
)


@dataclass(frozen=True, kw_only=True)
class TotalWarningRule:
    """The total-consumption warning (inferred, R): above cap → 1; above progress line → 2; else 3.

    Attributes
    ----------
    progress_share
        When no progress line is given, use ``progress_share × cap`` as the line (None: level 2 is
        then not assessable and the result says so).
    """

    id: str = "total_growth_inferred"
    indicator: str = "energy_total"
    document: str = f"{NDRC_629} (levels listed, rule not written); rule read from the 2014–15 barometers"
    url: str = "https://m.163.com/money/article/B2DP5KOP00253B0H.html"
    inferred: bool = True
    progress_share: float | None = None
    note: str = ("inferred rule (R): growth above the growth cap → 一级; above the progress line but within the cap → "
                 "二级; within the progress line → 三级")


TOTAL_GROWTH_INFERRED = TotalWarningRule()


class Alert(BaseModel):
    """A warning level for one indicator in one period, with the rule that gave it."""

    model_config = ConfigDict(extra="forbid")

    indicator: str
    level: int
    label: str
    colour: str
    wording: str
    value_pct: float
    reference_pct: float | None
    rule_id: str
    document: str
    inferred: bool
    note: str
    consequences: list[Consequence]


def _warning(level: Level, indicator: str, value: float, reference: float | None, rule_id: str, document: str,
             inferred: bool, note: str, consequences: tuple[Consequence, ...] = ()) -> Alert:
    label, colour, wording = LABELS[level]
    return Alert(indicator=indicator, level=int(level), label=label, colour=colour, wording=wording, value_pct=value,
                   reference_pct=reference, rule_id=rule_id, document=document, inferred=inferred, note=note,
                   consequences=list(consequences))


def intensity_level(change_pct: float, required_change_pct: float) -> Level:
    """The 629号 level for an intensity change against the required change (both in %, negative = fall)."""
    if change_pct > _EPS:
        return Level.ONE
    if change_pct > required_change_pct + _EPS:
        return Level.TWO
    return Level.THREE


def intensity_warning(change_pct: float, required_change_pct: float,
                      rule: IntensityWarningRule = ENERGY_INTENSITY_629) -> Alert:
    """The intensity-reduction warning.

    Parameters
    ----------
    change_pct
        Change of intensity in the period, % (e.g. +6.89, or −3.5 for a fall).
    required_change_pct
        The change the progress requires in the period, % (e.g. −3.2 for a required 3.2 % fall).
    rule
        :data:`ENERGY_INTENSITY_629` (default) or :data:`CARBON_INTENSITY_BY_ANALOGY`.
    """
    lv = intensity_level(change_pct, required_change_pct)
    cons = rule.level1_consequences if lv is Level.ONE else ()
    return _warning(lv, rule.indicator, change_pct, required_change_pct, rule.id, rule.document, rule.inferred,
                    rule.note, cons)


def carbon_intensity_warning(change_pct: float, required_change_pct: float) -> Alert:
    """The same levels for carbon intensity (CO2 per 万元 GDP), flagged as inferred."""
    return intensity_warning(change_pct, required_change_pct, CARBON_INTENSITY_BY_ANALOGY)


def total_warning(growth_pct: float, cap_growth_pct: float, progress_growth_pct: float | None = None,
                  rule: TotalWarningRule = TOTAL_GROWTH_INFERRED) -> Alert:
    """The total-consumption warning under an inferred, configurable rule.

    Parameters
    ----------
    growth_pct
        Energy-consumption growth in the period, %.
    cap_growth_pct
        The allowed growth (growth cap, 能耗增速控制目标), %.
    progress_growth_pct
        The pro-rata progress line, % (≤ cap). None: ``rule.progress_share × cap`` if set, else
        level 2 is not assessable.
    rule
        The rule (default :data:`TOTAL_GROWTH_INFERRED`).
    """
    line = progress_growth_pct
    if line is None and rule.progress_share is not None:
        line = rule.progress_share * cap_growth_pct
    note = rule.note
    if growth_pct > cap_growth_pct + _EPS:
        lv = Level.ONE
    elif line is not None and growth_pct > line + _EPS:
        lv = Level.TWO
    else:
        lv = Level.THREE
        if line is None:
            note += "; no progress line given, so only levels 1 and 3 were assessable"
    return _warning(lv, rule.indicator, growth_pct, cap_growth_pct, rule.id, rule.document, rule.inferred, note)


class BarometerEntry(BaseModel):
    """One region and period of the barometer: the intensity and the total dimension, computed independently."""

    model_config = ConfigDict(extra="forbid")

    region: str
    period: str
    intensity: Alert
    total: Alert


def barometer_entry(region: str, period: str, intensity_change_pct: float, required_intensity_change_pct: float,
                    consumption_growth_pct: float, allowed_consumption_growth_pct: float,
                    progress_consumption_growth_pct: float | None = None, *,
                    total_rule: TotalWarningRule = TOTAL_GROWTH_INFERRED) -> BarometerEntry:
    """Both barometer dimensions for one region and period (rates in %)."""
    return BarometerEntry(
        region=region, period=period,
        intensity=intensity_warning(intensity_change_pct, required_intensity_change_pct),
        total=total_warning(consumption_growth_pct, allowed_consumption_growth_pct, progress_consumption_growth_pct,
                            total_rule),
    )


class PathWarning(BaseModel):
    """A generic warning: is a plan target behind its required path?"""

    model_config = ConfigDict(extra="forbid")

    warn: bool
    status: Status
    progress: Progress
    message: str


def path_warning(target: TrajectoryTarget, year: int, actual: float | None) -> PathWarning:
    """Warn when ``actual`` is behind the target's required path in ``year`` (or the target was missed)."""
    p = progress(target, year, actual)
    warn = p.status in (Status.BEHIND, Status.MISSED)
    if p.status is Status.NO_DATA:
        msg = f"no value for {year}"
    elif warn:
        msg = f"{p.status.value}: {p.gap:g} behind the required {p.required:g} in {year}"
    else:
        msg = f"{p.status.value} in {year}"
    return PathWarning(warn=warn, status=p.status, progress=p, message=msg)


# --------------------------------------------------------------------------------------------------- per league

class LeagueWarnings(BaseModel):
    """Barometer levels of one region or league in a period, with the sources of the changes used."""

    model_config = ConfigDict(extra="forbid")

    region: str
    name: str
    period: str
    year: int
    intensity: Alert | None
    intensity_source: str | None
    total: Alert | None
    total_source: str | None
    carbon: Alert | None
    carbon_source: str | None
    sample: bool
    notes: list[str]
    provenance: list[Provenance] = []
    """Where the changes used come from (:func:`tanfeng.tracking.figures.provenance`)."""


def _region_name(code: str) -> str:
    try:
        return get_region(code).name_zh
    except InputError:
        return code


def region_warnings(series: IndicatorSeries, code: str, period: str, year: int, *,
                    required_intensity_change_pct: float, required_carbon_change_pct: float,
                    allowed_consumption_growth_pct: float | None = None) -> LeagueWarnings:
    """The three barometer levels of ``code`` in ``year`` from the read model.

    Intensity: the 629号 rule on the year-on-year change (stored, else computed from energy / GDP).
    Total consumption: the inferred rule, with the growth cap ``allowed_consumption_growth_pct`` or, when
    None, the growth the intensity path allows at the year's real GDP growth, ``(1 + g)(1 + required) − 1``.
    Carbon intensity: the 629号 levels by analogy (flagged inferred).
    """
    notes: list[str] = []
    ich = series.change(code, "energy_intensity_change_vs_prev_year", "energy_consumption", year)
    cch = series.change(code, "carbon_intensity_change_vs_prev_year", "co2_emissions", year)
    growth = series.at(code, "energy_consumption_growth", year)
    gdp_g = series.at(code, "gdp_real_growth", year)
    ia = intensity_warning(ich.value, required_intensity_change_pct) if ich else None
    ca = carbon_intensity_warning(cch.value, required_carbon_change_pct) if cch else None
    ta: Alert | None = None
    if growth is not None:
        cap = allowed_consumption_growth_pct
        if cap is None and gdp_g is not None:
            cap = implied_energy_growth_pct(gdp_g.value, required_intensity_change_pct)
            notes.append(f"growth cap {cap:.2f} % = growth allowed by the intensity path at GDP growth "
                         f"{gdp_g.value:g} % (derived)")
        if cap is not None:
            ta = total_warning(growth.value, cap)
    if ia is None:
        notes.append(f"no energy-intensity change for {year}")
    return LeagueWarnings(
        region=code, name=_region_name(code), period=period, year=year, intensity=ia,
        intensity_source=ich.source if ich else None, total=ta,
        total_source=sources(growth, gdp_g) or None if ta else None, carbon=ca,
        carbon_source=cch.source if cch else None, sample=is_sample(ich, cch, growth, gdp_g), notes=notes,
        provenance=provenance(ich, cch, growth if ta else None, gdp_g if ta else None))


def league_warnings(series: IndicatorSeries, codes: tuple[str, ...] | list[str], period: str, year: int, *,
                    required_intensity_change_pct: float, required_carbon_change_pct: float,
                    allowed_consumption_growth_pct: float | None = None) -> list[LeagueWarnings]:
    """:func:`region_warnings` of each of ``codes`` (the region first, then its leagues), in that order."""
    return [region_warnings(series, code, period, year, required_intensity_change_pct=required_intensity_change_pct,
                            required_carbon_change_pct=required_carbon_change_pct,
                            allowed_consumption_growth_pct=allowed_consumption_growth_pct) for code in codes]
