"""Solve a built network with HiGHS, with the plan levers PyPSA has no built-in form for.

The renewable share of a new channel is a custom linopy constraint added through PyPSA's
``extra_functionality``: over the horizon, the energy the grid feeds into a channel's base is at most
``(1 − share)`` of the energy the channel carries, so the rest comes from the base's wind and solar.
When a study is infeasible, the study is solved again with one constraint relaxed at a time, and the
error names the constraint whose relaxation makes it feasible.
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pypsa

from tanfeng.errors import InputError, at
from tanfeng.power.network import BuildOptions, BuiltNetwork

__all__ = [
    "DEFAULT_SOLVER_OPTIONS",
    "InfeasibleStudyError",
    "SolveOutcome",
    "channel_share_constraint_name",
    "extra_functionality",
    "solve",
    "solve_or_explain",
]

DEFAULT_SOLVER_OPTIONS: dict[str, Any] = {"solver": "simplex", "threads": 1, "output_flag": False}


class InfeasibleStudyError(InputError):
    """A study has no feasible dispatch; the message names the constraint that cannot be met."""


@dataclass(frozen=True)
class SolveOutcome:
    """Status, condition and wall time of one solve."""

    status: str
    condition: str
    seconds: float


def channel_share_constraint_name(channel: str) -> str:
    """The linopy name of a channel's renewable-share constraint."""
    return f"channel_re_share_{channel}"


def extra_functionality(built: BuiltNetwork) -> Callable[[pypsa.Network, Any], None]:
    """The tanfeng constraints for ``built`` in the form PyPSA's ``optimize`` expects."""

    def add(n: pypsa.Network, snapshots: Any) -> None:
        m = n.model
        p = m.variables["Link-p"]
        for ch in built.channels:
            if not ch.constrained or ch.feeder is None or ch.re_share_min_pct is None:
                continue
            share = ch.re_share_min_pct / 100.0
            lhs = p.sel(name=ch.feeder).sum() - (1.0 - share) * p.sel(name=ch.link).sum()
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


def solve(built: BuiltNetwork, *, solver_options: dict[str, Any] | None = None) -> SolveOutcome:
    """Optimise the dispatch of ``built`` in place; returns the solver status and condition."""
    options = dict(DEFAULT_SOLVER_OPTIONS)
    options.update(solver_options or {})
    started = time.perf_counter()
    with warnings.catch_warnings(), _stdout_to_stderr():
        warnings.simplefilter("ignore", FutureWarning)
        status, condition = built.network.optimize(
            solver_name="highs", solver_options=options, extra_functionality=extra_functionality(built),
            include_objective_constant=False, log_to_console=False, progress=False)
    return SolveOutcome(str(status), str(condition), time.perf_counter() - started)


def _candidates(built: BuiltNetwork) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if built.co2_cap_t is not None:
        out.append(("co2_cap", f"the CO2 cap of {built.co2_cap_t / 1e6:.3f} Mt over the horizon"))
    out.extend((f"channel_re_share:{ch.name}",
                f"the renewable share ≥ {ch.re_share_min_pct:g} % on channel {ch.name} ({ch.name_zh})")
               for ch in built.channels if ch.constrained)
    if "chp_heat" in built.active:
        out.append(("chp_heat", "the minimum output of the CHP units in the heating season (以热定电)"))
    out.append(("coal_min", "the minimum output of the coal units (must-run floor)"))
    return out


def solve_or_explain(built: BuiltNetwork, rebuild: Callable[[BuildOptions], BuiltNetwork], *,
                     solver_options: dict[str, Any] | None = None) -> SolveOutcome:
    """Solve; when infeasible, find which constraint cannot be met and raise.

    Parameters
    ----------
    built
        The network to solve.
    rebuild
        Builds the same study with the given options (used to relax one constraint at a time).

    Raises
    ------
    InfeasibleStudyError
        Naming the first constraint whose relaxation makes the study feasible, or the energy balance
        (load and channel energy larger than what can be supplied) when none does.
    """
    outcome = solve(built, solver_options=solver_options)
    if outcome.status == "ok":
        return outcome
    base = BuildOptions(hours=built.hours, start=built.start, relax=built.relax,
                        measures_off=frozenset(m for m in built.study.measures if m not in built.active))
    for key, text in _candidates(built):
        trial = rebuild(BuildOptions(hours=base.hours, start=base.start, measures_off=base.measures_off,
                                     relax=base.relax | {key}))
        if solve(trial, solver_options=solver_options).status == "ok":
            msg = f"study {built.study.id} is infeasible: {text} cannot be met"
            raise InfeasibleStudyError(msg,
                                       location=at(field=key.split(":")[0]),
                                       hint="relax this constraint or add capacity, storage or flexibility")
    msg = f"study {built.study.id} is infeasible ({outcome.condition}): load and channel energy cannot be supplied"
    raise InfeasibleStudyError(msg,
        location=at(field="energy_balance"), hint="check capacities, profiles and channel utilisation")
