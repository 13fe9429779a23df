"""The database session a command works in: the store at TANFENG_DATABASE_URL, which must be migrated."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from tanfeng.config import get_settings
from tanfeng.store import check_schema, make_engine, make_session_factory

__all__ = ["store_session"]


@contextmanager
def store_session() -> Iterator[Session]:
    """A session on the database at TANFENG_DATABASE_URL; the engine is disposed afterwards.

    Raises
    ------
    StoreError
        The database cannot be reached, or is not at the shipped migrations (run ``tanfeng init``).
    """
    engine = make_engine(get_settings().database_url)
    try:
        check_schema(engine)
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()
