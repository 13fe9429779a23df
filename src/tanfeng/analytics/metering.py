"""The derived metering store: flagged readings per unit and day (tiles) and the rollups, as Parquet.

Layout under ``<data_dir>/metering``::

    tiles/<unit>/<YYYY-MM-DD>.parquet          one unit's flagged readings of one local day
    rollups/<grain>/<partition>/manifest.json  the files that make up the partition now
    rollups/<grain>/<partition>/*.parquet      a base file and the signed deltas added since

Rollup partitions: ``hour`` by local day, ``day`` by month, ``month`` by year. A partition is the sum of the
files its manifest lists; a writer adds a delta file, then replaces the manifest (write to a temporary name,
rename), so a reader that read a manifest sees a whole set of files. When a partition holds more than
:data:`COMPACT_AFTER` files the deltas are summed into one (and everything into a new base once the deltas
hold a quarter of the base's rows); the files it replaces are deleted only when no
manifest has listed them for :data:`RETIRE_AFTER` seconds, so a reader in flight still finds them.

Writers hold :meth:`MeteringStore.lock` (an exclusive ``flock`` on ``<data_dir>/metering.lock``), which
serialises the update of tiles and rollups across threads and processes of one machine. The store is derived
from the committed batches and can be rebuilt from them at any time; a ``DIRTY`` marker left by an
interrupted update says it must be.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import re
import shutil
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import polars as pl
from ibis.backends import BaseBackend

from tanfeng.analytics.compiled import ROLLUP_VIEW, bind_parquet
from tanfeng.monitoring.rollup import COUNTS, GRAINS, RollupGrain, empty_rollup, rollup_delta, sum_rollups

__all__ = ["COMPACT_AFTER", "FOLDER", "RETIRE_AFTER", "UNKNOWN_UNIT", "MeteringStore", "partition_of",
           "summed_rollup"]

FOLDER = "metering"
UNKNOWN_UNIT = "_unknown"
"""The tile group of readings whose meter is not in the meter table."""
COMPACT_AFTER = 24
RETIRE_AFTER = 300.0
_PART_FORMAT = {"hour": "%Y-%m-%d", "day": "%Y-%m", "month": "%Y"}
_SAFE = re.compile(r"^[0-9A-Za-z_][0-9A-Za-z_.-]{0,63}$")


def partition_of(grain: RollupGrain, day: date) -> str:
    """The partition holding ``day``'s periods at ``grain``."""
    if grain == "hour":
        return day.isoformat()
    if grain == "day":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def _write(frame: pl.DataFrame, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".tmp-{uuid.uuid4().hex}.parquet"
    frame.write_parquet(tmp, compression="zstd", statistics=True)
    tmp.replace(target)


class MeteringStore:
    """Tiles and rollups of one deployment (``data_dir``)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.root = self.data_dir / FOLDER

    # --- locking and state -------------------------------------------------------------------------------
    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the writers' lock (blocks until free)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with (self.data_dir / f"{FOLDER}.lock").open("a") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    @property
    def dirty(self) -> bool:
        """Whether an update was interrupted (the store must be rebuilt)."""
        return (self.root / "DIRTY").exists()

    @contextmanager
    def updating(self) -> Iterator[None]:
        """Mark the store dirty while the block writes; cleared only when the block completes."""
        self.root.mkdir(parents=True, exist_ok=True)
        marker = self.root / "DIRTY"
        marker.touch()
        yield
        self.bump()
        marker.unlink(missing_ok=True)

    def version(self) -> str:
        """A token that changes with every update of the store (empty before the first)."""
        try:
            return (self.root / "VERSION").read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""

    def bump(self) -> None:
        """Write a new version token (the end of every update)."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".version-{uuid.uuid4().hex}"
        tmp.write_text(uuid.uuid4().hex, encoding="utf-8")
        tmp.replace(self.root / "VERSION")

    def exists(self) -> bool:
        """Whether anything was derived yet."""
        return self.root.is_dir()

    # --- tiles -------------------------------------------------------------------------------------------
    def _group_dir(self, unit_code: str) -> Path:
        name = unit_code if _SAFE.match(unit_code) else "h-" + hashlib.sha256(unit_code.encode()).hexdigest()[:40]
        return self.root / "tiles" / name

    def tile_days(self, unit_code: str) -> list[date]:
        """The local days with a stored tile for the unit, sorted."""
        folder = self._group_dir(unit_code)
        if not folder.is_dir():
            return []
        return sorted(date.fromisoformat(p.stem) for p in folder.glob("*.parquet") if not p.name.startswith("."))

    def read_tiles(self, unit_code: str, days: Sequence[date]) -> dict[date, pl.DataFrame]:
        """The stored tiles of the given days (days without one are left out)."""
        folder = self._group_dir(unit_code)
        out: dict[date, pl.DataFrame] = {}
        for d in days:
            path = folder / f"{d.isoformat()}.parquet"
            if path.is_file():
                out[d] = pl.read_parquet(path)
        return out

    def read_tiles_many(self, pairs: Sequence[tuple[str, date]]) -> pl.DataFrame:
        """The stored tiles of the given (unit, day) pairs as one frame (pairs without a tile are left out)."""
        paths = [path for unit, d in pairs if (path := self._group_dir(unit) / f"{d.isoformat()}.parquet").is_file()]
        if not paths:
            return pl.DataFrame()
        try:
            return pl.read_parquet(paths)
        except pl.exceptions.PolarsError:  # tiles written with differing column types: read one by one
            return pl.concat([pl.read_parquet(p) for p in paths], how="diagonal_relaxed")

    def write_tiles(self, unit_code: str, flagged: pl.DataFrame, days: Sequence[date]) -> None:
        """Replace the unit's tiles of ``days`` with the rows of ``flagged`` (by its ``day`` column)."""
        folder = self._group_dir(unit_code)
        parts = {k[0]: v for k, v in flagged.partition_by("day", as_dict=True).items()} if flagged.height else {}
        for d in days:
            part = parts.get(d)
            path = folder / f"{d.isoformat()}.parquet"
            if part is None or part.height == 0:
                path.unlink(missing_ok=True)
            else:
                _write(part, path)

    def all_tiles(self) -> list[Path]:
        """Every tile file (for a full read)."""
        return sorted(p for p in (self.root / "tiles").glob("*/*.parquet") if not p.name.startswith("."))

    # --- rollups -----------------------------------------------------------------------------------------
    def _partition_dir(self, grain: RollupGrain, partition: str) -> Path:
        return self.root / "rollups" / grain / partition

    def _manifest(self, folder: Path) -> dict[str, Any]:
        path = folder / "manifest.json"
        if not path.is_file():
            return {"files": [], "retired": {}}
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def _set_manifest(self, folder: Path, manifest: dict[str, Any]) -> None:
        tmp = folder / f".manifest-{uuid.uuid4().hex}.json"
        tmp.write_text(json.dumps(manifest), encoding="utf-8")
        tmp.replace(folder / "manifest.json")

    def add_delta(self, grain: RollupGrain, delta: pl.DataFrame) -> None:
        """Add signed rollup rows to their partitions (call under :meth:`lock`)."""
        if delta.height == 0:
            return
        keyed = delta.with_columns(_part=pl.col("period").dt.strftime(_PART_FORMAT[grain]))
        for (part,), frame in keyed.partition_by("_part", as_dict=True).items():
            folder = self._partition_dir(grain, str(part))
            folder.mkdir(parents=True, exist_ok=True)
            name = f"delta-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.parquet"
            _write(frame.drop("_part"), folder / name)
            manifest = self._manifest(folder)
            manifest["files"].append(name)
            manifest.setdefault("rows", {})[name] = frame.height
            if len(manifest["files"]) > COMPACT_AFTER:
                manifest = self._compact(folder, manifest)
            self._set_manifest(folder, manifest)

    def _compact(self, folder: Path, manifest: dict[str, Any]) -> dict[str, Any]:
        """Sum the deltas into one; sum everything into a new base only once the deltas hold a quarter of the
        base's rows (so a large partition is not rewritten for every few batches)."""
        rows: dict[str, int] = manifest.get("rows", {})
        bases = [f for f in manifest["files"] if f.startswith("base-")]
        deltas = [f for f in manifest["files"] if not f.startswith("base-")]
        base_rows = sum(rows.get(f, 0) for f in bases)
        delta_rows = sum(rows.get(f, 0) for f in deltas)
        full = not bases or delta_rows * 4 >= base_rows
        merged = bases + deltas if full else deltas
        parts = [pl.read_parquet(folder / f) for f in merged]
        summed = sum_rollups(*parts) if full else rollup_delta(empty_rollup(), pl.concat(parts))
        name = f"{'base' if full else 'delta'}-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.parquet"
        _write(summed, folder / name)
        keep = [] if full else bases
        now = time.time()
        retired: dict[str, float] = {f: t for f, t in manifest.get("retired", {}).items() if now - t < RETIRE_AFTER}
        for f in manifest.get("retired", {}):
            if f not in retired:
                (folder / f).unlink(missing_ok=True)
        retired.update(dict.fromkeys(merged, now))
        files = [*keep, name]
        return {"files": files, "retired": retired, "rows": {f: rows.get(f, 0) for f in keep} | {name: summed.height}}

    def replace_rollups(self, grain: RollupGrain, rows: pl.DataFrame) -> None:
        """Set the whole grain to ``rows`` (used by a rebuild, on a fresh store)."""
        shutil.rmtree(self.root / "rollups" / grain, ignore_errors=True)
        self.add_delta(grain, rows)

    def rollup_files(self, grain: RollupGrain, first_day: date | None = None, last_day: date | None = None) -> list[str]:
        """The files of the partitions that can hold periods from ``first_day`` to ``last_day``."""
        base = self.root / "rollups" / grain
        if not base.is_dir():
            return []
        lo = partition_of(grain, first_day) if first_day else None
        hi = partition_of(grain, last_day) if last_day else None
        out: list[str] = []
        for folder in sorted(p for p in base.iterdir() if p.is_dir()):
            if (lo is not None and folder.name < lo) or (hi is not None and folder.name > hi):
                continue
            out.extend(str(folder / f) for f in self._manifest(folder)["files"])
        return out

    def rollup_table(self, con: BaseBackend, grain: RollupGrain, *, first_day: date | None = None,
                     last_day: date | None = None, unit_code: str | None = None,
                     counts: Sequence[str] = COUNTS) -> ir.Table | None:
        """The rollup of ``grain`` as an Ibis table (deltas summed, empty groups dropped), or None when empty.

        Only the partitions of the days asked for are opened; the period and unit filters are pushed to the
        Parquet scan, and only ``energy`` and the ``counts`` asked for (``readings`` and ``valid`` always) are read.
        """
        files = self._grain_files(grain, first_day, last_day)
        if not files:
            return None
        if str(con.name) == "pyspark":
            parts = [con.read_parquet(f) for f in files]
            t = parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)
        else:
            t = con.read_parquet(files)
        if first_day is not None:
            t = t.filter(t.period >= ibis.literal(datetime.combine(first_day, dtime(0)), type="timestamp"))
        if last_day is not None:
            end = datetime.combine(last_day + timedelta(days=1), dtime(0))
            t = t.filter(t.period < ibis.literal(end, type="timestamp"))
        if unit_code is not None:
            t = t.filter(t.unit_code == unit_code)
        return summed_rollup(t, counts)

    def _grain_files(self, grain: RollupGrain, first_day: date | None, last_day: date | None) -> list[str]:
        """:meth:`rollup_files`, refusing a grain that is not stored."""
        if grain not in GRAINS:
            msg = f"grain '{grain}' is not one of {list(GRAINS)}"
            raise ValueError(msg)
        return self.rollup_files(grain, first_day, last_day)

    def bind_rollup(self, con: BaseBackend, grain: RollupGrain, *, first_day: date | None = None,
                    last_day: date | None = None, unit_code: str | None = None) -> bool:
        """Bind the files of ``grain`` for these days and unit to the connection's view
        :data:`~tanfeng.analytics.compiled.ROLLUP_VIEW` (DuckDB; read it through :func:`summed_rollup`); False
        when no file holds the grain."""
        files = self._grain_files(grain, first_day, last_day)
        if not files:
            return False
        bind_parquet(con, ROLLUP_VIEW, files, first_day=first_day, last_day=last_day, unit_code=unit_code)
        return True

    def clear(self) -> None:
        """Remove everything derived (a rebuild writes it again)."""
        shutil.rmtree(self.root, ignore_errors=True)


def summed_rollup(t: ir.Table, counts: Sequence[str] = COUNTS) -> ir.Table:
    """A rollup table's rows (deltas included) summed per meter and period, empty groups dropped: ``energy`` and
    the ``counts`` asked for (``readings`` and ``valid`` always)."""
    counts = list(dict.fromkeys(["readings", "valid", *counts]))
    t = t.select("meter_id", "unit_code", "product", "unit", "period", "energy", *counts)
    summed = t.group_by(["meter_id", "unit_code", "product", "unit", "period"]).aggregate(
        energy=t.energy.sum(), **{c: t[c].sum() for c in counts})
    return summed.filter(summed.readings != 0)
