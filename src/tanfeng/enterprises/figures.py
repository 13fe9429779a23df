"""The figures of an annual report, computed from what the unit filled in (never typed).

Energy in tce (GB/T 2589 coefficients; electricity at its equivalent value, 0.1229 kgce/kWh), CO2 in t
(China default combustion factors; electricity at the Inner Mongolia grid factor of the report year or
the newest earlier year in the factor library, named in ``grid_year``), budget use, and the specific
energy of each product made with its position against the benchmark levels.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from tanfeng.accounting import electricity_co2, enterprise_emissions, to_standard_coal
from tanfeng.accounting.enterprise import EnterpriseReport, FuelUse
from tanfeng.enterprises.annual_report import ReportContent
from tanfeng.enterprises.benchmarks import classify, load_levels
from tanfeng.errors import TanfengError

__all__ = ["GRID_REGION", "GRID_YEARS_BACK", "benchmark_positions", "compute_figures", "energy_tce",
           "newest_grid_year"]

GRID_REGION = "150000"
"""Grid factor region for electricity: Inner Mongolia's provincial average-supply factor."""

GRID_YEARS_BACK = 8
"""How many years before the report year the grid factor may come from when that year has none."""


def newest_grid_year(year: int) -> int | None:
    """The newest year ≤ ``year`` (at most :data:`GRID_YEARS_BACK` back) with a grid factor for the region."""
    for y in range(year, year - GRID_YEARS_BACK, -1):
        try:
            electricity_co2(1.0, "MWh", GRID_REGION, y)
        except TanfengError:
            continue
        return y
    return None


def energy_tce(content: ReportContent) -> tuple[float, list[dict[str, Any]]]:
    """Total energy (tce) of a report and one line per fuel with its coefficient.

    Net purchased electricity (MWh) and heat (GJ) count as well; they have no line.
    """
    energy = 0.0
    lines = []
    for i, f in enumerate(content.fuels, start=1):
        res = to_standard_coal(f.quantity, f.unit, f.product)
        energy += res.value
        lines.append({"line": i, "product": res.product, "tce": res.value, "coefficient": res.coefficient,
                      "coefficient_unit": res.coefficient_unit})
    net_mwh = content.purchased_electricity - content.exported_electricity
    if net_mwh:
        energy += to_standard_coal(net_mwh, "MWh", "electricity").value
    net_gj = content.purchased_heat - content.exported_heat
    if net_gj:
        energy += to_standard_coal(net_gj, "GJ", "heat").value
    return energy, lines


def benchmark_positions(unit_code: str, energy: float, content: ReportContent) -> list[dict[str, Any]]:
    """Specific energy (kgce/t) of each product made that has benchmark levels, and its position."""
    positions: list[dict[str, Any]] = []
    levels = load_levels()
    known = set(levels["product"].to_list())
    for o in content.outputs:
        if o.quantity <= 0 or o.product not in known:
            continue
        unit_of = levels.filter(pl.col("product") == o.product)["unit"][0]
        if unit_of != "kgce/t" or o.unit != "t":
            positions.append({"product": o.product, "position": None,
                              "reason": f"levels in {unit_of}; only kgce/t per t of output is computed"})
            continue
        specific = energy * 1000.0 / o.quantity
        row = classify(pl.DataFrame({"unit_code": [unit_code], "product": [o.product], "specific": [specific]}),
                       levels).row(0, named=True)
        positions.append({"product": o.product, "specific_kgce_per_t": specific, "position": row["position"],
                          "gb_grade": row["gb_grade"], "benchmark": row["benchmark"], "baseline": row["baseline"]})
    return positions


def compute_figures(unit_code: str, year: int, content: ReportContent,
                    budget_tce: float | None = None) -> dict[str, Any]:
    """Figures of a report: energy (tce), CO2 (t) by source, budget use, benchmark positions."""
    energy, lines = energy_tce(content)
    grid_year = newest_grid_year(year)
    report = EnterpriseReport(
        enterprise=unit_code, year=year,
        fuels=[FuelUse(product=f.product, quantity=f.quantity, unit=f.unit) for f in content.fuels],
        purchased_electricity=content.purchased_electricity, exported_electricity=content.exported_electricity,
        electricity_unit="MWh", purchased_heat=content.purchased_heat, exported_heat=content.exported_heat,
        heat_unit="GJ", grid_region=GRID_REGION if grid_year else None, grid_year=grid_year)
    result = enterprise_emissions(report)
    return {
        "energy_tce": energy, "tco2": result.total, "combustion_tco2": result.combustion,
        "electricity_tco2": result.electricity, "heat_tco2": result.heat, "grid_year": grid_year,
        "energy_lines": lines, "method": result.method, "budget_tce": budget_tce,
        "budget_use": energy / budget_tce if budget_tce else None,
        "benchmark": benchmark_positions(unit_code, energy, content),
    }
