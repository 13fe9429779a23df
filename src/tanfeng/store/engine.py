"""Engines and sessions from a database URL: SQLite (embedded default) or PostgreSQL (psycopg 3).

SQLite connections get foreign keys on, WAL journaling, and real transactions (the pysqlite driver's
own transaction handling is switched off so that ``BEGIN`` and ``SAVEPOINT`` behave as on PostgreSQL;
this is SQLAlchemy's documented recipe).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from tanfeng.errors import StoreError

__all__ = ["make_engine", "make_session_factory", "normalise_url"]


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs; leave others as they are."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    return url


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")


def _pool(size: int) -> dict[str, int]:
    return {"pool_size": size, "max_overflow": 0}


def make_engine(url: str, *, pool_size: int | None = None) -> Engine:
    """An engine for ``url`` (``sqlite:///path.db`` or ``postgresql+psycopg://user@host/db``).

    The folder of a SQLite file is created when missing. ``pool_size``: connections the engine keeps and
    never exceeds (no overflow); None: SQLAlchemy's default pool (5, and 10 more on demand).

    Raises
    ------
    StoreError
        The URL cannot be parsed or names a backend other than SQLite and PostgreSQL.
    """
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError as exc:
        msg = f"database URL '{url}' cannot be parsed: {exc}"
        raise StoreError(msg, hint="set TANFENG_DATABASE_URL to sqlite:///path.db or "
                         "postgresql+psycopg://user@host/db") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        db = parsed.database
        if db and db != ":memory:" and not db.startswith("file:"):
            Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
        in_memory = db in (None, "", ":memory:")
        engine = create_engine(parsed, **({} if pool_size is None or in_memory else _pool(pool_size)))
        _sqlite_setup(engine)
        return engine
    if backend == "postgresql":
        return create_engine(parsed, pool_pre_ping=True, **({} if pool_size is None else _pool(pool_size)))
    msg = f"database backend '{backend}' is not supported"
    raise StoreError(msg, hint="use sqlite:///path.db or postgresql+psycopg://user@host/db")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine``; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)
