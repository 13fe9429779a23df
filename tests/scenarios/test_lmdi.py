"""Additive LMDI-I: perfect decomposition and the zero-value limits of Ang & Liu (2007)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tanfeng.reference import ceads
from tanfeng.scenarios.lmdi import decompose, logmean

positive = arrays(np.float64, (4, 3), elements=st.floats(0.01, 1e4, allow_nan=False))
with_zeros = arrays(np.float64, (4, 3), elements=st.one_of(st.just(0.0), st.floats(0.01, 1e4)))


@settings(max_examples=60, deadline=None)
@given(a0=positive, b0=positive, c0=with_zeros, a1=positive, b1=with_zeros, c1=positive)
def test_effects_add_up_to_the_change(a0, b0, c0, a1, b1, c1) -> None:
    eff = decompose({"a": a0, "b": b0, "c": c0}, {"a": a1, "b": b1, "c": c1})
    change = float((a1 * b1 * c1).sum() - (a0 * b0 * c0).sum())
    assert sum(float(v) for v in eff.values()) == pytest.approx(change, abs=1e-9 * max(1.0, abs(change)) + 1e-9)


@settings(max_examples=30, deadline=None)
@given(x0=positive, y0=positive, x1=positive, y1=positive)
def test_time_reversal(x0, y0, x1, y1) -> None:
    forward = decompose({"x": x0, "y": y0}, {"x": x1, "y": y1})
    backward = decompose({"x": x1, "y": y1}, {"x": x0, "y": y0})
    for k in forward:
        assert float(forward[k]) == pytest.approx(-float(backward[k]), rel=1e-9, abs=1e-9)


def test_single_factor_change_is_the_whole_change() -> None:
    # V = x·y with x doubling and y fixed: L(2, 1)·ln 2 = (2 − 1)/ln 2 · ln 2 = 1
    eff = decompose({"x": 1.0, "y": 1.0}, {"x": 2.0, "y": 1.0})
    assert float(eff["x"]) == pytest.approx(1.0, abs=1e-12)
    assert float(eff["y"]) == 0.0


def test_logmean_limits() -> None:
    assert float(logmean(3.0, 3.0)) == 3.0
    assert float(logmean(2.0, 1.0)) == pytest.approx(1.0 / math.log(2.0))
    assert float(logmean(0.0, 5.0)) == 0.0


def test_a_factor_rising_from_zero_takes_the_whole_new_value() -> None:
    # Ang & Liu 2007: V^0 = 0 because x^0 = 0 → effect of x = V^T, of the others 0
    eff = decompose({"x": np.array([0.0, 1.0]), "y": np.array([2.0, 1.0])},
                    {"x": np.array([3.0, 1.0]), "y": np.array([4.0, 1.0])})
    assert float(eff["x"]) == pytest.approx(12.0)
    assert float(eff["y"]) == 0.0


def test_a_factor_falling_to_zero_takes_minus_the_old_value() -> None:
    eff = decompose({"x": 5.0, "y": 2.0}, {"x": 0.0, "y": 3.0})
    assert float(eff["x"]) == pytest.approx(-10.0)
    assert float(eff["y"]) == 0.0


def test_zero_in_both_periods_gives_nothing() -> None:
    eff = decompose({"x": 0.0, "y": 2.0}, {"x": 0.0, "y": 7.0})
    assert float(eff["x"]) == 0.0
    assert float(eff["y"]) == 0.0


def test_two_zero_factors_share_the_new_value_equally() -> None:
    eff = decompose({"x": 0.0, "y": 0.0, "z": 1.0}, {"x": 2.0, "y": 3.0, "z": 1.0})
    assert float(eff["x"]) == pytest.approx(3.0)
    assert float(eff["y"]) == pytest.approx(3.0)


def test_ceads_2015_to_2019_sector_fuel_change_decomposes_exactly() -> None:
    """CEADs Inner Mongolia: 601.546 Mt (2015) → 794.279 Mt (2019), +192.733 Mt; the power sector +173.088 Mt
    (reference/data/ceads/im_ceads_province_co2_totals_1997_2019.csv). Split into sector size × fuel share."""
    frame = ceads.province_sector_fuel()
    fuels = ["Raw_Coal", "CleanedCoal", "Coke", "Other_Gas", "Diesel_Oil", "Natural_Gas", "Process"]
    cells = {}
    for year in (2015, 2019):
        part = frame.filter(frame["sector_id"].is_not_null() & frame["fuel"].is_in(fuels) & (frame["year"] == year))
        pivot = part.pivot(on="fuel", index="sector_id", values="mtco2").sort("sector_id").fill_null(0.0)
        cells[year] = pivot.select(fuels).to_numpy()
    size = {y: cells[y].sum(axis=1, keepdims=True) for y in cells}
    share = {y: np.divide(cells[y], size[y], out=np.zeros_like(cells[y]), where=size[y] > 0) for y in cells}
    eff = decompose({"size": size[2015], "share": share[2015]}, {"size": size[2019], "share": share[2019]})
    change = cells[2019].sum() - cells[2015].sum()
    assert sum(float(v) for v in eff.values()) == pytest.approx(change, abs=1e-9)
    totals = ceads.province_totals()
    published = totals.filter(totals["year"] == 2019)["scope1_total"][0] - totals.filter(
        totals["year"] == 2015)["scope1_total"][0]
    assert published == pytest.approx(192.733, abs=1e-9)


# Xu & Ang (2014), Table 1: energy E and activity A of four subsectors in two sectors, year 0 and year T
# (arbitrary units; the data are those of an example in Ang 1995).
XU_ANG_E0 = [20.0, 10.0, 8.0, 12.0]
XU_ANG_A0 = [5.0, 5.0, 10.0, 30.0]
XU_ANG_ET = [30.0, 10.0, 15.0, 9.0]
XU_ANG_AT = [12.0, 8.0, 30.0, 30.0]


def _activity_structure_intensity(energy: list[float], activity: list[float]) -> dict[str, np.ndarray]:
    e = np.asarray(energy)
    a = np.asarray(activity)
    return {"act": np.asarray(a.sum()), "str": a / a.sum(), "int": e / a}


@pytest.mark.parametrize(("level", "published"), [
    (1, {"act": 1.5998, "str": 1.1183, "int": 0.7154}),
    (2, {"act": 1.5936, "str": 1.2378, "int": 0.6489}),
])
def test_xu_ang_2014_worked_example(level: int, published: dict[str, float]) -> None:
    """X.Y. Xu and B.W. Ang, "Multilevel index decomposition analysis: Approaches and application",
    Energy Economics 44 (2014) 375–382, doi:10.1016/j.eneco.2014.05.002, section 5.1 (Example 1).

    Inputs: Table 1 (E and A per subsector; level 1 sums the subsectors into Sector 1 = subsectors 1–2 and
    Sector 2 = subsectors 3–4). Structure S = A_i/A and intensity I = E_i/A_i as the paper defines them; the
    table prints I^T of subsector 2 rounded to 1.3 (10/8 = 1.25), so I is taken from E and A.
    Published results: Table 2, single-level multiplicative LMDI-I, D_tot = 1.28, four decimals.
    Read from the accepted manuscript (tables on its p. 28) kept in the public repository xiwangxiang/PyLMDI,
    commit 1ebd23024cc6207549d0c7b9f4ac57f29bb27648, path documentation/xu2014.pdf.

    The additive effects are compared through the LMDI-I link ln D_k = ΔE_k / L(E^T, E^0) (Ang 2005, Energy
    Policy 33: 867–871), at the published precision (±5e-5); their sum must equal E^T − E^0 = 64 − 50 to 1e-9.
    """
    e0, a0, et, at = XU_ANG_E0, XU_ANG_A0, XU_ANG_ET, XU_ANG_AT
    if level == 1:
        e0, a0, et, at = ([v[0] + v[1], v[2] + v[3]] for v in (e0, a0, et, at))
    effects = decompose(_activity_structure_intensity(e0, a0), _activity_structure_intensity(et, at))
    total0, totalt = sum(e0), sum(et)
    assert (total0, totalt) == (50.0, 64.0)
    weight = float(logmean(totalt, total0))
    assert math.exp((totalt - total0) / weight) == pytest.approx(1.28, abs=5e-3)
    for name, value in published.items():
        assert math.exp(float(effects[name]) / weight) == pytest.approx(value, abs=5e-5)
    assert sum(float(v) for v in effects.values()) == pytest.approx(totalt - total0, abs=1e-9)
