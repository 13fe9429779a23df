"""One scenario run end to end: base year, path, Monte Carlo, wedges against BAU, LMDI, targets, leagues."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from tanfeng.scenarios.analysis import (
    LeagueRank,
    TargetCheck,
    check_targets,
    decompose_path,
    rank_leagues,
    wedges,
)
from tanfeng.scenarios.calibration import BaseInventory
from tanfeng.scenarios.catalog import Catalog
from tanfeng.scenarios.files import ResolvedScenario
from tanfeng.scenarios.lmdi import Array
from tanfeng.scenarios.model import Path, run_path
from tanfeng.scenarios.montecarlo import PeakDraws, draw_peaks, peak_of

__all__ = ["FIRST_RESULT_YEAR", "PEAK_BY", "RegionResult", "ScenarioRun", "YearValue", "run_scenario"]

FIRST_RESULT_YEAR = 2020
PEAK_BY = 2030


@dataclass(frozen=True)
class YearValue:
    """One year of a region's path: the deterministic value and the 5–95 % Monte Carlo band (MtCO2)."""

    year: int
    mtco2: float
    low: float
    high: float


@dataclass(frozen=True)
class RegionResult:
    """A region's peak and path."""

    region: str
    peak_year: int
    peak_value_mtco2: float
    p_peak_by_2030: float
    base_year_mtco2: float
    emissions: tuple[YearValue, ...]


@dataclass(frozen=True)
class ScenarioRun:
    """Everything one run produces; ``electricity_accounting`` states the view every figure is in."""

    scenario: ResolvedScenario
    base_year: int
    electricity_accounting: str
    seed: int
    draws: int
    regions: tuple[RegionResult, ...]
    path: Path
    reference: Path
    wedges: dict[str, Array]
    """Lever → (R, T) change against BAU, MtCO2 (the names include ``drivers``)."""
    lmdi: Array
    """(R, 6) LMDI-I effects from the base year to 2030, in ``EFFECTS`` order."""
    lmdi_years: tuple[int, int]
    targets: tuple[TargetCheck, ...]
    leagues: tuple[LeagueRank, ...]
    peaks: PeakDraws


def run_scenario(base: BaseInventory, scenario: ResolvedScenario, bau: ResolvedScenario, catalog: Catalog, *,
                 targets: Mapping[str, Mapping[str, object]], draws: int = 500, seed: int = 20221019,
                 lmdi_to: int = PEAK_BY) -> ScenarioRun:
    """Run ``scenario`` and compare it with ``bau`` (the same accounting view is used for both)."""
    path = run_path(base, scenario, catalog)
    reference = run_path(base, _with_view(bau, scenario.electricity_accounting), catalog, levers=False)
    u95 = np.array([f.u95_pct for f in catalog.fuels])
    peaks = draw_peaks(path.cells, path.years, gdp_sd_pp=scenario.uncertainty.gdp_growth_sd_pp,
                       intensity_sd_pp=scenario.uncertainty.intensity_change_sd_pp, factor_u95_pct=u95,
                       draws=draws, seed=seed)
    totals = path.totals
    years, values = peak_of(totals, path.years)
    p_by = peaks.p_peak_by(PEAK_BY)
    regions = []
    first = int(np.searchsorted(path.years, FIRST_RESULT_YEAR))
    for r, code in enumerate(path.regions):
        series = tuple(YearValue(year=int(path.years[t]), mtco2=float(totals[r, t]), low=float(peaks.low[r, t]),
                                 high=float(peaks.high[r, t])) for t in range(first, len(path.years)))
        regions.append(RegionResult(region=code, peak_year=int(years[r]), peak_value_mtco2=float(values[r]),
                                    p_peak_by_2030=float(p_by[r]), base_year_mtco2=float(totals[r, 0]),
                                    emissions=series))
    peak_years = {res.region: res.peak_year for res in regions}
    p_map = {res.region: res.p_peak_by_2030 for res in regions}
    return ScenarioRun(
        scenario=scenario, base_year=base.base_year, electricity_accounting=scenario.electricity_accounting,
        seed=seed, draws=draws, regions=tuple(regions), path=path, reference=reference,
        wedges=wedges(reference, path), lmdi=decompose_path(path, base.base_year, lmdi_to),
        lmdi_years=(base.base_year, lmdi_to), targets=tuple(check_targets(scenario, targets)),
        leagues=tuple(rank_leagues(catalog, peak_years, p_map)), peaks=peaks)


def _with_view(bau: ResolvedScenario, view: str) -> ResolvedScenario:
    return replace(bau, electricity_accounting=view)
