"""Results of a solved study: curtailment, renewable shares, coal burn, emissions, storage, prices.

Curtailment of a carrier is its available energy (``p_max_pu × p_nom``) minus its dispatch. The renewable
share of a new channel is one minus the grid's feed into its base over the channel's flow; an existing
channel is credited with the generation mix of the grid it leaves from (an attribution, stated in the
docs). Emissions are coal generation ÷ efficiency × CO2 intensity of the fuel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tanfeng.errors import InputError, at
from tanfeng.power.network import BuiltNetwork
from tanfeng.power.solve import SolveOutcome

__all__ = [
    "GENERATION",
    "RENEWABLE",
    "VARIABLE",
    "ChannelResult",
    "StudyResult",
    "balance_residual",
    "study_result",
]

RENEWABLE = ("wind", "solar", "hydro")
VARIABLE = ("wind", "solar", "hydro")
GENERATION = ("wind", "solar", "hydro", "coal", "coal_flex")


@dataclass(frozen=True)
class ChannelResult:
    """Flow and renewable share of one channel over the horizon."""

    name: str
    name_zh: str
    flow_twh: float
    renewable_share_pct: float
    re_share_min_pct: float | None


@dataclass
class StudyResult:
    """Every figure the CLI, API, pages and exports show for one solved study."""

    study: str
    year: int
    snapshots: int
    objective: float
    co2_mt: float
    renewable_share_pct: float
    curtailment_rate_pct: float
    curtailment_by_carrier: dict[str, float]
    channels: list[ChannelResult]
    solve_seconds: float
    generation_twh: dict[str, float] = field(default_factory=dict)
    available_twh: dict[str, float] = field(default_factory=dict)
    coal_hours_at_min: dict[str, int] = field(default_factory=dict)
    storage_cycles: dict[str, float] = field(default_factory=dict)
    mean_price: dict[str, float] = field(default_factory=dict)
    measures: tuple[str, ...] = ()

    def summary(self) -> dict[str, Any]:
        """The JSON shape of ``tanfeng power run`` (and of the API)."""
        return {
            "study": self.study, "year": self.year, "snapshots": self.snapshots,
            "objective": round(self.objective, 2), "co2_mt": round(self.co2_mt, 6),
            "renewable_share_pct": round(self.renewable_share_pct, 4),
            "curtailment_rate_pct": round(self.curtailment_rate_pct, 4),
            "curtailment_by_carrier": {k: round(v, 6) for k, v in self.curtailment_by_carrier.items()},
            "channels": [{"name": c.name, "renewable_share_pct": round(c.renewable_share_pct, 4),
                          "flow_twh": round(c.flow_twh, 6)} for c in self.channels],
            "solve_seconds": round(self.solve_seconds, 3),
        }

    def details(self) -> dict[str, Any]:
        """The summary plus generation, availability, hours at minimum, storage cycles and prices."""
        out = self.summary()
        out.update({
            "measures": list(self.measures),
            "generation_twh": {k: round(v, 6) for k, v in self.generation_twh.items()},
            "available_twh": {k: round(v, 6) for k, v in self.available_twh.items()},
            "coal_hours_at_min": dict(self.coal_hours_at_min),
            "storage_cycles": {k: round(v, 3) for k, v in self.storage_cycles.items()},
            "mean_price_cny_per_mwh": {k: round(v, 3) for k, v in self.mean_price.items()},
        })
        return out


def _by_carrier(frame: pd.DataFrame, carriers: pd.Series) -> dict[str, float]:
    sums = frame.sum(axis=0).groupby(carriers).sum()
    return {str(k): float(v) for k, v in sums.items()}


def balance_residual(built: BuiltNetwork) -> float:
    """Largest absolute imbalance (MW) over every bus and snapshot of a solved network.

    PyPSA counts a link's ``p0`` and ``p1`` as power withdrawn at ``bus0`` and ``bus1``.
    """
    n = built.network
    inflow = pd.DataFrame(0.0, index=n.snapshots, columns=n.buses.index)
    gen = n.generators_t.p.T.groupby(n.generators.bus).sum().T
    sto = n.storage_units_t.p.T.groupby(n.storage_units.bus).sum().T if len(n.storage_units) else None
    load = n.loads_t.p.T.groupby(n.loads.bus).sum().T
    inflow = inflow.add(gen, fill_value=0.0).sub(load, fill_value=0.0)
    if sto is not None:
        inflow = inflow.add(sto, fill_value=0.0)
    if len(n.links):
        inflow = inflow.sub(n.links_t.p0.T.groupby(n.links.bus0).sum().T, fill_value=0.0)
        inflow = inflow.sub(n.links_t.p1.T.groupby(n.links.bus1).sum().T, fill_value=0.0)
    return float(inflow.abs().to_numpy().max())


def _channels(built: BuiltNetwork, grid_share: dict[str, float]) -> list[ChannelResult]:
    n = built.network
    out = []
    for ch in built.channels:
        flow = float(n.links_t.p0[ch.link].sum())
        if ch.feeder is not None:
            feed = float(n.links_t.p0[ch.feeder].sum())
            share = 100.0 * (1.0 - feed / flow) if flow > 0 else 0.0
        else:
            share = grid_share.get(ch.grid, 0.0)
        out.append(ChannelResult(ch.name, ch.name_zh, flow / 1e6, share, ch.re_share_min_pct))
    return out


def _grid_shares(built: BuiltNetwork) -> dict[str, float]:
    """Renewable share of each grid's own generation (channel bases excluded: they feed only their channel)."""
    n = built.network
    bases = {str(n.links.at[ch.link, "bus0"]) for ch in built.channels if ch.feeder is not None}
    gens = n.generators[n.generators.carrier.isin(GENERATION) & ~n.generators.bus.isin(bases)]
    energy = n.generators_t.p[gens.index].sum()
    grid = gens.bus.map(built.bus_grid)
    total = energy.groupby(grid).sum()
    ren = energy[gens.carrier.isin(RENEWABLE)].groupby(grid[gens.carrier.isin(RENEWABLE)]).sum()
    return {str(g): float(100.0 * ren.get(g, 0.0) / total[g]) if total[g] > 0 else 0.0 for g in total.index}


