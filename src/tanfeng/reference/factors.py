"""The factor library: standard-coal coefficients, fuel, grid, heat and process factors, GWPs, uncertainties.

Data: every CSV under ``reference/data/factors/`` plus ``reference/data/energy/standard_coal_gbt2589.csv``,
all in one long schema::

    id, what, key, variant, region, year, value, value_high, unit, version,
    source, source_year, method, confidence, note

``what`` names the kind of number (``coal_coefficient``, ``ncv``, ``carbon_content``, ``oxidation``,
``co2_ef``, ``co2_ef_heat``, ``grid_co2``, ``heat_co2``, ``process_co2``, ``process_pfc``, ``gwp`` …) and
``key`` what it is for (a product id, a process, a gas, a grid-factor kind). ``confidence`` is A, B or C
(C: recalled, not found in a source). Lookups are by (what, key, region, year, version); a lookup that finds
nothing raises :class:`~tanfeng.errors.FactorNotFoundError` naming what exists. Nothing falls back silently.

Uncertainties (``factors/uncertainty.csv``) are 95 % half-widths in per cent of the value.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict

from tanfeng.errors import FactorNotFoundError, Location, ReferenceDataError, UnknownRegionError

__all__ = ["Confidence", "FactorLibrary", "FactorRecord", "Uncertainty", "frame_from_files", "library"]

Confidence = Literal["A", "B", "C"]

_COLUMNS = ["id", "what", "key", "variant", "region", "year", "value", "value_high", "unit", "version",
            "source", "source_year", "method", "confidence", "note"]
_SCHEMA = dict.fromkeys(_COLUMNS, pl.String)


class FactorRecord(BaseModel):
    """One number of the library with its provenance (serialises to JSON as is)."""

    model_config = ConfigDict(frozen=True)

    id: str
    what: str
    key: str
    variant: str = ""
    region: str = "CN"
    year: int | None = None
    value: float
    value_high: float | None = None
    unit: str = ""
    version: str
    source: str
    source_year: int | None = None
    method: str = ""
    confidence: Confidence
    note: str = ""


class Uncertainty(BaseModel):
    """A 95 % half-width in per cent of the value, with its source."""

    model_config = ConfigDict(frozen=True)

    what: str
    key: str
    version: str
    u95_pct: float
    distribution: Literal["normal"]
    source: str
    confidence: Confidence


def _read(package_dir: tuple[str, ...]) -> list[tuple[str, str]]:
    base = resources.files("tanfeng.reference").joinpath("data", *package_dir)
    return sorted((f"{'/'.join(package_dir)}/{p.name}", p.read_text(encoding="utf-8"))
                  for p in base.iterdir() if p.name.endswith(".csv") and p.name != "uncertainty.csv")


def _frame(name: str, text: str) -> pl.DataFrame:
    try:
        df = pl.read_csv(io.StringIO(text), schema_overrides=_SCHEMA, infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        msg = f"cannot read factor file: {exc}"
        raise ReferenceDataError(msg, location=Location(file=name)) from exc
    missing = [c for c in _COLUMNS if c not in df.columns]
    if missing:
        msg = f"factor file lacks columns {missing}"
        raise ReferenceDataError(msg, location=Location(file=name))
    df = df.select(_COLUMNS).with_columns(pl.col(c).fill_null("") for c in _COLUMNS)
    return df.with_columns(pl.lit(name).alias("file"), (pl.int_range(pl.len()) + 2).alias("line"))


def _validate(df: pl.DataFrame) -> pl.DataFrame:
    for row in df.iter_rows(named=True):
        where = Location(file=row["file"], line=row["line"])
        for field in ("id", "what", "key", "version", "source", "value"):
            if not row[field]:
                msg = f"empty '{field}'"
                raise ReferenceDataError(msg, location=where)
        if row["confidence"] not in ("A", "B", "C"):
            msg = f"confidence must be A, B or C, not '{row['confidence']}'"
            raise ReferenceDataError(msg, location=where)
        for field in ("value", "value_high", "year", "source_year"):
            if row[field] and not re.fullmatch(r"-?\d+(\.\d+)?([eE]-?\d+)?", row[field]):
                msg = f"'{field}' is not a number: '{row[field]}'"
                raise ReferenceDataError(msg, location=where)
    dup = df.filter(pl.col("id").is_duplicated())
    if dup.height:
        msg = f"duplicate factor ids: {sorted(set(dup['id']))}"
        raise ReferenceDataError(msg, location=Location(file=dup["file"][0]))
    return df


_REGION_SUFFIXES = ("回族自治区", "维吾尔自治区", "壮族自治区", "自治区", "省", "市", "电网")


class FactorLibrary:
    """Lookups into the versioned factor files.

    Use :func:`library` for the shipped files; tests may build one from a frame with the same columns.
    """

    def __init__(self, frame: pl.DataFrame, uncertainties: list[Uncertainty] | None = None) -> None:
        self.frame = frame
        self.uncertainties = uncertainties or []
        self._by_what: dict[str, pl.DataFrame] = {
            str(w[0]): g for w, g in frame.group_by("what", maintain_order=True)
        }
        self._rows: dict[tuple[str, str], list[dict[str, str]]] = {}
        for row in frame.iter_rows(named=True):
            self._rows.setdefault((row["what"], row["key"]), []).append(row)
        self._cache: dict[tuple[str, str, str, int | None, str | None, str], FactorRecord] = {}
        self._absent: dict[tuple[str, str, str, int | None, str | None, str], FactorNotFoundError] = {}
        self._keys: dict[tuple[str, str | None], list[str]] = {}
        self._regions: dict[str, str] = {"全国": "CN", "中国": "CN", "cn": "CN"}
        for code, note in frame.filter(pl.col("what") == "grid_co2").select("region", "note").unique().iter_rows():
            name = note.split(";")[0].strip()
            self._regions[code.lower()] = code
            if name and not name.startswith("全国"):
                self._regions[name] = code
                for suffix in _REGION_SUFFIXES:
                    if name.endswith(suffix):
                        self._regions[name[: -len(suffix)]] = code

    # -- generic -------------------------------------------------------------------------------------
    def region_code(self, region: str) -> str:
        """Normalise a region given as code (``150000``, ``CN-NORTH``) or Chinese name (内蒙古, 华北).

        Raises
        ------
        UnknownRegionError
            If no factor file knows the region; the message lists those that do.
        """
        code = self._regions.get(str(region).strip()) or self._regions.get(str(region).strip().lower())
        if code is None:
            msg = f"no factor file knows region '{region}'"
            known = ", ".join(sorted({f"{c}" for c in self._regions.values()}))
            raise UnknownRegionError(msg, hint=f"regions with factors: {known}")
        return code

    def find(self, what: str, key: str, *, region: str = "CN", year: int | None = None,
             version: str | None = None, variant: str = "") -> FactorRecord:
        """Return the one factor for (what, key, region, year, version, variant).

        Parameters
        ----------
        what
            Kind of number (``coal_coefficient``, ``co2_ef``, ``grid_co2`` …).
        key
            What it is for: product id, process, gas or grid-factor kind.
        region
            Region code (``CN`` for national values).
        year
            Data year; ``None`` matches rows that are not year-specific.
        version
            Version of the library (``gbt2589-2008``, ``ipcc2006``, ``AR5`` …); ``None`` is allowed only
            when a single version has the factor.
        variant
            Sub-kind, e.g. ``gas_field`` natural gas; ``""`` is the default row.

        Raises
        ------
        FactorNotFoundError
            If no row matches, or several versions do and none was named; the message lists what exists.
        """
        ck = (what, key, region, year, version, variant)
        hit = self._cache.get(ck)
        if hit is not None:
            return hit
        absent = self._absent.get(ck)
        if absent is not None:  # the library does not change: a factor it lacks stays lacking
            raise FactorNotFoundError(absent.message, hint=absent.hint)
        try:
            return self._search(ck)
        except FactorNotFoundError as exc:
            self._absent[ck] = exc
            raise

    def _search(self, ck: tuple[str, str, str, int | None, str | None, str]) -> FactorRecord:
        what, key, region, year, version, variant = ck
        candidates = self._rows.get((what, key), [])
        y = "" if year is None else str(year)
        exact = [r for r in candidates if r["region"] == region and r["year"] == y and r["variant"] == variant
                 and (version is None or r["version"] == version)]
        if len(exact) == 1:
            rec = _record(exact[0])
            self._cache[ck] = rec
            return rec
        pool = self._by_what.get(what)
        if pool is None:
            msg = f"no factors of kind '{what}'"
            raise FactorNotFoundError(msg, hint=f"kinds in the library: {', '.join(self._by_what)}")
        rows = pool.filter(pl.col("key") == key)
        if rows.height == 0:
            msg = f"no {what} factor for '{key}'"
            keys = ", ".join(sorted(set(pool["key"])))
            raise FactorNotFoundError(msg, hint=f"{what} factors exist for: {keys}")
        label = f"{what} for '{key}'"
        sel = rows.filter(pl.col("region") == region)
        if sel.height == 0:
            msg = f"no {label} in region '{region}'"
            raise FactorNotFoundError(msg, hint=f"regions that have it: {', '.join(sorted(set(rows['region'])))}")
        sel2 = sel.filter(pl.col("year") == ("" if year is None else str(year)))
        if sel2.height == 0:
            years = sorted(set(sel["year"]) - {""})
            msg = f"no {label} in region '{region}' for year {year}"
            raise FactorNotFoundError(msg, hint=f"years that exist: {', '.join(years) or 'none (not year-specific)'}")
        sel3 = sel2 if version is None else sel2.filter(pl.col("version") == version)
        if sel3.height == 0:
            msg = f"no {label} (region '{region}', year {year}) in version '{version}'"
            raise FactorNotFoundError(msg, hint=f"versions that have it: {', '.join(sorted(set(sel2['version'])))}")
        sel4 = sel3.filter(pl.col("variant") == variant)
        if sel4.height == 0:
            variants = ", ".join(repr(v) for v in sorted(set(sel3["variant"])))
            msg = f"no {label} of variant '{variant}'"
            raise FactorNotFoundError(msg, hint=f"variants that exist: {variants}")
        if sel4.height > 1:
            msg = f"several versions have {label} (region '{region}', year {year})"
            raise FactorNotFoundError(msg, hint=f"name one of: {', '.join(sorted(set(sel4['version'])))}")
        return _record(sel4.row(0, named=True))

    def has(self, what: str, key: str, **kwargs: object) -> bool:
        """Whether :meth:`find` would succeed with the same arguments."""
        try:
            self.find(what, key, **kwargs)  # type: ignore[arg-type]
        except FactorNotFoundError:
            return False
        return True

    def versions(self, what: str) -> list[str]:
        """Versions that have factors of kind ``what``."""
        pool = self._by_what.get(what)
        return [] if pool is None else sorted(set(pool["version"]))

    def keys(self, what: str, version: str | None = None) -> list[str]:
        """Keys that have factors of kind ``what`` (in ``version`` if given)."""
        known = self._keys.get((what, version))
        if known is None:
            pool = self._by_what.get(what)
            if pool is not None and version is not None:
                pool = pool.filter(pl.col("version") == version)
            known = [] if pool is None else sorted(set(pool["key"]))
            self._keys[(what, version)] = known
        return list(known)

    # -- shortcuts -----------------------------------------------------------------------------------
    def grid(self, region: str, year: int, *, kind: str = "average", version: str | None = None) -> FactorRecord:
        """Electricity CO2 factor (kgCO2/kWh or tCO2/MWh) of a grid, province or the nation for a data year.

        Raises
        ------
        UnknownRegionError
            If the region is not known to any factor file.
        FactorNotFoundError
            If the year (or kind, or version) is missing for that region; the message lists what exists.
        """
        return self.find("grid_co2", kind, region=self.region_code(region), year=year, version=version)

    def gwp(self, gas: str, gwp_set: str) -> FactorRecord:
        """100-year GWP of ``gas`` (CO2, CH4, N2O, CF4, C2F6, SF6 …) in set SAR, AR4, AR5 or AR6."""
        return self.find("gwp", gas, version=gwp_set)

    def uncertainty(self, what: str, key: str, version: str = "*") -> Uncertainty:
        """Uncertainty for a factor or an activity: the row for ``key`` if there is one, else the ``*`` row.

        Raises
        ------
        FactorNotFoundError
            If neither a row for ``key`` nor a ``*`` row exists for ``what``.
        """
        best: Uncertainty | None = None
        for u in self.uncertainties:
            if u.what != what or u.version not in ("*", version):
                continue
            if u.key == key:
                return u
            if u.key == "*":
                best = u
        if best is None:
            msg = f"no uncertainty for {what} '{key}'"
            whats = sorted({u.what for u in self.uncertainties})
            raise FactorNotFoundError(msg, hint=f"uncertainties exist for: {', '.join(whats)}")
        return best


def _record(row: dict[str, str]) -> FactorRecord:
    return FactorRecord(
        id=row["id"], what=row["what"], key=row["key"], variant=row["variant"], region=row["region"] or "CN",
        year=int(row["year"]) if row["year"] else None, value=float(row["value"]),
        value_high=float(row["value_high"]) if row["value_high"] else None, unit=row["unit"],
        version=row["version"], source=row["source"],
        source_year=int(row["source_year"]) if row["source_year"] else None,
        method=row["method"], confidence=row["confidence"],
        note=row["note"],
    )


def frame_from_files(files: Iterable[tuple[str, str]]) -> pl.DataFrame:
    """Build and validate the library frame from (name, CSV text) pairs."""
    frames = [_frame(name, text) for name, text in files]
    return _validate(pl.concat(frames, how="vertical"))


def _uncertainties() -> list[Uncertainty]:
    import csv

    text = resources.files("tanfeng.reference").joinpath("data", "factors", "uncertainty.csv").read_text(encoding="utf-8")
    out: list[Uncertainty] = []
    for i, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        try:
            out.append(Uncertainty(what=row["what"], key=row["key"], version=row["version"],
                                   u95_pct=float(row["u95_pct"]), distribution=row["distribution"],
                                   source=row["source"], confidence=row["confidence"]))
        except ValueError as exc:
            msg = f"bad uncertainty row: {exc}"
            raise ReferenceDataError(msg, location=Location(file="factors/uncertainty.csv", line=i)) from exc
    return out


@lru_cache(maxsize=1)
def library() -> FactorLibrary:
    """The library built from the shipped data files (loaded once)."""
    files = [f for f in _read(("energy",)) if f[0].endswith("standard_coal_gbt2589.csv")] + _read(("factors",))
    return FactorLibrary(frame_from_files(files), _uncertainties())
