"""Policy rules: one worked case per rule, built from the rule text; the arithmetic is in each test."""

from __future__ import annotations

import pytest

from tanfeng.errors import InputError
from tanfeng.tracking.rules import (
    AppliedRule,
    EnergyData,
    EnergyTargets,
    Indicator,
    YearFigures,
    assess_energy,
    control_regime,
    default_rules,
)


def _ids(rules: list[AppliedRule]) -> set[str]:
    return {r.id for r in rules}


def test_every_rule_cites_its_document_and_source() -> None:
    rs = default_rules()
    docs = {rs.renewable.document, rs.feedstock.document, rs.incentive.document, *(r.document for r in rs.regimes)}
    assert docs == {"发改运行〔2022〕1258号", "发改环资〔2022〕803号", "发改环资〔2021〕1310号", "国办发〔2024〕39号"}
    for r in (rs.renewable, rs.feedstock, rs.incentive, *rs.regimes):
        assert r.url.startswith("http")
        assert r.summary


def test_1258_renewables_above_2020_come_off_the_total_not_the_intensity() -> None:
    # 1258号: 以2020年可再生能源电力消费量为基数,每年较上一年新增的可再生能源电力消费量在总量考核时扣除,但仍纳入强度考核.
    # 2020: E = 10,000, RE = 1,000, GDP = 5,000 (2020 prices). 2023: E = 11,000, RE = 1,600, GDP = 5,800.
    # Increases 2021–2023 accumulate to RE_2023 − RE_2020 = 600, so the assessed total is 11,000 − 600 = 10,400.
    # Intensity keeps the renewables: 11,000/5,800 = 1.896552 vs 10,000/5,000 = 2.0 → reduction 5.1724 %.
    data = EnergyData(gdp_price_base=2020, years={
        2020: YearFigures(energy_tce=10_000, gdp_10k_yuan=5_000, renewable_electricity_tce=1_000),
        2023: YearFigures(energy_tce=11_000, gdp_10k_yuan=5_800, renewable_electricity_tce=1_600),
    })
    a = assess_energy(2023, 2020, data, EnergyTargets())
    assert a.renewable_deduction_tce == pytest.approx(600)
    assert a.total_adjusted_tce == pytest.approx(10_400)
    assert a.base_total_adjusted_tce == pytest.approx(10_000)
    assert a.intensity_tce_per_10k_yuan == pytest.approx(11_000 / 5_800)
    assert a.intensity_reduction_pct == pytest.approx((1 - (11_000 / 5_800) / 2.0) * 100)
    assert a.intensity_reduction_pct == pytest.approx(5.1724, abs=1e-4)
    assert "re_deduction" in _ids(a.applied_rules)


def test_1258_does_not_apply_after_the_14th_fyp() -> None:
    # The notice covers "十四五" (2021–2025); 2026 gets no deduction and says why.
    data = EnergyData(gdp_price_base=2020, years={
        2020: YearFigures(energy_tce=10_000, gdp_10k_yuan=5_000, renewable_electricity_tce=1_000),
        2026: YearFigures(energy_tce=11_000, gdp_10k_yuan=6_000, renewable_electricity_tce=2_000),
    })
    a = assess_energy(2026, 2020, data, EnergyTargets())
    assert a.renewable_deduction_tce == 0
    assert a.total_adjusted_tce == 11_000
    assert "re_deduction" in _ids(a.skipped_rules)


def test_803_feedstock_comes_off_both_years_with_gdp_unchanged() -> None:
    # 803号: 计算能耗强度降低率时基年和目标年均扣除原料用能, GDP 不变.
    # 2020: E = 10,000, feedstock 1,000, GDP 5,000 → (10,000 − 1,000)/5,000 = 1.8
    # 2025: E = 11,000, feedstock 1,500, GDP 6,000 → (11,000 − 1,500)/6,000 = 1.583333
    # reduction = 1 − 1.583333/1.8 = 12.037 % (without the rule: 1 − (11,000/6,000)/2.0 = 8.333 %).
    data = EnergyData(gdp_price_base=2020, years={
        2020: YearFigures(energy_tce=10_000, gdp_10k_yuan=5_000, feedstock_tce=1_000),
        2025: YearFigures(energy_tce=11_000, gdp_10k_yuan=6_000, feedstock_tce=1_500),
    })
    a = assess_energy(2025, 2020, data, EnergyTargets(intensity_reduction_pct=12.0))
    assert a.base_intensity_tce_per_10k_yuan == pytest.approx(1.8)
    assert a.intensity_tce_per_10k_yuan == pytest.approx(9_500 / 6_000)
    assert a.intensity_reduction_pct == pytest.approx(12.037037, abs=1e-6)
    assert a.total_adjusted_tce == pytest.approx(9_500)
    assert a.base_total_adjusted_tce == pytest.approx(9_000)
    assert a.intensity_target_met is True
    assert "feedstock_deduction" in _ids(a.applied_rules)


def test_both_deductions_together_keep_renewables_in_intensity() -> None:
    # Total = E − feedstock − (RE − RE_2020) = 11,000 − 1,500 − 600 = 8,900; intensity uses 11,000 − 1,500 only.
    data = EnergyData(gdp_price_base=2020, years={
        2020: YearFigures(energy_tce=10_000, gdp_10k_yuan=5_000, renewable_electricity_tce=1_000, feedstock_tce=1_000),
        2025: YearFigures(energy_tce=11_000, gdp_10k_yuan=6_000, renewable_electricity_tce=1_600, feedstock_tce=1_500),
    })
    a = assess_energy(2025, 2020, data, EnergyTargets())
    assert a.total_adjusted_tce == pytest.approx(8_900)
    assert a.intensity_tce_per_10k_yuan == pytest.approx(9_500 / 6_000)


