"""Uncertainty of emission totals (IPCC 2006 Vol.1 Ch.3).

- **Approach 1** (error propagation): for a product E = AD × EF, U = √(U_AD² + U_EF²) (eq. 3.1); for a sum,
  U_total = √Σ(Uᵢ·xᵢ)² / |Σxᵢ| (eq. 3.2). U are 95 % half-widths in per cent.
- **Approach 2** (Monte Carlo): factors and activities drawn from normal distributions (σ = U/1.96),
  vectorised with numpy and seeded. A factor is one draw per iteration shared by every cell that uses it
  (correlated across sectors); activity errors are independent per cell. Cells sharing a factor within a
  region-year are aggregated first: the sum of independent normal activity errors is normal with variance
  Σ(Aᵢσᵢ)², so this is exact for normal activities and keeps memory at draws × regions × factors.

Uncertainties come from ``factors/uncertainty.csv`` (each with its source and confidence).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import polars as pl
from pydantic import BaseModel

from tanfeng.accounting.enterprise import EnterpriseResult
from tanfeng.accounting.inventory import Inventory
from tanfeng.reference.factors import FactorLibrary, Uncertainty, library

__all__ = ["Z95", "EnterpriseInterval", "GroupInterval", "UncertaintyResult", "combine_product", "combine_sum", "enterprise_uncertainty", "inventory_uncertainty"]

Z95 = 1.959963984540054
"""Two-sided 95 % quantile of the standard normal distribution."""


class GroupInterval(BaseModel):
    """A total with its 95 % interval (tCO2)."""

    region: str
    year: int
    total: float
    lower: float
    upper: float
    u95_pct: float


class UncertaintyResult(BaseModel):
    """95 % intervals of an inventory's gross totals (energy sectoral + processes)."""

    approach: Literal[1, 2]
    method: str
    draws: int | None = None
    seed: int | None = None
    intervals: list[GroupInterval]
    uncertainties: list[Uncertainty]


def combine_product(*u_pct: float) -> float:
    """IPCC eq. 3.1: relative 95 % half-width (per cent) of a product of independent quantities."""
    return float(np.sqrt(np.sum(np.square(u_pct))))


def combine_sum(values: npt.ArrayLike, u_pct: npt.ArrayLike) -> float:
    """IPCC eq. 3.2: relative 95 % half-width (per cent) of a sum of independent quantities.

    Parameters
    ----------
    values
        The terms xᵢ (any one unit).
    u_pct
        Their 95 % half-widths in per cent of each term.
    """
    x = np.asarray(values, dtype=float)
    u = np.asarray(u_pct, dtype=float)
    total = x.sum()
    if total == 0:
        return 0.0
    return float(np.sqrt(np.sum(np.square(u * x))) / abs(total))


class EnterpriseInterval(BaseModel):
    """An enterprise total with its 95 % interval (tCO2e), by IPCC Approach 1."""

    total: float
    lower: float
    upper: float
    u95_pct: float
    line_u95_pct: list[float]
    uncertainties: list[Uncertainty]


def enterprise_uncertainty(result: EnterpriseResult, *, lib: FactorLibrary | None = None) -> EnterpriseInterval:
    """95 % interval of an enterprise total by Approach 1 (eq. 3.1 per line, eq. 3.2 over lines).

    Each line's activity takes the ``enterprise_metered`` activity uncertainty; its factor the uncertainty of
    its kind (fuel CO2 factor, process, PFC, grid or heat factor). Recovered CO2 is taken as exact.
    """
    lib = lib or library()
    used: dict[tuple[str, str], Uncertainty] = {}

    def u(what: str, key: str) -> float:
        rec = lib.uncertainty(what, key)
        used[(rec.what, rec.key)] = rec
        return rec.u95_pct

    kinds = {"combustion": "co2_ef", "electricity": "grid_co2", "heat": "heat_co2"}
    u_lines: list[float] = []
    for line in result.lines:
        if line.category == "recovered":
            u_lines.append(0.0)
            continue
        what = kinds.get(line.category) or ("process_pfc" if line.gas != "CO2" else "process_co2")
        u_lines.append(combine_product(u("activity", "enterprise_metered"), u(what, line.item)))
    values = [line.tco2e for line in result.lines]
    rel = combine_sum(values, u_lines) if values else 0.0
    half = abs(result.total) * rel / 100
    return EnterpriseInterval(total=result.total, lower=result.total - half, upper=result.total + half, u95_pct=rel,
                              line_u95_pct=u_lines, uncertainties=list(used.values()))


