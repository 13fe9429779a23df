"""Analytical series in long format, stored as Parquet under ``TANFENG_DATA_DIR/series``.

A series has one row per (region, indicator, year[, period]) with its ``value``, ``unit``, ``source`` and
``certainty`` (P/S/R): every number travels with its unit and its source. Writes are atomic (a temporary
file in the same folder, then a rename), so a reader sees the old file or the new one, never half of one.
:func:`to_iamc` gives the IAMC long format (model, scenario, region, variable, unit, year, value) that
pyam and the modelling community read.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
from ibis.backends import BaseBackend

from tanfeng.analytics.connection import connect
from tanfeng.config import Settings, get_settings
from tanfeng.errors import ImportDataError, InputError, NotFoundError, at
from tanfeng.reference.certainty import Certainty
from tanfeng.reference.regions import Statistic

__all__ = [
    "IAMC_COLUMNS",
    "SERIES_COLUMNS",
    "SeriesStore",
    "list_series",
    "series",
    "statistics_table",
    "to_iamc",
    "write_series",
]

SERIES_COLUMNS: dict[str, pa.DataType] = {
    "region": pa.string(),
    "indicator": pa.string(),
    "year": pa.int64(),
    "value": pa.float64(),
    "unit": pa.string(),
    "source": pa.string(),
    "certainty": pa.string(),
}
"""The columns every series has (more may follow, e.g. ``period``, ``note``, ``dataset``)."""

IAMC_COLUMNS = ("model", "scenario", "region", "variable", "unit", "year", "value")
"""Columns of the IAMC long format, in order."""

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CERTAINTIES = {c.value for c in Certainty}


def _to_arrow(frame: Any) -> pa.Table:
    if isinstance(frame, pa.Table):
        return frame
    if hasattr(frame, "to_arrow"):  # polars
        return frame.to_arrow()
    if hasattr(frame, "to_pyarrow"):  # ibis
        return frame.to_pyarrow()
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (TypeError, AttributeError) as exc:
        msg = f"cannot write a {type(frame).__name__} as a series"
        raise InputError(msg, hint="pass a pyarrow Table, a pandas or polars DataFrame, or an Ibis table") from exc


def _validated(name: str, frame: Any) -> pa.Table:
    table = _to_arrow(frame)
    where = f"series '{name}'"
    missing = [c for c in SERIES_COLUMNS if c not in table.column_names]
    if missing:
        msg = f"the long format needs the columns {', '.join(SERIES_COLUMNS)}; missing: {', '.join(missing)}"
        raise ImportDataError(msg, location=at(where, field=missing[0]))
    columns: dict[str, pa.Array] = {}
    for col in table.column_names:
        arr = table.column(col)
        want = SERIES_COLUMNS.get(col)
        if want is not None and arr.type != want:
            try:
                arr = arr.cast(want)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                msg = f"column '{col}' is {arr.type}, not {want}: {exc}"
                raise ImportDataError(msg, location=at(where, field=col)) from exc
        columns[col] = arr
    for col in SERIES_COLUMNS:
        nulls = columns[col].is_null().to_pylist()
        if True in nulls:
            msg = f"'{col}' is empty; every value needs its {col}"
            raise ImportDataError(msg, location=at(where, row=nulls.index(True) + 1, field=col))
    for i, c in enumerate(columns["certainty"].to_pylist()):
        if c not in _CERTAINTIES:
            msg = f"certainty '{c}' is not P, S or R"
            raise ImportDataError(msg, location=at(where, row=i + 1, field="certainty"))
    return pa.table(columns)


class SeriesStore:
    """Parquet series under ``data_dir/series``, read through an Ibis backend."""

    def __init__(self, data_dir: Path, backend: BaseBackend | None = None) -> None:
        self.data_dir = Path(data_dir)
        self._backend = backend

    @property
    def backend(self) -> BaseBackend:
        """The Ibis backend that reads the files (an in-process DuckDB unless one was given)."""
        if self._backend is None:
            self._backend = ibis.duckdb.connect()
        return self._backend

    @classmethod
    def from_settings(cls, settings: Settings) -> SeriesStore:
        """The series of a deployment (``TANFENG_DATA_DIR``, ``TANFENG_ANALYTICS``)."""
        return cls(settings.data_dir, connect(settings))

    @property
    def folder(self) -> Path:
        """Where the Parquet files are."""
        return self.data_dir / "series"

    def path(self, name: str) -> Path:
        """The Parquet file of series ``name``."""
        if not _NAME.match(name):
            msg = f"series name '{name}' must be lower-case letters, digits and _ (starting with a letter)"
            raise InputError(msg)
        return self.folder / f"{name}.parquet"

    def write(self, name: str, frame: Any) -> Path:
        """Write (or replace) series ``name`` atomically; returns its file."""
        target = self.path(name)
        table = _validated(name, frame)
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".parquet.tmp", dir=self.folder)
        os.close(fd)
        try:
            pq.write_table(table, tmp)
            Path(tmp).replace(target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    def read(self, name: str) -> ibis.Table:
        """Series ``name`` as an Ibis table (lazy: filter and aggregate before executing)."""
        path = self.path(name)
        if not path.is_file():
            have = ", ".join(self.names()) or "none"
            msg = f"no series '{name}' under {self.folder} (series: {have})"
            raise NotFoundError(msg, hint="run `tanfeng init` to write the shipped statistics")
        table: ibis.Table = self.backend.read_parquet(path, table_name=f"series_{name}")
        return table

    def same_content(self, name: str, frame: Any) -> bool:
        """Whether series ``name`` exists and holds exactly ``frame`` (after validation)."""
        path = self.path(name)
        if not path.is_file():
            return False
        return bool(pq.read_table(path).equals(_validated(name, frame)))

    def names(self) -> list[str]:
        """Names of the stored series, sorted."""
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.parquet"))


def write_series(name: str, frame: Any, *, settings: Settings | None = None) -> Path:
    """Write series ``name`` (long format) as Parquet under the settings' data folder, atomically."""
    return SeriesStore.from_settings(settings or get_settings()).write(name, frame)