def test_1310_reaching_the_incentive_target_exempts_the_total() -> None:
    # 1310号: 能耗强度降低达到激励目标的,能源消费总量免予考核.
    # 2020: 10,000 / 5,000 = 2.0; 2025: 10,200 / 6,100 = 1.672131 → reduction 16.39 % ≥ 激励目标 16 %,
    # so a total of 10,200 above a cap of 10,100 is not assessed.
    data = EnergyData(gdp_price_base=2020, years={
        2020: YearFigures(energy_tce=10_000, gdp_10k_yuan=5_000),
        2025: YearFigures(energy_tce=10_200, gdp_10k_yuan=6_100),
    })
    targets = EnergyTargets(intensity_reduction_pct=14.0, intensity_reduction_incentive_pct=16.0, total_cap_tce=10_100)
    a = assess_energy(2025, 2020, data, targets)
    assert a.intensity_reduction_pct == pytest.approx((1 - (10_200 / 6_100) / 2.0) * 100)
    assert a.incentive_target_met is True
    assert a.total_cap_met is False
    assert a.total_exempt is True
    # Same region at 2025 GDP 6,000: 10,200/6,000 = 1.7 → reduction 15 % < 16 %: the total is assessed.
    data2 = EnergyData(gdp_price_base=2020, years={
        2020: YearFigures(energy_tce=10_000, gdp_10k_yuan=5_000),
        2025: YearFigures(energy_tce=10_200, gdp_10k_yuan=6_000),
    })
    b = assess_energy(2025, 2020, data2, targets)
    assert b.intensity_reduction_pct == pytest.approx(15.0)
    assert b.intensity_target_met is True
    assert b.total_exempt is False
    assert "incentive_exemption" in _ids(b.applied_rules)


def test_39_intensity_first_from_2026_total_first_after_the_peak() -> None:
    # 国办发〔2024〕39号: "十五五"时期以强度控制为主、总量控制为辅; 碳达峰后以总量控制为主、强度控制为辅.
    # Before 2026 the energy regime of 1310号: energy intensity binding, total managed flexibly.
    r2025 = control_regime(2025)
    assert r2025 is not None
    assert (r2025.main, r2025.auxiliary) == (Indicator.ENERGY_INTENSITY, Indicator.ENERGY_TOTAL)
    r2026 = control_regime(2026)
    assert r2026 is not None
    assert (r2026.main, r2026.auxiliary, r2026.document) == (
        Indicator.CARBON_INTENSITY, Indicator.CARBON_TOTAL, "国办发〔2024〕39号")
    r2031 = control_regime(2031, peaked=True)
    assert r2031 is not None
    assert (r2031.main, r2031.auxiliary) == (Indicator.CARBON_TOTAL, Indicator.CARBON_INTENSITY)
    assert control_regime(2019) is None


def test_intensity_without_a_price_base_is_refused() -> None:
    data = EnergyData(years={
        2020: YearFigures(energy_tce=10_000, gdp_10k_yuan=5_000),
        2025: YearFigures(energy_tce=11_000, gdp_10k_yuan=6_000),
    })
    with pytest.raises(InputError, match="price base") as exc:
        assess_energy(2025, 2020, data, EnergyTargets())
    assert exc.value.location is not None
    assert exc.value.location.field == "gdp_price_base"


def test_missing_year_names_the_field() -> None:
    data = EnergyData(gdp_price_base=2020, years={2020: YearFigures(energy_tce=1.0)})
    with pytest.raises(InputError, match="no figures for the assessment year 2025") as exc:
        assess_energy(2025, 2020, data, EnergyTargets())
    assert exc.value.location is not None
    assert exc.value.location.field == "years.2025"


def test_rule_without_its_data_is_listed_as_skipped() -> None:
    data = EnergyData(gdp_price_base=2020, years={
        2020: YearFigures(energy_tce=10_000, gdp_10k_yuan=5_000),
        2025: YearFigures(energy_tce=11_000, gdp_10k_yuan=6_000),
    })
    a = assess_energy(2025, 2020, data, EnergyTargets())
    assert {"re_deduction", "feedstock_deduction"} <= _ids(a.skipped_rules)
    assert a.total_adjusted_tce == 11_000


def test_803_arithmetic_lives_on_the_rule_object() -> None:
    # 803号 with E the total, F the feedstock, Y the GDP: assessed total E − F, intensity (E − F)/Y,
    # reduction (1 − I_t / I_base) × 100.
    # 2025: (11,000 − 1,500)/6,000 = 1.583333; 2020: (10,000 − 1,000)/5,000 = 1.8; 1 − 1.583333/1.8 = 12.037 %.
    fr = default_rules().feedstock
    assert fr.net_total(11_000, 1_500) == 9_500
    assert fr.intensity(11_000, 1_500, 6_000) == pytest.approx(1.583333, abs=1e-6)
    assert fr.reduction_pct(9_500 / 6_000, 1.8) == pytest.approx(12.037, abs=1e-3)
    assert fr.reduction_pct(1.0, 0.0) is None
