"""The deterministic path: activity × structure × intensity × fuel mix × factor for every region and year.

``C[r,s,f,t] = Q[r,t] · S[r,s,t] · I[r,s,t] · M[r,s,f,t] · F[r,s,f,t]`` (MtCO2) with ``Q`` the region's
activity, ``S`` the sector's share of it, ``I`` energy per unit of activity (tce), ``M`` the fuel's share of
the sector's energy and ``F`` the fuel's factor (tCO2/tce; the cement process is a pseudo-fuel with factor 1).
Levers multiply one term along their path (mix levers move a share of one fuel to another). Under the
consumption-based view the power-and-heat sector's emissions serving exported electricity are left out
(the ``export`` term); the view is named in every result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tanfeng.scenarios.calibration import BaseInventory
from tanfeng.scenarios.catalog import Catalog
from tanfeng.scenarios.files import Lever, ResolvedScenario
from tanfeng.scenarios.lmdi import Array

__all__ = ["END_YEAR", "Path", "interpolate", "lever_path", "run_path"]

END_YEAR = 2060


def interpolate(points: dict[int, float], years: Array) -> Array:
    """Linear between the given years, flat before the first and after the last."""
    xs = np.array(sorted(points), dtype=np.float64)
    ys = np.array([points[int(x)] for x in xs], dtype=np.float64)
    return np.interp(years, xs, ys)


def lever_path(lever: Lever, years: Array) -> Array:
    """A lever's % along the years: 0 in the base year unless given, linear between points, flat after."""
    points = dict(lever.path)
    base = int(years[0])
    if base not in points and min(points) > base:
        points[base] = 0.0
    return interpolate(points, years)


@dataclass(frozen=True)
class Path:
    """A scenario's deterministic path; arrays indexed (region, sector, fuel, year) as the catalogue orders."""

    scenario: str
    electricity_accounting: str
    years: Array
    regions: tuple[str, ...]
    activity: Array
    """Sector activity (R, S, T)."""
    intensity: Array
    """Energy per unit of activity (R, S, T), Mtce per unit."""
    mix: Array
    """Fuel shares of sector energy (R, S, F, T)."""
    factor: Array
    """Factors (R, S, F, T), tCO2/tce."""
    export: Array
    """Share of each cell counted in the region (R, S, F, T): 1, or 1 − export share for power and heat under
    the consumption-based view."""
    exported: Array
    """Emissions left out as exported electricity (R, T), MtCO2 (0 under the production-based view)."""
    steps: tuple[tuple[str, Array], ...]
    """Emissions (R, S, F, T) after the drivers and after each lever in turn: ('drivers', …), (lever id, …)."""

    @property
    def cells(self) -> Array:
        """Counted emissions (R, S, F, T), MtCO2."""
        return self.steps[-1][1]

    @property
    def totals(self) -> Array:
        """Counted emissions per region and year (R, T), MtCO2."""
        return np.asarray(self.cells.sum(axis=(1, 2)), dtype=np.float64)

    @property
    def energy(self) -> Array:
        """Energy per region, sector and year (R, S, T), Mtce, the process pseudo-fuel left out."""
        fuel_energy = self.activity[:, :, None, :] * self.intensity[:, :, None, :] * self.mix
        return np.asarray(fuel_energy[:, :, :-1, :].sum(axis=2), dtype=np.float64)


def _base_terms(base: BaseInventory, catalog: Catalog) -> tuple[Array, Array, Array]:
    factors = np.array([f.factor for f in catalog.fuels])
    energy_sf = base.cells / factors[None, None, :]
    energy_s = energy_sf.sum(axis=2)
    intensity0 = np.divide(energy_s, base.activity, out=np.zeros_like(energy_s), where=base.activity > 0)
    mix0 = np.divide(energy_sf, energy_s[:, :, None], out=np.zeros_like(energy_sf), where=energy_s[:, :, None] > 0)
    return intensity0, mix0, factors


