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
from tanfeng.tracking.figures import Figure, Provenance, RegionStatus, TargetTrack
from tanfeng.tracking.forecast import Forecast
from tanfeng.tracking.peak import PeakResult
from tanfeng.tracking.warning import LeagueWarnings

__all__ = [
    "AttachmentOut",
    "ChangeOut",
    "Changes",
    "DecouplingOut",
    "DispatchEntryOut",
    "DispatchPeriodOut",
    "EntryWithHistory",
    "Figure",
    "ForecastOut",
    "IndicatorValueOut",
    "ItemName",
    "LeagueWarnings",
    "MissingOut",
    "NoticeOut",
    "PeakOut",
    "PeriodSummary",
    "Provenance",
    "RegionStatus",
    "SampleLoad",
    "TargetTrack",
    "UnitProgress",
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
    source_label: str = ""
    """The institution or publication the source names first (:func:`tanfeng.tracking.figures.short_source`)."""
    file: str | None = None
    """The shipped or imported file of a reference statistic."""


class DispatchPeriodOut(_Out):
    """A dispatch round."""

    id: str
    opened_at: datetime
    opened_by: str
    due_date: date
    status: str
    departments: list[str] = []
    """Departments the round expects a report from, besides every league."""


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
    entered_by_name: str | None = None
    """The display name of ``entered_by`` (``users.display_name``), when the reader may see who entered it."""
    late: bool = False
    """Entered after the period's due date (Beijing time): shown as 逾期."""


class AttachmentOut(_Out):
    """A file attached to a dispatch entry version as evidence."""

    id: int
    entry_id: int
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


class MissingOut(_Out):
    """A responsible unit that has not reported something for a period."""

    unit: str
    name: str
    missing: str
    overdue: bool = False
    """The period's due date has passed (Beijing time) and this is still missing: 逾期."""
    item: str | None = None
    """The item missing (``target:<id>`` or ``measure:<id>``); None: the unit has reported nothing this round."""


class ItemName(_Out):
    """A dispatch item (``target:<id>`` or ``measure:<id>``) by name: what a page shows instead of the id."""

    key: str
    id: str
    name: str
    """The target's indicator or the measure's title, as the plan writes it."""
    year: int | None = None
    """A target's year."""
    scope: str | None = None
    """A target's named part of the region (呼和浩特、包头主城区), when it is not the region or a league."""


class UnitProgress(_Out):
    """Where one expected unit stands in a period: what it owes, what is missing, whether it is overdue."""

    unit: str
    name: str
    kind: Literal["league", "department"]
    reported: bool
    """Every item it owes is reported (a unit that owes no named item: at least one entry)."""
    missing: list[str]
    owed: list[str | None] = []
    """The item keys of ``missing``, in order (None: the unit has reported nothing this round)."""
    entries: int
    sub_entries: int
    """Entries of its counties (a league's sub-entries; they do not report for the league)."""
    overdue: bool
    reminded_at: datetime | None


class NoticeOut(_Out):
    """A reminder (催报) shown on a unit's landing page."""

    id: int
    period: str
    unit: str
    unit_name: str
    message: str
    due_date: date
    sent_by: str
    sent_at: datetime


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
    """A dispatch round with how many expected units reported and how many are missing.

    ``reported_units + missing_units == expected_units``: only expected units are counted (every league, and
    the departments the round names); a county's entries are its league's sub-entries.
    """

    period: DispatchPeriodOut
    entries: int
    expected_units: int
    reported_units: int
    missing_units: int
    missing_items: int
    overdue_units: int
    overdue: bool
    """Open, past its due date (Beijing time), with units still missing."""


class EntryWithHistory(_Out):
    """The current version of a dispatch entry and every version of it (oldest first)."""

    current: DispatchEntryOut
    unit_name: str
    item_label: str
    history: list[DispatchEntryOut]
    league: str | None = None
    """For a county's entry, the league it is a sub-entry of."""
    attachments: list[AttachmentOut] = []
    """Files attached to any version, oldest first."""


class ChangeOut(_Out):
    """One value or dispatch entry entered since the latest dispatch period was opened."""

    kind: Literal["indicator_value", "dispatch_entry"]
    unit: str
    unit_name: str
    what: str
    item: str | None = None
    """A dispatch entry's item (``target:<id>`` or ``measure:<id>``); the indicator id of a value."""
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
