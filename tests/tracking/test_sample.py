"""The sample generator: deterministic, consistent (leagues add up to the region), anchored, mixed."""

from __future__ import annotations

import pytest

from tanfeng.plan.loader import load_builtin_plan
from tanfeng.reference.regions import load_statistics
from tanfeng.tracking.sample import (
    ADDITIVE,
    ANCHORS,
    ENERGY_INCREASE_2015_2019,
    INTENSITY_RISE_2015_2019_PCT,
    LEAGUES,
    REGION,
    SHARES,
    YEARS,
    SampleRow,
    generate_sample,
    intensity_status,
    sample_source,
    series,
)


@pytest.fixture(scope="module")
def rows() -> list[SampleRow]:
    return generate_sample()


def test_same_seed_same_rows_other_seed_other_rows() -> None:
    a, b, c = generate_sample(7), generate_sample(7), generate_sample(8)
    assert a == b
    assert a != c


def test_every_row_is_marked_sample(rows: list[SampleRow]) -> None:
    assert rows
    for r in rows:
        assert r.sample is True
        assert r.source == sample_source(2025) == "示例数据 (tanfeng sample generator, seed 2025)"
        assert r.unit
    assert set(rows[0].as_dict()) == {"region", "indicator", "year", "value", "unit", "source", "sample", "anchor"}


def test_all_regions_and_years_present(rows: list[SampleRow]) -> None:
    assert {r.region for r in rows} == {REGION, *LEAGUES}
    for code in (REGION, *LEAGUES):
        for ind in (*ADDITIVE, *SHARES):
            assert sorted(series(rows, code, ind)) == list(YEARS), (code, ind)


@pytest.mark.parametrize("seed", [2025, 1, 99])
def test_leagues_add_up_to_the_region(seed: int) -> None:
    rows = generate_sample(seed)
    for ind in ADDITIVE:
        region = series(rows, REGION, ind)
        for y in YEARS:
            total = sum(series(rows, c, ind)[y] for c in LEAGUES)
            assert total == pytest.approx(region[y], abs=0.011), (ind, y)
    energy = {c: series(rows, c, "energy_consumption") for c in LEAGUES}
    for ind in SHARES:
        region = series(rows, REGION, ind)
        for y in YEARS:
            mean = sum(series(rows, c, ind)[y] * energy[c][y] for c in LEAGUES) / sum(e[y] for e in energy.values())
            assert mean == pytest.approx(region[y], abs=0.006), (ind, y)


def test_anchored_rows_equal_the_real_values(rows: list[SampleRow]) -> None:
    anchored = {(r.indicator, r.year): r for r in rows if r.region == REGION and r.anchor}
    assert set(anchored) == set(ANCHORS)
    assert anchored[("energy_consumption_growth", 2020)].value == 7.1
    assert anchored[("energy_intensity_change_vs_prev_year", 2020)].value == 6.89
    assert anchored[("energy_intensity_change_vs_prev_year", 2021)].value == -6.8
    assert anchored[("gdp_real_growth", 2021)].value == 6.3
    assert anchored[("gdp_real_growth", 2023)].value == 7.3
    assert anchored[("non_fossil_energy_share", 2019)].value == 8.1
    energy = series(rows, REGION, "energy_consumption")
    assert energy[2019] - energy[2015] == pytest.approx(ENERGY_INCREASE_2015_2019, abs=0.02)
    gdp = series(rows, REGION, "gdp")
    rise = ((energy[2019] / gdp[2019]) / (energy[2015] / gdp[2015]) - 1) * 100
    assert rise == pytest.approx(INTENSITY_RISE_2015_2019_PCT, abs=0.01)


def test_magnitudes_are_plausible(rows: list[SampleRow]) -> None:
    gdp = series(rows, REGION, "gdp")
    energy = series(rows, REGION, "energy_consumption")
    assert 15000 < gdp[2020] < 20000  # 亿元
    assert 25000 < energy[2020] < 30000  # 万tce
    assert 1.2 < energy[2020] / gdp[2020] < 1.8  # tce/万元
    share_2025 = {c: series(rows, c, "gdp")[2025] / gdp[2025] for c in LEAGUES}
    assert max(share_2025, key=lambda c: share_2025[c]) == "150600"  # 鄂尔多斯 largest
    assert min(share_2025, key=lambda c: share_2025[c]) == "152900"  # 阿拉善 smallest
    for c in LEAGUES:
        for ind in SHARES:
            assert all(0 < v < 100 for v in series(rows, c, ind).values())


@pytest.mark.parametrize("seed", [2025, 1, 99])
def test_mix_of_statuses_in_the_latest_year(seed: int) -> None:
    rows = generate_sample(seed)
    statuses = {c: intensity_status(series(rows, c, "energy_intensity_change_vs_prev_year")[2025]) for c in LEAGUES}
    assert {"rose", "behind", "on_track"} <= set(statuses.values())
    assert statuses["150300"] == "rose"


def test_a_value_for_each_quantified_plan_indicator(rows: list[SampleRow]) -> None:
    have = {r.indicator for r in rows if r.region == REGION}
    for t in load_builtin_plan("im2022").targets:
        assert t.indicator_id in have, t.indicator_id
        for code in t.scope_regions:
            assert series(rows, code, t.indicator_id), (code, t.indicator_id)
    # the region is behind its 2025 non-fossil and coal share targets (so the report has something to show)
    assert series(rows, REGION, "non_fossil_energy_share")[2025] < 18
    assert series(rows, REGION, "coal_consumption_share")[2025] > 75


def test_anchors_match_the_shipped_reference_statistics() -> None:
    stats = {(s.region, s.indicator, s.year): s.value for s in load_statistics()}
    same_id = {"non_fossil_energy_share": "non_fossil_share_energy_consumption"}
    for (ind, year), (value, _) in ANCHORS.items():
        assert stats[(REGION, same_id.get(ind, ind), year)] == value, (ind, year)
    assert stats[(REGION, "energy_consumption_increase_2015_to_2019", 2019)] == ENERGY_INCREASE_2015_2019
    assert stats[(REGION, "energy_intensity_cumulative_change_2016_2019", 2019)] == INTENSITY_RISE_2015_2019_PCT


def test_league_gdp_shares_follow_2023_league_gdp(rows: list[SampleRow]) -> None:
    stats = {s.region: s.value for s in load_statistics() if s.indicator == "gdp_current" and s.year == 2023}
    region_2023 = stats.pop(REGION)
    region = series(rows, REGION, "gdp")[2023]
    published = {c: v for c, v in stats.items() if c in LEAGUES}
    assert len(published) == 9
    for code, value in published.items():
        assert series(rows, code, "gdp")[2023] / region == pytest.approx(value / region_2023, abs=2e-5), code
