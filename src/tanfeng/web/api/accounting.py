"""``/api/accounting``: Energy conversion and carbon accounting: combustion, electricity, inventories, enterprise reports, stored results."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/accounting", tags=["accounting"])
