"""Monitored vs reported energy, and specific energy use against benchmark (标杆) and baseline (基准) levels.

Data: ``reference/data/benchmarks/energy_efficiency_levels.csv`` (see the README beside it). Each
row carries the three grades of the mandatory national energy-limit standard (GB 30180, GB 29436,
GB 21341 …) with certainty **S** (a public transcription of the standard tables), and, where the
reference doc recalls them, the policy-list 标杆/基准 levels with certainty **R** (recalled, not
found as text; never a test's expected value). Lower specific energy is better for every product
(for BOF steel the values are negative: net recovery).

Positions
---------
``优于标杆``
    specific energy ≤ 标杆 (reaches or beats the benchmark level);
``标杆–基准之间``
    标杆 < specific energy ≤ 基准;
``未达基准``
    specific energy > 基准;
``无标杆基准``
    the product has no 标杆/基准 levels in the file.

The GB grade (``1级``, ``2级``, ``3级``, ``未达3级``) is given beside the position; a value at a
grade's limit counts as meeting that grade.
"""

from __future__ import annotations

import io
from functools import lru_cache
from importlib import resources
from typing import Literal

import polars as pl

from tanfeng.errors import InputError, ReferenceDataError, at

__all__ = ["GAP_TOLERANCE", "GRADES", "LEVELS_FILE", "POSITIONS", "Side", "classify", "load_levels",
           "monitored_vs_reported", "specific_energy"]

LEVELS_FILE = "energy_efficiency_levels.csv"
GAP_TOLERANCE = 0.05
"""Monitored vs reported tolerance: gaps above 5 % are flagged (the national monitoring rule "daily
vs monthly gap ≤ 5 %", docs/reference/anchor_systems.md, Monitoring; secondary source)."""

POSITIONS = ("优于标杆", "标杆–基准之间", "未达基准", "无标杆基准")
GRADES = ("1级", "2级", "3级", "未达3级")

_SCHEMA: dict[str, pl.DataType] = {
    "product": pl.String(), "product_zh": pl.String(), "standard": pl.String(), "table": pl.String(),
    "grade_1": pl.Float64(), "grade_2": pl.Float64(), "grade_3": pl.Float64(),
    "benchmark": pl.Float64(), "baseline": pl.Float64(), "unit": pl.String(),
    "grades_certainty": pl.String(), "levels_certainty": pl.String(), "source": pl.String(), "note": pl.String(),
}


@lru_cache(maxsize=1)
def _load() -> pl.DataFrame:
    text = (resources.files("tanfeng.reference").joinpath("data", "benchmarks", LEVELS_FILE)
            .read_text(encoding="utf-8"))
    where = f"reference/data/benchmarks/{LEVELS_FILE}"
    try:
        frame = pl.read_csv(io.StringIO(text), schema=_SCHEMA)
    except pl.exceptions.ComputeError as exc:
        msg = f"cannot read: {exc}"
        raise ReferenceDataError(msg, location=at(where)) from exc
    checks: list[tuple[pl.Expr, str, str]] = [
        (pl.col("product").is_duplicated(), "product", "product listed twice"),
        (pl.col("grades_certainty") != "S", "grades_certainty", "GB grades must be marked S"),
        (pl.col("grade_1").is_null() | pl.col("grade_3").is_null(), "grade_1", "grades 1 and 3 are required"),
        (pl.col("grade_1") > pl.col("grade_3"), "grade_1", "grade 1 must not exceed grade 3 (lower is better)"),
        (pl.col("benchmark").is_null() != pl.col("baseline").is_null(), "benchmark",
         "标杆 and 基准 come together"),
        (pl.col("benchmark") > pl.col("baseline"), "benchmark", "标杆 must not exceed 基准"),
        (pl.col("benchmark").is_not_null() & (pl.col("levels_certainty").fill_null("") == ""),
         "levels_certainty", "标杆/基准 need a certainty mark"),
        (pl.col("source").fill_null("") == "", "source", "every row needs its source"),
    ]
    for cond, field, what in checks:
        bad = frame.with_row_index("_i").filter(cond.fill_null(False))
        if bad.height:
            msg = f"{what} ({bad['product'][0]})"
            raise ReferenceDataError(msg, location=at(where, line=int(bad["_i"][0]) + 2, field=field))
    return frame


