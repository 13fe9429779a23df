"""CEADs inventories in the indicator read model, without a database: unit conversion of statistics, the
priority of the province's energy-activity series over the scope-1 total, and carbon-intensity changes that
agree with the levels shown.

Published figures: CEADs provincial inventory of Inner Mongolia, 2019 (Shan et al. 2020 Sci. Data 7:54;
``reference/data/ceads/im_ceads_province_co2_totals_1997_2019.csv``): scope-1 total 794.279 MtCO2, of which
cement process 9.816 MtCO2; coal 747.514 + oil 28.073 + natural gas 8.876 = 784.463 MtCO2 energy activity.
"""

from __future__ import annotations

import pytest

from tanfeng.errors import InputError
from tanfeng.reference import ceads
from tanfeng.tracking.series import IndicatorSeries, StatisticInput, StoredInput

ALIASES = {"co2_emissions_ceads_energy": "co2_emissions", "co2_emissions_ceads": "co2_emissions"}
UNITS = {"co2_emissions": "万tCO2", "gdp": "亿元 (2020年不变价)"}
FILE = "reference/data/statistics/ceads_co2_totals_1997_2019.csv"
GDP = "亿元 (2020年不变价)"


def _stat(indicator: str, year: int, value: float, *, region: str = "150000", unit: str = "MtCO2",
          note: str | None = None) -> StatisticInput:
    return StatisticInput(region=region, indicator=indicator, year=year, period=None, value=value, unit=unit,
                          source=f"CEADs {indicator}", certainty="P", note=note, file=FILE)


def _sample(indicator: str, year: int, value: float, unit: str, region: str = "150000") -> StoredInput:
    return StoredInput(region=region, indicator=indicator, period=str(year), value=value, unit=unit,
                       source="示例数据", certainty="R", sample=True)


def test_a_statistic_is_converted_to_the_indicators_unit_and_keeps_the_published_one() -> None:
    # 794.279 MtCO2 = 794.279 × 10^6 t / 10^4 t = 79 427.9 万tCO2
    s = IndicatorSeries.merge([], [_stat("co2_emissions_ceads", 2019, 794.279, note="scope-1")], ALIASES,
                              units=UNITS)
    got = s.at("150000", "co2_emissions", 2019)
    assert got is not None
    assert (got.value, got.unit, got.origin, got.sample) == (pytest.approx(79427.9), "万tCO2",
                                                             "reference_statistics", False)
    assert got.note == "scope-1; published 794.279 MtCO2 (co2_emissions_ceads) → 79427.9 万tCO2"


def test_a_statistic_in_a_unit_that_does_not_convert_is_refused_naming_file_indicator_and_unit() -> None:
    with pytest.raises(InputError) as e:
        IndicatorSeries.merge([], [_stat("co2_emissions_ceads", 2019, 794.279, unit="万tce")], ALIASES,
                              units=UNITS)
    text = str(e.value)
    assert FILE in text
    assert "co2_emissions_ceads" in text
    assert "'万tce'" in text
    assert "'万tCO2'" in text


def test_the_energy_activity_series_wins_over_the_scope1_total_whatever_the_order() -> None:
    stats = [_stat("co2_emissions_ceads", 2019, 794.279), _stat("co2_emissions_ceads_energy", 2019, 784.463)]
    for given in (stats, list(reversed(stats))):
        got = IndicatorSeries.merge([], given, ALIASES, units=UNITS).at("150000", "co2_emissions", 2019)
        assert got is not None
        assert got.value == pytest.approx(78446.3)  # 784.463 MtCO2 × 100 万t per Mt


def test_the_shipped_energy_series_is_the_scope1_total_minus_cement_process() -> None:
    # CEADs 2019: 794.279 − 9.816 = 784.463 MtCO2 (rounded totals file); the inventory gives 784.463751
    assert ceads.province_energy_co2()[2019] == pytest.approx(794.279 - 9.816, abs=1e-3)
    # 2015: 601.546 scope-1, and the province is below the leagues' 827 Mt: never their sum
    assert ceads.province_energy_co2()[2015] < 601.546


def _levels(sample_years: dict[int, float]) -> list[StoredInput]:
    rows = [_sample("gdp", y, 1000.0 + 10 * (y - 2015), GDP) for y in range(2015, 2021)]
    rows += [_sample("co2_emissions", y, v, "万tCO2") for y, v in sample_years.items()]
    rows += [_sample("carbon_intensity_change_vs_prev_year", y, -9.0, "%") for y in range(2016, 2021)]
    return rows


def test_the_carbon_intensity_change_is_computed_from_ceads_levels_where_both_years_are_ceads() -> None:
    stored = _levels(dict.fromkeys(range(2015, 2021), 50000.0))
    stats = [_stat("co2_emissions_ceads_energy", 2018, 714.698491), _stat("co2_emissions_ceads_energy", 2019,
                                                                          784.463751)]
    s = IndicatorSeries.merge(stored, stats, ALIASES, units=UNITS)
    got = s.change("150000", "carbon_intensity_change_vs_prev_year", "co2_emissions", 2019)
    assert got is not None
    # (78446.3751 / 1040) / (71469.8491 / 1030) − 1 = +8.7063 %; not the sample's −9.0 %
    assert got.value == pytest.approx(((78446.3751 / 1040) / (71469.8491 / 1030) - 1) * 100, abs=1e-4)
    assert got.sample is True  # the GDP is the sample's
    assert got.note is not None
    assert "levels shown" in got.note


def test_the_sample_change_stays_and_says_so_when_the_year_before_is_not_ceads() -> None:
    stored = _levels(dict.fromkeys(range(2015, 2021), 50000.0))
    s = IndicatorSeries.merge(stored, [_stat("co2_emissions_ceads_energy", 2019, 784.463751)], ALIASES,
                              units=UNITS)
    got = s.change("150000", "carbon_intensity_change_vs_prev_year", "co2_emissions", 2019)
    assert got is not None
    assert (got.value, got.sample) == (-9.0, True)
    assert got.note is not None
    assert "sample's change" in got.note
    # a year whose level is the sample's keeps the stored change untouched
    later = s.change("150000", "carbon_intensity_change_vs_prev_year", "co2_emissions", 2020)
    assert later is not None
    assert (later.value, later.note) == (-9.0, None)
