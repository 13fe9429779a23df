"""A region's dual-control figures in a year and each plan target's trajectory, from the read model.

Pure functions over :class:`~tanfeng.tracking.series.IndicatorSeries`: :func:`region_figures` (totals,
intensities at constant 2020 prices, shares and the 803号/1258号 assessment against 2020) and
:func:`track_target` (required value, progress, gap and status of one plan target). Units go through the
one pint registry (:mod:`tanfeng.units`): ``万tce / 亿元`` is converted to ``tce/万元``, not scaled by hand.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from tanfeng.errors import InputError
from tanfeng.plan.model import Plan, Target
from tanfeng.reference.indicators import label_of
from tanfeng.reference.regions import get_region
from tanfeng.tracking.rules import Assessment, EnergyData, EnergyTargets, YearFigures, assess_energy
from tanfeng.tracking.scope import BASE_YEAR
from tanfeng.tracking.series import IndicatorSeries, Observation, is_sample, sources
from tanfeng.tracking.trajectory import Status, TrajectoryTarget, polarity_of, progress
from tanfeng.units import convert, parse_unit, quantity

__all__ = [
    "Figure",
    "Provenance",
    "RegionStatus",
    "TargetTrack",
    "energy_data",
    "figure",
    "provenance",
    "ratio",
    "region_figures",
    "region_status",
    "short_source",
    "target_applies",
    "track_target",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


_URL_HEAD = re.compile(r"^(?:https?://)?([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/\S*")
_SOURCE_CUT = re.compile(r"\s*[;；]\s*|\s+\(|\s*（|,\s|，|:\s")


def short_source(source: str) -> str:
    """The institution or publication a source text names first, for a figure's caption.

    ``国家统计局·国家发展改革委·国家能源局 2020年…公报, 2021-08-23 (reposted at …)`` → its text up to the first
    comma, semicolon or parenthesis; a source that starts with a web address → the site (``tj.nmg.gov.cn``).
    The whole text stays on the row (and in the caption's hover text).
    """
    text = source.strip()
    m = _URL_HEAD.match(text)
    if m:
        return m.group(1)
    head = _SOURCE_CUT.split(text, maxsplit=1)[0].strip()
    return head or text


class Provenance(_Out):
    """Where a value was read from: a published statistic (its file), a value a user reported, or sample data."""

    kind: Literal["statistic", "reported", "sample"]
    label: str
    """The institution or publication (:func:`short_source`); for sample data the sample's source."""
    source: str
    """The source as written on the row."""
    file: str | None = None
    """The shipped or imported file of a statistic."""
    reporter: str | None = None
    """Who entered a reported value (a user name; pages show the display name)."""


def provenance(*obs: Observation | None) -> list[Provenance]:
    """The distinct provenance of ``obs`` in the order given; a computed value contributes its inputs'."""
    out: list[Provenance] = []

    def add(o: Observation) -> None:
        if o.inputs:
            for i in o.inputs:
                add(i)
            return
        kind: Literal["statistic", "reported", "sample"] = (
            "sample" if o.sample else "statistic" if o.origin == "reference_statistics" else "reported")
        p = Provenance(kind=kind, label=short_source(o.source), source=o.source, file=o.file,
                       reporter=o.reporter if kind == "reported" else None)
        if p not in out:
            out.append(p)

    for o in obs:
        if o is not None:
            add(o)
    return out


class Figure(_Out):
    """One number with its unit, where it comes from and the year it is of (数据截至)."""

    indicator: str
    label: str
    value: float | None
    unit: str
    source: str
    sample: bool
    certainty: str | None = None
    note: str | None = None
    as_of: int | None = None
    """The year the value is of (None without a value)."""
    provenance: list[Provenance] = []


class TargetTrack(_Out):
    """A plan target's trajectory in a year: required value, progress, gap, years left, status."""

    target_id: str
    indicator: str
    indicator_id: str
    indicator_en: str | None
    action: str | None
    scope: str
    scope_regions: list[str]
    target_year: int | None
    comparator: str
    target: float
    target_high: float | None
    target_unit: str
    baseline_year: int | None
    baseline_value: float | None
    year: int
    actual: float | None
    actual_year: int | None
    unit: str | None
    required: float | None
    target_value: float | None
    progress_ratio: float | None
    required_ratio: float | None = None
    """进度要求: the share of the baseline→target change the path requires by ``actual_year`` (1 = 100 %)."""
    rule: str | None = None
    """When the target is met, in words (:func:`~tanfeng.tracking.trajectory.met_rule`)."""
    gap: float | None
    years_left: int | None
    status: str
    sample: bool
    source: str | None
    series: list[tuple[int, float]]
    required_path: list[tuple[int, float]]
    note: str | None = None
    plan_id: str | None = None
    """The plan the target belongs to (several plans can be tracked side by side)."""
    provenance: list[Provenance] = []
    """Where the actual and the baseline value come from (the actual's first)."""


class RegionStatus(_Out):
    """A region's (or league's) dual-control figures in a year, with the rules applied and its targets."""

    region: str
    name: str
    level: str
    year: int
    gdp_price_base: int | None
    figures: list[Figure]
    assessment: Assessment | None
    rules_applied: list[str]
    rules_skipped: list[str]
    targets: list[TargetTrack]
    sample: bool
    notes: list[str]


def figure(indicator: str, obs: Observation | None, *, unit: str | None = None, note: str | None = None,
           year: int | None = None) -> Figure:
    """A :class:`Figure` of ``obs`` labelled from the indicator vocabulary (value None when ``obs`` is None);
    ``year`` is the year the value is of."""
    return Figure(indicator=indicator, label=label_of(indicator), value=None if obs is None else obs.value,
                  unit=unit or (obs.unit if obs else ""), source="" if obs is None else obs.source,
                  sample=bool(obs and obs.sample), certainty=None if obs is None else obs.certainty,
                  note=note if note is not None or obs is None else obs.note,
                  as_of=None if obs is None else year, provenance=provenance(obs))


def ratio(num: Observation, den: Observation, unit: str) -> float:
    """``num / den`` expressed in ``unit`` (e.g. 万tce / 亿元 (2020年不变价) in tce/万元), rounded to 6 decimals."""
    q = quantity(num.value, num.unit) / quantity(den.value, den.unit)
    return round(float(q.to(parse_unit(unit)).magnitude), 6)


def _intensity(series: IndicatorSeries, code: str, year: int, num: str, price_base: int | None) -> Figure:
    """Energy or carbon intensity of ``code`` in ``year`` from the level and GDP (a missing input: no value)."""
    n, g = series.at(code, num, year), series.at(code, "gdp", year)
    ind, unit = (("energy_intensity", "tce/万元") if num == "energy_consumption"
                 else ("carbon_intensity", "tCO2/万元"))
    if n is None or g is None:
        what = "energy" if num == "energy_consumption" else "CO2"
        return figure(ind, None, unit=unit, note=f"{what} or GDP missing")
    certainty = ("R" if is_sample(n, g) else n.certainty) if num == "energy_consumption" else "R"
    v = Observation(ratio(n, g, unit), unit,
                    f"计算: {label_of(num).split(' (')[0]} / 地区生产总值 ({price_base}年不变价); {sources(n, g)}",
                    certainty, is_sample(n, g), n.origin, inputs=(n, g))
    return figure(ind, v, note=f"{n.unit} / {g.unit.split(' (')[0]} = {unit}", year=year)


def region_figures(series: IndicatorSeries, code: str, year: int) -> list[Figure]:
    """Totals, intensities, changes and shares of ``code`` in ``year``, in the order pages show them.

    Raises
    ------
    InputError
        GDP without a constant 2020 price base (:meth:`IndicatorSeries.gdp`).
    """
    _gdp, price_base = series.gdp(code)
    figures = [figure("energy_consumption", series.at(code, "energy_consumption", year), year=year),
               figure("gdp", series.at(code, "gdp", year), year=year),
               _intensity(series, code, year, "energy_consumption", price_base)]
    for ind in ("energy_intensity_change_vs_prev_year", "energy_consumption_growth"):
        figures.append(figure(ind, series.at(code, ind, year), unit="%", year=year))
    figures.append(figure("co2_emissions", series.at(code, "co2_emissions", year), unit="万tCO2", year=year))
    figures.append(_intensity(series, code, year, "co2_emissions", price_base))
    figures.append(figure("carbon_intensity_change_vs_prev_year",
                          series.change(code, "carbon_intensity_change_vs_prev_year", "co2_emissions", year),
                          unit="%", year=year))
    for ind in ("non_fossil_energy_share", "coal_consumption_share"):
        figures.append(figure(ind, series.at(code, ind, year), unit="%", year=year))
    return figures


def _tce(obs: Observation | None) -> float | None:
    return None if obs is None else convert(obs.value, obs.unit, "tce")


def energy_data(series: IndicatorSeries, code: str, years: tuple[int, ...]) -> EnergyData:
    """The assessment's inputs for ``years``: energy, feedstock and renewables in tce, GDP in 万元."""
    gdp, price_base = series.gdp(code)
    figures: dict[int, YearFigures] = {}
    for y in years:
        energy = _tce(series.at(code, "energy_consumption", y))
        if energy is None:
            continue  # assess_energy names the missing year
        g = gdp.get(y)
        figures[y] = YearFigures(
            energy_tce=energy,
            gdp_10k_yuan=None if g is None else convert(g.value, g.unit, "万元"),
            renewable_electricity_tce=_tce(series.at(code, "new_renewable_electricity", y)),
            feedstock_tce=_tce(series.at(code, "feedstock_energy", y)))
    return EnergyData(region=code, gdp_price_base=price_base, years=figures)


def _assess(series: IndicatorSeries, code: str, year: int, notes: list[str]) -> tuple[Assessment | None,
                                                                                        Figure | None]:
    """The 803号/1258号 assessment of ``year`` against 2020 and the intensity net of feedstock, if possible."""
    e = series.at(code, "energy_consumption", year)
    if year <= BASE_YEAR:
        notes.append(f"no assessment against {BASE_YEAR} for {year}: the rules assess years after the base year")
        return None, None
    if e is None or series.at(code, "energy_consumption", BASE_YEAR) is None:
        return None, None
    assessment = assess_energy(year, BASE_YEAR, energy_data(series, code, (BASE_YEAR, year)), EnergyTargets())
    notes.append("the region's allocated 14th-FYP intensity target is not in the store: target checks of "
                 "assess_energy are left empty")
    if assessment.intensity_tce_per_10k_yuan is None:
        return assessment, None
    g, feed = series.at(code, "gdp", year), series.at(code, "feedstock_energy", year)
    base = (series.at(code, "energy_consumption", BASE_YEAR), series.at(code, "gdp", BASE_YEAR))
    assessed = Observation(round(assessment.intensity_tce_per_10k_yuan, 6), "tce/万元",
                           f"assess_energy (rules {assessment.ruleset_version}); {sources(e, g, feed)}", "R",
                           is_sample(e, g, feed), e.origin,
                           inputs=tuple(o for o in (e, g, feed, *base) if o is not None))
    note = (f"比{BASE_YEAR}年下降 {assessment.intensity_reduction_pct:.2f}%"
            if assessment.intensity_reduction_pct is not None else None)
    return assessment, figure("energy_intensity_assessed", assessed, note=note, year=year)


def target_applies(t: Target, region: str) -> bool:
    """Whether plan target ``t`` is scoped to ``region`` (its scope, or one of its scope regions)."""
    return t.scope == region or region in t.scope_regions


def track_target(t: Target, series: IndicatorSeries, region: str, year: int) -> TargetTrack:
    """The trajectory of plan target ``t`` for ``region`` in ``year`` (the latest value up to ``year``)."""
    values = series.annual(region, t.indicator_id)
    by = t.baseline_year or BASE_YEAR
    base = values.get(by)
    upto = [y for y in values if y <= year]
    actual_year = max(upto) if upto else None
    act = values[actual_year] if actual_year is not None else None
    common: dict[str, Any] = {
        "target_id": t.id, "indicator": t.indicator, "indicator_id": t.indicator_id, "indicator_en": t.indicator_en,
        "action": t.action, "scope": t.scope, "scope_regions": list(t.scope_regions), "target_year": t.year,
        "comparator": t.comparator.value, "target": t.value, "target_high": t.value_high, "target_unit": t.unit,
        "baseline_year": by, "baseline_value": None if base is None else base.value, "year": year,
        "actual": None if act is None else act.value, "actual_year": actual_year,
        "unit": act.unit if act is not None else (base.unit if base is not None else None),
        "sample": is_sample(act, base), "source": sources(base, act) or None,
        "series": [(y, v.value) for y, v in values.items() if y >= BASE_YEAR], "provenance": provenance(act, base),
    }
    empty: dict[str, Any] = {"required": None, "target_value": None, "progress_ratio": None, "gap": None,
                             "years_left": None, "required_path": []}
    if t.year is None:
        return TargetTrack(**common, **empty, status="no_path", note="standing target (no year): no path")
    if base is None:
        return TargetTrack(**common, **empty, status=Status.NO_DATA.value, note=f"no value for the baseline year {by}")
    polarity = polarity_of(t.indicator_id)
    try:
        tt = TrajectoryTarget.from_plan(t, baseline_value=base.value, baseline_year=by, polarity=polarity)
    except InputError as exc:
        return TargetTrack(**common, **empty, status=Status.NO_DATA.value, note=str(exc))
    if polarity is None:
        common["note"] = f"indicator '{t.indicator_id}' is not in the vocabulary: its polarity is read as neutral"
    p = progress(tt, actual_year if actual_year is not None else year, None if act is None else act.value)
    return TargetTrack(**{**common, "required": p.required, "target_value": tt.target_value,
                          "progress_ratio": p.progress_ratio, "required_ratio": p.required_ratio, "rule": p.rule,
                          "gap": p.gap, "years_left": p.years_left,
                          "status": p.status.value, "required_path": [(y, round(v, 6)) for y, v in tt.path()]})


def region_status(series: IndicatorSeries, plan: Plan, code: str, year: int) -> RegionStatus:
    """A region's figures, its assessment against 2020 (rules applied and skipped) and its targets in ``year``."""
    region = get_region(code)
    notes: list[str] = []
    figures = region_figures(series, code, year)
    _gdp, price_base = series.gdp(code)
    assessment, assessed = _assess(series, code, year, notes)
    if assessed is not None:
        figures.append(assessed)
    targets = [track_target(t, series, code, year) for t in plan.targets if target_applies(t, code)]
    return RegionStatus(
        region=code, name=region.name_zh, level=region.level, year=year, gdp_price_base=price_base, figures=figures,
        assessment=assessment,
        rules_applied=[f"{r.id} ({r.document}): {r.effect}" for r in assessment.applied_rules] if assessment else [],
        rules_skipped=[f"{r.id} ({r.document}): {r.effect}" for r in assessment.skipped_rules] if assessment else [],
        targets=targets, sample=any(f.sample for f in figures) or any(t.sample for t in targets), notes=notes)
