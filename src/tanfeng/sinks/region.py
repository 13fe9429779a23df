"""Inner Mongolia's forest and grassland sink for a year, at region and league level.

Forest: stock difference (IPCC 2006 Vol. 4 Eq. 2.5) between the biomass carbon stock at the end of the year
and at the end of the year before. The stock path is driven by the observations and the plan's targets in
``data/inner_mongolia.yaml``: forest coverage (森林覆盖率, × land area = forest area) and growing stock (蓄积),
each interpolated linearly between its dated points. Years outside the points are refused, not extrapolated.

Grassland: IPCC Tier 1 assumes no biomass change on grassland remaining grassland (Vol. 4 §6.2.1.1); the
sink counted is the land brought under grass each year (种草, the plan's 林草生态建设), Eq. 2.16 with the
Table 6.4 default biomass after conversion.

League figures are the region's times the league's share in the data file — illustrative shares (示例数据)
until league inventories exist; the result's sources say so. Removals are positive (tCO2 taken up).
"""

from __future__ import annotations

import itertools
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel

from tanfeng.accounting.uncertainty import combine_product, combine_sum
from tanfeng.errors import InputError, at
from tanfeng.sinks.carbon import CO2_PER_C, Parameter, conversion_gain_tc, forest_stock_tc, parameter

__all__ = ["DATA_FILE", "METHOD_ZH", "SinkAccount", "account", "driver_years", "forest_drivers", "load_region_data",
           "sources_zh"]

DATA_FILE = "inner_mongolia.yaml"


class SinkAccount(BaseModel):
    """``tanfeng sinks account --format json`` (the issue's shape); tCO2 removed in the year, positive."""

    region: str
    year: int
    method: str
    forest_tco2: float
    grassland_tco2: float
    total_tco2: float
    uncertainty_pct: float
    sources: list[str]


@cache
def load_region_data() -> dict[str, Any]:
    """The shipped activity data and drivers."""
    text = resources.files("tanfeng.sinks").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _interpolate(points: list[tuple[int, float]], year: int, what: str) -> float:
    points = sorted(points)
    if not points[0][0] <= year <= points[-1][0]:
        msg = f"{what} is known from {points[0][0]} to {points[-1][0]} (observations and the plan's targets); " \
              f"{year} is outside"
        raise InputError(msg, location=at(DATA_FILE, field="year"), hint="no extrapolation is made")
    for (y1, v1), (y2, v2) in itertools.pairwise(points):
        if y1 <= year <= y2:
            return v1 + (v2 - v1) * (year - y1) / (y2 - y1)
    return points[-1][1]


def forest_drivers(year: int) -> tuple[float, float]:
    """Forest area (ha) and growing stock (m³) at the end of ``year``, interpolated from the data file."""
    data = load_region_data()
    land = float(data["land_area_ha"]["value"])
    points = data["forest"]["observations"] + data["forest"]["targets"]
    coverage = [(int(p["year"]), float(p["coverage_pct"])) for p in points if "coverage_pct" in p]
    stock = [(int(p["year"]), float(p["growing_stock_m3"])) for p in points if "growing_stock_m3" in p]
    area = _interpolate(coverage, year, "forest coverage") / 100 * land
    return area, _interpolate(stock, year, "growing stock")


def driver_years() -> tuple[int, int]:
    """The first and last year :func:`account` accepts."""
    data = load_region_data()
    points = data["forest"]["observations"] + data["forest"]["targets"]
    years = [int(p["year"]) for p in points if "growing_stock_m3" in p]
    return min(years) + 1, max(years)


def _forest_tc(year: int) -> float:
    f = load_region_data()["forest"]

    def stock(y: int) -> float:
        area, volume = forest_drivers(y)
        return forest_stock_tc(area, volume / area, zone=f["zone"], forest_type=f["forest_type"],
                               r_class=f["r_class"], cf_class=f["cf_class"])

    return stock(year) - stock(year - 1)


def _parameters_used(data: dict[str, Any]) -> list[Parameter]:
    """The IPCC parameters the region's sink account uses (forest at the newest drivers, grassland)."""
    f, g = data["forest"], data["grassland"]
    area, volume = forest_drivers(driver_years()[1])
    per_ha = volume / area
    agb = per_ha * parameter("bcef_s", f["zone"], f["forest_type"], per_ha).value
    return [parameter("bcef_s", f["zone"], f["forest_type"], per_ha), parameter("r", f["zone"], f["r_class"], agb),
            parameter("cf", f["zone"], f["cf_class"]), parameter("agb", g["zone"], "grassland"),
            parameter("r", g["zone"], "grassland"), parameter("cf", "any", "default")]


