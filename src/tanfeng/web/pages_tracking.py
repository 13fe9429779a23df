"""Pages of dual control and early warning: home indicators, the league map, the target board, drill-down."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
