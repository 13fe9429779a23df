"""Generic database fixtures: ``engine_url`` runs a test on SQLite and on PostgreSQL.

PostgreSQL: the server named by ``TANFENG_TEST_POSTGRES_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``). Each test session creates its own database
``tanfeng_test_<random>`` on that server and drops it at the end, so parallel runs and other people's
runs never share tables; each test starts from an empty ``public`` schema in it. A server that cannot
be reached fails the PostgreSQL tests (it never skips them).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tanfeng.store import make_engine, make_session_factory, upgrade

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _libpq(url: str) -> str:
    """A SQLAlchemy URL as a libpq connection string (psycopg.connect does not know the driver suffix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_database_url() -> Iterator[str]:
    """URL of a fresh PostgreSQL database for this test session (dropped at the end)."""
    server = os.environ.get("TANFENG_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    admin: psycopg.Connection[tuple[object, ...]] | None = None
    reason = ""
    try:
        admin = psycopg.connect(_libpq(server), autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        reason = f"{exc.__class__.__name__}: {first}"
    if admin is None:
        pytest.fail(
            f"PostgreSQL is needed for the store tests but cannot be reached at "
            f"{make_url(server).render_as_string(hide_password=True)} ({reason}). Start it "
            f"(scripts/ensure-postgres.sh does) or set TANFENG_TEST_POSTGRES_URL.",
            pytrace=False,
        )
    name = f"tanfeng_test_{secrets.token_hex(6)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
        try:
            yield make_url(server).set(drivername="postgresql+psycopg", database=name).render_as_string(
                hide_password=False)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _empty_public_schema(url: str) -> None:
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a temporary SQLite file, or an empty schema in the session's PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tanfeng-test.db'}"
    url: str = request.getfixturevalue("postgres_database_url")
    _empty_public_schema(url)
    return url


@pytest.fixture
def engine(engine_url: str) -> Iterator[Engine]:
    """A database migrated to the head revisions, on SQLite or PostgreSQL."""
    upgrade(engine_url)
    eng = make_engine(engine_url)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on :func:`engine`."""
    with make_session_factory(engine)() as s:
        yield s


# -- the exit status is pytest's ------------------------------------------------------------------------------
# Once the session has finished and its report is written, the process leaves with pytest's own exit status
# instead of running the interpreter's finalization. A native library whose threads outlive the session (seen
# as "terminate called … FATAL: exception not rethrown" after a full run with every test passed) can otherwise
# abort the process during finalization and turn a passing run into a failed one. Nothing is skipped that a
# test depends on: every fixture has been torn down and every result reported before this hook runs.

_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remember pytest's exit status (5 when no test was collected)."""
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave with that status once every plugin has finished its report."""
    if _EXIT_STATUS and not hasattr(config, "workerinput"):
        import sys

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
