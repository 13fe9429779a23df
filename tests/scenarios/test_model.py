"""The scenario model on the CEADs base year: calibration, BAU identity, wedges, views, Monte Carlo, leagues."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import polars as pl
import pytest

from tanfeng.reference import ceads, macro
from tanfeng.scenarios import calibration, files, model, run
from tanfeng.scenarios.analysis import EFFECTS, GROUP_ORDER, check_targets, decompose_path
from tanfeng.scenarios.catalog import Catalog


def test_base_year_reproduces_ceads_sector_totals(base: calibration.BaseInventory) -> None:
    # CEADs 2019 Inner Mongolia: 794.279 MtCO2 (equal to OpenClimate's processed value), power and heat 604.176
    assert base.base_year == 2019
    assert base.cells[0].sum() == pytest.approx(794.279, abs=5e-4)
    for res in base.residuals:
        assert abs(res.residual_mtco2) < 1e-5  # only the publisher's rounding of its totals
    power = next(r for r in base.residuals if r.sector == "power_heat")
    assert power.ceads_mtco2 == pytest.approx(604.176 + 2.965, abs=0.01)  # + gas and water supply


def test_regions_are_the_province_and_the_12_leagues_never_summed(base: calibration.BaseInventory) -> None:
    assert base.regions[0] == "150000"
    assert len(base.regions) == 13
    assert base.cells[1:].sum() != pytest.approx(base.cells[0].sum(), rel=0.05)
    # a league's base is its own CEADs total: 鄂尔多斯 2019 = 313.4199 Mt
    ordos = base.regions.index("150600")
    assert base.cells[ordos].sum() == pytest.approx(313.4199, rel=1e-9)
    assert base.league_base_year["152900"] == 2017  # 阿拉善盟: last CEADs year


def test_backcast_2015_reports_its_error(catalog: Catalog) -> None:
    gdp = macro.gdp_population()
    ratio = gdp.filter(pl.col("year") == 2015)["gdp_current_yi_yuan"][0] / gdp.filter(
        pl.col("year") == 2019)["gdp_current_yi_yuan"][0]
    out = calibration.backcast(ceads.province_sector_fuel(), catalog, base_year=2019, to_year=2015, gdp_ratio=ratio)
    assert out["total"][1] == pytest.approx(601.546, abs=1e-3)  # CEADs 2015 total
    assert np.isfinite(out["total"][0])
    assert out["total"][0] > 0


def _bau(scenario_files: dict[str, files.ScenarioFile]) -> files.ResolvedScenario:
    return files.resolve("bau", scenario_files)


def test_levers_at_zero_equal_bau_exactly(base, catalog, scenario_files) -> None:
    plan = files.resolve("plan", scenario_files)
    zeroed = replace(plan, levers=tuple(lv.model_copy(update={"path": dict.fromkeys(lv.path, 0.0)})
                                       for lv in plan.levers))
    a = model.run_path(base, zeroed, catalog)
    b = model.run_path(base, _bau(scenario_files), catalog)
    assert np.array_equal(a.cells, b.cells)


def test_wedges_sum_to_the_difference(base, catalog, scenario_files) -> None:
    result = run.run_scenario(base, files.resolve("enhanced", scenario_files), _bau(scenario_files), catalog,
                              targets={}, draws=50, seed=1)
    total = sum(result.wedges.values())
    diff = result.path.totals - result.reference.totals
    assert np.max(np.abs(total - diff)) < 1e-9
    assert result.wedges["new_energy_buildout"][0, -1] < 0


def test_lmdi_of_a_path_adds_up(base, catalog, scenario_files) -> None:
    path = model.run_path(base, files.resolve("plan", scenario_files), catalog)
    effects = decompose_path(path, 2019, 2030)
    i = int(np.searchsorted(path.years, 2030))
    assert effects.shape == (13, len(EFFECTS))
    assert np.allclose(effects.sum(axis=1), path.totals[:, i] - path.totals[:, 0], atol=1e-9)


def test_consumption_view_leaves_out_exported_power(base, catalog, scenario_files) -> None:
    bau = _bau(scenario_files)
    prod = model.run_path(base, bau, catalog)
    cons = model.run_path(base, replace(bau, electricity_accounting="consumption"), catalog)
    power = catalog.sector_ids.index("power_heat")
    assert cons.cells[0, power].sum(axis=0)[0] == pytest.approx(prod.cells[0, power].sum(axis=0)[0] * (1 - 0.39))
    assert np.allclose(prod.totals - cons.totals, cons.exported)
    assert prod.exported.sum() == 0.0


def test_monte_carlo_is_seeded_and_brackets_the_path(base, catalog, scenario_files) -> None:
    plan, bau = files.resolve("plan", scenario_files), _bau(scenario_files)
    a = run.run_scenario(base, plan, bau, catalog, targets={}, draws=300, seed=7)
    b = run.run_scenario(base, plan, bau, catalog, targets={}, draws=300, seed=7)
    assert [r.p_peak_by_2030 for r in a.regions] == [r.p_peak_by_2030 for r in b.regions]
    region = a.regions[0]
    assert region.region == "150000"
    assert 0.0 <= region.p_peak_by_2030 <= 1.0
    assert all(y.low <= y.high for y in region.emissions)
    assert region.emissions[0].year == 2020
    assert region.emissions[-1].year == 2060


def test_targets_and_league_order(base, catalog, scenario_files) -> None:
    targets = {"im2022.a01.m2.t1": {"indicator": "新型储能装机容量", "year": 2025, "comparator": "≥", "value": 500,
                                    "unit": "万千瓦"}}
    plan = files.resolve("plan", scenario_files)
    checks = {c.lever: c for c in check_targets(plan, targets)}
    assert checks["new_type_storage"].meets is True
    assert checks["nev_share"].note == "target id not in the plan"
    result = run.run_scenario(base, plan, _bau(scenario_files), catalog, targets=targets, draws=50, seed=3)
    ranks = result.leagues
    assert [r.rank for r in ranks] == list(range(1, 13))
    assert all(r.group in GROUP_ORDER for r in ranks)
    assert [r.peak_year for r in ranks] == sorted(r.peak_year for r in ranks)


def test_a_mix_lever_into_a_fuel_absent_in_the_base_year(base, catalog, scenario_files) -> None:
    """Agriculture burns no natural gas in CEADs 2019: moving coal to gas creates cells that were zero, which
    the wedges share by each step's own change and LMDI by the Ang & Liu limits — both still add up exactly."""
    agri, gas = catalog.sector_ids.index("agriculture"), catalog.fuel_ids.index("gas")
    assert base.cells[0, agri, gas] == 0.0
    plan = files.resolve("plan", scenario_files)
    lever = files.Lever(id="agri_gas", name_zh="农业煤改气", kind="mix", sector="agriculture", fuel="coal",
                        to_fuel="gas", path={2030: 50.0}, source="test", certainty="R")
    scenario = replace(plan, levers=(*plan.levers, lever))
    result = run.run_scenario(base, scenario, _bau(scenario_files), catalog, targets={}, draws=20, seed=5)
    assert result.path.cells[0, agri, gas, -1] > 0.0
    diff = result.path.totals - result.reference.totals
    assert np.max(np.abs(sum(result.wedges.values()) - diff)) < 1e-9
    assert result.wedges["agri_gas"][0, -1] < 0  # gas emits less per tce than coal
    i = int(np.searchsorted(result.path.years, 2030))
    assert np.allclose(result.lmdi.sum(axis=1), result.path.totals[:, i] - result.path.totals[:, 0], atol=1e-9)
