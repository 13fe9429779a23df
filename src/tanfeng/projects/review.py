"""节能审查 of one project: the review level, the impact on the league's dual control, efficiency, CO2.

Level (thresholds from the rules file, energy at the 当量值 ``E``, electricity ``W`` in 万kWh)
-----------------------------------------------------------------------------------------------
=============  =============================================================================
``exempt``     the project type is on the published exempt list, or ``E < no_review_tce`` and
               ``W < no_review_electricity_10k_kwh`` (both)
``region``     ``E ≥ region_tce`` (10,000 tce, the 2023 order)
``league``     ``league_tce ≤ E < region_tce`` (the middle band, a configured assumption)
``county``     the rest
=============  =============================================================================

Impact (m and n, 节能评估指南; see docs/projects.md for the worked case)
------------------------------------------------------------------------
``d`` = project energy at the 等价值 minus feedstock, ``e`` = its value added (万元); ``a``, ``b`` = the
league's energy (tce) and GDP (万元) of the base year, ``c = a / b``.

* m = d / room × 100, where room is the league's remaining increment room (increment cap minus the
  increase used) or the cap itself (``m_basis``);
* n = ((a + d) / (b + e) − c) / c × 100 (negative when the project is less energy-intensive than the
  league: it then falls in the first class);
* each is placed in the five classes (upper bounds inclusive), and the overall class is the worse one.

The same n form with CO2 in place of energy gives the carbon-intensity effect (国办发〔2024〕39号).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tanfeng.projects.registry import Project, is_exempt_type, two_high_industry
from tanfeng.projects.rules import ImpactClass, ReviewRules
from tanfeng.units import readable_number

__all__ = [
    "CO2Fn",
    "EfficiencyFn",
    "LeagueContext",
    "Level",
    "Review",
    "RuleRef",
    "class_of",
    "impact_class",
    "intensity_effect_pct",
    "review",
    "review_level",
    "specific_figures",
]

Level = Literal["region", "league", "county", "exempt"]


class RuleRef(BaseModel):
    """A rule applied, with its document."""

    model_config = ConfigDict(extra="forbid")

    id: str
    document: str


class LeagueContext(BaseModel):
    """What the review needs of the league: totals of the base year, the room, the warning level.

    ``energy_tce`` and ``gdp_10k_yuan`` are ``a`` and ``b``; ``co2_t`` the league's CO2; the room is
    ``increment_cap_tce − used_increment_tce``. ``intensity_warning_level`` is the 629号 level (1, 2, 3) or
    None when unknown. ``sources`` name where each figure came from.
    """

    model_config = ConfigDict(extra="forbid")

    league: str
    name: str = ""
    year: int
    energy_tce: float | None
    gdp_10k_yuan: float | None
    co2_t: float | None = None
    increment_cap_tce: float | None = None
    used_increment_tce: float = 0.0
    intensity_warning_level: int | None = None
    sources: list[str] = []
    sources_zh: list[str] = []
    """``sources`` for Chinese pages (the Chinese column of a data file where it has one)."""
    sample: bool = False


class Review(BaseModel):
    """A review: the issue's fields first, then the reasoning."""

    model_config = ConfigDict(extra="forbid")

    project: str
    level: Level
    impact_class: str | None
    increment_share_pct: float | None
    intensity_effect_pct: float | None
    co2_t: float
    efficiency_level: str | None
    suspended: bool
    rules: list[RuleRef]
    impact_class_id: str | None = None
    m_class: str | None = None
    n_class: str | None = None
    carbon_intensity_effect_pct: float | None = None
    remaining_room_tce: float | None = None
    specific_energy: float | None = None
    specific_energy_unit: str | None = None
    two_high: str | None = None
    window_guidance: bool = False
    consequence: str | None = None
    reasons: list[str] = []
    rules_version: str = ""
    rules_sha256: str = ""
    sample: bool = False

    def summary(self) -> dict[str, object]:
        """The shape ``tanfeng projects review --format json`` prints (and the API returns)."""
        keys = ("project", "level", "impact_class", "increment_share_pct", "intensity_effect_pct", "co2_t",
                "efficiency_level", "suspended", "rules")
        return self.model_dump(mode="json", include=set(keys))


