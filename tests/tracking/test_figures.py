"""A region's figures, its assessment and a target's track from the read model, without a database.

Worked case (hand arithmetic, 万tce and 亿元 at constant 2020 prices; 万tce / 亿元 = 10^4 tce / 10^4 万元 = tce/万元):

====  ======  =====  =========  =======
year  energy  GDP    feedstock  CO2
====  ======  =====  =========  =======
2020  10 000  5 000  1 000      30 000
2025  11 000  6 000  1 500      31 000
====  ======  =====  =========  =======

energy intensity 2025 = 11 000 / 6 000 = 1.833333 tce/万元; carbon intensity = 31 000 / 6 000 = 5.166667 tCO2/万元;
803号: (11 000 − 1 500) / 6 000 = 1.583333 against (10 000 − 1 000) / 5 000 = 1.8 → 12.04 % lower.
"""

from __future__ import annotations

import pytest

from tanfeng.errors import InputError
from tanfeng.plan.loader import load_builtin_plan
from tanfeng.tracking.figures import Figure, energy_data, ratio, region_figures, region_status, track_target
from tanfeng.tracking.series import IndicatorSeries, Observation, StoredInput

GDP = "亿元 (2020年不变价)"
R = "150000"


def _row(indicator: str, year: int, value: float, unit: str, *, sample: bool = False) -> StoredInput:
    return StoredInput(region=R, indicator=indicator, period=str(year), value=value, unit=unit,
                       source=f"src-{indicator}", certainty="P", sample=sample)


def _series(*, sample_co2: bool = False, gdp_unit: str = GDP) -> IndicatorSeries:
    rows = []
    for year, (e, g, f, c) in {2020: (10_000, 5_000, 1_000, 30_000), 2025: (11_000, 6_000, 1_500, 31_000)}.items():
        rows += [_row("energy_consumption", year, e, "万tce"), _row("gdp", year, g, gdp_unit),
                 _row("feedstock_energy", year, f, "万tce"), _row("co2_emissions", year, c, "万tCO2", sample=sample_co2)]
    rows.append(_row("non_fossil_energy_share", 2025, 18.5, "%"))
    return IndicatorSeries.merge(rows, [], {})


def _by_id(figs: list[Figure], indicator: str) -> Figure:
    return next(f for f in figs if f.indicator == indicator)


def test_intensities_go_through_the_unit_registry() -> None:
    figs = region_figures(_series(), R, 2025)
    ei = _by_id(figs, "energy_intensity")
    assert ei.value == pytest.approx(1.833333, abs=1e-6)
    assert ei.unit == "tce/万元"
    assert ei.note == "万tce / 亿元 = tce/万元"
    assert ei.source.startswith("计算: 能源消费总量 / 地区生产总值 (2020年不变价); src-energy_consumption; src-gdp")
    ci = _by_id(figs, "carbon_intensity")
    assert ci.value == pytest.approx(5.166667, abs=1e-6)
    assert ci.certainty == "R"
    assert _by_id(figs, "non_fossil_energy_share").value == 18.5
    assert _by_id(figs, "coal_consumption_share").value is None
    assert _by_id(figs, "energy_consumption").label == "能源消费总量"


def test_ratio_converts_scaled_units() -> None:
    # 1.1e8 tce / 6e7 万元 = 1.833333 tce/万元, whatever the spelling of the inputs
    num = Observation(110_000_000, "tce", "", "P", False, "indicator_values")
    den = Observation(6_000, "亿元 (2020年不变价)", "", "P", False, "indicator_values")
    assert ratio(num, den, "吨标准煤/万元") == pytest.approx(1.833333, abs=1e-6)


def test_a_missing_input_gives_no_intensity_and_says_why() -> None:
    figs = region_figures(_series(), R, 2024)
    assert _by_id(figs, "energy_intensity").value is None
    assert _by_id(figs, "energy_intensity").note == "energy or GDP missing"
    assert _by_id(figs, "carbon_intensity").note == "CO2 or GDP missing"


def test_sample_inputs_mark_the_computed_figure_sample() -> None:
    figs = region_figures(_series(sample_co2=True), R, 2025)
    assert _by_id(figs, "carbon_intensity").sample is True
    assert _by_id(figs, "energy_intensity").sample is False


def test_energy_data_is_in_tce_and_10k_yuan() -> None:
    data = energy_data(_series(), R, (2020, 2025))
    assert data.gdp_price_base == 2020
    assert data.years[2025].energy_tce == pytest.approx(110_000_000)  # 11 000 万tce
    assert data.years[2025].gdp_10k_yuan == pytest.approx(60_000_000)  # 6 000 亿元 = 6e7 万元
    assert data.years[2020].feedstock_tce == pytest.approx(10_000_000)
    assert data.years[2020].renewable_electricity_tce is None


def test_region_status_applies_803_against_2020() -> None:
    plan = load_builtin_plan("im2022").model_copy(update={"targets": []})
    st = region_status(_series(), plan, R, 2025)
    assert st.gdp_price_base == 2020
    assessed = _by_id(st.figures, "energy_intensity_assessed")
    assert assessed.value == pytest.approx(1.583333, abs=1e-6)
    assert assessed.note == "比2020年下降 12.04%"
    assert st.figures[-1].indicator == "energy_intensity_assessed"
    assert st.assessment is not None
    assert st.assessment.intensity_reduction_pct == pytest.approx((1 - (9_500 / 6_000) / 1.8) * 100)
    assert any(r.startswith("feedstock_deduction (发改环资〔2022〕803号)") for r in st.rules_applied)
    assert any(r.startswith("re_deduction") for r in st.rules_skipped)
    assert st.name == "内蒙古自治区"


def test_no_assessment_for_the_base_year() -> None:
    plan = load_builtin_plan("im2022").model_copy(update={"targets": []})
    st = region_status(_series(), plan, R, 2020)
    assert st.assessment is None
    assert st.notes == ["no assessment against 2020 for 2020: the rules assess years after the base year"]


def test_gdp_without_a_price_base_refuses_the_figures() -> None:
    with pytest.raises(InputError, match="constant-price base"):
        region_figures(_series(gdp_unit="亿元"), R, 2025)


def test_track_target_uses_the_latest_value_up_to_the_year() -> None:
    # non_fossil_energy_share: the plan's 2025 target is 18 % (主要目标); baseline 2020 = 10 %, 2024 = 16 %
    plan = load_builtin_plan("im2022")
    t = next(t for t in plan.targets if t.indicator_id == "non_fossil_energy_share" and t.year == 2025)
    s = IndicatorSeries.merge([_row("non_fossil_energy_share", 2020, 10.0, "%"),
                               _row("non_fossil_energy_share", 2024, 16.0, "%")], [], {})
    track = track_target(t, s, R, 2025)
    assert (track.actual_year, track.actual, track.baseline_value) == (2024, 16.0, 10.0)
    assert track.series == [(2020, 10.0), (2024, 16.0)]
    assert track.source == "src-non_fossil_energy_share"
    empty = track_target(t, IndicatorSeries({}), R, 2025)
    assert empty.status == "no_data"
    assert empty.note == "no value for the baseline year 2020"
