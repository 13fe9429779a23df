"""Dual-control policy rules as versioned objects, and the energy assessment that applies them.

Each rule cites its document and the public copy it was read from
(``docs/reference/policy_rules_and_data.md`` §2.2 and §3). A rule applies by **assessment year**
(``valid_from`` … ``valid_to``); :func:`assess_energy` lists the rules it applied, what each did,
and the rules it skipped with the reason.

Rules carried (version ``RULESET_VERSION``):

- ``re_deduction`` — 发改运行〔2022〕1258号: renewable electricity consumed above the 2020 base is
  deducted from the **total** energy consumption in the 14th-FYP assessment, but stays in the
  **intensity** ("但仍纳入能耗强度考核").
- ``feedstock_deduction`` — 发改环资〔2022〕803号: feedstock energy (原料用能) is deducted from
  total energy consumption; intensity is computed with the total minus feedstock and GDP
  unchanged; for the reduction rate it is deducted from both base-year and target-year totals.
- ``incentive_exemption`` — 发改环资〔2021〕1310号: a region whose intensity reduction reaches its
  激励目标 is exempt from the total-consumption assessment (能源消费总量免予考核).
- ``control_regime`` — 国办发〔2024〕39号 (and 1310号 before it): which indicator binds when —
  energy intensity (total managed flexibly) to 2025; carbon intensity first, carbon total auxiliary
  in the 15th FYP (2026–2030) before the peak; carbon total first after the peak.

Units: energy in tce (any one unit works as long as every energy figure uses it, e.g. 万tce);
GDP in 万元 at constant prices of a **named** price-base year; intensity in tce/万元 (万tce with
亿元 gives the same number).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from tanfeng.errors import InputError, at

__all__ = [
    "FEEDSTOCK_803",
    "INCENTIVE_1310",
    "REGIME_39",
    "REGIME_1310",
    "RE_DEDUCTION_1258",
    "RULESET_VERSION",
    "AppliedRule",
    "Assessment",
    "ControlRegime",
    "ControlRegimeRule",
    "EnergyData",
    "EnergyTargets",
    "FeedstockDeductionRule",
    "IncentiveExemptionRule",
    "Indicator",
    "PolicyRule",
    "RenewableDeductionRule",
    "RuleSet",
    "YearFigures",
    "assess_energy",
    "control_regime",
    "default_rules",
]


RULESET_VERSION = "2024-08"
"""Version of :func:`default_rules`: the month of the newest document it carries (国办发〔2024〕39号)."""


@dataclass(frozen=True, kw_only=True)
class PolicyRule:
    """A policy rule: what it says, which document says it, and the assessment years it covers.

    Attributes
    ----------
    id
        Stable id of the rule, e.g. ``re_deduction``.
    version
        Version of the rule's implementation; bump it when the reading of the text changes.
    document
        The document number as issued, e.g. 发改运行〔2022〕1258号.
    title
        The document's title.
    issued
        Date of issue (ISO 8601).
    url
        The public copy the text was read from.
    valid_from, valid_to
        First and last assessment year the rule applies to (``valid_to`` None: open-ended).
    summary
        The rule in one sentence.
    """

    id: str
    version: str
    document: str
    title: str
    issued: str
    url: str
    valid_from: int
    valid_to: int | None
    summary: str

    def applies(self, year: int) -> bool:
        """Whether the rule applies to the assessment of ``year``."""
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)


@dataclass(frozen=True, kw_only=True)
class RenewableDeductionRule(PolicyRule):
    """1258号: renewable electricity above the base year's is deducted from the total, not the intensity.

    The deduction in year *t* is ``max(0, RE_t − RE_base)``: the year-on-year increases accumulated
    from the 2020 base. A fall below the base gives no negative deduction (the notice does not say;
    this reading is stated in docs/tracking.md).
    """

    base_year: int = 2020

    def deduction(self, re_year: float, re_base: float) -> float:
        """The amount deducted from the total (same unit as the inputs, tce)."""
        return max(0.0, re_year - re_base)


@dataclass(frozen=True, kw_only=True)
class FeedstockDeductionRule(PolicyRule):
    """803号: feedstock energy is deducted from the totals of both years; GDP is unchanged.

    With E the total, F the feedstock and Y the GDP (constant prices) of a year: the total assessed is
    ``E − F``, the intensity ``(E − F) / Y``, and the reduction against the base year
    ``(1 − I_t / I_base) × 100`` with both intensities net of feedstock.
    """

    def net_total(self, total: float, feedstock: float) -> float:
        """The total with the feedstock deducted (same unit as the inputs, tce)."""
        return total - feedstock

    def intensity(self, total: float, feedstock: float, gdp: float) -> float:
        """Intensity net of feedstock: ``(E − F) / Y`` (tce/万元 for tce and 万元)."""
        return self.net_total(total, feedstock) / gdp

    def reduction_pct(self, intensity: float, base_intensity: float) -> float | None:
        """Intensity reduction against the base year, %: ``(1 − I_t / I_base) × 100`` (None for I_base ≤ 0)."""
        return (1.0 - intensity / base_intensity) * 100.0 if base_intensity > 0 else None


@dataclass(frozen=True, kw_only=True)
class IncentiveExemptionRule(PolicyRule):
    """1310号: reaching the 激励目标 of intensity reduction exempts from the total assessment."""

    def exempt(self, reduction_pct: float, incentive_pct: float) -> bool:
        """Whether a reduction of ``reduction_pct`` (%) reaches the incentive target (%)."""
        return reduction_pct >= incentive_pct


class Indicator(StrEnum):
    """Indicators a control regime can bind."""

    ENERGY_INTENSITY = "energy_intensity"
    ENERGY_TOTAL = "energy_total"
    CARBON_INTENSITY = "carbon_intensity"
    CARBON_TOTAL = "carbon_total"


@dataclass(frozen=True, kw_only=True)
class ControlRegimeRule(PolicyRule):
    """Which indicator is the main (binding) one and which is auxiliary in the years the rule covers.

    ``before_peak`` applies until the region's emissions have peaked; ``after_peak`` once they have.
    """

    main_before_peak: Indicator
    auxiliary_before_peak: Indicator
    main_after_peak: Indicator
    auxiliary_after_peak: Indicator


class RuleSet(BaseModel):
    """The rules an assessment uses; one of each kind, so there is never a doubt which applied."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    version: str
    renewable: RenewableDeductionRule
    feedstock: FeedstockDeductionRule
    incentive: IncentiveExemptionRule
    regimes: tuple[ControlRegimeRule, ...]


