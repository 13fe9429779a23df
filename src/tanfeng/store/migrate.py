"""Run the record store's Alembic migrations from code (the migrations ship inside the package).

Production paths never call ``create_all``: :func:`upgrade` brings any database to the head revision,
:func:`check_schema` refuses to work on a database that is not there.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from tanfeng.errors import StoreError
from tanfeng.store.engine import make_engine

__all__ = ["alembic_config", "check_schema", "current_revision", "downgrade", "head_revision", "upgrade"]


def alembic_config() -> Config:
    """An Alembic configuration pointing at the migrations shipped in ``tanfeng.store.migrations``."""
    cfg = Config()
    cfg.set_main_option("script_location", "tanfeng.store:migrations")
    return cfg


def head_revision() -> str:
    """The newest migration shipped with this version of tanfeng."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships one
        msg = "no migration is shipped in tanfeng.store.migrations"
        raise StoreError(msg)
    return head


def _unreachable(url: str, exc: Exception) -> StoreError:
    msg = f"cannot reach the database at {url}: {exc.__class__.__name__}: {str(exc).splitlines()[0]}"
    return StoreError(msg, hint="check TANFENG_DATABASE_URL and that the server is running")


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except OperationalError as exc:
        raise _unreachable(engine.url.render_as_string(hide_password=True), exc) from exc


def upgrade(url: str | Engine, revision: str = "head") -> tuple[str | None, str]:
    """Migrate the database at ``url`` to ``revision``; returns (revision before, revision after)."""
    engine = url if isinstance(url, Engine) else make_engine(url)
    before = current_revision(engine)
    cfg = alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except OperationalError as exc:
        raise _unreachable(engine.url.render_as_string(hide_password=True), exc) from exc
    finally:
        if not isinstance(url, Engine):
            engine.dispose()
    after = head_revision() if revision == "head" else revision
    return before, after


def downgrade(url: str | Engine, revision: str) -> None:
    """Migrate the database at ``url`` back to ``revision`` (``base`` removes every table: data is lost)."""
    engine = url if isinstance(url, Engine) else make_engine(url)
    cfg = alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
    except OperationalError as exc:
        raise _unreachable(engine.url.render_as_string(hide_password=True), exc) from exc
    finally:
        if not isinstance(url, Engine):
            engine.dispose()


def check_schema(engine: Engine) -> None:
    """Raise :class:`StoreError` unless the database is at the head migration."""
    have, want = current_revision(engine), head_revision()
    if have != want:
        msg = f"the database is at migration {have or '(none)'}, this tanfeng needs {want}"
        raise StoreError(msg, hint="run `tanfeng init` to migrate it")
