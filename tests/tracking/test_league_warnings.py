"""The per-league warning loop on the read model, without a database (629号 levels, hand arithmetic)."""

from __future__ import annotations

import pytest

from tanfeng.tracking.series import IndicatorSeries, StoredInput
from tanfeng.tracking.warning import LeagueWarnings, league_warnings


def _row(region: str, indicator: str, value: float, *, sample: bool = False) -> StoredInput:
    return StoredInput(region=region, indicator=indicator, period="2025", value=value, unit="%",
                       source=f"{region}-{indicator}", certainty="P", sample=sample)


SERIES = IndicatorSeries.merge([
    _row("150000", "energy_intensity_change_vs_prev_year", -4.0),
    _row("150000", "energy_consumption_growth", 1.0),
    _row("150000", "gdp_real_growth", 5.0),
    _row("150100", "energy_intensity_change_vs_prev_year", 1.0, sample=True),
    _row("150100", "energy_consumption_growth", 2.0),
    _row("150100", "gdp_real_growth", 5.0),
    _row("150200", "energy_intensity_change_vs_prev_year", -2.0),
    _row("150200", "carbon_intensity_change_vs_prev_year", -5.0),
], [], {})


def _run(**kw: float) -> dict[str, LeagueWarnings]:
    ws = league_warnings(SERIES, ["150000", "150100", "150200", "150300"], "2025Q3", 2025,
                         required_intensity_change_pct=-3.2, required_carbon_change_pct=-3.89, **kw)
    return {w.region: w for w in ws}


def test_intensity_levels_follow_629() -> None:
    # rose (+1.0 > 0) → 1; fell 2.0 % < the required 3.2 % → 2; fell 4.0 % ≥ 3.2 % → 3
    ws = _run()
    assert [ws[c].intensity.level for c in ("150100", "150200", "150000")] == [1, 2, 3]
    assert ws["150100"].intensity_source == "150100-energy_intensity_change_vs_prev_year"


def test_total_cap_is_the_growth_the_intensity_path_allows() -> None:
    # cap = (1 + 5.0 %)(1 − 3.2 %) − 1 = 1.05 × 0.968 − 1 = 1.64 %
    # 150100 grew 2.0 % > 1.64 % → level 1; the region grew 1.0 % ≤ 1.64 % → level 3
    ws = _run()
    league, region = ws["150100"], ws["150000"]
    assert league.total.level == 1
    assert league.total.reference_pct == pytest.approx(1.64)
    assert region.total.level == 3
    assert league.notes == ["growth cap 1.64 % = growth allowed by the intensity path at GDP growth 5 % (derived)"]
    assert league.total_source == "150100-energy_consumption_growth; 150100-gdp_real_growth"


def test_a_given_cap_replaces_the_derived_one() -> None:
    ws = _run(allowed_consumption_growth_pct=3.0)
    assert ws["150100"].total.level == 3
    assert ws["150100"].notes == []


def test_carbon_by_analogy_and_missing_data() -> None:
    ws = _run()
    # carbon intensity fell 5.0 % ≥ 3.89 % → level 3, flagged inferred
    assert ws["150200"].carbon.level == 3
    assert ws["150200"].carbon.inferred is True
    nothing = ws["150300"]
    assert (nothing.intensity, nothing.total, nothing.carbon) == (None, None, None)
    assert nothing.notes == ["no energy-intensity change for 2025"]
    assert nothing.name == "乌海市"


def test_sample_and_order() -> None:
    ws = league_warnings(SERIES, ["150000", "150100"], "2025", 2025, required_intensity_change_pct=-3.2,
                         required_carbon_change_pct=-3.89)
    assert [w.region for w in ws] == ["150000", "150100"]
    assert [w.sample for w in ws] == [False, True]
    assert ws[0].period == "2025"
