"""Queries compiled once and run many times on DuckDB.

Building and compiling an Ibis expression costs tens of milliseconds of Python for a query that DuckDB answers
in a few. A request-shaped query is therefore written over fixed view names (:data:`ROLLUP_VIEW`, :data:`UNITS_VIEW`,
:data:`FACTORS_VIEW`) whose contents the caller binds for the request on its own connection (temporary views and
registered frames are per connection, and each thread has its own, see :func:`~tanfeng.analytics.shared_backend`),
and its SQL is compiled once per shape (:func:`run_compiled`). Other backends (Spark) build and run the expression
each time, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date, datetime, timedelta
from datetime import time as dtime

import ibis.expr.types as ir
import polars as pl
import pyarrow as pa
from ibis.backends import BaseBackend

__all__ = ["FACTORS_VIEW", "ROLLUP_VIEW", "UNITS_VIEW", "bind_frame", "bind_parquet", "compiles_once",
           "run_compiled"]

ROLLUP_VIEW = "tanfeng_rollup"
UNITS_VIEW = "tanfeng_units"
FACTORS_VIEW = "tanfeng_factors"

_SQL: dict[Hashable, str] = {}


def compiles_once(con: BaseBackend) -> bool:
    """Whether ``con`` runs compiled SQL over per-connection views (DuckDB)."""
    return str(con.name) == "duckdb"


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _stamp(day: date) -> str:
    return f"TIMESTAMP {_text(datetime.combine(day, dtime(0)).isoformat(sep=' '))}"


def bind_parquet(con: BaseBackend, name: str, files: list[str], *, first_day: date | None = None,
                 last_day: date | None = None, unit_code: str | None = None) -> None:
    """(Re)define the connection's temporary view ``name`` over ``files``, keeping periods from ``first_day`` to
    the end of ``last_day`` and the unit ``unit_code`` (filters pushed into the Parquet scan)."""
    where = []
    if first_day is not None:
        where.append(f"period >= {_stamp(first_day)}")
    if last_day is not None:
        where.append(f"period < {_stamp(last_day + timedelta(days=1))}")
    if unit_code is not None:
        where.append(f"unit_code = {_text(unit_code)}")
    scan = f"SELECT * FROM read_parquet([{', '.join(_text(f) for f in files)}])"
    con.con.execute(
        f'CREATE OR REPLACE TEMP VIEW "{name}" AS {scan}' + (f" WHERE {' AND '.join(where)}" if where else ""))


def bind_frame(con: BaseBackend, name: str, frame: pl.DataFrame) -> None:
    """Make ``frame`` readable as ``name`` on this connection (replacing what was bound before)."""
    con.con.register(name, frame.to_arrow())


def run_compiled(con: BaseBackend, key: Hashable, build: Callable[[], ir.Table]) -> pa.Table:
    """The result of ``build()``, whose SQL is compiled once per ``key`` on DuckDB: ``build`` must read only the
    fixed views bound for the request and hold no value of the request (those go into the views)."""
    if not compiles_once(con):
        return con.to_pyarrow(build())
    sql = _SQL.get(key)
    if sql is None:
        sql = _SQL[key] = str(con.compile(build()))
    return con.con.sql(sql).to_arrow_table()
