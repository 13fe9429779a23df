"""Solve a built network with HiGHS, with the plan levers PyPSA has no built-in form for.

The renewable share of a new channel is a custom linopy constraint added through PyPSA's
``extra_functionality``: over the horizon, the energy the grid feeds into a channel's base is at most
``(1 − share)`` of the energy the channel carries, so the rest comes from the base's wind and solar.
When a study is infeasible, it is solved again with one group of constraints relaxed at a time (all
channel shares, the CHP floors, the coal minima, the CO2 cap), then pairs of groups, and the error names the
group(s) whose relaxation makes it feasible and the channels short of their share.
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import pypsa

from tanfeng.errors import InputError, at
from tanfeng.power.network import BuildOptions, BuiltNetwork

__all__ = [
    "DEFAULT_SOLVER_OPTIONS",
    "SHORTFALL_PENALTY_CNY_PER_MWH",
    "ChannelShortfall",
    "ConstraintGroup",
    "InfeasibleStudyError",
    "SolveOutcome",
    "channel_share_constraint_name",
    "channel_shortfalls",
    "constraint_groups",
    "explain_infeasible",
    "extra_functionality",
    "shortfall_variable_name",
    "solve",
    "solve_or_explain",
    "solver_options_for",
]

DEFAULT_SOLVER_OPTIONS: dict[str, Any] = {"solver": "simplex", "threads": 1, "output_flag": False}
"""HiGHS options of every solve unless the study says otherwise (the shipped studies choose interior point with
crossover in ``studies.yaml``: the same optimum, found faster on long horizons)."""


class InfeasibleStudyError(InputError):
    """A study has no feasible dispatch; the message names the constraints that cannot be met.

    ``causes`` lists the groups (one, or a pair) whose relaxation makes the study feasible, the first being
    the one the message names; ``shortfalls`` the channels short of their renewable share (empty unless the
    channel shares are in the first cause).
    """

    causes: list[tuple[str, ...]]
    shortfalls: list[ChannelShortfall]

    def __init__(self, message: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.causes, self.shortfalls = [], []


@dataclass(frozen=True)
class SolveOutcome:
    """Status, condition and wall time of one solve."""

    status: str
    condition: str
    seconds: float


def channel_share_constraint_name(channel: str) -> str:
    """The linopy name of a channel's renewable-share constraint."""
    return f"channel_re_share_{channel}"


def shortfall_variable_name(channel: str) -> str:
    """The linopy name of a channel's renewable shortfall (MWh) when its share is elastic."""
    return f"channel_re_shortfall_{channel}"


