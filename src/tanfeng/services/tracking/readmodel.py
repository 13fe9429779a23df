"""The tracking read model in memory: figures, statuses, warnings and changes computed once per data change.

Every write to the tables they are computed from gives the store a new version stamp in the write's own
transaction (:func:`tanfeng.store.repository_tracking.read_version`; the ORM writes bump it by themselves,
other writes call :func:`tanfeng.store.repository_tracking.bump_read_version`). A read asks the store for
the stamp — one query — and answers from memory while it is unchanged; each worker process keeps its own
copy, and all of them see a write as soon as it is committed. The plan is read and parsed once per stored
version (:func:`tanfeng.services.plans.get_plan`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from tanfeng.services.read_cache import ReadCache
from tanfeng.store import repository_tracking

__all__ = ["READ_MODEL", "cached", "cached_json", "data_version"]

_T = TypeVar("_T")

READ_MODEL = ReadCache(256)
"""The entries of this process (its ``hits`` and ``misses`` count how reads were answered)."""


def data_version(session: Session) -> str | None:
    """The stamp of the tracking data the session sees (None: a store that cannot tell, never cached)."""
    return repository_tracking.read_version(session)


def cached(session: Session, name: str, args: Hashable, compute: Callable[[], _T]) -> _T:
    """``compute()`` for the use case ``name`` with ``args``, computed once per version of the tracking data.

    What is returned is shared with other readers: do not change it.
    """
    stamp = data_version(session)
    if stamp is None:
        return compute()
    return READ_MODEL.get((stamp, name, args), compute)


def cached_json(session: Session, name: str, args: Hashable, compute: Callable[[], Any], shape: Any) -> bytes:
    """The JSON of ``compute()`` (read as ``shape``, e.g. ``list[RegionStatus]``), serialised once per version of
    the tracking data: what an API answers without validating and serialising the models again per request."""
    return cached(session, f"{name}.json", args, lambda: TypeAdapter(shape).dump_json(compute(), by_alias=True))
