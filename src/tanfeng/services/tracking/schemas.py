"""Output models of the tracking use cases (what the CLI, the API and the pages receive).

:class:`Figure`, :class:`TargetTrack` and :class:`RegionStatus` are built by the pure domain
(:mod:`tanfeng.tracking.figures`), :class:`LeagueWarnings` by :mod:`tanfeng.tracking.warning`; they are
re-exported here so every output model has one address.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tanfeng.tracking.decoupling import Decoupling
from tanfeng.tracking.figures import Figure, RegionStatus, TargetTrack
from tanfeng.tracking.forecast import Forecast
from tanfeng.tracking.peak import PeakResult
from tanfeng.tracking.warning import LeagueWarnings

__all__ = [
    "ChangeOut",
    "Changes",
    "DecouplingOut",
    "DispatchEntryOut",
    "DispatchPeriodOut",
    "EntryWithHistory",
    "Figure",
    "ForecastOut",
    "IndicatorValueOut",
    "LeagueWarnings",
    "MissingOut",
    "PeakOut",
    "PeriodSummary",
    "RegionStatus",
    "SampleLoad",
    "TargetTrack",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IndicatorValueOut(_Out):
    """One version of an indicator value (or a reference statistic, ``version`` None)."""

    region: str
    indicator: str
    period: str
    year: int
    value: float
    unit: str
    source: str
    certainty: str
    sample: bool
    version: int | None
    current: bool
    entered_by: str | None
    entered_at: datetime | None
    superseded_at: datetime | None
    note: str | None
    origin: Literal["reference_statistics", "indicator_values"]


class DispatchPeriodOut(_Out):
    """A dispatch round."""

    id: str
    opened_at: datetime
    opened_by: str
    due_date: date
    status: str


class DispatchEntryOut(_Out):
    """One version of a dispatch entry."""

    id: int
    period: str
    responsible_unit: str
    target_id: str | None
    measure_id: str | None
    actual_value: float | None
    value_unit: str | None
    measure_status: str | None
    evidence: str
    as_of: date
    version: int
    current: bool
    superseded_at: datetime | None
    entered_by: str
    entered_at: datetime


class MissingOut(_Out):
    """A responsible unit that has not reported something for a period."""

    unit: str
    name: str
    missing: str


class SampleLoad(_Out):
    """What loading the sample did."""

    inserted: int
    skipped_real: int
    unchanged: bool


class DecouplingOut(_Out):
    """Tapio decoupling of a region between two years, with the inputs and their sources."""

    region: str
    start: int
    end: int
    indicator: str
    result: Decoupling
    sample: bool
    sources: list[str]


class PeakOut(_Out):
    """The plateau rule applied to a stored series."""

    region: str
    indicator: str
    unit: str
    result: PeakResult
    series: list[tuple[int, float]]
    sample: bool
    sources: list[str]


class ForecastOut(_Out):
    """A trend forecast of a stored series, with the plan target it is checked against (if any)."""

    region: str
    indicator: str
    unit: str
    target_id: str | None
    result: Forecast
    sample: bool
    sources: list[str]


class PeriodSummary(_Out):
    """A dispatch round with how many units reported and how many are missing."""

    period: DispatchPeriodOut
    entries: int
    reported_units: int
    missing_units: int
    missing_items: int


class EntryWithHistory(_Out):
    """The current version of a dispatch entry and every version of it (oldest first)."""

    current: DispatchEntryOut
    unit_name: str
    item_label: str
    history: list[DispatchEntryOut]


class ChangeOut(_Out):
    """One value or dispatch entry entered since the latest dispatch period was opened."""

    kind: Literal["indicator_value", "dispatch_entry"]
    unit: str
    unit_name: str
    what: str
    period: str
    old: str | None
    new: str
    version: int
    entered_by: str
    entered_at: datetime


class Changes(_Out):
    """What changed since the latest dispatch period was opened (``since`` None: no period yet)."""

    since_period: str | None
    since: datetime | None
    changes: list[ChangeOut]
