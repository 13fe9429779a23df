"""Shared inputs of the scenario tests: the calibrated base year and the shipped scenario files."""

from __future__ import annotations

import polars as pl
import pytest

from tanfeng.reference import ceads, macro
from tanfeng.scenarios import calibration, files
from tanfeng.scenarios.catalog import Catalog, load_catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def base(catalog: Catalog) -> calibration.BaseInventory:
    gdp = macro.gdp_population().filter(pl.col("year") == 2019)["gdp_current_yi_yuan"][0]
    return calibration.calibrate(ceads.province_sector_fuel(), ceads.league_totals(), ceads.province_totals(),
                                 gdp, catalog)


@pytest.fixture(scope="session")
def scenario_files() -> dict[str, files.ScenarioFile]:
    return files.load_builtin()
