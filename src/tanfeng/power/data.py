"""The power data set: nodes, capacities, channels, technology parameters, demand and the load shape.

Every file lives in one folder (the shipped one is ``tanfeng/power/data``); :func:`load_power_data` reads
and checks all of them before anything is built, so a bad file is refused with its file, row and field
and no solve starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from tanfeng.errors import ImportDataError, at
from tanfeng.power.tables import opt_float, pct, pos_float, pos_int, read_table, share, text, unit_float

__all__ = [
    "CARRIERS",
    "HOURS_PER_YEAR",
    "LEAGUE_SHARE_KEYS",
    "MEASURES",
    "TOPOLOGIES",
    "Channel",
    "League",
    "Node",
    "PowerData",
    "Study",
    "Tie",
    "default_data_dir",
    "load_power_data",
]

HOURS_PER_YEAR = 8760
CARRIERS = ("wind", "solar", "hydro", "coal", "coal_flex", "battery", "phs")
LEAGUE_SHARE_KEYS = ("coal", "wind", "solar", "hydro", "phs", "battery")
"""Carriers spread over the leagues by their own shares (``coal_flex`` follows ``coal``)."""
_WRI_FUEL = {"coal": "Coal", "wind": "Wind", "solar": "Solar", "hydro": "Hydro", "phs": "Hydro"}
MEASURES = ("storage", "pumped_storage", "flex_retrofit", "demand_response", "channel_re_share", "chp_heat", "co2_cap")
"""The plan measures a study can switch on (``studies.yaml``) and ``compare`` switches off one at a time; the
one list the command line, the API and the pages use (their names are in the web catalogue, context
``power measure``):

``storage``           new-type storage (the ``battery`` rows of capacity.csv)
``pumped_storage``    pumped-storage hydro (the ``phs`` rows)
``flex_retrofit``     the retrofitted coal share runs down to its lower minimum (``coal_flex.p_min_pu``)
``demand_response``   shiftable load up to ``demand_response.share_of_peak`` of each bus's peak
``channel_re_share``  new channels carry at least their ``re_share_min_pct`` of renewable electricity
``chp_heat``          the CHP share of coal (``chp.share_of_coal``) holds ``chp.p_min_pu_heating`` (``_flex`` when
                      retrofitted) or more in the heating season of heating_season.csv (以热定电)
``co2_cap``           a cap on the power sector's CO2 (the study's ``co2_cap_mt``), off unless given
"""
TOPOLOGIES = ("two_grid", "leagues")
_NODE_KINDS = ("grid", "base")


@dataclass(frozen=True)
class Node:
    """A grid (蒙西, 蒙东) or the renewable base that feeds a new channel."""

    node: str
    name_zh: str
    kind: str
    grid: str
    lon: float
    lat: float
    load_share: float
    hub_league: str


@dataclass(frozen=True)
class Channel:
    """An outgoing UHV channel: a link from a node to an external bus that takes a fixed yearly energy."""

    name: str
    name_zh: str
    from_node: str
    to_region: str
    first_year: int
    p_nom_mw: float
    utilisation_pu: float
    re_share_min_pct: float | None


@dataclass(frozen=True)
class League:
    """One of the 12 leagues with its shares of its grid's load and capacities.

    ``shares`` maps ``load`` and each carrier key of :data:`LEAGUE_SHARE_KEYS` to the league's share of its
    grid; ``basis`` says where each share comes from (``wri``: the league's part of the grid's plants in the
    WRI Global Power Plant Database; ``load``: the load share, where the database has no plant of that kind
    in the grid).
    """

    code: str
    name_zh: str
    grid: str
    lon: float
    lat: float
    shares: dict[str, float]
    basis: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Tie:
    """A transfer limit between two nodes or two leagues (MW, both directions)."""

    a: str
    b: str
    p_nom_mw: float


@dataclass(frozen=True)
class Study:
    """A study: a scenario year, a topology and the plan measures switched on."""

    id: str
    title_zh: str
    title_en: str
    year: int
    topology: str
    measures: tuple[str, ...]
    co2_cap_mt: float | None = None
    solver_options: dict[str, str | int | float | bool] = field(default_factory=dict)
    """HiGHS options for this study: ``solver_options`` at the top of ``studies.yaml`` (all studies), updated
    by the study's own; :data:`tanfeng.power.solve.DEFAULT_SOLVER_OPTIONS` fill in the rest."""