RE_DEDUCTION_1258 = RenewableDeductionRule(
    id="re_deduction",
    version="1",
    document="发改运行〔2022〕1258号",
    title="《关于进一步做好新增可再生能源消费不纳入能源消费总量控制有关工作的通知》",
    issued="2022-11-16",
    url="https://cannapanties.com/i,16,18293,0.html",
    valid_from=2021,
    valid_to=2025,
    summary=("以各地区2020年可再生能源电力消费量为基数,“十四五”期间每年较上一年新增的可再生能源电力消费量,"
             "在全国和地方能源消费总量考核时予以扣除,但仍纳入能耗强度考核"),
)
FEEDSTOCK_803 = FeedstockDeductionRule(
    id="feedstock_deduction",
    version="1",
    document="发改环资〔2022〕803号",
    title="《关于进一步做好原料用能不纳入能源消费总量控制有关工作的通知》",
    issued="2022-10-27",
    url="http://shcymc.com/yaowen/2022110166632.html",
    valid_from=2021,
    valid_to=2025,
    summary=("“十四五”省级节能目标考核中,原料用能从能源消费总量中扣除;能耗强度按扣除原料用能后的总量计算,GDP不变;"
             "计算能耗强度降低率时基年和目标年均扣除原料用能"),
)
INCENTIVE_1310 = IncentiveExemptionRule(
    id="incentive_exemption",
    version="1",
    document="发改环资〔2021〕1310号",
    title="《完善能源消费强度和总量双控制度方案》",
    issued="2021-09-11",
    url="http://yixinui.com/news/detail/143663.html",
    valid_from=2021,
    valid_to=2025,
    summary="能耗强度降低达到国家下达的激励目标的地区,其能源消费总量在当期五年规划考核中免予考核",
)
REGIME_1310 = ControlRegimeRule(
    id="control_regime_energy",
    version="1",
    document="发改环资〔2021〕1310号",
    title="《完善能源消费强度和总量双控制度方案》",
    issued="2021-09-11",
    url="http://yixinui.com/news/detail/143663.html",
    valid_from=2021,
    valid_to=2025,
    summary="能耗强度降低作为约束性指标,能源消费总量合理控制、弹性管理",
    main_before_peak=Indicator.ENERGY_INTENSITY,
    auxiliary_before_peak=Indicator.ENERGY_TOTAL,
    main_after_peak=Indicator.ENERGY_INTENSITY,
    auxiliary_after_peak=Indicator.ENERGY_TOTAL,
)
REGIME_39 = ControlRegimeRule(
    id="control_regime_carbon",
    version="1",
    document="国办发〔2024〕39号",
    title="《加快构建碳排放双控制度体系工作方案》",
    issued="2024-07-30",
    url="http://worldmetals.com.cn/viscms/bianjituijianxinwen1277/20240813/265165.html",
    valid_from=2026,
    valid_to=None,
    summary="“十五五”时期实施以强度控制为主、总量控制为辅的碳排放双控制度;碳达峰后实施以总量控制为主、强度控制为辅",
    main_before_peak=Indicator.CARBON_INTENSITY,
    auxiliary_before_peak=Indicator.CARBON_TOTAL,
    main_after_peak=Indicator.CARBON_TOTAL,
    auxiliary_after_peak=Indicator.CARBON_INTENSITY,
)


