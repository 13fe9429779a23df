"""Base year from the latest CEADs inventory: cells (region × sector × fuel, MtCO2), activity, league trends.

The region (150000) takes the CEADs provincial inventory of the base year, mapped onto the model's sectors
and fuel groups; the calibration residual per sector (model base − CEADs sector total) is reported. No CEADs
league inventory has sectors, so each league takes its own CEADs total (its latest year up to the base year,
carried to the base year with the province's growth) split with the provincial sector × fuel shares — a
stated assumption. League activity grows with the region's drivers plus the league's own CEADs trend
relative to the province's (2012 to its latest year), fading linearly to nothing by 2035.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from tanfeng.scenarios.catalog import Catalog
from tanfeng.scenarios.lmdi import Array

__all__ = ["REGION", "BaseInventory", "Residual", "backcast", "calibrate"]

REGION = "150000"
_TREND_FROM = 2012
_TREND_FADES_BY = 2035


@dataclass(frozen=True)
class Residual:
    """Calibration residual of one sector: the model's base-year value against the CEADs sector total."""

    sector: str
    model_mtco2: float
    ceads_mtco2: float
    residual_mtco2: float


@dataclass(frozen=True)
class BaseInventory:
    """The calibrated base year; arrays are indexed (region, sector, fuel) in catalogue order."""

    base_year: int
    regions: tuple[str, ...]
    cells: Array
    """Base-year emissions, MtCO2, shape (R, S, F)."""
    activity: Array
    """Base-year activity per sector, shape (R, S): 亿元 of GDP for the region, an index for the leagues."""
    trend_pct: Array
    """Extra activity growth of each region in the base year, % a year (0 for the region itself)."""
    trend_fades_by: int
    league_base_year: dict[str, int]
    """The CEADs year each league's total was taken from."""
    residuals: tuple[Residual, ...]


def _sector_fuel_matrix(inventory: pl.DataFrame, year: int, catalog: Catalog) -> tuple[Array, Array]:
    """Model cells (S, F) from the CEADs long frame of one year, and the CEADs sector totals (S)."""
    frame = inventory.filter(pl.col("year") == year)
    cells = np.zeros((len(catalog.sectors), len(catalog.fuels)))
    totals = np.zeros(len(catalog.sectors))
    for i, sector in enumerate(catalog.sectors):
        part = frame.filter(pl.col("sector_id").is_in(list(sector.ceads_sectors)))
        totals[i] = part.filter(pl.col("fuel") == "Scope_1_Total")["mtco2"].sum()
        for j, fuel in enumerate(catalog.fuels):
            cells[i, j] = part.filter(pl.col("fuel").is_in(list(fuel.ceads_fuels)))["mtco2"].sum()
    return cells, totals


def _slope(years: list[int], values: list[float]) -> float:
    """Log-linear growth, % a year (0 with fewer than three points)."""
    pairs = [(y, v) for y, v in zip(years, values, strict=True) if v > 0]
    if len(pairs) < 3:
        return 0.0
    x = np.array([p[0] for p in pairs], dtype=np.float64)
    y = np.log(np.array([p[1] for p in pairs], dtype=np.float64))
    return float((np.exp(np.polyfit(x, y, 1)[0]) - 1.0) * 100.0)


def calibrate(inventory: pl.DataFrame, leagues: pl.DataFrame, province_totals: pl.DataFrame, gdp_base: float,
              catalog: Catalog, *, base_year: int | None = None) -> BaseInventory:
    """Build the base year.

    Parameters
    ----------
    inventory
        CEADs provincial inventory, long (``year, sector_id, fuel, mtco2``).
    leagues
        CEADs league totals (``region, year, mtco2``).
    province_totals
        CEADs provincial totals (``year, scope1_total``).
    gdp_base
        Regional GDP of the base year, 亿元 (NBS).
    catalog
        Sectors and fuels.
    base_year
        Default: the latest year of the inventory.
    """
    year = base_year if base_year is not None else int(inventory["year"].max())  # type: ignore[arg-type]
    cells, totals = _sector_fuel_matrix(inventory, year, catalog)
    residuals = tuple(Residual(sector=s.id, model_mtco2=float(cells[i].sum()), ceads_mtco2=float(totals[i]),
                               residual_mtco2=float(cells[i].sum() - totals[i]))
                      for i, s in enumerate(catalog.sectors))
    shares = cells / cells.sum()
    prov = dict(zip(province_totals["year"].to_list(), province_totals["scope1_total"].to_list(), strict=True))
    prov_slope = _slope([y for y in prov if _TREND_FROM <= y <= year],
                        [prov[y] for y in prov if _TREND_FROM <= y <= year])
    regions = [REGION]
    all_cells = [cells]
    trend = [0.0]
    league_year: dict[str, int] = {}
    gdp_shares = np.array([s.gdp_share_base for s in catalog.sectors])
    activity = [gdp_base * gdp_shares]
    for league in catalog.leagues:
        series = leagues.filter((pl.col("region") == league.region) & (pl.col("year") <= year)).sort("year")
        last_year = int(series["year"][-1])
        value = float(series["mtco2"][-1]) * prov[year] / prov[last_year]
        regions.append(league.region)
        all_cells.append(shares * value)
        recent = series.filter(pl.col("year") >= _TREND_FROM)
        trend.append(float(np.clip(_slope(recent["year"].to_list(), recent["mtco2"].to_list()) - prov_slope,
                                   -5.0, 5.0)))
        league_year[league.region] = last_year
        activity.append(gdp_shares * 1.0)
    return BaseInventory(base_year=year, regions=tuple(regions), cells=np.stack(all_cells),
                         activity=np.stack(activity), trend_pct=np.array(trend), trend_fades_by=_TREND_FADES_BY,
                         league_base_year=league_year, residuals=residuals)


def backcast(inventory: pl.DataFrame, catalog: Catalog, *, base_year: int, to_year: int,
             gdp_ratio: float) -> dict[str, tuple[float, float]]:
    """Backcast the region's sector emissions of ``to_year`` from the base year with the no-lever drivers.

    Each sector is scaled by ``gdp_ratio ** elasticity`` (GDP of ``to_year`` over the base year) and by
    its autonomous intensity change run backwards. Returns sector → (backcast, CEADs) in MtCO2, plus
    ``total``.
    """
    cells, _ = _sector_fuel_matrix(inventory, base_year, catalog)
    actual, _ = _sector_fuel_matrix(inventory, to_year, catalog)
    years = to_year - base_year
    out: dict[str, tuple[float, float]] = {}
    for i, s in enumerate(catalog.sectors):
        factor = gdp_ratio ** s.elasticity * (1.0 + s.intensity_change_pct / 100.0) ** years
        out[s.id] = (float(cells[i].sum() * factor), float(actual[i].sum()))
    out["total"] = (sum(v[0] for v in out.values()), sum(v[1] for v in out.values()))
    return out
