"""The indicator read model without a database: merge priority, yearly series, GDP price base, changes."""

from __future__ import annotations

import pytest

from tanfeng.errors import InputError, NotFoundError
from tanfeng.tracking.series import (
    IndicatorSeries,
    Observation,
    StatisticInput,
    StoredInput,
    price_base,
    sources,
)

GDP = "亿元 (2020年不变价)"


def _stored(region: str, indicator: str, period: str, value: float, unit: str = "%", *, sample: bool = False,
            source: str = "entered") -> StoredInput:
    return StoredInput(region=region, indicator=indicator, period=period, value=value, unit=unit, source=source,
                       certainty="R" if sample else "P", sample=sample)


def _stat(region: str, indicator: str, year: int, value: float, source: str,
          period: str | None = None) -> StatisticInput:
    return StatisticInput(region=region, indicator=indicator, year=year, period=period, value=value, unit="%",
                          source=source, certainty="P")


ALIASES = {"energy_intensity_change_vs_prev_year": "energy_intensity_change_vs_prev_year",
           "non_fossil_share_energy_consumption": "non_fossil_energy_share"}


def test_a_real_statistic_wins_over_a_stored_value_of_the_same_key() -> None:
    # the sample says +5.0 % for 2020; NBS/NDRC/NEA 2021-08-23 published +6.89 %: the statistic is used
    s = IndicatorSeries.merge(
        [_stored("150000", "energy_intensity_change_vs_prev_year", "2020", 5.0, sample=True)],
        [_stat("150000", "energy_intensity_change_vs_prev_year", 2020, 6.89, "NBS 2021-08-23")], ALIASES)
    got = s.at("150000", "energy_intensity_change_vs_prev_year", 2020)
    assert got == Observation(6.89, "%", "NBS 2021-08-23", "P", False, "reference_statistics")


def test_the_first_statistic_of_a_key_wins_and_aliases_rename_it() -> None:
    s = IndicatorSeries.merge([], [_stat("150000", "non_fossil_share_energy_consumption", 2019, 8.1, "first"),
                                   _stat("150000", "non_fossil_share_energy_consumption", 2019, 9.9, "second"),
                                   _stat("150000", "unrelated_statistic", 2019, 1.0, "other")], ALIASES)
    assert s.at("150000", "non_fossil_energy_share", 2019) is not None
    assert s.at("150000", "non_fossil_energy_share", 2019).value == 8.1  # type: ignore[union-attr]
    assert [k for k, _ in s.items()] == [("150000", "non_fossil_energy_share", "2019")]


def test_stored_values_are_kept_where_no_statistic_exists_and_regions_filter() -> None:
    s = IndicatorSeries.merge([_stored("150100", "energy_consumption", "2021", 100.0, "万tce"),
                               _stored("150200", "energy_consumption", "2021", 200.0, "万tce")],
                              [_stat("150200", "energy_intensity_change_vs_prev_year", 2021, -3.0, "x")],
                              ALIASES, regions=["150100"])
    assert [k for k, _ in s.items()] == [("150100", "energy_consumption", "2021")]


def test_annual_keeps_plain_years_only_in_order() -> None:
    s = IndicatorSeries.merge([_stored("150000", "gdp", p, v, GDP) for p, v in
                               (("2022", 3.0), ("2020", 1.0), ("2021Q3", 9.0), ("2021", 2.0))], [], ALIASES)
    assert {y: o.value for y, o in s.annual("150000", "gdp").items()} == {2020: 1.0, 2021: 2.0, 2022: 3.0}
    assert list(s.annual("150000", "gdp")) == [2020, 2021, 2022]


def test_gdp_at_constant_2020_prices_is_accepted_with_its_base() -> None:
    s = IndicatorSeries.merge([_stored("150000", "gdp", "2020", 17360.0, GDP),
                               _stored("150000", "gdp", "2021", 18453.7, GDP)], [], ALIASES)
    gdp, base = s.gdp("150000")
    assert base == 2020
    assert [o.value for o in gdp.values()] == [17360.0, 18453.7]
    assert s.gdp("150900") == ({}, None)  # no GDP: nothing to refuse


