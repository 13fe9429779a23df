"""Build a PyPSA network for a study from the checked data set.

Two topologies: ``two_grid`` (蒙西 and 蒙东 as two buses joined by a weak tie) and ``leagues`` (the 12
leagues, each grid's load spread by the shares in ``leagues.csv`` and its capacities by the leagues'
shares of the grid's plants in the WRI Global Power Plant Database, ``league_capacity_wri.csv``, joined
by the ties in ``league_links.csv``). In both, every outgoing channel is a link to its own external bus,
where a sink takes the channel's yearly energy (``p_nom × utilisation × hours``) at any hour the optimiser
prefers; a new channel leaves from its renewable base, which the grid can top up through a feeder link.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pypsa

from tanfeng.errors import InputError, at
from tanfeng.power.data import HOURS_PER_YEAR, Channel, PowerData, Study
from tanfeng.power.profiles import synthetic_profile

__all__ = ["KGCE_PER_KWH_ELECTRIC", "BuildOptions", "BuiltNetwork", "ChannelLinks", "build_network"]

pypsa.options.api.legacy_string_dtype = False
logging.getLogger("pypsa").setLevel(logging.WARNING)
logging.getLogger("linopy").setLevel(logging.WARNING)

KGCE_PER_KWH_ELECTRIC = 0.1229
"""Standard coal equivalent of 1 kWh of electricity by calorific value (GB/T 2589-2020, 0.1229 kgce/kWh)."""

_STORAGE = {"battery": "storage", "phs": "pumped_storage"}


@dataclass(frozen=True)
class BuildOptions:
    """What to build: the horizon, the measures switched off, relaxed constraints and real profiles.

    ``relax`` names constraints dropped to find which one makes a study infeasible: ``co2_cap``,
    ``chp_heat`` (the heating-season floor of the CHP share), ``coal_min`` or ``channel_re_share:<channel>``.
    """

    hours: int = HOURS_PER_YEAR
    start: int = 0
    measures_off: frozenset[str] = frozenset()
    relax: frozenset[str] = frozenset()
    profiles: Mapping[str, np.ndarray] | None = None


@dataclass(frozen=True)
class ChannelLinks:
    """The links of one channel in a built network."""

    name: str
    name_zh: str
    link: str
    feeder: str | None
    grid: str
    re_share_min_pct: float | None
    constrained: bool


@dataclass
class BuiltNetwork:
    """A PyPSA network with what tanfeng needs to add its constraints and read its results."""

    network: pypsa.Network
    study: Study
    active: tuple[str, ...]
    channels: list[ChannelLinks]
    bus_grid: dict[str, str]
    co2_cap_t: float | None
    hours: int
    start: int
    relax: frozenset[str] = field(default_factory=frozenset)


def _bus_weights(data: PowerData, study: Study, node: str, kind: str) -> list[tuple[str, float]]:
    """Where a node's ``kind`` (``load`` or a key of ``League.shares``) goes: one bus, or the leagues of its grid."""
    info = data.nodes[node]
    if study.topology == "two_grid" or info.kind == "base":
        return [(node, 1.0)]
    return [(lg.code, lg.shares[kind]) for lg in data.leagues if lg.grid == info.grid and lg.shares[kind] > 0]


def _hub(data: PowerData, study: Study, node: str) -> str:
    info = data.nodes[node]
    if study.topology == "leagues" and info.kind == "grid":
        return info.hub_league
    return node


def _share_key(carrier: str) -> str:
    """The key of a carrier in :attr:`League.shares` (the retrofitted coal share sits where coal does)."""
    return "coal" if carrier == "coal_flex" else carrier