def default_rules() -> RuleSet:
    """The rules in force as of :data:`RULESET_VERSION`."""
    return RuleSet(version=RULESET_VERSION, renewable=RE_DEDUCTION_1258, feedstock=FEEDSTOCK_803,
                   incentive=INCENTIVE_1310, regimes=(REGIME_1310, REGIME_39))


# --------------------------------------------------------------------------------------------- data


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class YearFigures(_Model):
    """One year's figures of a region."""

    energy_tce: float = Field(ge=0, description="Total energy consumption, tce (equivalent basis of the statistics)")
    gdp_10k_yuan: float | None = Field(default=None, gt=0, description="GDP, 万元 at constant prices of the data's price base")
    renewable_electricity_tce: float | None = Field(
        default=None, ge=0, description="Renewable electricity consumed (wind, solar, hydro, biomass, geothermal power), tce")
    feedstock_tce: float | None = Field(default=None, ge=0, description="Feedstock energy (原料用能), tce")


class EnergyData(_Model):
    """A region's yearly figures and the price base of its GDP."""

    region: str | None = None
    gdp_price_base: int | None = Field(
        default=None, ge=1950, le=2100, description="Year whose prices the GDP is expressed in (e.g. 2020 for the 14th FYP)")
    years: dict[int, YearFigures]


class EnergyTargets(_Model):
    """Targets for the assessment of ``year`` against ``base_year``."""

    intensity_reduction_pct: float | None = Field(default=None, description="基本目标: required intensity reduction, %")
    intensity_reduction_incentive_pct: float | None = Field(default=None, description="激励目标: incentive reduction, %")
    total_cap_tce: float | None = Field(default=None, gt=0, description="Cap on the (adjusted) total in the year, tce")


class ControlRegime(_Model):
    """The main and auxiliary indicator in a year, and the rule that says so."""

    year: int
    main: Indicator
    auxiliary: Indicator
    rule_id: str
    document: str


class AppliedRule(_Model):
    """A rule the assessment applied (or skipped), with what it did."""

    id: str
    version: str
    document: str
    title: str
    url: str
    effect: str