@dataclass(frozen=True)
class PowerData:
    """Everything a study is built from, read and checked."""

    directory: Path
    nodes: dict[str, Node]
    capacity: dict[tuple[int, str, str], float]
    channels: list[Channel]
    technology: dict[tuple[str, str], float]
    demand_twh: dict[int, float]
    flh: dict[tuple[str, str], float]
    load_shape_mw: np.ndarray
    leagues: list[League]
    league_ties: list[Tie]
    grid_ties: list[Tie]
    studies: dict[str, Study] = field(default_factory=dict)
    heating_season: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Grid → (first day, last day) of the heating season, 0-based days of a non-leap year (both included;
    the season may run across the new year)."""

    def heating_hours(self, grid: str) -> np.ndarray:
        """A boolean per hour of the year: True in the heating season of ``grid``."""
        try:
            first, last = self.heating_season[grid]
        except KeyError:
            msg = f"no heating season for grid {grid!r}"
            raise ImportDataError(msg, location=at("heating_season.csv", field="grid"),
                                  hint="add a row for the grid") from None
        day = np.arange(HOURS_PER_YEAR) // 24
        return (day >= first) & (day <= last) if first <= last else (day >= first) | (day <= last)

    def tech(self, carrier: str, parameter: str) -> float:
        """A technology parameter; a missing one is a data error naming technology.csv."""
        try:
            return self.technology[(carrier, parameter)]
        except KeyError:
            msg = f"no value for {carrier}.{parameter}"
            raise ImportDataError(msg,
                                  location=at("technology.csv", field="value"),
                                  hint=f"add a row carrier={carrier}, parameter={parameter}") from None


def default_data_dir() -> Path:
    """The folder of the shipped data files."""
    return Path(str(resources.files("tanfeng.power").joinpath("data")))


def _choice(options: tuple[str, ...]) -> Any:
    def parse(value: str) -> str:
        if value.strip() not in options:
            msg = f"{value!r} is not one of {', '.join(options)}"
            raise ValueError(msg)
        return value.strip()

    return parse


def _nodes(d: Path) -> dict[str, Node]:
    rows = read_table(d / "nodes.csv", {
        "node": text, "name_zh": text, "kind": _choice(_NODE_KINDS), "grid": text, "lon": float,
        "lat": float, "load_share": share, "hub_league": lambda v: v.strip()})
    nodes = {r["node"]: Node(r["node"], r["name_zh"], r["kind"], r["grid"], r["lon"], r["lat"],
                             r["load_share"], r["hub_league"]) for r in rows}
    total = sum(n.load_share for n in nodes.values())
    if abs(total - 1.0) > 1e-6:
        msg = f"load shares add up to {total:g}, not 1"
        raise ImportDataError(msg, location=at("nodes.csv", field="load_share"))
    return nodes


def _capacity(d: Path, nodes: dict[str, Node]) -> dict[tuple[int, str, str], float]:
    rows = read_table(d / "capacity.csv", {"year": pos_int, "node": text, "carrier": _choice(CARRIERS),
                                           "p_nom_mw": pos_float})
    out: dict[tuple[int, str, str], float] = {}
    for number, r in enumerate(rows, start=1):
        if r["node"] not in nodes:
            msg = f"unknown node {r['node']!r}"
            raise ImportDataError(msg, location=at("capacity.csv", row=number, field="node"),
                                  hint="nodes are listed in nodes.csv")
        key = (r["year"], r["node"], r["carrier"])
        if key in out:
            msg = "duplicate (year, node, carrier)"
            raise ImportDataError(msg, location=at("capacity.csv", row=number, field="carrier"))
        out[key] = r["p_nom_mw"]
    return out


def _channels(d: Path, nodes: dict[str, Node]) -> list[Channel]:
    rows = read_table(d / "channels.csv", {
        "name": text, "name_zh": text, "from_node": text, "to_region": text, "first_year": pos_int,
        "p_nom_mw": pos_float, "utilisation_pu": unit_float, "re_share_min_pct": opt_float(pct)})
    out = []
    for number, r in enumerate(rows, start=1):
        if r["from_node"] not in nodes:
            msg = f"unknown node {r['from_node']!r}"
            raise ImportDataError(msg,
                                  location=at("channels.csv", row=number, field="from_node"))
        out.append(Channel(r["name"], r["name_zh"], r["from_node"], r["to_region"], r["first_year"],
                           r["p_nom_mw"], r["utilisation_pu"], r["re_share_min_pct"]))
    return out


def _load_shape(d: Path) -> np.ndarray:
    rows = read_table(d / "load_nm_hourly.csv", {"hour": pos_int, "load_mw": pos_float})
    if len(rows) != HOURS_PER_YEAR:
        msg = f"the profile has {len(rows)} rows, not {HOURS_PER_YEAR}"
        raise ImportDataError(msg,
                              location=at("load_nm_hourly.csv", row=len(rows), field="hour"),
                              hint="one row per hour of a non-leap year")
    for number, r in enumerate(rows, start=1):
        if r["hour"] != number - 1:
            msg = f"hour {r['hour']} out of order (expected {number - 1})"
            raise ImportDataError(msg,
                                  location=at("load_nm_hourly.csv", row=number, field="hour"))
    return np.array([r["load_mw"] for r in rows], dtype=float)


def _wri_capacity(d: Path, codes: set[str]) -> dict[tuple[str, str], float]:
    """League × carrier capacity (MW) of the WRI plants (``league_capacity_wri.csv``)."""
    name = "league_capacity_wri.csv"
    rows = read_table(d / name, {"league": text, "fuel": text, "plants": pos_int, "capacity_mw": pos_float,
                                 "pumped_storage_mw": pos_float})
    out: dict[tuple[str, str], float] = {}
    for number, r in enumerate(rows, start=1):
        if r["league"] not in codes:
            msg = f"unknown league {r['league']!r}"
            raise ImportDataError(msg, location=at(name, row=number, field="league"),
                                  hint="leagues are listed in leagues.csv")
        if r["pumped_storage_mw"] > r["capacity_mw"]:
            msg = "pumped storage is more than the capacity of the row"
            raise ImportDataError(msg, location=at(name, row=number, field="pumped_storage_mw"))
        for carrier, fuel in _WRI_FUEL.items():
            if r["fuel"] != fuel:
                continue
            mw = {"phs": r["pumped_storage_mw"],
                  "hydro": r["capacity_mw"] - r["pumped_storage_mw"]}.get(carrier, r["capacity_mw"])
            out[(r["league"], carrier)] = out.get((r["league"], carrier), 0.0) + mw
    return out


def _leagues(d: Path) -> list[League]:
    """The leagues with the load share of ``leagues.csv`` and the capacity shares of the WRI plants.

    A league's share of a carrier is its WRI capacity over the WRI capacity of its grid (the region's
    totals stay those of ``capacity.csv``); where the grid has no WRI plant of that carrier (and for
    new-type storage, which the database does not list), the load share is used.
    """
    rows = read_table(d / "leagues.csv", {"code": text, "name_zh": text, "grid": text, "lon": float,
                                          "lat": float, "share_load": share})
    wri = _wri_capacity(d, {r["code"] for r in rows})
    grid_total: dict[tuple[str, str], float] = {}
    for r in rows:
        for key in LEAGUE_SHARE_KEYS:
            grid_total[(r["grid"], key)] = grid_total.get((r["grid"], key), 0.0) + wri.get((r["code"], key), 0.0)
    out = []
    for r in rows:
        shares, basis = {"load": r["share_load"]}, {"load": "leagues.csv"}
        for key in LEAGUE_SHARE_KEYS:
            total = grid_total[(r["grid"], key)]
            if total > 0:
                shares[key], basis[key] = wri.get((r["code"], key), 0.0) / total, "wri"
            else:
                shares[key], basis[key] = r["share_load"], "load"
        out.append(League(r["code"], r["name_zh"], r["grid"], r["lon"], r["lat"], shares, basis))
    return out


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _day_of_year(value: str) -> int:
    """``MM-DD`` → 0-based day of a non-leap year."""
    try:
        month, day = (int(x) for x in value.strip().split("-"))
    except ValueError:
        msg = f"not a date MM-DD: {value!r}"
        raise ValueError(msg) from None
    if not 1 <= month <= 12 or not 1 <= day <= _MONTH_DAYS[month - 1]:
        msg = f"no such day in a non-leap year: {value!r}"
        raise ValueError(msg)
    return sum(_MONTH_DAYS[: month - 1]) + day - 1


def _heating_season(d: Path) -> dict[str, tuple[int, int]]:
    rows = read_table(d / "heating_season.csv", {"grid": text, "start": _day_of_year, "end": _day_of_year})
    return {r["grid"]: (r["start"], r["end"]) for r in rows}


def _ties(path: Path, a: str, b: str) -> list[Tie]:
    rows = read_table(path, {a: text, b: text, "p_nom_mw": pos_float})
    return [Tie(r[a], r[b], r["p_nom_mw"]) for r in rows]


def _solver_options(value: Any, row: int | None) -> dict[str, str | int | float | bool]:
    """A mapping of HiGHS option names to plain values (HiGHS itself checks names and values at the solve)."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str | int | float | bool) for k, v in value.items()):
        msg = "solver_options must map HiGHS option names to plain values"
        raise ImportDataError(msg, location=at("studies.yaml", row=row, field="solver_options"),
                              hint="e.g. solver_options: {solver: ipm, run_crossover: 'on'}")
    return dict(value)


