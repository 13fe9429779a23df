"""``/api/monitoring``: Online metering: ingestion, quality flags, aggregates."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/monitoring", tags=["monitoring"])
