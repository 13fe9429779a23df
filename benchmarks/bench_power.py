"""Benchmark: hourly dispatch of the power studies (prints figures; never asserted in tests).

1. The two-grid study over 8,760 hours: tanfeng's build + solve beside the same network written directly
   with PyPSA calls in the same run (same inputs, same solver options); objective of both and time ratio.
2. The 12-league study over 8,760 hours: build + solve time.
3. Peak resident memory of the process.

Wind and solar profiles are the synthetic ones (computed once, outside the timings, and given to both).

Run: ``.venv/bin/python benchmarks/bench_power.py [--hours 8760] [--study im2g-2030] [--leagues im12-2030] [--repeat 2]
[--solver study|simplex|ipm|ipm-nox]`` (``--study ''`` or ``--leagues ''`` skips that part; ``--solver study``, the
default, uses the HiGHS options of ``studies.yaml`` for both builds).

The two builds alternate in order round by round, so that a busy machine penalises both alike; each
timing is printed with the process CPU time and the load average, since on a shared machine the wall
time follows the load.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import warnings
from typing import Any

import numpy as np
import pypsa

from tanfeng.power.data import PowerData, Study, load_power_data
from tanfeng.power.network import KGCE_PER_KWH_ELECTRIC, BuildOptions, build_network
from tanfeng.power.profiles import synthetic_profile
from tanfeng.power.solve import DEFAULT_SOLVER_OPTIONS, solve

warnings.simplefilter("ignore", FutureWarning)


def say(text: str) -> None:
    print(text, flush=True)


def load_note() -> str:
    """The machine's load average (1, 5, 15 min) and core count, printed beside every timing."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def profiles(data: PowerData, study: Study) -> dict[str, np.ndarray]:
    """Synthetic profiles of every (bus, carrier) the study uses, keyed as BuildOptions expects."""
    built = build_network(data, study, BuildOptions(hours=24))
    out: dict[str, np.ndarray] = {}
    for _name, row in built.network.generators.iterrows():
        if row.carrier in ("wind", "solar", "hydro"):
            bus = str(row.bus)
            grid = built.bus_grid[bus]
            out[f"{bus}:{row.carrier}"] = synthetic_profile(str(row.carrier), bus, float(built.network.buses.at[bus, "y"]),
                                                             data.flh[(grid, str(row.carrier))])
    return out