@pytest.mark.parametrize(("units", "match"), [
    (["亿元", GDP], "no constant-price base"),
    (["亿元 (2015年不变价)", GDP], "mixes price bases"),
    (["亿元 (2015年不变价)", "亿元 (2015年不变价)"], "at 2015 prices"),
])
def test_gdp_of_no_mixed_or_another_price_base_is_refused(units: list[str], match: str) -> None:
    s = IndicatorSeries.merge([_stored("150000", "gdp", str(2020 + i), 1.0, u) for i, u in enumerate(units)], [],
                              ALIASES)
    with pytest.raises(InputError, match=match) as err:
        s.gdp("150000")
    assert err.value.location is not None
    assert err.value.location.field == "gdp_price_base"


def test_price_base_reads_the_year_from_the_unit() -> None:
    assert price_base("亿元 (2020年不变价)") == 2020
    assert price_base("亿元(2015 年 不变价)") == 2015
    assert price_base("亿元") is None


def test_change_is_the_stored_one_else_computed_from_levels_over_gdp() -> None:
    # energy 2020 = 100, 2021 = 105 (万tce); GDP 2020 = 50, 2021 = 52.5 (亿元, 2020 prices)
    # intensity 2.0 → 2.0: change (2.0 / 2.0 − 1) × 100 = 0 %
    # CO2 2020 = 300, 2021 = 309 → 6.0 → 5.885714: change (5.885714 / 6 − 1) × 100 = −1.9048 %
    rows = [_stored("150000", "energy_consumption", "2020", 100, "万tce", sample=True, source="示例"),
            _stored("150000", "energy_consumption", "2021", 105, "万tce", sample=True, source="示例"),
            _stored("150000", "co2_emissions", "2020", 300, "万tCO2"),
            _stored("150000", "co2_emissions", "2021", 309, "万tCO2"),
            _stored("150000", "gdp", "2020", 50, GDP), _stored("150000", "gdp", "2021", 52.5, GDP),
            _stored("150000", "carbon_intensity_change_vs_prev_year", "2022", -4.0)]
    s = IndicatorSeries.merge(rows, [], ALIASES)
    e = s.change("150000", "energy_intensity_change_vs_prev_year", "energy_consumption", 2021)
    assert e is not None
    assert e.value == pytest.approx(0.0)
    assert (e.sample, e.certainty, e.source) == (True, "R", "计算: 示例; entered")
    c = s.change("150000", "carbon_intensity_change_vs_prev_year", "co2_emissions", 2021)
    assert c is not None
    assert c.value == pytest.approx(-1.9048, abs=1e-4)
    assert c.sample is False
    stored = s.change("150000", "carbon_intensity_change_vs_prev_year", "co2_emissions", 2022)
    assert stored is not None
    assert stored.value == -4.0
    assert s.change("150000", "energy_intensity_change_vs_prev_year", "energy_consumption", 2020) is None


def test_latest_year_is_that_of_energy_consumption_or_not_found() -> None:
    s = IndicatorSeries.merge([_stored("150100", "energy_consumption", "2023", 1.0, "万tce"),
                               _stored("150000", "energy_consumption", "2024", 1.0, "万tce"),
                               _stored("150000", "gdp", "2025", 1.0, GDP)], [], ALIASES)
    assert s.latest_year() == 2024
    with pytest.raises(NotFoundError):
        IndicatorSeries({}).latest_year()


def test_sources_are_distinct_in_order() -> None:
    a = Observation(1.0, "%", "A", "P", False, "indicator_values")
    b = Observation(2.0, "%", "B", "P", False, "indicator_values")
    assert sources(a, None, b, a) == "A; B"