def _add_buses(n: pypsa.Network, data: PowerData, study: Study, channels: list[Channel]) -> dict[str, str]:
    bus_grid: dict[str, str] = {}
    if study.topology == "two_grid":
        for node in data.nodes.values():
            if node.kind == "grid":
                n.add("Bus", node.node, x=node.lon, y=node.lat, carrier="AC")
                bus_grid[node.node] = node.grid
    else:
        for lg in data.leagues:
            n.add("Bus", lg.code, x=lg.lon, y=lg.lat, carrier="AC")
            bus_grid[lg.code] = lg.grid
    for ch in channels:
        src = data.nodes[ch.from_node]
        if src.kind == "base" and src.node not in bus_grid:
            n.add("Bus", src.node, x=src.lon, y=src.lat, carrier="AC")
            bus_grid[src.node] = src.grid
        n.add("Bus", f"ext:{ch.name}", x=src.lon + 1.5, y=src.lat - 1.0, carrier="AC")
    return bus_grid


def _add_carriers(n: pypsa.Network, data: PowerData) -> None:
    co2 = data.tech("coal", "co2_intensity")
    for carrier in ("wind", "solar", "hydro", "coal", "coal_flex", "battery", "phs", "demand_response",
                    "export", "AC", "DC"):
        n.add("Carrier", carrier, co2_emissions=co2 if carrier.startswith("coal") else 0.0)


def _add_loads(n: pypsa.Network, data: PowerData, study: Study, opts: BuildOptions) -> dict[str, float]:
    """Loads per bus; returns each bus's yearly peak (MW) for demand response."""
    if study.year not in data.demand_twh:
        msg = f"no annual demand for {study.year}"
        raise InputError(msg, location=at("demand.csv", field="year"))
    shape = data.load_shape_mw / data.load_shape_mw.sum()
    annual_mwh = data.demand_twh[study.year] * 1e6
    peaks: dict[str, float] = {}
    for node in data.nodes.values():
        if node.kind != "grid" or node.load_share == 0:
            continue
        for bus, w in _bus_weights(data, study, node.node, "load"):
            series = annual_mwh * node.load_share * w * shape
            n.add("Load", f"load:{bus}", bus=bus, p_set=series[opts.start:opts.start + opts.hours])
            peaks[bus] = peaks.get(bus, 0.0) + float(series.max())
    return peaks


def _profile(data: PowerData, opts: BuildOptions, bus: str, grid: str, carrier: str, lat: float) -> np.ndarray:
    key = f"{bus}:{carrier}"
    if opts.profiles is not None and key in opts.profiles:
        full = np.asarray(opts.profiles[key], dtype=float)
    else:
        flh = data.flh.get((grid, carrier))
        if flh is None:
            msg = f"no full-load hours for {carrier} in grid {grid}"
            raise InputError(msg,
                             location=at("full_load_hours.csv", field="flh_h"))
        full = synthetic_profile(carrier, bus, lat, flh)
    return full[opts.start:opts.start + opts.hours]


def _coal_params(data: PowerData, carrier: str, active: tuple[str, ...], relax: frozenset[str]) -> dict[str, float]:
    eff = KGCE_PER_KWH_ELECTRIC * 1000 / data.tech("coal", "supply_coal_rate")
    fx = data.tech("fx", "eur_cny")
    p_min = data.tech("coal_flex" if carrier == "coal_flex" and "flex_retrofit" in active else "coal", "p_min_pu")
    ramp = data.tech("coal", "ramp_limit")
    return {"efficiency": eff, "marginal_cost": (data.tech("coal", "fuel") / eff + data.tech("coal", "vom")) * fx,
            "p_min_pu": 0.0 if "coal_min" in relax else p_min, "ramp_limit_up": ramp, "ramp_limit_down": ramp}


def _chp_floor(data: PowerData, carrier: str, active: tuple[str, ...]) -> float:
    """Minimum output of the CHP share in the heating season (retrofitted units lower when the retrofit is on)."""
    flex = carrier == "coal_flex" and "flex_retrofit" in active
    return data.tech("chp", "p_min_pu_heating_flex" if flex else "p_min_pu_heating")