def _studies(d: Path) -> dict[str, Study]:
    path = d / "studies.yaml"
    if not path.is_file():
        msg = "data file not found"
        raise ImportDataError(msg, location=at(path.name))
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    common = _solver_options(doc.get("solver_options"), None)
    out: dict[str, Study] = {}
    for number, item in enumerate(doc.get("studies") or [], start=1):
        loc = at(path.name, row=number)
        try:
            measures = tuple(item.get("measures") or ())
            bad = [m for m in measures if m not in MEASURES]
            if bad:
                msg = f"unknown measure {bad[0]!r}"
                raise ImportDataError(msg, location=at(path.name, row=number, field="measures"),
                                      hint=f"measures: {', '.join(MEASURES)}")
            if item["topology"] not in TOPOLOGIES:
                msg = f"unknown topology {item['topology']!r}"
                raise ImportDataError(msg,
                                      location=at(path.name, row=number, field="topology"))
            cap = item.get("co2_cap_mt")
            out[str(item["id"])] = Study(str(item["id"]), str(item["title_zh"]), str(item["title_en"]),
                                         int(item["year"]), str(item["topology"]), measures,
                                         None if cap is None else float(cap),
                                         {**common, **_solver_options(item.get("solver_options"), number)})
        except KeyError as exc:
            msg = f"missing key {exc.args[0]!r}"
            raise ImportDataError(msg, location=loc) from None
    return out


