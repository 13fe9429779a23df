"""Benchmark: a full regional inventory and a Monte Carlo on it (prints figures; never asserted in tests).

Shape: 13 regions (the region and 12 leagues) × 47 CEADs sectors × 30 products × 20 years of final
consumption, plus supply rows for the reference approach. Values are synthetic (seeded); the region codes
are placeholders, not read from any file.

Beside the inventory, the floor: the same sums written by hand in one lazy polars plan over the same factors (CO2
and tce per region, year, sector and fuel; the reference approach; totals per region and year), without checks or
provenance, timed in alternating rounds; the fastest of each is printed.

Run: ``.venv/bin/python benchmarks/bench_inventory.py [--draws 10000] [--rounds 5]``
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from importlib import resources

import numpy as np
import polars as pl

from tanfeng.accounting.inventory import regional_inventory
from tanfeng.accounting.uncertainty import inventory_uncertainty
from tanfeng.reference.factors import library

PRODUCTS = [
    "raw_coal", "washed_coal", "other_washed_coal", "briquettes", "coke", "coke_oven_gas", "blast_furnace_gas",
    "converter_gas", "coal_tar", "crude_benzene", "crude_oil", "gasoline", "kerosene", "diesel", "fuel_oil",
    "petroleum_coke", "lpg", "refinery_gas", "natural_gas", "heat", "electricity", "other_energy", "hydrogen",
    "biomass", "anthracite", "bituminous_coal", "lignite", "gangue", "naphtha", "lubricants",
]


def sectors() -> list[str]:
    text = resources.files("tanfeng.reference").joinpath("data", "energy", "ceads_sectors.csv").read_text(encoding="utf-8")
    return [r["id"] for r in csv.DictReader(text.splitlines())]


def build(n_regions: int = 13, n_years: int = 20, seed: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    secs = sectors()
    regions = [f"R{i:02d}" for i in range(n_regions)]
    years = list(range(2004, 2004 + n_years))
    # products without a factor in the china set are given zero consumption (they would be refused)
    burnable = PRODUCTS[:24] + PRODUCTS[24:27]
    g = pl.DataFrame({"region": regions}).join(pl.DataFrame({"year": years}), how="cross")
    g = g.join(pl.DataFrame({"sector": secs}), how="cross").join(pl.DataFrame({"product": PRODUCTS}), how="cross")
    vals = rng.gamma(2.0, 5.0, g.height)
    vals = np.where(g["product"].is_in(burnable).to_numpy(), vals, 0.0)
    final = g.with_columns(pl.lit("final_consumption").alias("flow"), pl.Series("value", vals))
    supply = (final.group_by("region", "year", "product").agg(pl.col("value").sum())
              .with_columns(pl.lit("production").alias("flow"), pl.lit("").alias("sector")))
    return pl.concat([final.select("region", "year", "flow", "sector", "product", "value"),
                      supply.select("region", "year", "flow", "sector", "product", "value")])


def _floor(balance: pl.DataFrame, ef: pl.DataFrame, tce: pl.DataFrame) -> list[pl.DataFrame]:
    """The same figures written by hand in one lazy polars plan, without validation or provenance: CO2 per region,
    year, sector and fuel (final consumption − non-energy use, at the fuel's factor), energy in tce per cell, the
    reference approach per region, year and fuel, and the totals per region and year."""
    lf = balance.lazy().join(ef.lazy(), on="product", how="left").join(tce.lazy(), on="product", how="left")
    sign = (pl.when(pl.col("flow") == "non_energy_use").then(-1.0)
            .when(pl.col("flow") == "final_consumption").then(1.0).otherwise(0.0))
    cells = (lf.filter(pl.col("flow").is_in(["final_consumption", "non_energy_use"]))
             .group_by("region", "year", "sector", "product")
             .agg((pl.col("value") * sign).sum().alias("activity"), pl.col("ef").first(), pl.col("coef").first())
             .with_columns((pl.col("activity") * pl.col("ef")).alias("tco2"),
                           (pl.col("activity") * pl.col("coef")).alias("tce")))
    ref = (lf.filter(pl.col("flow") == "production").group_by("region", "year", "product")
           .agg(pl.col("value").sum().alias("apparent"), pl.col("ef").first())
           .with_columns((pl.col("apparent") * pl.col("ef")).alias("tco2")))
    totals = (cells.group_by("region", "year").agg(pl.col("tco2").sum(), pl.col("tce").sum())
              .join(ref.group_by("region", "year").agg(pl.col("tco2").sum().alias("reference")), on=["region", "year"])
              .sort("region", "year"))
    return pl.collect_all([cells, ref, totals])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=5, help="timed rounds of the inventory and its floor")
    args = ap.parse_args()
    balance = build()
    library()  # load the factor files once, outside the timing
    print(f"balance rows: {balance.height:,}")
    electricity = dict.fromkeys(range(2004, 2024), 0.6)
    inv = regional_inventory(balance, electricity_factor=electricity)  # warm-up: polars' first plans
    ef = inv.cells.select("product", "ef").unique()
    tce = pl.DataFrame({"product": list(inv.meta["energy_coefficients"]),
                        "coef": list(inv.meta["energy_coefficients"].values())})
    ours, floor = [], []
    for _ in range(args.rounds):  # alternate, so both see the same load
        t0 = time.perf_counter()
        inv = regional_inventory(balance, electricity_factor=electricity)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        plain = _floor(balance, ef, tce)
        floor.append(time.perf_counter() - t0)
    print(f"inventory: {min(ours):.3f} s (fastest of {args.rounds}; target < 0.5 s); cells {inv.cells.height:,}; "
          f"totals {inv.totals.height}")
    print(f"floor, the same sums in one hand-written lazy polars plan (cells, energy, reference approach, totals; no "
          f"checks, no provenance): {min(floor):.3f} s → ratio {min(ours) / min(floor):.2f}× (goal ≤ 1.5×); "
          f"{plain[0].height:,} cells; load average {os.getloadavg()[0]:.1f}")
    t0 = time.perf_counter()
    res = inventory_uncertainty(inv, approach=2, draws=args.draws, seed=42)
    t1 = time.perf_counter()
    print(f"Monte Carlo {args.draws:,} draws: {t1 - t0:.2f} s (target < 10 s on 2 cores); "
          f"first interval ±{res.intervals[0].u95_pct:.2f} %")
    t0 = time.perf_counter()
    res1 = inventory_uncertainty(inv, approach=1)
    t1 = time.perf_counter()
    print(f"Approach 1: {t1 - t0:.3f} s; first interval ±{res1.intervals[0].u95_pct:.2f} %")


if __name__ == "__main__":
    main()