def load_levels() -> pl.DataFrame:
    """The energy-efficiency levels file as a frame (one row per product, columns as in the CSV)."""
    return _load().clone()


def specific_energy(energy_tce: pl.Expr, output: pl.Expr) -> pl.Expr:
    """Specific energy use in kgce per unit of output: ``energy_tce × 1000 / output``."""
    return energy_tce * 1000.0 / output


def classify(units: pl.DataFrame, levels: pl.DataFrame | None = None) -> pl.DataFrame:
    """Place each unit's specific energy use against its product's grades and 标杆/基准 levels.

    Parameters
    ----------
    units
        ``unit_code, product, specific`` with ``specific`` in the level's unit (kgce/t for most
        products, kWh/t for electrolytic aluminium, gce/kWh for coal power).
    levels
        Level table (default: :func:`load_levels`).

    Returns
    -------
    polars.DataFrame
        The input plus ``unit``, ``grade_1 … baseline``, ``levels_certainty``, ``gb_grade`` and
        ``position``.

    Raises
    ------
    InputError
        If a product is not in the level table (the message names the row).
    """
    lv = load_levels() if levels is None else levels
    for col in ("unit_code", "product", "specific"):
        if col not in units.columns:
            msg = f"units frame lacks column '{col}'"
            raise InputError(msg)
    unknown = units.with_row_index("_i").join(lv.select("product"), on="product", how="anti")
    if unknown.height:
        msg = (f"product '{unknown['product'][0]}' of unit {unknown['unit_code'][0]} has no energy-efficiency "
               "levels")
        raise InputError(msg, location=at(row=int(unknown["_i"][0]) + 1, field="product"),
                         hint=f"known products: {sorted(lv['product'].to_list())}")
    v = pl.col("specific")
    g2 = pl.coalesce("grade_2", "grade_3")
    return units.join(
        lv.select("product", "unit", "grade_1", "grade_2", "grade_3", "benchmark", "baseline", "levels_certainty"),
        on="product", how="left",
    ).with_columns(
        gb_grade=pl.when(v <= pl.col("grade_1")).then(pl.lit("1级"))
        .when(v <= g2).then(pl.lit("2级"))
        .when(v <= pl.col("grade_3")).then(pl.lit("3级"))
        .otherwise(pl.lit("未达3级")),
        position=pl.when(pl.col("benchmark").is_null()).then(pl.lit("无标杆基准"))
        .when(v <= pl.col("benchmark")).then(pl.lit("优于标杆"))
        .when(v <= pl.col("baseline")).then(pl.lit("标杆–基准之间"))
        .otherwise(pl.lit("未达基准")),
    )


Side = Literal["both", "monitored_only", "reported_only"]


def monitored_vs_reported(monitored: pl.DataFrame, reported: pl.DataFrame, *,
                          tolerance: float = GAP_TOLERANCE) -> pl.DataFrame:
    """Compare monitored and reported energy per unit and period.

    Parameters
    ----------
    monitored, reported
        ``unit_code, period, energy_tce`` each (period of any type, equal on both sides).
    tolerance
        Relative gap above which a row is flagged (default 5 %).

    Returns
    -------
    polars.DataFrame
        ``unit_code, period, monitored_tce, reported_tce, gap`` (= (monitored − reported) /
        reported), ``present`` (both / monitored_only / reported_only) and ``flagged`` (gap
        above tolerance in absolute value, or one side missing, or reported = 0 with monitored ≠ 0).
    """
    keys = ["unit_code", "period"]
    m = monitored.select(*keys, pl.col("energy_tce").alias("monitored_tce"))
    r = reported.select(*keys, pl.col("energy_tce").alias("reported_tce"))
    out = m.join(r, on=keys, how="full", coalesce=True)
    gap = (pl.col("monitored_tce") - pl.col("reported_tce")) / pl.col("reported_tce")
    return out.with_columns(
        gap=pl.when(pl.col("reported_tce") != 0).then(gap),
        present=pl.when(pl.col("monitored_tce").is_null()).then(pl.lit("reported_only"))
        .when(pl.col("reported_tce").is_null()).then(pl.lit("monitored_only"))
        .otherwise(pl.lit("both")),
    ).with_columns(
        flagged=(pl.col("present") != "both")
        | (pl.col("gap").abs() > tolerance).fill_null(pl.col("monitored_tce") != pl.col("reported_tce")),
    ).sort(keys)
