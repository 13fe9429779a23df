"""Sinks beside the inventory: gross emissions, the forest and grassland sink, and net emissions per year.

Gross is the published CEADs inventory (scope 1, MtCO2: the province's total, or the league's city total where
CEADs lists the league that year; gaps are kept, nothing is filled). The sink is :func:`tanfeng.sinks.account`
(removals positive). ``net = gross − sink``, the IPCC convention of reporting LULUCF removals as a separate,
negative sector beside the energy and process total (IPCC 2006 Vol. 1 §8.2; the inventory's ``net`` column in
:mod:`tanfeng.accounting.inventory` is the same sum with the sink written negative).

Only years where both are known are returned: CEADs ends in 2019, the sink drivers begin in 2009, so the overlap
is 2009–2019. Later years have a sink but no published gross; :func:`scenario_net` pairs them with a scenario's
path instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from tanfeng.errors import InputError, at
from tanfeng.reference import ceads
from tanfeng.sinks.region import account, driver_years, load_region_data

__all__ = ["PROVINCE", "NetYear", "gross_series", "inventory_net", "scenario_net"]

PROVINCE = "150000"


@dataclass(frozen=True)
class NetYear:
    """One year: gross (CEADs or a scenario), the sink, and net, all MtCO2; ``sink_uncertainty_pct`` at 95 %."""

    region: str
    year: int
    gross_mtco2: float
    sink_mtco2: float
    net_mtco2: float
    sink_share_pct: float
    sink_uncertainty_pct: float
    gross_source: str


def gross_series(region: str) -> dict[int, float]:
    """The CEADs gross emissions of the province (``150000``) or a league, MtCO2 by year (gaps absent).

    Raises
    ------
    InputError
        A region that is neither the province nor a league with sink data.
    """
    if region == PROVINCE:
        frame = ceads.province_totals()
        return dict(zip(frame["year"].to_list(), frame["scope1_total"].to_list(), strict=True))
    if region not in load_region_data()["leagues"]["forest_share"]:
        msg = f"no sink data for region {region}; the province 150000 and its 12 leagues have it"
        raise InputError(msg, location=at(field="region"))
    frame = ceads.league_totals()
    league = frame.filter(frame["region"] == region)
    return dict(zip(league["year"].to_list(), league["mtco2"].to_list(), strict=True))


def _year(region: str, year: int, gross: float, source: str) -> NetYear:
    sink = account(region, year)
    sink_mt = sink.total_tco2 / 1e6
    return NetYear(region=region, year=year, gross_mtco2=round(gross, 6), sink_mtco2=round(sink_mt, 6),
                   net_mtco2=round(gross - sink_mt, 6), sink_share_pct=round(100 * sink_mt / gross, 2),
                   sink_uncertainty_pct=sink.uncertainty_pct, gross_source=source)


def inventory_net(region: str) -> list[NetYear]:
    """Gross (CEADs), sink and net for every year both are known, oldest first."""
    first, last = driver_years()
    source = "CEADs" if region == PROVINCE else "CEADs (city inventory)"
    return [_year(region, y, g, source) for y, g in sorted(gross_series(region).items()) if first <= y <= last]


def scenario_net(region: str, path: dict[int, float], scenario: str) -> list[NetYear]:
    """A scenario's gross path (MtCO2 by year) with the sink and net for the years the sink drivers cover;
    later years are left out (the sink is not extrapolated past the plan's last target year)."""
    first, last = driver_years()
    return [_year(region, y, g, f"scenario {scenario}") for y, g in sorted(path.items()) if first <= y <= last]