def review_level(project: Project, rules: ReviewRules) -> tuple[Level, str]:
    """The review level and the reason (see the module table)."""
    t = rules.thresholds
    e, w = project.energy_equal_tce, project.electricity_10k_kwh
    if is_exempt_type(project.project_type, rules):
        return "exempt", f"类型“{project.project_type}”在不单独进行节能审查的项目类型目录中"
    if e < t.no_review_tce.value and w < t.no_review_electricity_10k_kwh.value:
        return "exempt", (f"年综合能耗 {readable_number(e)} tce < {readable_number(t.no_review_tce.value)} tce 且年电力消费 {readable_number(w)} 万kWh < "
                          f"{readable_number(t.no_review_electricity_10k_kwh.value)} 万kWh: 不单独进行节能审查")
    if e >= t.region_tce.value:
        return "region", f"年综合能耗(当量值) {readable_number(e)} tce ≥ {readable_number(t.region_tce.value)} tce: 由自治区节能审查机关审查"
    if e >= t.league_tce.value:
        return "league", (f"{readable_number(t.league_tce.value)} tce ≤ 年综合能耗(当量值) {readable_number(e)} tce < {readable_number(t.region_tce.value)} tce: "
                          "由盟市审查 (本地假设的中间档)")
    return "county", f"年综合能耗(当量值) {readable_number(e)} tce < {readable_number(t.league_tce.value)} tce: 由旗县审查 (本地假设)"


def intensity_effect_pct(a: float, b: float, d: float, e: float) -> float:
    """n = ((a + d) / (b + e) − c) / c × 100 with c = a / b (see the module docstring)."""
    c = a / b
    return ((a + d) / (b + e) - c) / c * 100.0


def class_of(value: float, rules: ReviewRules, *, kind: Literal["m", "n"]) -> ImpactClass:
    """The class whose upper bound (inclusive) first holds ``value``; values ≤ 0 are in the first class."""
    for cls in rules.impact_classes.classes:
        bound = cls.m_max if kind == "m" else cls.n_max
        if bound is None or value <= bound:
            return cls
    return rules.impact_classes.classes[-1]  # pragma: no cover - the last class has no bound


def impact_class(m: float | None, n: float | None, rules: ReviewRules) -> ImpactClass | None:
    """The worse of the m and n classes (either may be unknown; None when both are)."""
    order = [c.id for c in rules.impact_classes.classes]
    found = [class_of(m, rules, kind="m")] if m is not None else []
    if n is not None:
        found.append(class_of(n, rules, kind="n"))
    return max(found, key=lambda c: order.index(c.id)) if found else None


CO2Fn = Callable[[Project, int], float]
EfficiencyFn = Callable[[str, dict[str, float]], tuple[str, float | None, str]]


def specific_figures(project: Project) -> dict[str, float]:
    """The project's specific use per unit of output in the units the levels file uses: ``kgce/t`` (等价值
    energy × 1000 / output) and ``kWh/t`` (electricity × 10⁴ / output); empty without product and output."""
    if project.product is None or not project.output:
        return {}
    return {"kgce/t": project.energy_equiv_tce * 1000.0 / project.output,
            "kWh/t": project.electricity_10k_kwh * 1e4 / project.output}


def _impact(project: Project, ctx: LeagueContext, rules: ReviewRules, out: dict[str, object],
            reasons: list[str]) -> None:
    d = project.energy_equiv_tce - project.feedstock_tce
    basis = rules.impact_classes.m_basis
    m: float | None = None
    if ctx.increment_cap_tce is not None:
        room = ctx.increment_cap_tce - (ctx.used_increment_tce if basis == "remaining_room" else 0.0)
        out["remaining_room_tce"] = round(ctx.increment_cap_tce - ctx.used_increment_tce, 1)
        if room <= 0:
            m = float("inf") if d > 0 else 0.0
            reasons.append(f"m: 盟市剩余用能增量空间 {readable_number(room)} tce ≤ 0, 任何新增用能均为决定性影响")
        else:
            m = d / room * 100.0
            reasons.append(f"m = d / {'剩余空间' if basis == 'remaining_room' else '增量控制数'} = {readable_number(d)} / {readable_number(room)} "
                           f"× 100 = {m:.3f} %")
    else:
        reasons.append("m: 盟市用能增量控制数未知, 不计算")
    n: float | None = None
    if ctx.energy_tce and ctx.gdp_10k_yuan and project.value_added_10k_yuan is not None:
        a, b, e = ctx.energy_tce, ctx.gdp_10k_yuan, project.value_added_10k_yuan
        n = intensity_effect_pct(a, b, d, e)
        reasons.append(f"n = ((a+d)/(b+e) − c)/c × 100, a={readable_number(a)} tce, b={readable_number(b)} 万元, c={a / b:.6f} tce/万元, "
                       f"d={readable_number(d)} tce, e={readable_number(e)} 万元 → n = {n:.4f} %")
    else:
        reasons.append("n: 盟市能耗或GDP, 或项目增加值未知, 不计算")
    cls = impact_class(m, n, rules)
    out["increment_share_pct"] = None if m is None else (round(m, 4) if m != float("inf") else None)
    out["intensity_effect_pct"] = None if n is None else round(n, 4)
    out["m_class"] = class_of(m, rules, kind="m").label if m is not None else None
    out["n_class"] = class_of(n, rules, kind="n").label if n is not None else None
    out["impact_class"] = cls.label if cls else None
    out["impact_class_id"] = cls.id if cls else None
    if cls is not None:
        reasons.append(f"影响等级取 m 档 ({out['m_class']}) 与 n 档 ({out['n_class']}) 中较重者: {cls.label}")


