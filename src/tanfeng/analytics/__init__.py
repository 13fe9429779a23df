"""Analytical series: Parquet files read through Ibis (DuckDB by default, PySpark at scale)."""

from tanfeng.analytics.connection import connect, shared_backend
from tanfeng.analytics.series import (
    IAMC_COLUMNS,
    SERIES_COLUMNS,
    SeriesStore,
    list_series,
    series,
    statistics_table,
    to_iamc,
    write_series,
)

__all__ = [
    "IAMC_COLUMNS",
    "SERIES_COLUMNS",
    "SeriesStore",
    "connect",
    "list_series",
    "series",
    "shared_backend",
    "statistics_table",
    "to_iamc",
    "write_series",
]
