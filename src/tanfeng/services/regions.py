"""Use cases around regions: list them and look one up from the store (legacy codes resolved)."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from tanfeng.errors import NotFoundError, UnknownRegionError
from tanfeng.reference.regions import Region, resolve_region_code
from tanfeng.store import repository

__all__ = ["RegionOut", "get_region", "list_regions"]


class RegionOut(BaseModel):
    """A region as the API and ``tanfeng regions --format json`` show it."""

    code: str
    name_zh: str
    name_en: str | None
    level: str
    parent: str | None
    type: str
    legacy_codes: list[str]
    certainty: str
    source: str
    notice: str | None = None
    """Set when the code asked for was a legacy one (e.g. 152600 → 150900)."""

    @classmethod
    def of(cls, region: Region, notice: str | None = None) -> RegionOut:
        """From a catalogue region."""
        return cls(code=region.code, name_zh=region.name_zh, name_en=region.name_en, level=region.level,
                   parent=region.parent, type=region.type, legacy_codes=list(region.legacy_codes),
                   certainty=region.certainty.value, source=region.source, notice=notice)


def list_regions(session: Session, *, level: str | None = None, parent: str | None = None) -> list[RegionOut]:
    """Stored regions in code order, optionally of one level (nation/province/league/county) or under one parent.

    A legacy ``parent`` code is resolved to the current one first; an unknown one raises
    :class:`~tanfeng.errors.UnknownRegionError`.
    """
    if parent is not None:
        parent, _ = resolve_region_code(parent)
    return [RegionOut.of(r) for r in repository.list_regions(session, level=level, parent=parent)]


def get_region(session: Session, code: str) -> RegionOut:
    """One stored region; a legacy code gives the current region with a notice.

    Raises
    ------
    NotFoundError
        ``code`` is neither a current nor a legacy code of the catalogue (a lookup by id: 404, not 422),
        or the region is not in the store.
    """
    try:
        current, notice = resolve_region_code(code)
    except UnknownRegionError as exc:
        raise NotFoundError(exc.message, hint=exc.hint) from None
    found = repository.list_regions(session, code=current)
    if not found:
        msg = f"region {current} is in the catalogue but not in the store"
        raise NotFoundError(msg, hint="run `tanfeng init` to load the regions")
    return RegionOut.of(found[0], notice)
