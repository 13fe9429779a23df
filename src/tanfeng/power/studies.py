"""Studies: run one, and compare it with each of its plan measures switched off in turn."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from tanfeng.errors import NotFoundError, at
from tanfeng.power.data import PowerData, Study
from tanfeng.power.metrics import StudyResult, study_result
from tanfeng.power.network import BuildOptions, BuiltNetwork, build_network
from tanfeng.power.solve import solve_or_explain

__all__ = ["COMPARED_FIELDS", "compare_rows", "compare_study", "get_study", "run_built", "run_study"]

COMPARED_FIELDS = ("objective", "co2_mt", "renewable_share_pct", "curtailment_rate_pct")


def get_study(data: PowerData, study_id: str) -> Study:
    """The study called ``study_id``; the error lists the shipped ones."""
    try:
        return data.studies[study_id]
    except KeyError:
        msg = f"no study {study_id!r}"
        raise NotFoundError(msg, location=at("studies.yaml", field="id"),
                            hint=f"studies: {', '.join(sorted(data.studies))}") from None


def run_built(data: PowerData, study: Study, options: BuildOptions,
              solver_options: dict[str, Any] | None = None) -> tuple[BuiltNetwork, StudyResult]:
    """Build, solve (explaining infeasibility) and read the results of one study variant."""
    built = build_network(data, study, options)

    def rebuild(opts: BuildOptions) -> BuiltNetwork:
        return build_network(data, study, BuildOptions(hours=opts.hours, start=opts.start,
                                                       measures_off=opts.measures_off, relax=opts.relax,
                                                       profiles=options.profiles))

    outcome = solve_or_explain(built, rebuild, solver_options=solver_options)
    return built, study_result(built, outcome)


def run_study(data: PowerData, study_id: str, *, hours: int = 8760, start: int = 0,
              measures_off: frozenset[str] = frozenset(),
              profiles: Mapping[str, np.ndarray] | None = None) -> StudyResult:
    """Run ``study_id`` over ``hours`` hours from hour ``start`` with some measures switched off."""
    study = get_study(data, study_id)
    _, result = run_built(data, study, BuildOptions(hours=hours, start=start, measures_off=measures_off,
                                                    profiles=profiles))
    return result


def compare_rows(full: StudyResult, variants: Mapping[str, StudyResult]) -> list[dict[str, Any]]:
    """One row per measure switched off: the run fields and ``delta_<field>`` = variant − full."""
    rows = []
    base = full.summary()
    for measure, result in variants.items():
        row: dict[str, Any] = {"measure_off": measure, **result.summary()}
        for key in COMPARED_FIELDS:
            row[f"delta_{key}"] = round(float(row[key]) - float(base[key]), 6)
        row["delta_curtailment_by_carrier"] = {
            c: round(v - base["curtailment_by_carrier"].get(c, 0.0), 6)
            for c, v in row["curtailment_by_carrier"].items()}
        rows.append(row)
    return rows


def compare_study(data: PowerData, study_id: str, *, hours: int = 8760, start: int = 0,
                  progress: Callable[[str], None] | None = None) -> tuple[StudyResult, list[dict[str, Any]]]:
    """Run the full study, then once per measure switched off; returns the full result and the rows."""
    study = get_study(data, study_id)
    full = run_study(data, study_id, hours=hours, start=start)
    variants: dict[str, StudyResult] = {}
    for measure in study.measures:
        if progress is not None:
            progress(measure)
        variants[measure] = run_study(data, study_id, hours=hours, start=start, measures_off=frozenset({measure}))
    return full, compare_rows(full, variants)