class Assessment(_Model):
    """The energy dual-control assessment of ``year`` against ``base_year``.

    Energy figures in tce, GDP in 万元 at ``gdp_price_base`` prices, intensity in tce/万元,
    rates and growths in %. A positive ``intensity_reduction_pct`` means intensity fell.
    """

    region: str | None
    year: int
    base_year: int
    ruleset_version: str
    gdp_price_base: int | None
    total_tce: float
    base_total_tce: float
    renewable_deduction_tce: float
    base_renewable_deduction_tce: float
    feedstock_deduction_tce: float
    base_feedstock_deduction_tce: float
    total_adjusted_tce: float = Field(description="Total for the total-consumption assessment (both deductions)")
    base_total_adjusted_tce: float
    total_adjusted_growth_pct: float | None
    intensity_tce_per_10k_yuan: float | None = Field(description="(total − feedstock) / GDP; renewables stay in")
    base_intensity_tce_per_10k_yuan: float | None
    intensity_reduction_pct: float | None
    intensity_target_met: bool | None
    incentive_target_met: bool | None
    total_cap_met: bool | None
    total_exempt: bool
    control_regime: ControlRegime | None
    applied_rules: list[AppliedRule]
    skipped_rules: list[AppliedRule]
    notes: list[str]


def _ref(rule: PolicyRule, effect: str) -> AppliedRule:
    return AppliedRule(id=rule.id, version=rule.version, document=rule.document, title=rule.title, url=rule.url,
                       effect=effect)


def control_regime(year: int, *, peaked: bool = False, rules: RuleSet | None = None) -> ControlRegime | None:
    """The binding (main) and auxiliary indicator for ``year``.

    Parameters
    ----------
    year
        The assessment year.
    peaked
        Whether the region's emissions have peaked (国办发〔2024〕39号 switches to total control after the peak).
    rules
        The rule set (default :func:`default_rules`).

    Returns
    -------
    ControlRegime or None
        None for years no carried rule covers (before 2021).
    """
    rs = rules or default_rules()
    for r in rs.regimes:
        if r.applies(year):
            main, aux = ((r.main_after_peak, r.auxiliary_after_peak) if peaked
                         else (r.main_before_peak, r.auxiliary_before_peak))
            return ControlRegime(year=year, main=main, auxiliary=aux, rule_id=r.id, document=r.document)
    return None


def _year(data: EnergyData, year: int, what: str) -> YearFigures:
    try:
        return data.years[year]
    except KeyError:
        have = ", ".join(str(y) for y in sorted(data.years)) or "none"
        msg = f"no figures for the {what} {year}"
        raise InputError(msg, location=at(field=f"years.{year}"), hint=f"years given: {have}") from None


