"""Golden tests on published values (sources in tests/golden/tracking/README.md)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tanfeng.tracking.decoupling import classify_elasticity, tapio
from tanfeng.tracking.indicators import (
    implied_energy_growth_pct,
    implied_gdp_growth_pct,
    intensity_change_pct,
)
from tanfeng.tracking.warning import intensity_warning

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "tracking"


def _rows(name: str) -> list[dict[str, str]]:
    with (GOLDEN / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


COMMUNIQUE = {r["province_zh"]: r for r in _rows("nbs_2020_province_energy_intensity_change.csv")}


@pytest.mark.parametrize(
    ("province", "published_growth", "reference_doc_value"),
    [("内蒙古", 0.2, 0.20), ("北京", 1.2, 1.19), ("湖北", -5.0, -4.99)],
)
def test_2020_communique_implies_the_published_gdp_growth(
        province: str, published_growth: float, reference_doc_value: float) -> None:
    # (1 + e)/(1 + i) − 1 with e = energy growth and i = intensity change reproduces the official real GDP growth
    # (published to one decimal), and the two-decimal value of the reference doc §7.2 within 0.01 point.
    r = COMMUNIQUE[province]
    g = implied_gdp_growth_pct(float(r["energy_consumption_growth_pct"]), float(r["energy_intensity_change_pct"]))
    assert round(g, 1) == pytest.approx(published_growth)
    assert g == pytest.approx(reference_doc_value, abs=0.01)


def test_every_province_whose_intensity_rose_in_2020_is_level_1() -> None:
    # 629号: 能耗强度不降反升 → 一级预警, whatever the required progress.
    rose = {p: float(r["energy_intensity_change_pct"]) for p, r in COMMUNIQUE.items()
            if r["energy_intensity_change_pct"] and float(r["energy_intensity_change_pct"]) > 0}
    assert set(rose) == {"内蒙古", "辽宁", "浙江", "安徽", "河南", "广西", "云南"}
    for change in rose.values():
        for required in (-3.0, 0.0):
            assert intensity_warning(change, required).level == 1
    im = intensity_warning(6.89, -3.0)
    assert (im.level, im.label, im.colour) == (1, "一级预警", "red")


def test_provinces_whose_intensity_fell_are_never_level_1() -> None:
    for r in COMMUNIQUE.values():
        if r["energy_intensity_change_pct"] and float(r["energy_intensity_change_pct"]) <= 0:
            assert intensity_warning(float(r["energy_intensity_change_pct"]), -3.0).level in (2, 3)


def test_im_2020_energy_vs_gdp_is_expansive_negative_decoupling() -> None:
    # Reference §6: energy +7.1 %, GDP +0.2 % (1.071/1.0689 − 1) → e ≈ 35 → 扩张负脱钩.
    r = COMMUNIQUE["内蒙古"]
    energy = float(r["energy_consumption_growth_pct"])
    gdp = implied_gdp_growth_pct(energy, float(r["energy_intensity_change_pct"]))
    d = tapio(gdp, energy)
    assert d.elasticity is not None
    assert d.elasticity == pytest.approx(7.1 / 0.1964, rel=0.01)
    assert (d.state, d.state_en) == ("扩张负脱钩", "expansive negative decoupling")
    assert tapio(0.2, 7.1).state == "扩张负脱钩"  # with the published rounded growth


def test_im_2021_is_strong_decoupling() -> None:
    # 2021: intensity −6.8 %, GDP +6.3 % → energy 1.063 × 0.932 − 1 = −0.93 % → e < 0 → 强脱钩.
    energy = implied_energy_growth_pct(6.3, -6.8)
    assert energy == pytest.approx(-0.9284, abs=1e-4)
    assert intensity_change_pct(energy, 6.3) == pytest.approx(-6.8)
    assert tapio(6.3, energy).state == "强脱钩"


def test_im_five_year_plan_elasticities() -> None:
    # NDRC 约谈 2020: energy elasticity 1.5 in the 13th FYP (扩张负脱钩), 0.2 in the 12th (弱脱钩); GDP grew in both.
    assert classify_elasticity(1.5, gdp_grows=True).zh == "扩张负脱钩"
    assert classify_elasticity(0.2, gdp_grows=True).zh == "弱脱钩"


def test_2021h1_barometer_counts_match_the_notice() -> None:
    # 629号: intensity 一级 9, 二级 10, 三级 11; total 一级 8, 二级 5, 三级 17; 内蒙古 三级/三级, 湖北 三级/一级.
    rows = {r["province_zh"]: r for r in _rows("ndrc_2021h1_dual_control_barometer.csv")}
    assert len(rows) == 30
    for col, counts in (("intensity_warning_level", (9, 10, 11)), ("total_warning_level", (8, 5, 17))):
        assert tuple(sum(1 for r in rows.values() if r[col] == str(k)) for k in (1, 2, 3)) == counts
    assert (rows["内蒙古"]["intensity_warning_level"], rows["内蒙古"]["total_warning_level"]) == ("3", "3")
    assert (rows["湖北"]["intensity_warning_level"], rows["湖北"]["total_warning_level"]) == ("3", "1")


def test_hubei_shows_the_two_dimensions_are_independent() -> None:
    # 湖北 2021 H1: intensity 三级 but total 一级 (629号). The H1 inputs are not published, so the case is built:
    # intensity fell 5 % against a required 3 % (→ 3), energy grew 8 % against a 3 % cap (→ 1). Changing the total
    # inputs never changes the intensity level and vice versa.
    from tanfeng.tracking.warning import barometer_entry

    published = {r["province_zh"]: r for r in _rows("ndrc_2021h1_dual_control_barometer.csv")}["湖北"]
    e = barometer_entry("湖北", "2021H1", -5.0, -3.0, 8.0, 3.0)
    assert (str(e.intensity.level), str(e.total.level)) == (
        published["intensity_warning_level"], published["total_warning_level"])
    for growth in (-2.0, 2.0, 8.0):
        assert barometer_entry("湖北", "2021H1", -5.0, -3.0, growth, 3.0).intensity.level == 3
    for change in (1.0, -1.0, -5.0):
        assert barometer_entry("湖北", "2021H1", change, -3.0, 8.0, 3.0).total.level == 1