def _add_coal(n: pypsa.Network, data: PowerData, opts: BuildOptions, active: tuple[str, ...], name: str, bus: str,
              carrier: str, grid: str, p_nom: float) -> None:
    """Coal on one bus; with ``chp_heat`` on, its CHP share is a second generator ``<name>:chp`` whose minimum
    output is raised to the heating floor in the hours of the grid's heating season (以热定电)."""
    coal: dict[str, Any] = _coal_params(data, carrier, active, opts.relax)
    if "chp_heat" not in active:
        n.add("Generator", name, bus=bus, carrier=carrier, p_nom=p_nom, **coal)
        return
    share = data.tech("chp", "share_of_coal")
    n.add("Generator", name, bus=bus, carrier=carrier, p_nom=p_nom * (1.0 - share), **coal)
    floor = coal["p_min_pu"] if "chp_heat" in opts.relax else max(_chp_floor(data, carrier, active), coal["p_min_pu"])
    heating = data.heating_hours(grid)[opts.start:opts.start + opts.hours]
    chp = dict(coal, p_min_pu=np.where(heating, floor, coal["p_min_pu"]))
    n.add("Generator", f"{name}:chp", bus=bus, carrier=carrier, p_nom=p_nom * share, **chp)


def _add_supply(n: pypsa.Network, data: PowerData, study: Study, opts: BuildOptions,
                active: tuple[str, ...], bus_grid: Mapping[str, str]) -> None:
    fx = data.tech("fx", "eur_cny")
    for (year, node, carrier), p_nom in sorted(data.capacity.items()):
        if year != study.year or p_nom == 0:
            continue
        if carrier in _STORAGE and _STORAGE[carrier] not in active:
            continue
        if data.nodes[node].kind == "base" and node not in bus_grid:
            continue  # the base of a channel not yet built in this year
        for bus, w in _bus_weights(data, study, node, _share_key(carrier)):
            name, grid = f"{carrier}:{bus}", data.nodes[node].grid
            lat = float(n.buses.at[bus, "y"])
            if carrier in ("wind", "solar", "hydro"):
                n.add("Generator", name, bus=bus, carrier=carrier, p_nom=p_nom * w,
                      p_max_pu=_profile(data, opts, bus, grid, carrier, lat),
                      marginal_cost=data.tech(carrier, "vom") * fx)
            elif carrier in ("coal", "coal_flex"):
                _add_coal(n, data, opts, active, name, bus, carrier, grid, p_nom * w)
            elif carrier == "battery":
                eff = data.tech("battery", "efficiency_one_way")
                n.add("StorageUnit", name, bus=bus, carrier=carrier, p_nom=p_nom * w,
                      max_hours=data.tech("battery", "max_hours"), efficiency_store=eff,
                      efficiency_dispatch=eff, cyclic_state_of_charge=True)
            else:
                eff = float(np.sqrt(data.tech("phs", "efficiency_round_trip")))
                n.add("StorageUnit", name, bus=bus, carrier=carrier, p_nom=p_nom * w,
                      max_hours=data.tech("phs", "max_hours"), efficiency_store=eff,
                      efficiency_dispatch=eff, cyclic_state_of_charge=True)


def _add_demand_response(n: pypsa.Network, data: PowerData, peaks: Mapping[str, float]) -> None:
    share = data.tech("demand_response", "share_of_peak")
    for bus, peak in peaks.items():
        n.add("StorageUnit", f"demand_response:{bus}", bus=bus, carrier="demand_response", p_nom=share * peak,
              max_hours=data.tech("demand_response", "max_hours"), efficiency_store=1.0,
              efficiency_dispatch=1.0, cyclic_state_of_charge=True,
              marginal_cost=data.tech("demand_response", "marginal_cost"))


def _add_ties(n: pypsa.Network, data: PowerData, study: Study) -> None:
    ties = data.grid_ties if study.topology == "two_grid" else data.league_ties
    for tie in ties:
        for end in (tie.a, tie.b):
            if end not in n.buses.index:
                msg = f"tie end {end!r} is not a bus of this topology"
                raise InputError(msg,
                                 location=at("grid_ties.csv" if study.topology == "two_grid" else "league_links.csv"))
        n.add("Link", f"tie:{tie.a}-{tie.b}", bus0=tie.a, bus1=tie.b, p_nom=tie.p_nom_mw, p_min_pu=-1.0,
              carrier="AC")


