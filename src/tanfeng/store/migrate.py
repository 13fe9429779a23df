"""Run the record store's Alembic migrations from code (the migrations ship inside the package).

Production paths never call ``create_all``: :func:`upgrade` brings any database to the head revisions,
:func:`check_schema` refuses to work on a database that is not there.

Each topic's tables have their own branch of migrations off the initial schema (``0001``):
``access`` (a…), ``accounting`` (c…), ``tracking`` (t…), ``enterprises`` (e…). A branch's first migration
has ``down_revision = "0001"`` and ``branch_labels = ("<topic>",)``; later ones chain on their branch.
The database is current when it is at every head.
"""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from tanfeng.errors import StoreError
from tanfeng.store.engine import make_engine

__all__ = ["alembic_config", "check_schema", "current_revision", "current_revisions", "downgrade", "head_revision",
           "head_revisions", "upgrade"]


def alembic_config() -> Config:
    """An Alembic configuration pointing at the migrations shipped in ``tanfeng.store.migrations``."""
    cfg = Config()
    cfg.set_main_option("script_location", "tanfeng.store:migrations")
    return cfg


def head_revisions() -> tuple[str, ...]:
    """The newest migration of every branch shipped with this version of tanfeng, sorted."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if not heads:  # pragma: no cover - the package always ships one
        msg = "no migration is shipped in tanfeng.store.migrations"
        raise StoreError(msg)
    return tuple(sorted(heads))


def head_revision() -> str:
    """The shipped heads as one string (``+``-joined when there are several branches)."""
    return "+".join(head_revisions())


def _unreachable(url: str, exc: Exception) -> StoreError:
    msg = f"cannot reach the database at {url}: {exc.__class__.__name__}: {str(exc).splitlines()[0]}"
    return StoreError(msg, hint="check TANFENG_DATABASE_URL and that the server is running")


def current_revisions(engine: Engine) -> tuple[str, ...]:
    """The migrations the database is at, sorted (empty for an empty database)."""
    try:
        with engine.connect() as conn:
            return tuple(sorted(MigrationContext.configure(conn).get_current_heads()))
    except OperationalError as exc:
        raise _unreachable(engine.url.render_as_string(hide_password=True), exc) from exc


def current_revision(engine: Engine) -> str | None:
    """The migrations the database is at as one string (None for an empty database)."""
    revs = current_revisions(engine)
    return "+".join(revs) if revs else None


def _run(url: str | Engine, step: Callable[[Config], None]) -> None:
    """Run one Alembic command on a connection of ``url`` (an engine made here is disposed afterwards)."""
    engine = url if isinstance(url, Engine) else make_engine(url)
    cfg = alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            step(cfg)
    except OperationalError as exc:
        raise _unreachable(engine.url.render_as_string(hide_password=True), exc) from exc
    finally:
        if not isinstance(url, Engine):
            engine.dispose()


def upgrade(url: str | Engine, revision: str = "heads") -> tuple[str | None, str]:
    """Migrate the database at ``url`` to ``revision``; returns (revision before, revision after)."""
    engine = url if isinstance(url, Engine) else make_engine(url)
    try:
        before = current_revision(engine)
        _run(engine, lambda cfg: command.upgrade(cfg, revision))
    finally:
        if not isinstance(url, Engine):
            engine.dispose()
    after = head_revision() if revision in ("head", "heads") else revision
    return before, after


def downgrade(url: str | Engine, revision: str) -> None:
    """Migrate the database at ``url`` back to ``revision`` (``base`` removes every table: data is lost)."""
    _run(url, lambda cfg: command.downgrade(cfg, revision))


def check_schema(engine: Engine) -> None:
    """Raise :class:`StoreError` unless the database is at the head migration."""
    have, want = current_revisions(engine), head_revisions()
    if have != want:
        msg = f"the database is at migration {'+'.join(have) or '(none)'}, this tanfeng needs {'+'.join(want)}"
        raise StoreError(msg, hint="run `tanfeng init` to migrate it")
