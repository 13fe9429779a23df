"""Alembic environment: runs on the connection handed over by :func:`tanfeng.store.migrate.upgrade`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from tanfeng.store.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    msg = "tanfeng migrations run through tanfeng.store.migrate.upgrade(url), which passes a connection"
    raise RuntimeError(msg)
_run(connection)
