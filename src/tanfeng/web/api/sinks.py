"""``/api/sinks``: forest and grassland carbon sinks of the region and its leagues (login needed).

League figures use illustrative shares (示例数据) until league inventories exist; each answer lists its sources.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tanfeng.services import sinks as service
from tanfeng.web.deps import LoggedIn

__all__ = ["Year", "router"]

router = APIRouter(prefix="/api/sinks", tags=["sinks"])

Year = Annotated[int, Query(ge=1900, le=2100, description="The year")]


@router.get("/account", response_model=service.SinkAccount)
def account(principal: LoggedIn, year: Year,
            region: Annotated[str, Query(pattern=r"^\d{6}$", description="150000 or a league code")] = "150000",
            ) -> service.SinkAccount:
    """tCO2 removed in ``year`` by forests (stock difference) and new grassland, with uncertainty and sources."""
    return service.account(region, year)


@router.get("/leagues", response_model=list[service.SinkAccount])
def leagues(principal: LoggedIn, year: Year) -> list[service.SinkAccount]:
    """Every league's sink in ``year`` (for the league map)."""
    return service.league_accounts(year)
