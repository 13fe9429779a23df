"""Bottom-up against top-down: the units' reported emissions per league and industry beside the stored
regional inventory, with the coverage (bottom-up ÷ inventory)."""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from tanfeng.enterprises.sample import SAMPLE_NOTICE
from tanfeng.store import repository_key_units as repo

__all__ = ["REGION_CODE", "bottom_up_vs_top_down"]

REGION_CODE = "150000"
"""The region whose inventory the units' total is compared with."""


def _inventories(session: Session, year: int) -> dict[str, tuple[float, int]]:
    """Region → (tCO2, run id) of its newest stored inventory run for ``year``."""
    inventory: dict[str, tuple[float, int]] = {}
    for run in repo.inventory_runs(session, year=year):
        if run.region and run.region not in inventory and run.tco2 is not None:
            inventory[run.region] = (run.tco2, run.id)
    return inventory


def _grouped(frame: pl.DataFrame, key: str) -> pl.DataFrame:
    return frame.group_by(key).agg(pl.col("tco2").sum(), pl.len().alias("units"), pl.col("sample").any()).sort(key)


def bottom_up_vs_top_down(session: Session, *, year: int) -> dict[str, Any]:
    """Units' reported emissions per league and industry beside the stored regional inventory, with coverage.

    Bottom-up: the ``tco2`` figure of each unit's GHG report for ``year`` (any state but draft), summed per
    league and per industry. Top-down: the newest stored ``inventory`` accounting run for that league (or
    for the region ``150000``) and year. Coverage = bottom-up ÷ inventory.
    """
    frame = pl.DataFrame([{"league": lg, "industry": ind, "sample": s, "tco2": float(f.get("tco2") or 0.0)}
                          for lg, ind, s, f in repo.ghg_figures(session, year=year)],
                         schema={"league": pl.String, "industry": pl.String, "sample": pl.Boolean, "tco2": pl.Float64})
    inventory = _inventories(session, year)
    leagues = []
    for r in _grouped(frame, "league").iter_rows(named=True):
        inv = inventory.get(r["league"])
        leagues.append({**r, "inventory_tco2": inv[0] if inv else None, "inventory_run": inv[1] if inv else None,
                        "coverage": r["tco2"] / inv[0] if inv and inv[0] else None})
    total = float(frame["tco2"].sum()) if frame.height else 0.0
    region = inventory.get(REGION_CODE)
    sample = bool(frame["sample"].any()) if frame.height else False
    return {"year": year, "bottom_up_tco2": total, "leagues": leagues,
            "industries": [dict(r) for r in _grouped(frame, "industry").iter_rows(named=True)],
            "inventory_tco2": region[0] if region else None, "inventory_run": region[1] if region else None,
            "coverage": total / region[0] if region and region[0] else None, "sample": sample,
            "notice": SAMPLE_NOTICE if sample else None}
