"""``/api/regions``: the region hierarchy (GB/T 2260 codes; legacy codes resolved)."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from tanfeng.reference import geo
from tanfeng.services import regions as service
from tanfeng.web import assets
from tanfeng.web.deps import SessionDep

__all__ = ["get_region", "league_boundaries", "list_regions", "router"]

router = APIRouter(prefix="/api/regions", tags=["regions"])


@router.get("", response_model=list[service.RegionOut])
def list_regions(session: SessionDep,
                 level: Annotated[Literal["nation", "province", "league", "county"] | None, Query()] = None,
                 parent: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None) -> list[service.RegionOut]:
    """Regions, optionally of one level or under one parent."""
    return service.list_regions(session, level=level, parent=parent)


@router.get("/{code}", response_model=service.RegionOut)
def get_region(code: Annotated[str, Path(pattern=r"^\d{6}$")], session: SessionDep) -> service.RegionOut:
    """One region; a legacy code (e.g. 152600) resolves to the current one, with a notice."""
    return service.get_region(session, code)


@router.get("/150000/leagues.geojson", response_model=dict[str, Any])
def league_boundaries() -> dict[str, Any]:
    """The 12 leagues' boundaries as plain GeoJSON (``properties.code`` is the current GB/T 2260 code).

    Decoded from the ECharts 4 Inner Mongolia map installed at set-up (npm); simplified outlines for
    display, not legal boundaries.
    """
    return _league_geojson(str(assets.league_map_geojson_path()))


@lru_cache(maxsize=2)
def _league_geojson(path: str) -> dict[str, Any]:
    return geo.load_league_geojson(path)