def _sources() -> list[str]:
    data = load_region_data()
    f, g = data["forest"], data["grassland"]
    used = _parameters_used(data)
    out = [f"{p.parameter} {p.zone}/{p.forest_type} = {p.value} {p.unit}: {p.source} ({p.certainty})" for p in used]
    out += [f"{p['year']}: {p['source']} ({p['certainty']})" for p in f["observations"] + f["targets"]]
    out += [f"land area: {data['land_area_ha']['source']} ({data['land_area_ha']['certainty']})",
            f"forest type: {' '.join(f['type_note'].split())}",
            f"grassland: {g['annual_new_grass_ha']['source']} ({g['annual_new_grass_ha']['certainty']}); "
            f"{' '.join(g['method_note'].split())}"]
    return out


METHOD_ZH = "森林: 蓄积量差法; 草地: 转为草地的土地 (IPCC 方法1)"
""":attr:`SinkAccount.method` for Chinese pages."""


def sources_zh(region: str) -> list[str]:
    """:attr:`SinkAccount.sources` for Chinese pages, from the Chinese columns of the data files (the
    league's share line for a league)."""
    data = load_region_data()
    f, g = data["forest"], data["grassland"]
    used = _parameters_used(data)
    out = [f"{p.label_zh} = {p.value} {p.unit_zh}: {p.source_zh} ({p.certainty})" for p in used]
    out += [f"{p['year']}年: {p['source_zh']} ({p['certainty']})" for p in f["observations"] + f["targets"]]
    out += [f"土地面积: {data['land_area_ha']['source_zh']} ({data['land_area_ha']['certainty']})",
            f"森林类型: {f['type_note_zh']}",
            f"草地: {g['annual_new_grass_ha']['source_zh']} ({g['annual_new_grass_ha']['certainty']}); "
            f"{g['method_note_zh']}"]
    if region != data["region"]:
        out.append(f"盟市份额: {data['leagues']['source_zh']} ({data['leagues']['certainty']})")
    return out


def account(region: str, year: int) -> SinkAccount:
    """The forest and grassland sink of the region (``150000``) or a league in ``year``.

    Raises
    ------
    InputError
        A region without data, or a year outside the drivers.
    """
    data = load_region_data()
    f, g = data["forest"], data["grassland"]
    forest_t = _forest_tc(year) * CO2_PER_C
    new_grass = float(g["annual_new_grass_ha"]["value"])
    grass_t = conversion_gain_tc(new_grass, after_t_dm_ha=parameter("agb", g["zone"], "grassland").value,
                                 before_t_dm_ha=float(g["before_biomass_t_dm_ha"]["value"]),
                                 r=parameter("r", g["zone"], "grassland").value,
                                 cf=parameter("cf", "any", "default").value) * CO2_PER_C
    area, volume = forest_drivers(year)
    per_ha = volume / area
    agb = per_ha * parameter("bcef_s", f["zone"], f["forest_type"], per_ha).value
    u_forest = combine_product(f["uncertainty_pct"]["growing_stock"],
                               parameter("bcef_s", f["zone"], f["forest_type"], per_ha).uncertainty_pct,
                               parameter("r", f["zone"], f["r_class"], agb).uncertainty_pct,
                               parameter("cf", f["zone"], f["cf_class"]).uncertainty_pct)
    u_grass = combine_product(g["uncertainty_pct"]["area"], parameter("agb", g["zone"], "grassland").uncertainty_pct,
                              parameter("r", g["zone"], "grassland").uncertainty_pct,
                              parameter("cf", "any", "default").uncertainty_pct)
    sources = _sources()
    if region != data["region"]:
        leagues = data["leagues"]
        if region not in leagues["forest_share"]:
            msg = f"no sink data for region {region!r}; the region is {data['region']} and its 12 leagues"
            raise InputError(msg, location=at(DATA_FILE, field="region"))
        forest_t *= float(leagues["forest_share"][region])
        grass_t *= float(leagues["grassland_share"][region])
        sources.append(f"league shares: {leagues['source']} ({leagues['certainty']})")
    uncertainty = combine_sum([forest_t, grass_t], [u_forest, u_grass])
    return SinkAccount(region=region, year=year, method="stock_difference (forest); land converted to grassland "
                       "(grassland, IPCC Tier 1)", forest_tco2=round(forest_t, 1), grassland_tco2=round(grass_t, 1),
                       total_tco2=round(forest_t + grass_t, 1), uncertainty_pct=round(uncertainty, 1),
                       sources=sources)
