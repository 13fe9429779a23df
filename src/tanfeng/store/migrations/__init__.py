"""Alembic migrations of the record store (run with :func:`tanfeng.store.migrate.upgrade`)."""