def _add_channels(n: pypsa.Network, data: PowerData, study: Study, opts: BuildOptions,
                  channels: list[Channel], active: tuple[str, ...]) -> list[ChannelLinks]:
    out: list[ChannelLinks] = []
    for ch in channels:
        src = data.nodes[ch.from_node]
        link, feeder = f"channel:{ch.name}", None
        bus0 = src.node if src.kind == "base" else _hub(data, study, src.node)
        n.add("Link", link, bus0=bus0, bus1=f"ext:{ch.name}", p_nom=ch.p_nom_mw, carrier="DC")
        if src.kind == "base":
            grid_node = next(x.node for x in data.nodes.values() if x.kind == "grid" and x.grid == src.grid)
            feeder = f"feeder:{ch.name}"
            n.add("Link", feeder, bus0=_hub(data, study, grid_node), bus1=src.node, p_nom=ch.p_nom_mw, carrier="AC")
        energy = ch.p_nom_mw * ch.utilisation_pu * opts.hours
        n.add("Generator", f"export:{ch.name}", bus=f"ext:{ch.name}", carrier="export", p_nom=ch.p_nom_mw,
              p_min_pu=-1.0, p_max_pu=0.0, e_sum_min=-energy, e_sum_max=-energy)
        constrained = (ch.re_share_min_pct is not None and feeder is not None and "channel_re_share" in active
                       and f"channel_re_share:{ch.name}" not in opts.relax)
        out.append(ChannelLinks(ch.name, ch.name_zh, link, feeder, src.grid, ch.re_share_min_pct, constrained))
    return out


def build_network(data: PowerData, study: Study, options: BuildOptions | None = None) -> BuiltNetwork:
    """Build the PyPSA network of ``study`` (not solved).

    Parameters
    ----------
    data
        The checked data set (:func:`tanfeng.power.data.load_power_data`).
    study
        The study; its ``measures`` minus ``options.measures_off`` are switched on.
    options
        Horizon (``start``, ``hours``), measures off, relaxed constraints, real profiles.
    """
    opts = options or BuildOptions()
    if not opts.hours >= 1 or opts.start < 0 or opts.start + opts.hours > HOURS_PER_YEAR:
        msg = f"horizon {opts.start}+{opts.hours} h is outside the year of {HOURS_PER_YEAR} h"
        raise InputError(msg,
                         location=at(field="hours"), hint="choose start ≥ 0 and start + hours ≤ 8760")
    unknown = [m for m in opts.measures_off if m not in study.measures]
    if unknown:
        msg = f"measure {unknown[0]!r} is not part of study {study.id}"
        raise InputError(msg, location=at(field="measure"),
                         hint=f"measures: {', '.join(study.measures)}")
    active = tuple(m for m in study.measures if m not in opts.measures_off)
    n = pypsa.Network(name=study.id)
    n.set_snapshots(list(range(opts.start, opts.start + opts.hours)))
    channels = [ch for ch in data.channels if ch.first_year <= study.year]
    bus_grid = _add_buses(n, data, study, channels)
    _add_carriers(n, data)
    peaks = _add_loads(n, data, study, opts)
    _add_supply(n, data, study, opts, active, bus_grid)
    if "demand_response" in active:
        _add_demand_response(n, data, peaks)
    _add_ties(n, data, study)
    links = _add_channels(n, data, study, opts, channels, active)
    cap = None
    if "co2_cap" in active and study.co2_cap_mt is not None and "co2_cap" not in opts.relax:
        cap = study.co2_cap_mt * 1e6 * opts.hours / HOURS_PER_YEAR
        n.add("GlobalConstraint", "co2_cap", type="primary_energy", carrier_attribute="co2_emissions",
              sense="<=", constant=cap)
    return BuiltNetwork(n, study, active, links, bus_grid, cap, opts.hours, opts.start, opts.relax)