def series(name: str, *, settings: Settings | None = None) -> ibis.Table:
    """Series ``name`` as an Ibis table on the settings' analytics backend."""
    return SeriesStore.from_settings(settings or get_settings()).read(name)


def list_series(*, settings: Settings | None = None) -> list[str]:
    """Names of the stored series."""
    folder = (settings or get_settings()).data_dir / "series"
    return sorted(p.stem for p in folder.glob("*.parquet")) if folder.is_dir() else []


def statistics_table(stats: Sequence[Statistic]) -> pa.Table:
    """Reference statistics as a long-format Arrow table (plus ``period``, ``note``, ``dataset``)."""
    return pa.table({
        "region": pa.array([s.region for s in stats], pa.string()),
        "indicator": pa.array([s.indicator for s in stats], pa.string()),
        "year": pa.array([s.year for s in stats], pa.int64()),
        "period": pa.array([s.period for s in stats], pa.string()),
        "value": pa.array([s.value for s in stats], pa.float64()),
        "unit": pa.array([s.unit for s in stats], pa.string()),
        "source": pa.array([s.source for s in stats], pa.string()),
        "certainty": pa.array([s.certainty.value for s in stats], pa.string()),
        "note": pa.array([s.note for s in stats], pa.string()),
        "dataset": pa.array([s.file for s in stats], pa.string()),
    })


def to_iamc(table: ibis.Table, *, model: str = "tanfeng", scenario: str = "historical") -> ibis.Table:
    """The IAMC long format of a series: model, scenario, region, variable, unit, year, value.

    ``variable`` is the series' ``indicator``; rows with a sub-annual ``period`` are left out (IAMC
    years are whole years).
    """
    t = table
    if "period" in t.columns:
        t = t.filter(t.period.isnull())
    return t.select(
        model=ibis.literal(model),
        scenario=ibis.literal(scenario),
        region=t.region,
        variable=t.indicator,
        unit=t.unit,
        year=t.year,
        value=t.value,
    )