def review(project: Project, ctx: LeagueContext, rules: ReviewRules, *, co2: CO2Fn,
           efficiency: EfficiencyFn | None = None) -> Review:
    """Review ``project`` against its league (see the module docstring).

    Parameters
    ----------
    co2
        CO2 (t) of the project's fuel and electricity for a data year (the accounting engine).
    efficiency
        ``(product, {unit: specific}) → (position, specific used, its unit)`` against 标杆/基准 (the
        benchmarks module); the figures are :func:`specific_figures`.
    """
    reasons: list[str] = []
    refs = [RuleRef(id="review_level", document=rules.cite("order_2023_2"))]
    level, why = review_level(project, rules)
    reasons.append(why)
    if level == "exempt" and is_exempt_type(project.project_type, rules):
        refs.append(RuleRef(id="exempt_types", document=rules.cite(rules.exempt_types.document)))
    out: dict[str, object] = {}
    _impact(project, ctx, rules, out, reasons)
    refs.append(RuleRef(id="impact_mn", document=rules.cite(rules.impact_classes.document)))
    refs.append(RuleRef(id="impact_combine", document=rules.cite(rules.impact_classes.combine_document)))
    tco2 = co2(project, ctx.year)
    if ctx.co2_t and ctx.gdp_10k_yuan and project.value_added_10k_yuan is not None:
        out["carbon_intensity_effect_pct"] = round(
            intensity_effect_pct(ctx.co2_t, ctx.gdp_10k_yuan, tco2, project.value_added_10k_yuan), 4)
        reasons.append(f"碳排放强度影响 (同 n 公式, 以CO2代替能耗): {out['carbon_intensity_effect_pct']} %")
    refs.append(RuleRef(id="carbon_assessment", document=rules.cite(rules.carbon.document)))
    eff: str | None = None
    if project.product is not None and project.output and efficiency is not None:
        eff, spec, unit = efficiency(project.product, specific_figures(project))
        out["specific_energy"] = None if spec is None else round(spec, 3)
        out["specific_energy_unit"] = unit
        reasons.append(f"单位产品能耗 {spec if spec is None else round(spec, 1)} {unit}: {eff}")
        refs.append(RuleRef(id="efficiency_levels", document=rules.cite(rules.efficiency.document)))
    th = two_high_industry(project.industry, rules)
    window = th is not None and project.energy_equiv_tce >= rules.thresholds.window_guidance_tce.value
    if th is not None:
        refs.append(RuleRef(id="two_high_scope", document=rules.cite(rules.two_high.document)))
    if window:
        refs.append(RuleRef(id="window_guidance", document=rules.cite(rules.thresholds.window_guidance_tce.document)))
        reasons.append(f"两高项目新增能耗 ≥ {readable_number(rules.thresholds.window_guidance_tce.value)} tce: 报国家窗口指导")
    suspended = (th is not None and not project.national_major and level != "exempt"
                 and ctx.intensity_warning_level == rules.suspension.warning_level)
    consequence = None
    if suspended:
        consequence = rules.suspension.consequence
        refs.append(RuleRef(id="suspension_629", document=rules.cite(rules.suspension.document)))
        reasons.append(f"盟市能耗强度 {rules.suspension.warning_level} 级预警, 两高项目: 审查暂停 — {consequence}")
    return Review(project=project.code, level=level, co2_t=round(tco2, 1), efficiency_level=eff, suspended=suspended,
                  rules=refs, two_high=th, window_guidance=window, consequence=consequence, reasons=reasons,
                  rules_version=rules.version, rules_sha256=rules.sha256, sample=project.sample or ctx.sample,
                  **out)