def extra_functionality(built: BuiltNetwork, *, elastic_channels: bool = False,
                        ) -> Callable[[pypsa.Network, Any], None]:
    """The tanfeng constraints for ``built`` in the form PyPSA's ``optimize`` expects.

    With ``elastic_channels`` each share may fall short by a variable (MWh) that costs
    :data:`SHORTFALL_PENALTY_CNY_PER_MWH`: always feasible in the shares, it finds the least total shortfall.
    """

    def add(n: pypsa.Network, snapshots: Any) -> None:
        m = n.model
        p = m.variables["Link-p"]
        for ch in built.channels:
            if not ch.constrained or ch.feeder is None or ch.re_share_min_pct is None:
                continue
            share = ch.re_share_min_pct / 100.0
            lhs = p.sel(name=ch.feeder).sum() - (1.0 - share) * p.sel(name=ch.link).sum()
            if elastic_channels:
                short = m.add_variables(lower=0.0, name=shortfall_variable_name(ch.name))
                lhs = lhs - short
                m.objective = m.objective.expression + SHORTFALL_PENALTY_CNY_PER_MWH * short
            m.add_constraints(lhs <= 0, name=channel_share_constraint_name(ch.name))

    return add


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """HiGHS prints a banner on the C-level standard output; keep it off the JSON a command prints."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no file descriptor (captured output)
        yield
        return
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def solver_options_for(built: BuiltNetwork, solver_options: dict[str, Any] | None = None) -> dict[str, Any]:
    """The HiGHS options a solve of ``built`` uses (defaults, the study's, then ``solver_options``)."""
    return {**DEFAULT_SOLVER_OPTIONS, **built.study.solver_options, **(solver_options or {})}


def solve(built: BuiltNetwork, *, solver_options: dict[str, Any] | None = None,
          elastic_channels: bool = False) -> SolveOutcome:
    """Optimise the dispatch of ``built`` in place; returns the solver status and condition.

    HiGHS options: :data:`DEFAULT_SOLVER_OPTIONS`, updated by the study's (``studies.yaml``), then by
    ``solver_options``. ``elastic_channels`` lets the channel shares fall short at a penalty (see
    :func:`extra_functionality`).
    """
    options = solver_options_for(built, solver_options)
    started = time.perf_counter()
    with warnings.catch_warnings(), _stdout_to_stderr():
        warnings.simplefilter("ignore", FutureWarning)
        status, condition = built.network.optimize(
            solver_name="highs", solver_options=options, extra_functionality=extra_functionality(built, elastic_channels=elastic_channels),
            include_objective_constant=False, log_to_console=False, progress=False)
    return SolveOutcome(str(status), str(condition), time.perf_counter() - started)


@dataclass(frozen=True)
class ConstraintGroup:
    """Constraints relaxed together when looking for the cause of an infeasible study.

    ``key`` is ``channel_re_share`` (every new channel's renewable share), ``chp_heat`` (the heating-season
    floors of the CHP units), ``coal_min`` (the coal minima) or ``co2_cap``; ``relax`` holds the
    :attr:`BuildOptions.relax` keys that drop them; ``text`` names them (English; the web catalogue writes
    it in Chinese).
    """

    key: str
    text: str
    relax: frozenset[str]


@dataclass(frozen=True)
class ChannelShortfall:
    """A new channel below its renewable share in the dispatch with the least total shortfall."""

    name: str
    name_zh: str
    share_pct: float
    required_pct: float
    shortfall_mwh: float


SHORTFALL_PENALTY_CNY_PER_MWH = 1e5
"""Cost of a MWh of renewable shortfall on a channel when its share is made elastic to name the channels
that cannot meet it (far above any operating cost, so the least total shortfall is found)."""


def constraint_groups(built: BuiltNetwork) -> list[ConstraintGroup]:
    """The groups of constraints of ``built`` that can be relaxed, in the order they are tried."""
    out: list[ConstraintGroup] = []
    shares = frozenset(f"channel_re_share:{ch.name}" for ch in built.channels if ch.constrained)
    if shares:
        out.append(ConstraintGroup("channel_re_share", "the renewable share of the new channels", shares))
    if "chp_heat" in built.active:
        out.append(ConstraintGroup("chp_heat", "the heating-season floor of the CHP units", frozenset({"chp_heat"})))
    if "coal_min" not in built.relax:
        out.append(ConstraintGroup("coal_min", "the minimum output of the coal units", frozenset({"coal_min"})))
    if built.co2_cap_t is not None:
        out.append(ConstraintGroup("co2_cap", f"the CO2 cap of {built.co2_cap_t / 1e6:.4g} MtCO2 over the horizon",
                                   frozenset({"co2_cap"})))
    return out


def channel_shortfalls(built: BuiltNetwork) -> list[ChannelShortfall]:
    """The channels whose elastic share constraint is short in a network solved with ``elastic_channels``."""
    n, out = built.network, []
    for ch in built.channels:
        name = shortfall_variable_name(ch.name)
        if ch.feeder is None or ch.re_share_min_pct is None or name not in n.model.variables:
            continue
        short = float(n.model.variables[name].solution.item())
        flow = float(n.links_t.p0[ch.link].sum())
        if short > 1e-6 * max(flow, 1.0):
            share = 100.0 * (1.0 - float(n.links_t.p0[ch.feeder].sum()) / flow) if flow > 0 else 0.0
            out.append(ChannelShortfall(ch.name, ch.name_zh, share, ch.re_share_min_pct, short))
    return out


def _trial(built: BuiltNetwork, rebuild: Callable[[BuildOptions], BuiltNetwork],
           combo: tuple[ConstraintGroup, ...], solver_options: dict[str, Any] | None,
           ) -> list[ChannelShortfall] | None:
    """Solve the study with the groups of ``combo`` relaxed (the channel shares made elastic, so the channels
    short of their share can be named); None when it stays infeasible."""
    elastic = any(g.key == "channel_re_share" for g in combo)
    relax = built.relax.union(*(g.relax for g in combo if g.key != "channel_re_share"))
    measures_off = frozenset(m for m in built.study.measures if m not in built.active)
    trial = rebuild(BuildOptions(hours=built.hours, start=built.start, measures_off=measures_off, relax=relax))
    if solve(trial, solver_options=solver_options, elastic_channels=elastic).status != "ok":
        return None
    return channel_shortfalls(trial) if elastic else []


def _message(built: BuiltNetwork, found: list[tuple[tuple[ConstraintGroup, ...], list[ChannelShortfall]]]) -> str:
    head = f"study {built.study.id} ({built.hours} h from hour {built.start}) is infeasible"
    (first, short), others = found[0], found[1:]
    if len(first) == 1:
        parts = [f"{head}: {first[0].text} cannot be met"]
    else:
        parts = [f"{head}: {first[0].text} and {first[1].text} cannot be met together"]
    if short:
        listed = ", ".join(f"{c.name_zh} ({c.name}) {c.share_pct:.1f} % < {c.required_pct:g} %" for c in short)
        parts.append(f"new channels below their renewable share in the dispatch with the least shortfall: {listed}")
    for combo, _ in others:
        if len(combo) == 1:
            parts.append(f"relaxing {combo[0].text} alone also makes it feasible")
        else:
            parts.append(f"relaxing {combo[0].text} and {combo[1].text} together also makes it feasible")
    return "; ".join(parts)


_HINTS = {
    "channel_re_share": "the share is meant over a year: run a longer horizon, or add wind and solar at the channels' bases",
    "chp_heat": "lower the CHP share or its heating-season floor, or add flexibility (retrofit, storage)",
    "coal_min": "add flexibility (retrofit, storage, demand response) or export capacity",
    "co2_cap": "raise the CO2 cap or add low-carbon supply",
}


def explain_infeasible(built: BuiltNetwork, rebuild: Callable[[BuildOptions], BuiltNetwork], *,
                       solver_options: dict[str, Any] | None = None, condition: str = "infeasible",
                       ) -> InfeasibleStudyError:
    """The error naming what makes ``built`` infeasible.

    Each group of :func:`constraint_groups` is relaxed on its own (same horizon); if none is enough, each pair
    of groups. Every group (or pair) whose relaxation makes the study feasible is named, the first as the
    cause; when the channel shares are among them, so are the channels short of their share in the dispatch
    with the least shortfall. When no single group or pair helps, the error names the energy balance.
    """
    groups = constraint_groups(built)
    for size in (1, 2):
        found = []
        for combo in combinations(groups, size):
            short = _trial(built, rebuild, combo, solver_options)
            if short is not None:
                found.append((combo, short))
        if found:
            keys = [g.key for g in found[0][0]]
            error = InfeasibleStudyError(_message(built, found), location=at(field="+".join(keys)),
                                         hint="; ".join(_HINTS[k] for k in keys))
            error.causes = [tuple(g.key for g in combo) for combo, _ in found]
            error.shortfalls = found[0][1]
            return error
    msg = f"study {built.study.id} is infeasible ({condition}): load and channel energy cannot be supplied"
    return InfeasibleStudyError(msg, location=at(field="energy_balance"),
                                hint="check capacities, profiles and channel utilisation")


def solve_or_explain(built: BuiltNetwork, rebuild: Callable[[BuildOptions], BuiltNetwork], *,
                     solver_options: dict[str, Any] | None = None) -> SolveOutcome:
    """Solve; when infeasible, find which constraints cannot be met and raise.

    Parameters
    ----------
    built
        The network to solve.
    rebuild
        Builds the same study with the given options (used to relax groups of constraints).

    Raises
    ------
    InfeasibleStudyError
        From :func:`explain_infeasible`.
    """
    outcome = solve(built, solver_options=solver_options)
    if outcome.status == "ok":
        return outcome
    raise explain_infeasible(built, rebuild, solver_options=solver_options, condition=outcome.condition)
