"""``/api/regions``: the region hierarchy (GB/T 2260 codes; legacy codes resolved)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from tanfeng.services import regions as service
from tanfeng.web.deps import SessionDep

router = APIRouter(prefix="/api/regions", tags=["regions"])


@router.get("", response_model=list[service.RegionOut])
def list_regions(session: SessionDep,
                 level: Annotated[Literal["province", "league", "county"] | None, Query()] = None,
                 parent: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None) -> list[service.RegionOut]:
    """Regions, optionally of one level or under one parent."""
    return service.list_regions(session, level=level, parent=parent)


@router.get("/{code}", response_model=service.RegionOut)
def get_region(code: Annotated[str, Path(pattern=r"^\d{6}$")], session: SessionDep) -> service.RegionOut:
    """One region; a legacy code (e.g. 152600) resolves to the current one, with a notice."""
    return service.get_region(session, code)
