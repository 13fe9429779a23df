"""What the metering use cases answer: an ingested batch, a ledger row, aggregate rows, the quality report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

__all__ = ["AggregateRow", "BatchInfo", "IngestResult", "QualityReport"]


class IngestResult(BaseModel):
    """The answer to an ingested batch: its id, how many readings, whether it was already stored."""

    batch_id: str
    rows: int
    meters: int
    duplicate: bool
    source: str
    accepted_at: datetime
    first_ts: datetime | None = None
    last_ts: datetime | None = None


class BatchInfo(BaseModel):
    """A ledger row."""

    batch_id: str
    source: str
    format: str
    rows: int
    meters: int
    first_ts: datetime | None
    last_ts: datetime | None
    accepted_at: datetime
    actor: str
    status: str
    sample: bool


class AggregateRow(BaseModel):
    """One aggregate row; the group key is under the ``by`` name in :meth:`as_row`."""

    period: datetime
    key: str
    energy_tce: float
    tco2: float
    sample: bool


class QualityReport(BaseModel):
    """Flags per meter (counts) and completeness per unit and local day."""

    first_day: date
    last_day: date
    threshold: float
    readings: int
    valid: int
    flags: list[dict[str, Any]]
    completeness: list[dict[str, Any]]
    sample: bool
    notice: str | None

    def flagged_meters(self) -> list[dict[str, Any]]:
        """The meters with at least one flagged (not valid) reading."""
        return [r for r in self.flags if r["valid"] < r["readings"]]
