"""Seeded, vectorised Monte Carlo of the peak: drivers, intensity trends and emission factors drawn together.

Each draw ``d`` scales a scenario's counted cells by ``((1 + ε_d)(1 + η_{d,s}))^τ · φ_{d,f}``: ``ε`` a
shift of the yearly GDP growth (normal, ``gdp_growth_sd_pp``), ``η`` a shift of each sector's yearly
intensity change (normal, ``intensity_change_sd_pp``), ``φ`` a factor multiplier per fuel (normal, mean 1,
95 % half-width ``u95_pct``, truncated at 0), ``τ`` years since the base year. Draws run in chunks so that
10 000 draws over 13 regions × 10 sectors × 5 fuels × 41 years stay within a few hundred MB.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tanfeng.scenarios.lmdi import Array

__all__ = ["PeakDraws", "draw_peaks", "peak_of"]


@dataclass(frozen=True)
class PeakDraws:
    """Per region: the peak year and value of each draw, and the 5/50/95 % bands of each year's total."""

    seed: int
    draws: int
    peak_year: Array
    """(D, R) peak years."""
    peak_value: Array
    """(D, R) peak values, MtCO2."""
    low: Array
    """(R, T) 5th percentile, MtCO2."""
    median: Array
    high: Array
    """(R, T) 95th percentile, MtCO2."""

    def p_peak_by(self, year: int) -> Array:
        """Share of draws peaking in or before ``year``, per region."""
        return np.asarray((self.peak_year <= year).mean(axis=0), dtype=np.float64)


def peak_of(totals: Array, years: Array) -> tuple[Array, Array]:
    """Peak year and value along the last axis (the first year of the maximum)."""
    idx = np.argmax(totals, axis=-1)
    return years[idx], np.take_along_axis(totals, idx[..., None], axis=-1)[..., 0]


def draw_peaks(cells: Array, years: Array, *, gdp_sd_pp: float, intensity_sd_pp: float, factor_u95_pct: Array,
               draws: int, seed: int, chunk: int = 500) -> PeakDraws:
    """Draw ``draws`` paths around ``cells`` (R, S, F, T) and summarise them.

    Parameters
    ----------
    cells
        The deterministic counted emissions of a scenario, MtCO2.
    years
        The years of the last axis (the first is the base year).
    gdp_sd_pp, intensity_sd_pp
        Standard deviations of the growth shifts, percentage points a year.
    factor_u95_pct
        (F,) relative 95 % half-widths of the factors, %.
    draws, seed
        How many draws, and the seed (the same seed gives the same figures).
    """
    rng = np.random.default_rng(seed)
    n_r, n_s, n_f, n_t = cells.shape
    tau = years - years[0]
    eps = rng.normal(0.0, gdp_sd_pp / 100.0, size=draws)
    eta = rng.normal(0.0, intensity_sd_pp / 100.0, size=(draws, n_s))
    phi = np.clip(rng.normal(1.0, factor_u95_pct / 196.0, size=(draws, n_f)), 0.0, None)
    totals = np.empty((draws, n_r, n_t))
    by_fuel = np.ascontiguousarray(cells.transpose(0, 1, 3, 2))  # (R, S, T, F)
    for start in range(0, draws, chunk):
        sl = slice(start, min(start + chunk, draws))
        by_sector = by_fuel @ phi[sl].T  # (R, S, T, D): one matrix product per region and sector
        growth = ((1.0 + eps[sl, None, None]) * (1.0 + eta[sl, :, None])) ** tau[None, None, :]  # (D, S, T)
        totals[sl] = np.einsum("rstd,dst->drt", by_sector, growth, optimize=True)
    peak_year, peak_value = peak_of(totals, years)
    low, median, high = np.percentile(totals, [5.0, 50.0, 95.0], axis=0)
    return PeakDraws(seed=seed, draws=draws, peak_year=peak_year, peak_value=peak_value, low=low, median=median,
                     high=high)
