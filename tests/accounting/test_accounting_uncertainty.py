"""Uncertainty: IPCC Approach 1 arithmetic (Vol.1 Ch.3 eq. 3.1, 3.2) and the seeded Monte Carlo."""

from __future__ import annotations

import math

import polars as pl
import pytest

from tanfeng.accounting.inventory import regional_inventory
from tanfeng.accounting.uncertainty import combine_product, combine_sum, inventory_uncertainty


def test_eq_3_1_and_3_2() -> None:
    assert combine_product(3.0, 4.0) == pytest.approx(5.0)
    # two equal independent terms of 10 % each: 10/sqrt(2) %
    assert combine_sum([1.0, 1.0], [10.0, 10.0]) == pytest.approx(10 / math.sqrt(2))
    assert combine_sum([0.0, 0.0], [10.0, 10.0]) == 0.0


def _inv() -> object:
    rows = [("R", 2020, "final_consumption", s, p, v) for s, p, v in [
        ("chemicals", "raw_coal", 100.0), ("transport", "diesel", 50.0), ("urban", "natural_gas", 10.0),
        ("coal_mining", "raw_coal", 30.0)]]
    df = pl.DataFrame(rows, schema=["region", "year", "flow", "sector", "product", "value"], orient="row")
    prod = pl.DataFrame({"region": ["R"], "year": [2020], "process": ["lime"], "value": [1e5]})
    return regional_inventory(df, production=prod)


def test_monte_carlo_is_seeded_and_agrees_with_approach_1() -> None:
    inv = _inv()
    a = inventory_uncertainty(inv, approach=2, draws=20_000, seed=7)  # type: ignore[arg-type]
    b = inventory_uncertainty(inv, approach=2, draws=20_000, seed=7)  # type: ignore[arg-type]
    assert a.intervals == b.intervals
    one = inventory_uncertainty(inv, approach=1)  # type: ignore[arg-type]
    total = inv.totals["gross"][0]  # type: ignore[attr-defined]
    assert one.intervals[0].total == pytest.approx(total)
    assert a.intervals[0].total == pytest.approx(total, rel=0.01)
    assert a.intervals[0].lower < total < a.intervals[0].upper
    # normal inputs: the Monte Carlo half-width matches error propagation within sampling error
    assert a.intervals[0].u95_pct == pytest.approx(one.intervals[0].u95_pct, rel=0.05)
    assert {u.what for u in one.uncertainties} >= {"activity", "co2_ef", "process_co2"}


def test_enterprise_approach_1() -> None:
    from tanfeng.accounting.enterprise import EnterpriseReport, FuelUse, enterprise_emissions
    from tanfeng.accounting.uncertainty import enterprise_uncertainty
    from tanfeng.reference.factors import FactorLibrary, Uncertainty, library

    def unc(what: str, pct: float) -> Uncertainty:
        return Uncertainty(what=what, key="*", version="*", u95_pct=pct, distribution="normal", source="test input",
                           confidence="A")

    # test-owned uncertainties (not the library's C values): activity 3 %, fuel factor 4 %, grid factor 12 %
    lib = FactorLibrary(library().frame, [unc("activity", 3), unc("co2_ef", 4), unc("grid_co2", 12)])
    rep = EnterpriseReport(enterprise="E", year=2022, fuels=[FuelUse(product="diesel", quantity=100, unit="t")],
                           purchased_electricity=100, grid_region="CN", grid_year=2023)
    res = enterprise_emissions(rep, lib=lib)
    ci = enterprise_uncertainty(res, lib=lib)
    assert ci.line_u95_pct == pytest.approx([5.0, math.sqrt(3**2 + 12**2)])
    expected = combine_sum([ln.tco2e for ln in res.lines], [5.0, math.sqrt(153)])
    assert ci.u95_pct == pytest.approx(expected)
    assert ci.lower < res.total < ci.upper