def _arrays(inv: Inventory, lib: FactorLibrary) -> tuple[pl.DataFrame, list[str], npt.NDArray[np.float64],
                                                         npt.NDArray[np.float64], npt.NDArray[np.float64],
                                                         npt.NDArray[np.float64], list[Uncertainty]]:
    used: dict[tuple[str, str], Uncertainty] = {}

    def u(what: str, key: str) -> float:
        rec = lib.uncertainty(what, key)
        used[(rec.what, rec.key)] = rec
        return rec.u95_pct

    u_ad_energy = u("activity", "energy_statistics")
    cells = inv.cells.filter(pl.col("ef") != 0).select(
        "region", "year", pl.col("product").alias("factor"), "activity", "ef",
        pl.lit(u_ad_energy).alias("u_ad"))
    cells = cells.with_columns(pl.col("factor").replace_strict(
        {p: u("co2_ef", p) for p in cells["factor"].unique().to_list()}, return_dtype=pl.Float64).alias("u_ef"))
    if inv.processes.height:
        u_ad_proc = u("activity", "industrial_production")
        proc = inv.processes.select(
            "region", "year", ("process:" + pl.col("process")).alias("factor"), pl.col("value").alias("activity"), "ef",
            pl.lit(u_ad_proc).alias("u_ad"))
        proc = proc.with_columns(pl.col("factor").replace_strict(
            {p: u("process_co2", p.split(":", 1)[1]) for p in proc["factor"].unique().to_list()},
            return_dtype=pl.Float64).alias("u_ef"))
        cells = pl.concat([cells, proc.select(cells.columns)])
    agg = cells.group_by("region", "year", "factor").agg(
        pl.col("activity").sum().alias("a"),
        ((pl.col("activity") * pl.col("u_ad") / 100 / Z95) ** 2).sum().sqrt().alias("a_sd"),
        pl.col("ef").first(), pl.col("u_ef").first())
    groups = inv.totals.select("region", "year").sort("region", "year")
    factors = sorted(set(agg["factor"].to_list()))
    fidx = pl.DataFrame({"factor": factors, "f": list(range(len(factors)))}, schema={"factor": pl.String, "f": pl.Int64})
    gidx = groups.with_row_index("g").with_columns(pl.col("g").cast(pl.Int64))
    agg = agg.join(fidx, on="factor").join(gidx, on=["region", "year"])
    g_n, f_n = groups.height, len(factors)
    a = np.zeros((g_n, f_n))
    a_sd = np.zeros((g_n, f_n))
    a[agg["g"].to_numpy(), agg["f"].to_numpy()] = agg["a"].to_numpy()
    a_sd[agg["g"].to_numpy(), agg["f"].to_numpy()] = agg["a_sd"].to_numpy()
    ef_tab = agg.group_by("f").agg(pl.col("ef").first(), pl.col("u_ef").first()).sort("f")
    ef = ef_tab["ef"].to_numpy().astype(float)
    ef_sd = ef * ef_tab["u_ef"].to_numpy() / 100 / Z95
    return groups, factors, a, a_sd, ef, ef_sd, list(used.values())


def inventory_uncertainty(inv: Inventory, *, approach: Literal[1, 2] = 2, draws: int = 10_000, seed: int = 0,
                          chunk: int = 1_000, lib: FactorLibrary | None = None) -> UncertaintyResult:
    """95 % intervals of each region-year's gross total (energy, sectoral approach, + industrial processes).

    Parameters
    ----------
    inv
        A computed inventory.
    approach
        1: error propagation; 2: Monte Carlo.
    draws
        Monte Carlo iterations (approach 2).
    seed
        Seed of the numpy generator (approach 2); the same seed gives the same intervals.
    chunk
        Draws computed at a time (bounds memory: chunk × regions × factors floats).
    lib
        Factor library holding the uncertainties (default: the shipped one).
    """
    lib = lib or library()
    groups, _factors, a, a_sd, ef, ef_sd, used = _arrays(inv, lib)
    mean = a @ ef
    regions, years = groups["region"].to_list(), groups["year"].to_list()
    if approach == 1:
        x = a * ef
        with np.errstate(divide="ignore", invalid="ignore"):
            u_ad = np.where(a != 0, a_sd * Z95 / np.abs(a) * 100, 0.0)
            u_ef = np.where(ef != 0, ef_sd * Z95 / np.abs(ef) * 100, 0.0)
        u_line = np.sqrt(u_ad**2 + u_ef[None, :] ** 2)
        half = np.sqrt(np.sum((u_line * x) ** 2, axis=1)) / 100
        intervals = [GroupInterval(region=r, year=y, total=float(m), lower=float(m - h), upper=float(m + h),
                                   u95_pct=float(h / abs(m) * 100) if m else 0.0)
                     for r, y, m, h in zip(regions, years, mean, half, strict=True)]
        return UncertaintyResult(approach=1, method="IPCC 2006 Vol.1 Ch.3 Approach 1 (eq. 3.1, 3.2)",
                                 intervals=intervals, uncertainties=used)
    rng = np.random.default_rng(seed)
    totals = np.empty((draws, a.shape[0]))
    for start in range(0, draws, chunk):
        n = min(chunk, draws - start)
        ef_d = ef + ef_sd * rng.standard_normal((n, ef.size))
        base = ef_d @ a.T
        noise = np.einsum("nf,gf,ngf->ng", ef_d, a_sd, rng.standard_normal((n, *a.shape)), optimize=True)
        totals[start:start + n] = base + noise
    lo, hi = np.percentile(totals, [2.5, 97.5], axis=0)
    mid = totals.mean(axis=0)
    intervals = [GroupInterval(region=r, year=y, total=float(m), lower=float(lw), upper=float(up),
                               u95_pct=float((up - lw) / 2 / abs(m) * 100) if m else 0.0)
                 for r, y, m, lw, up in zip(regions, years, mid, lo, hi, strict=True)]
    return UncertaintyResult(approach=2, method="IPCC 2006 Vol.1 Ch.3 Approach 2 (Monte Carlo, normal, seeded)",
                             draws=draws, seed=seed, intervals=intervals, uncertainties=used)