def assess_energy(year: int, base_year: int, data: EnergyData, targets: EnergyTargets,
                  rules: RuleSet | None = None, *, peaked: bool = False) -> Assessment:
    """Assess energy dual control for ``year`` against ``base_year``, applying the rules in force.

    Parameters
    ----------
    year
        The assessment year (e.g. 2025 for the 14th-FYP assessment).
    base_year
        The base year of the targets (e.g. 2020).
    data
        Yearly figures: energy in tce, GDP in 万元 at constant prices of ``data.gdp_price_base``.
    targets
        Intensity-reduction targets (%) and an optional total cap (tce).
    rules
        The rule set (default :func:`default_rules`).
    peaked
        Passed to :func:`control_regime`.

    Returns
    -------
    Assessment
        Totals raw and adjusted, intensity (tce/万元), reduction rate (%), target checks and the
        rules applied and skipped.

    Raises
    ------
    InputError
        A year is missing, or GDP is given without a price base (intensity at current prices or of
        an unknown base is refused).
    """
    if base_year >= year:
        msg = f"base_year {base_year} must be before the assessment year {year}"
        raise InputError(msg, location=at(field="base_year"))
    rs = rules or default_rules()
    cur, base = _year(data, year, "assessment year"), _year(data, base_year, "base year")
    applied: list[AppliedRule] = []
    skipped: list[AppliedRule] = []
    notes: list[str] = []
    re_ded, base_re_ded = _renewables(rs.renewable, data, year, base_year, applied, skipped)
    fs_ded, base_fs_ded = _feedstock(rs.feedstock, cur, base, year, base_year, applied, skipped)
    total_adj = cur.energy_tce - fs_ded - re_ded
    base_total_adj = base.energy_tce - base_fs_ded - base_re_ded
    growth = (total_adj / base_total_adj - 1.0) * 100.0 if base_total_adj > 0 else None
    intensity, base_intensity, reduction = _intensities(rs.feedstock, data, cur, base, fs_ded, base_fs_ded, notes)
    exempt = _incentive(rs.incentive, year, reduction, targets, applied, skipped)
    regime = _regime(rs, year, peaked, applied, notes)
    for r in (rs.renewable, rs.feedstock, rs.incentive):
        if not r.applies(year):
            skipped.append(_ref(r, f"{year}年不在适用期 ({r.valid_from}–{r.valid_to or ''}) — not in force for {year}"))
    return Assessment(
        region=data.region, year=year, base_year=base_year, ruleset_version=rs.version,
        gdp_price_base=data.gdp_price_base,
        total_tce=cur.energy_tce, base_total_tce=base.energy_tce,
        renewable_deduction_tce=re_ded, base_renewable_deduction_tce=base_re_ded,
        feedstock_deduction_tce=fs_ded, base_feedstock_deduction_tce=base_fs_ded,
        total_adjusted_tce=total_adj, base_total_adjusted_tce=base_total_adj, total_adjusted_growth_pct=growth,
        intensity_tce_per_10k_yuan=intensity, base_intensity_tce_per_10k_yuan=base_intensity,
        intensity_reduction_pct=reduction,
        intensity_target_met=_met(reduction, targets.intensity_reduction_pct),
        incentive_target_met=_met(reduction, targets.intensity_reduction_incentive_pct),
        total_cap_met=None if targets.total_cap_tce is None else total_adj <= targets.total_cap_tce,
        total_exempt=exempt, control_regime=regime, applied_rules=applied, skipped_rules=skipped, notes=notes,
    )


def _met(reduction: float | None, target: float | None) -> bool | None:
    return None if reduction is None or target is None else reduction >= target


def _renewables(rr: RenewableDeductionRule, data: EnergyData, year: int, base_year: int,
                applied: list[AppliedRule], skipped: list[AppliedRule]) -> tuple[float, float]:
    """1258号: renewables above the 2020 base come off the total only; the deductions of both years."""
    if not rr.applies(year):
        return 0.0, 0.0
    cur, base, ref = data.years[year], data.years[base_year], data.years.get(rr.base_year)
    if cur.renewable_electricity_tce is None or ref is None or ref.renewable_electricity_tce is None:
        skipped.append(_ref(rr, f"未适用:缺少{year}年或基年{rr.base_year}的可再生能源电力消费量 — not applied: renewable_electricity_tce "
                                f"missing for {year} or the base {rr.base_year}"))
        return 0.0, 0.0
    re_ded = rr.deduction(cur.renewable_electricity_tce, ref.renewable_electricity_tce)
    base_re_ded = 0.0
    if base_year != rr.base_year:
        if base.renewable_electricity_tce is None:
            msg = f"renewable_electricity_tce is needed for the base year {base_year} to apply {rr.document}"
            raise InputError(msg, location=at(field=f"years.{base_year}.renewable_electricity_tce"))
        base_re_ded = rr.deduction(base.renewable_electricity_tce, ref.renewable_electricity_tce)
    applied.append(_ref(rr, f"能耗总量扣除新增可再生能源电力消费 {re_ded:,.0f} tce ({year}) 和 {base_re_ded:,.0f} tce "
                            f"({base_year}),强度不扣除 — deducted from the totals (renewable electricity above "
                            f"{rr.base_year}); intensity unchanged"))
    return re_ded, base_re_ded


