"""``/api/tracking``: Dual control, target tracking, early warning, dispatch periods and reports."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/tracking", tags=["tracking"])
