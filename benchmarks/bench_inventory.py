"""Benchmark: a full regional inventory and a Monte Carlo on it (prints figures; never asserted in tests).

Shape: 13 regions (the region and 12 leagues) × 47 CEADs sectors × 30 products × 20 years of final
consumption, plus supply rows for the reference approach. Values are synthetic (seeded); the region codes
are placeholders, not read from any file.

Run: ``.venv/bin/python benchmarks/bench_inventory.py [--draws 10000]``
"""

from __future__ import annotations

import argparse
import csv
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=10_000)
    args = ap.parse_args()
    balance = build()
    library()  # load the factor files once, outside the timing
    print(f"balance rows: {balance.height:,}")
    t0 = time.perf_counter()
    inv = regional_inventory(balance, electricity_factor=dict.fromkeys(range(2004, 2024), 0.6))
    t1 = time.perf_counter()
    print(f"inventory: {t1 - t0:.3f} s (target < 0.5 s); cells {inv.cells.height:,}; totals {inv.totals.height}")
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