def _feedstock(fr: FeedstockDeductionRule, cur: YearFigures, base: YearFigures, year: int, base_year: int,
               applied: list[AppliedRule], skipped: list[AppliedRule]) -> tuple[float, float]:
    """803号: feedstock off both totals, GDP unchanged; the deductions of both years."""
    if not fr.applies(year):
        return 0.0, 0.0
    if cur.feedstock_tce is None or base.feedstock_tce is None:
        skipped.append(_ref(fr, f"未适用:缺少{year}年或{base_year}年的原料用能 — not applied: feedstock_tce missing"))
        return 0.0, 0.0
    fs_ded, base_fs_ded = cur.feedstock_tce, base.feedstock_tce
    applied.append(_ref(fr, f"扣除原料用能 {fs_ded:,.0f} tce ({year}) 和 {base_fs_ded:,.0f} tce ({base_year}),"
                            "总量和强度均扣除,GDP不变 — feedstock deducted from totals and intensity; GDP unchanged"))
    return fs_ded, base_fs_ded


def _intensities(fr: FeedstockDeductionRule, data: EnergyData, cur: YearFigures, base: YearFigures, fs_ded: float,
                 base_fs_ded: float, notes: list[str]) -> tuple[float | None, float | None, float | None]:
    """Intensity of the year and the base (net of the feedstock deducted) and the reduction, %."""
    if cur.gdp_10k_yuan is None or base.gdp_10k_yuan is None:
        notes.append("intensity not computed: GDP missing for the year or the base year")
        return None, None, None
    if data.gdp_price_base is None:
        msg = "GDP has no constant-price base; intensity from GDP of an unknown price base is refused"
        raise InputError(msg, location=at(field="gdp_price_base"),
                         hint="give gdp_price_base, the year whose prices the GDP series is in (e.g. 2020)")
    intensity = fr.intensity(cur.energy_tce, fs_ded, cur.gdp_10k_yuan)
    base_intensity = fr.intensity(base.energy_tce, base_fs_ded, base.gdp_10k_yuan)
    return intensity, base_intensity, fr.reduction_pct(intensity, base_intensity)


def _incentive(ir: IncentiveExemptionRule, year: int, reduction: float | None, targets: EnergyTargets,
               applied: list[AppliedRule], skipped: list[AppliedRule]) -> bool:
    """1310号: whether the total is exempt (the intensity reduction reached the incentive target)."""
    incentive = targets.intensity_reduction_incentive_pct
    if not ir.applies(year) or incentive is None:
        return False
    if reduction is None:
        skipped.append(_ref(ir, "未适用:缺少GDP,无法计算强度降低率 — not applied: no intensity reduction (GDP missing)"))
        return False
    exempt = ir.exempt(reduction, incentive)
    effect = (f"intensity fell {reduction:.2f} % ≥ 激励目标 {incentive:g} %: "
              "total consumption exempt from assessment") if exempt else (
        f"intensity fell {reduction:.2f} % < 激励目标 {incentive:g} %: total consumption assessed")
    applied.append(_ref(ir, effect))
    return exempt


def _regime(rs: RuleSet, year: int, peaked: bool, applied: list[AppliedRule], notes: list[str]) -> ControlRegime | None:
    """The control regime of ``year`` and the rule that sets it (a note when carbon binds)."""
    regime = control_regime(year, peaked=peaked, rules=rs)
    if regime is not None:
        rule = next(r for r in rs.regimes if r.id == regime.rule_id)
        applied.append(_ref(rule, f"主要指标 {regime.main.value},辅助指标 {regime.auxiliary.value} — main indicator {regime.main.value}, "
                                 f"auxiliary {regime.auxiliary.value}"))
        if regime.main in (Indicator.CARBON_INTENSITY, Indicator.CARBON_TOTAL):
            notes.append(f"from {rule.valid_from} carbon, not energy, is the binding indicator ({rule.document}); "
                         "this energy assessment is for information")
    return regime
