"""Sinks beside the inventory (gross, sink, net) and beside a scenario's path; see :mod:`tanfeng.sinks.net`."""

from __future__ import annotations

from dataclasses import asdict

from pydantic import BaseModel

from tanfeng.sinks import inventory_net, scenario_net

__all__ = ["NET_NOTE", "NetYearOut", "net_beside_inventory", "net_beside_path"]

NET_NOTE = ("net = gross − sink (MtCO2). Gross: CEADs scope-1 inventory (province total, or the league's city "
            "inventory where CEADs lists it). Sink: forest stock difference and new grassland (IPCC 2006 Vol. 4); "
            "league sinks use illustrative shares (示例数据).")


class NetYearOut(BaseModel):
    """One year of ``/api/sinks/net`` and ``tanfeng sinks net``."""

    region: str
    year: int
    gross_mtco2: float
    sink_mtco2: float
    net_mtco2: float
    sink_share_pct: float
    sink_uncertainty_pct: float
    gross_source: str


def net_beside_inventory(region: str) -> list[NetYearOut]:
    """Every year with both a published gross inventory and a sink (2009–2019 for the province).

    Raises
    ------
    InputError
        A region without sink data.
    """
    return [NetYearOut(**asdict(r)) for r in inventory_net(region)]


def net_beside_path(region: str, path: dict[int, float], scenario: str) -> list[NetYearOut]:
    """A scenario's path with the sink and net for the years the sink is known."""
    return [NetYearOut(**asdict(r)) for r in scenario_net(region, path, scenario)]