def direct(data: PowerData, study: Study, prof: dict[str, np.ndarray], hours: int) -> tuple[pypsa.Network, Any]:
    """The two-grid study written directly with PyPSA (no tanfeng builder): buses, loads, units, links.

    Assumes the study's measures are all on (as the shipped two-grid studies have them), the CHP share
    of coal included. Components are added in the order a reader would write them, which is also the
    order tanfeng's builder follows (buses, carriers, loads, units by node and carrier, demand response,
    ties, channels), so both LPs list their variables and constraints alike.
    """
    year, fx = study.year, data.technology[("fx", "eur_cny")]
    n = pypsa.Network()
    n.set_snapshots(list(range(hours)))
    channels = [c for c in data.channels if c.first_year <= year]
    for node in data.nodes.values():
        if node.kind == "grid":
            n.add("Bus", node.node, x=node.lon, y=node.lat)
    for ch in channels:
        src = data.nodes[ch.from_node]
        if src.kind == "base" and src.node not in n.buses.index:
            n.add("Bus", src.node, x=src.lon, y=src.lat)
        n.add("Bus", f"ext:{ch.name}")
    co2 = data.technology[("coal", "co2_intensity")]
    for c in ("wind", "solar", "hydro", "coal", "coal_flex", "battery", "phs", "demand_response", "export", "AC", "DC"):
        n.add("Carrier", c, co2_emissions=co2 if c.startswith("coal") else 0.0)
    shape = data.load_shape_mw / data.load_shape_mw.sum() * data.demand_twh[year] * 1e6
    for node in data.nodes.values():
        if node.kind == "grid" and node.load_share > 0:
            n.add("Load", f"load:{node.node}", bus=node.node, p_set=shape[:hours] * node.load_share)
    eff = KGCE_PER_KWH_ELECTRIC * 1000 / data.technology[("coal", "supply_coal_rate")]
    coal_cost = (data.technology[("coal", "fuel")] / eff + data.technology[("coal", "vom")]) * fx
    ramp = data.technology[("coal", "ramp_limit")]
    for (y, node, carrier), p_nom in sorted(data.capacity.items()):
        if y != year or node not in n.buses.index or p_nom == 0:
            continue
        name = f"{carrier}:{node}"
        if carrier in ("wind", "solar", "hydro"):
            n.add("Generator", name, bus=node, carrier=carrier, p_nom=p_nom, p_max_pu=prof[f"{node}:{carrier}"][:hours],
                  marginal_cost=data.technology[(carrier, "vom")] * fx)
        elif carrier in ("coal", "coal_flex"):
            p_min = data.technology[(carrier, "p_min_pu")]
            share = data.technology[("chp", "share_of_coal")] if "chp_heat" in study.measures else 0.0
            n.add("Generator", name, bus=node, carrier=carrier, p_nom=p_nom * (1 - share), efficiency=eff,
                  marginal_cost=coal_cost, p_min_pu=p_min, ramp_limit_up=ramp, ramp_limit_down=ramp)
            if share:  # the CHP share: a higher floor in the heating season of its grid (以热定电)
                floor = data.technology[("chp", "p_min_pu_heating_flex" if carrier == "coal_flex" else "p_min_pu_heating")]
                season = data.heating_hours(data.nodes[node].grid)[:hours]
                n.add("Generator", f"{name}:chp", bus=node, carrier=carrier, p_nom=p_nom * share, efficiency=eff,
                      marginal_cost=coal_cost, p_min_pu=np.where(season, floor, p_min), ramp_limit_up=ramp,
                      ramp_limit_down=ramp)
        else:
            e = (data.technology[("battery", "efficiency_one_way")] if carrier == "battery"
                 else float(np.sqrt(data.technology[("phs", "efficiency_round_trip")])))
            n.add("StorageUnit", name, bus=node, carrier=carrier, p_nom=p_nom, efficiency_store=e, efficiency_dispatch=e,
                  max_hours=data.technology[(carrier, "max_hours")], cyclic_state_of_charge=True)
    for node in data.nodes.values():
        if node.kind == "grid" and node.load_share > 0:
            n.add("StorageUnit", f"demand_response:{node.node}", bus=node.node, carrier="demand_response",
                  p_nom=data.technology[("demand_response", "share_of_peak")] * float((shape * node.load_share).max()),
                  max_hours=data.technology[("demand_response", "max_hours")], cyclic_state_of_charge=True,
                  marginal_cost=data.technology[("demand_response", "marginal_cost")])
    for tie in data.grid_ties:
        n.add("Link", f"tie:{tie.a}-{tie.b}", bus0=tie.a, bus1=tie.b, p_nom=tie.p_nom_mw, p_min_pu=-1.0)
    shares = []
    for ch in channels:
        src = data.nodes[ch.from_node]
        n.add("Link", f"channel:{ch.name}", bus0=ch.from_node, bus1=f"ext:{ch.name}", p_nom=ch.p_nom_mw)
        if src.kind == "base":
            n.add("Link", f"feeder:{ch.name}", bus0=src.grid, bus1=src.node, p_nom=ch.p_nom_mw)
            if ch.re_share_min_pct is not None:
                shares.append((ch.name, ch.re_share_min_pct / 100))
        energy = ch.p_nom_mw * ch.utilisation_pu * hours
        n.add("Generator", f"export:{ch.name}", bus=f"ext:{ch.name}", carrier="export", p_nom=ch.p_nom_mw,
              p_min_pu=-1.0, p_max_pu=0.0, e_sum_min=-energy, e_sum_max=-energy)

    def extra(n: pypsa.Network, sns: Any) -> None:
        p = n.model.variables["Link-p"]
        for name, share in shares:
            n.model.add_constraints(p.sel(name=f"feeder:{name}").sum() - (1 - share) * p.sel(name=f"channel:{name}").sum()
                                    <= 0, name=f"share_{name}")

    return n, extra


SOLVERS: dict[str, dict[str, Any]] = {
    "simplex": {"solver": "simplex"},
    "ipm": {"solver": "ipm", "run_crossover": "on"},
    "ipm-nox": {"solver": "ipm", "run_crossover": "off"},
}
"""``--solver`` choices besides ``study`` (the options of ``studies.yaml``)."""


def _tanfeng(data: PowerData, study: Study, prof: dict[str, np.ndarray], hours: int,
             options: dict[str, Any]) -> tuple[float, float, float]:
    t0 = time.perf_counter()
    built = build_network(data, study, BuildOptions(hours=hours, profiles=prof))
    t1 = time.perf_counter()
    outcome = solve(built, solver_options=options)
    return t1 - t0, time.perf_counter() - t0, float(built.network.objective) if outcome.status == "ok" else float("nan")