def load_power_data(directory: Path | None = None) -> PowerData:
    """Read and check every file of a power data folder.

    Raises
    ------
    ImportDataError
        On the first bad file, row or field; nothing is built.
    """
    d = directory or default_data_dir()
    nodes = _nodes(d)
    tech_rows = read_table(d / "technology.csv", {"carrier": text, "parameter": text, "value": float})
    for number, r in enumerate(tech_rows, start=1):
        if r["parameter"].startswith(("p_min_pu", "share")) and not 0.0 <= r["value"] <= 1.0:
            msg = f"{r['carrier']}.{r['parameter']} = {r['value']:g} is not a per-unit value in [0, 1]"
            raise ImportDataError(msg, location=at("technology.csv", row=number, field="value"))
    technology = {(r["carrier"], r["parameter"]): r["value"] for r in tech_rows}
    demand = {r["year"]: r["annual_twh"]
              for r in read_table(d / "demand.csv", {"year": pos_int, "annual_twh": pos_float})}
    flh_rows = read_table(d / "full_load_hours.csv", {"grid": text, "carrier": text, "flh_h": pos_float})
    flh: dict[tuple[str, str], float] = {}
    for number, r in enumerate(flh_rows, start=1):
        if r["flh_h"] > HOURS_PER_YEAR:
            msg = f"{r['flh_h']:g} h is more than a year"
            raise ImportDataError(msg,
                                  location=at("full_load_hours.csv", row=number, field="flh_h"))
        flh[(r["grid"], r["carrier"])] = r["flh_h"]
    return PowerData(
        directory=d, nodes=nodes, capacity=_capacity(d, nodes), channels=_channels(d, nodes),
        technology=technology, demand_twh=demand, flh=flh, load_shape_mw=_load_shape(d),
        leagues=_leagues(d), league_ties=_ties(d / "league_links.csv", "league_a", "league_b"),
        grid_ties=_ties(d / "grid_ties.csv", "node_a", "node_b"), studies=_studies(d),
        heating_season=_heating_season(d))
