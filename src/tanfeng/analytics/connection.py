"""The Ibis connection: DuckDB on Parquet files by default, PySpark at scale; both run the same expressions."""

from __future__ import annotations

import threading
from typing import Any

import ibis
from ibis.backends import BaseBackend

from tanfeng.config import Settings
from tanfeng.errors import StoreError

__all__ = ["connect", "shared_backend"]


def _spark() -> BaseBackend:
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        msg = "TANFENG_ANALYTICS=spark needs pyspark, which is not installed"
        raise StoreError(msg, hint="install pyspark (pip install pyspark) or set TANFENG_ANALYTICS=duckdb") from exc
    session: Any = SparkSession.builder.appName("tanfeng").getOrCreate()
    backend: BaseBackend = ibis.pyspark.connect(session)
    return backend


def connect(settings: Settings) -> BaseBackend:
    """An Ibis backend for ``settings.analytics``.

    ``duckdb`` (default): an in-process DuckDB that reads the Parquet series under
    ``settings.data_dir``; nothing is kept in DuckDB itself. ``spark``: the Ibis PySpark backend on the
    active (or a new local) Spark session; pyspark is imported only then.

    Raises
    ------
    StoreError
        ``spark`` was asked for and pyspark is not installed.
    """
    if settings.analytics == "spark":
        return _spark()
    backend: BaseBackend = ibis.duckdb.connect()
    return backend


_local = threading.local()


def shared_backend(settings: Settings) -> BaseBackend:
    """The backend of :func:`connect`, made once per thread and kept (a DuckDB connection is not shared
    between threads; a Spark session is one per process anyway)."""
    cache: dict[str, BaseBackend] = _local.__dict__.setdefault("backends", {})
    backend = cache.get(settings.analytics)
    if backend is None:
        backend = cache[settings.analytics] = connect(settings)
    return backend