def _coal_and_storage(built: BuiltNetwork) -> tuple[dict[str, int], dict[str, float]]:
    n = built.network
    hours: dict[str, int] = {}
    coal = n.generators[n.generators.carrier.isin(("coal", "coal_flex"))]
    p_min = n.get_switchable_as_dense("Generator", "p_min_pu")
    for name, row in coal.iterrows():
        floor = p_min[name] * float(row.p_nom)  # per hour: the CHP share's floor is higher in the heating season
        hours[str(name)] = int((n.generators_t.p[name] <= floor + 1e-3 * max(float(row.p_nom), 1.0)).sum())
    cycles: dict[str, float] = {}
    for carrier, group in n.storage_units.groupby("carrier"):
        energy_cap = float((group.p_nom * group.max_hours).sum())
        dispatched = float(n.storage_units_t.p_dispatch[group.index].sum().sum())
        cycles[str(carrier)] = dispatched / energy_cap if energy_cap > 0 else 0.0
    return hours, cycles


def study_result(built: BuiltNetwork, outcome: SolveOutcome) -> StudyResult:
    """Read every result figure from a solved network."""
    n = built.network
    gens = n.generators
    generation = _by_carrier(n.generators_t.p, gens.carrier)
    variable = gens[gens.carrier.isin(VARIABLE)]
    available_frame = n.get_switchable_as_dense("Generator", "p_max_pu")[variable.index] * variable.p_nom
    available = _by_carrier(available_frame, variable.carrier)
    curtail = {c: max(available.get(c, 0.0) - generation.get(c, 0.0), 0.0) for c in VARIABLE if c in available}
    total_gen = sum(generation.get(c, 0.0) for c in GENERATION)
    ren_gen = sum(generation.get(c, 0.0) for c in RENEWABLE)
    ws_avail = sum(available.get(c, 0.0) for c in ("wind", "solar"))
    ws_curt = sum(curtail.get(c, 0.0) for c in ("wind", "solar"))
    co2_t = 0.0
    coal = gens[gens.carrier.isin(("coal", "coal_flex"))]
    for name, row in coal.iterrows():
        co2_t += float(n.generators_t.p[name].sum()) / float(row.efficiency) * float(
            n.carriers.at[row.carrier, "co2_emissions"])
    hours_at_min, cycles = _coal_and_storage(built)
    if n.objective is None:
        msg = f"study {built.study.id} has no solution to read"
        raise InputError(msg, location=at(field="objective"))
    prices = n.buses_t.marginal_price
    mean_price = {str(b): float(np.mean(prices[b])) for b in built.bus_grid if b in prices}
    return StudyResult(
        study=built.study.id, year=built.study.year, snapshots=len(n.snapshots), objective=float(n.objective),
        co2_mt=co2_t / 1e6, renewable_share_pct=100.0 * ren_gen / total_gen if total_gen > 0 else 0.0,
        curtailment_rate_pct=100.0 * ws_curt / ws_avail if ws_avail > 0 else 0.0,
        curtailment_by_carrier={c: v / 1e6 for c, v in curtail.items()},
        channels=_channels(built, _grid_shares(built)), solve_seconds=outcome.seconds,
        generation_twh={c: generation.get(c, 0.0) / 1e6 for c in GENERATION if c in generation},
        available_twh={c: v / 1e6 for c, v in available.items()},
        coal_hours_at_min=hours_at_min, storage_cycles=cycles, mean_price=mean_price, measures=built.active)
