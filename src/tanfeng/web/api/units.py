"""``/api/units``: Key energy-consuming units: registry, annual reports, review."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/units", tags=["units"])