def _direct(data: PowerData, study: Study, prof: dict[str, np.ndarray], hours: int,
            options: dict[str, Any]) -> tuple[float, float, float]:
    t0 = time.perf_counter()
    n, extra = direct(data, study, prof, hours)
    t1 = time.perf_counter()
    status, _ = n.optimize(solver_name="highs", solver_options=options, extra_functionality=extra,
                           include_objective_constant=False, log_to_console=False, progress=False)
    return t1 - t0, time.perf_counter() - t0, float(n.objective) if status == "ok" else float("nan")


def bench_two_grid(data: PowerData, study_id: str, hours: int, repeat: int, solver: str) -> None:
    """tanfeng and direct PyPSA in alternating order, ``repeat`` times each; the fastest of each is compared."""
    study = data.studies[study_id]
    prof = profiles(data, study)
    options = {**DEFAULT_SOLVER_OPTIONS, **(study.solver_options if solver == "study" else SOLVERS[solver])}
    say(f"[two grids] HiGHS options (both): {options}")
    best: dict[str, float] = {}
    best_cpu: dict[str, float] = {}
    objective: dict[str, float] = {}
    for i in range(repeat):
        order = [("tanfeng", _tanfeng), ("direct", _direct)]
        for label, fn in order if i % 2 == 0 else order[::-1]:
            say(f"[two grids] {study_id}, {hours} h, round {i + 1}/{repeat}: {label} build + solve …")
            c0 = time.process_time()
            build, total, obj = fn(data, study, prof, hours, options)
            cpu = time.process_time() - c0
            say(f"      build {build:.2f} s, build + solve {total:.2f} s (CPU {cpu:.2f} s), objective {obj:.6e} CNY "
                f"({load_note()})")
            best[label] = min(best.get(label, total), total)
            best_cpu[label] = min(best_cpu.get(label, cpu), cpu)
            objective[label] = obj
    rel = abs(objective["tanfeng"] - objective["direct"]) / abs(objective["direct"])
    say(f"      tanfeng / direct (fastest of {repeat}): {best['tanfeng']:.2f} s / {best['direct']:.2f} s = "
        f"{best['tanfeng'] / best['direct']:.3f} (target ≤ 1.1); CPU {best_cpu['tanfeng']:.2f} s / "
        f"{best_cpu['direct']:.2f} s = {best_cpu['tanfeng'] / best_cpu['direct']:.3f}; objectives differ by "
        f"{rel:.2e} (relative)")


def bench_leagues(data: PowerData, study_id: str, hours: int, solver: str) -> None:
    study = data.studies[study_id]
    options = {**DEFAULT_SOLVER_OPTIONS, **(study.solver_options if solver == "study" else SOLVERS[solver])}
    say(f"[12 leagues] {study_id}: build + solve over {hours} h, HiGHS options {options} …")
    t0, c0 = time.perf_counter(), time.process_time()
    built = build_network(data, study, BuildOptions(hours=hours))
    t1 = time.perf_counter()
    outcome = solve(built, solver_options=options)
    say(f"      build {t1 - t0:.2f} s, solve {outcome.seconds:.2f} s (CPU of both {time.process_time() - c0:.2f} s), "
        f"status {outcome.status}, "
        f"objective {float(built.network.objective or float('nan')):.6e} CNY, "
        f"{len(built.network.buses)} buses, {len(built.network.generators)} generators ({load_note()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, default=8760)
    parser.add_argument("--study", default="im2g-2030", help="two-grid study ('' to skip)")
    parser.add_argument("--leagues", default="im12-2030", help="12-league study ('' to skip)")
    parser.add_argument("--repeat", type=int, default=2, help="alternating rounds of tanfeng and direct PyPSA")
    parser.add_argument("--solver", default="study", choices=["study", *SOLVERS],
                        help="HiGHS options: the study's (studies.yaml), dual simplex, or interior point with/without crossover")
    args = parser.parse_args()
    data = load_power_data()
    say(f"start: {load_note()}")
    if args.study:
        bench_two_grid(data, args.study, args.hours, args.repeat, args.solver)
    if args.leagues:
        bench_leagues(data, args.leagues, args.hours, args.solver)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    say(f"peak resident memory: {peak_mb:.0f} MB (python {sys.version.split()[0]}, pypsa {pypsa.__version__})")


if __name__ == "__main__":
    main()
