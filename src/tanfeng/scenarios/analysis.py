"""Wedges per lever, LMDI decomposition of a path, comparison with the plan's targets, league ordering."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from tanfeng.scenarios.catalog import Catalog
from tanfeng.scenarios.files import ResolvedScenario
from tanfeng.scenarios.lmdi import Array, decompose, logmean
from tanfeng.scenarios.model import Path

__all__ = ["EFFECTS", "GROUP_ORDER", "LeagueRank", "TargetCheck", "check_targets", "decompose_path",
           "rank_leagues", "wedges"]

EFFECTS = ("activity", "structure", "intensity", "mix", "factor", "export")
GROUP_ORDER = {"light": 0, "renewable": 1, "heavy": 2}
"""The plan's league types in the order it expects them to peak (梯次有序: light first, heavy last)."""


def wedges(reference: Path, scenario: Path) -> dict[str, Array]:
    """Emission change of ``scenario`` against ``reference`` per lever, (R, T) MtCO2, summing exactly to the
    difference of the two paths.

    The change of each cell is shared among the scenario's steps (its drivers, then each lever) by LMDI-I
    weights ``L(C_s, C_ref) · ln(step ratio)`` where both values are positive; where a cell is zero on either
    side (a fuel a mix lever brings in, or a term cut to nothing), by the change each step makes, in turn.
    """
    ref = reference.cells
    names = ["drivers"] + [name for name, _ in scenario.steps[1:]]
    arrays = [ref] + [arr for _, arr in scenario.steps]
    final = arrays[-1]
    weight = logmean(final, ref)
    positive = np.all(np.stack([a > 0 for a in arrays]), axis=0)
    out: dict[str, Array] = {}
    for k, name in enumerate(names):
        before, after = arrays[k], arrays[k + 1]
        ratio = np.divide(after, before, out=np.ones_like(after), where=positive)
        share = np.where(positive, weight * np.log(ratio), after - before)
        out[name] = np.asarray(share.sum(axis=(1, 2)), dtype=np.float64)
    return out


def decompose_path(path: Path, start_year: int, end_year: int) -> Array:
    """LMDI-I effects (R, 6) in :data:`EFFECTS` order between two years of a path, MtCO2."""
    i0 = int(np.searchsorted(path.years, start_year))
    i1 = int(np.searchsorted(path.years, end_year))
    out = np.zeros((len(path.regions), len(EFFECTS)))
    for r in range(len(path.regions)):
        terms = []
        for t in (i0, i1):
            q_s = path.activity[r, :, t]
            q = q_s.sum()
            terms.append({
                "activity": np.full(q_s.shape, q)[:, None],
                "structure": (q_s / q)[:, None] if q > 0 else np.zeros_like(q_s)[:, None],
                "intensity": path.intensity[r, :, t][:, None],
                "mix": path.mix[r, :, :, t],
                "factor": path.factor[r, :, :, t],
                "export": path.export[r, :, :, t],
            })
        eff = decompose(terms[0], terms[1])
        out[r] = [float(eff[name]) for name in EFFECTS]
    return out


@dataclass(frozen=True)
class TargetCheck:
    """Whether a lever reaches its plan target in time, in the target's own terms."""

    lever: str
    target: str
    indicator: str
    target_year: int | None
    comparator: str
    target_value: float | None
    unit: str | None
    reached_year: int | None
    reached_value: float | None
    meets: bool | None
    note: str


def _meets(comparator: str, reached: float, target: float) -> bool:
    tests = {"≥": reached >= target, ">": reached > target, "≤": reached <= target, "<": reached < target,
             "=": abs(reached - target) <= 1e-9 * max(1.0, abs(target)),
             "≈": abs(reached - target) <= 0.05 * abs(target)}
    return tests.get(comparator, reached >= target)


def check_targets(scenario: ResolvedScenario, targets: Mapping[str, Mapping[str, object]]) -> list[TargetCheck]:
    """Each lever tied to a plan target against it (``targets``: id → the plan's target fields)."""
    out: list[TargetCheck] = []
    for lever in scenario.levers:
        if lever.target is None:
            continue
        t = targets.get(lever.target)
        if t is None:
            out.append(TargetCheck(lever=lever.id, target=lever.target, indicator="", target_year=None,
                                   comparator="", target_value=None, unit=None, reached_year=None,
                                   reached_value=None, meets=None, note="target id not in the plan"))
            continue
        year = t.get("year")
        value = t.get("value")
        comparator = str(t.get("comparator") or "")
        reach = lever.reaches
        meets: bool | None = None
        note = "the lever states no level reached"
        if reach is not None and isinstance(value, int | float):
            in_time = year is None or reach.year <= int(str(year))
            meets = in_time and reach.unit == t.get("unit") and _meets(comparator, reach.value, float(value))
            note = "reached in time" if meets else ("too late" if not in_time else "level or unit differs")
        out.append(TargetCheck(
            lever=lever.id, target=lever.target, indicator=str(t.get("indicator") or ""),
            target_year=int(str(year)) if year is not None else None, comparator=comparator,
            target_value=float(value) if isinstance(value, int | float) else None,
            unit=str(t.get("unit")) if t.get("unit") is not None else None,
            reached_year=reach.year if reach else None, reached_value=reach.value if reach else None,
            meets=meets, note=note))
    return out


@dataclass(frozen=True)
class LeagueRank:
    """A league's place in the peak order, against the plan's type for it."""

    rank: int
    region: str
    name_zh: str
    group: str
    peak_year: int
    p_peak_by_2030: float
    in_expected_order: bool
    reason: str
    out_of_order: tuple[str, ...] = ()
    """Region codes of the leagues that peak against the plan's order relative to this one."""


def rank_leagues(catalog: Catalog, peak_years: Mapping[str, int], p_by_2030: Mapping[str, float]
                 ) -> list[LeagueRank]:
    """Leagues ordered by peak year (then P(peak ≤ 2030), descending), each checked against the plan's
    order of types: a league is out of order when a league of a later type peaks strictly before it."""
    leagues = sorted(catalog.leagues, key=lambda lg: (peak_years[lg.region], -p_by_2030[lg.region]))
    out = []
    for i, lg in enumerate(leagues):
        later_first = [o for o in catalog.leagues if GROUP_ORDER[o.group] > GROUP_ORDER[lg.group]
                       and peak_years[o.region] < peak_years[lg.region]]
        earlier_after = [o for o in catalog.leagues if GROUP_ORDER[o.group] < GROUP_ORDER[lg.group]
                         and peak_years[o.region] > peak_years[lg.region]]
        ok = not later_first and not earlier_after
        why = lg.reason if ok else (lg.reason + "; out of the plan's order: " + ", ".join(
            f"{o.name_zh} ({o.group}) peaks {peak_years[o.region]}" for o in later_first + earlier_after))
        out.append(LeagueRank(rank=i + 1, region=lg.region, name_zh=lg.name_zh, group=lg.group,
                              peak_year=peak_years[lg.region], p_peak_by_2030=p_by_2030[lg.region],
                              in_expected_order=ok, reason=why,
                              out_of_order=tuple(o.region for o in later_first + earlier_after)))
    return out