def _activity(base: BaseInventory, catalog: Catalog, gdp_pct: Array, years: Array) -> Array:
    elasticity = np.array([s.elasticity for s in catalog.sectors])
    fade = np.clip((base.trend_fades_by - years) / max(base.trend_fades_by - years[0], 1.0), 0.0, 1.0)
    growth = elasticity[None, :, None] * gdp_pct[None, None, :] + (base.trend_pct[:, None] * fade[None, :])[:, None, :]
    growth[:, :, 0] = 0.0
    return base.activity[:, :, None] * np.cumprod(1.0 + growth / 100.0, axis=2)


def _apply(lever: Lever, pct: Array, mask: Array, catalog: Catalog, terms: dict[str, Array]) -> None:
    sectors = [i for i, s in enumerate(catalog.sector_ids) if lever.sector in ("*", s)]
    keep = 1.0 - pct / 100.0
    for si in sectors:
        if lever.kind == "activity":
            terms["activity"][mask, si, :] *= keep
        elif lever.kind == "intensity":
            terms["intensity"][mask, si, :] *= keep
        elif lever.kind == "factor":
            fi = catalog.fuel_ids.index(str(lever.fuel))
            terms["factor"][mask, si, fi, :] *= keep
        else:
            fi = catalog.fuel_ids.index(str(lever.fuel))
            ti = catalog.fuel_ids.index(str(lever.to_fuel))
            moved = terms["mix"][mask, si, fi, :] * (pct / 100.0)
            terms["mix"][mask, si, fi, :] -= moved
            terms["mix"][mask, si, ti, :] += moved


def _cells(terms: dict[str, Array], export: Array) -> Array:
    return np.asarray(terms["activity"][:, :, None, :] * terms["intensity"][:, :, None, :] * terms["mix"]
                      * terms["factor"] * export, dtype=np.float64)


def run_path(base: BaseInventory, scenario: ResolvedScenario, catalog: Catalog, *, end_year: int = END_YEAR,
             levers: bool = True) -> Path:
    """The deterministic path of ``scenario`` from the base year to ``end_year`` (``levers=False``: drivers only)."""
    years = np.arange(base.base_year, end_year + 1, dtype=np.float64)
    n_r, n_s, n_f = base.cells.shape
    intensity0, mix0, factors = _base_terms(base, catalog)
    rates = np.array([s.intensity_change_pct for s in catalog.sectors])
    tau = years - years[0]
    terms = {
        "activity": _activity(base, catalog, interpolate(scenario.gdp_growth_pct, years), years),
        "intensity": intensity0[:, :, None] * (1.0 + rates[None, :, None] / 100.0) ** tau[None, None, :],
        "mix": np.repeat(mix0[:, :, :, None], len(years), axis=3),
        "factor": np.broadcast_to(factors[None, None, :, None], (n_r, n_s, n_f, len(years))).copy(),
    }
    export = np.ones((n_r, n_s, n_f, len(years)))
    if scenario.electricity_accounting == "consumption":
        export[:, catalog.sector_ids.index("power_heat"), :, :] = 1.0 - interpolate(scenario.export_share, years)
    steps: list[tuple[str, Array]] = [("drivers", _cells(terms, export))]
    if levers:
        for lever in scenario.levers:
            mask = np.array([lever.regions is None or r in lever.regions for r in base.regions])
            _apply(lever, lever_path(lever, years), mask, catalog, terms)
            steps.append((lever.id, _cells(terms, export)))
    full = _cells(terms, np.ones_like(export))
    exported = np.asarray((full - steps[-1][1]).sum(axis=(1, 2)), dtype=np.float64)
    return Path(scenario=scenario.name, electricity_accounting=scenario.electricity_accounting, years=years,
                regions=base.regions, activity=terms["activity"], intensity=terms["intensity"], mix=terms["mix"],
                factor=terms["factor"], export=export, exported=exported, steps=tuple(steps))
