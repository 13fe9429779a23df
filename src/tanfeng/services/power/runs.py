"""Use cases: run a study, compare it with each measure switched off, the power sector's emissions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tanfeng.power.data import HOURS_PER_YEAR
from tanfeng.power.studies import compare_rows, get_study
from tanfeng.services.power._cache import data_set, solved

__all__ = ["ChannelOut", "CompareRowOut", "RunDetailsOut", "RunOut", "annual_power_emissions", "compare_study",
           "run_details", "run_study"]


class ChannelOut(BaseModel):
    """One outgoing channel: its flow over the horizon (TWh) and renewable share (%)."""

    name: str
    renewable_share_pct: float
    flow_twh: float


class RunOut(BaseModel):
    """The result of ``tanfeng power run STUDY --format json`` and of the API.

    ``objective`` is the system operating cost over the horizon (CNY); ``curtailment_by_carrier`` is in
    TWh over the horizon.
    """

    study: str
    year: int
    snapshots: int
    objective: float
    co2_mt: float
    renewable_share_pct: float
    curtailment_rate_pct: float
    curtailment_by_carrier: dict[str, float]
    channels: list[ChannelOut]
    solve_seconds: float


class RunDetailsOut(RunOut):
    """A run with generation, availability, coal hours at minimum, storage cycles and mean prices."""

    measures: list[str]
    generation_twh: dict[str, float]
    available_twh: dict[str, float]
    coal_hours_at_min: dict[str, int]
    storage_cycles: dict[str, float]
    mean_price_cny_per_mwh: dict[str, float]


class CompareRowOut(RunOut):
    """One measure switched off: the run's fields and their change from the full study."""

    measure_off: str
    delta_objective: float
    delta_co2_mt: float
    delta_renewable_share_pct: float
    delta_curtailment_rate_pct: float
    delta_curtailment_by_carrier: dict[str, float]


def run_study(study_id: str, *, hours: int = HOURS_PER_YEAR, start: int = 0,
              measures_off: frozenset[str] = frozenset(), data_dir: Path | None = None,
              profiles_file: Path | None = None) -> RunOut:
    """Solve ``study_id`` over ``hours`` hours from ``start`` (some measures off) and summarise it.

    ``profiles_file``: real wind/solar capacity factors replacing the synthetic ones it names.
    """
    _, result = solved(study_id, hours=hours, start=start, measures_off=measures_off, data_dir=data_dir,
                       profiles_file=profiles_file)
    return RunOut.model_validate(result.summary())


def run_details(study_id: str, *, hours: int = HOURS_PER_YEAR, start: int = 0,
                measures_off: frozenset[str] = frozenset(), data_dir: Path | None = None,
                profiles_file: Path | None = None) -> RunDetailsOut:
    """As :func:`run_study`, with every figure the pages and exports show."""
    _, result = solved(study_id, hours=hours, start=start, measures_off=measures_off, data_dir=data_dir,
                       profiles_file=profiles_file)
    return RunDetailsOut.model_validate(result.details())


def compare_study(study_id: str, *, hours: int = HOURS_PER_YEAR, start: int = 0, data_dir: Path | None = None,
                  progress: Callable[[str], None] | None = None) -> list[CompareRowOut]:
    """One row per measure of the study switched off, with the change from the full study."""
    study = get_study(data_set(data_dir), study_id)
    _, full = solved(study_id, hours=hours, start=start, data_dir=data_dir)
    variants: dict[str, Any] = {}
    for measure in study.measures:
        if progress is not None:
            progress(measure)
        _, variants[measure] = solved(study_id, hours=hours, start=start, measures_off=frozenset({measure}),
                                      data_dir=data_dir)
    return [CompareRowOut.model_validate(row) for row in compare_rows(full, variants)]


def annual_power_emissions(study: str, *, data_dir: Path | None = None) -> float:
    """The power sector's CO2 (MtCO2) in the study's year: a full year of hourly dispatch.

    For the scenario model: it calls this with a study id and gets the generation-side emissions of
    the coal fleet inside the region (exported electricity included, heat excluded).
    """
    _, result = solved(study, hours=HOURS_PER_YEAR, start=0, data_dir=data_dir)
    return result.co2_mt
