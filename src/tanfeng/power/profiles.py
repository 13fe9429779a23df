"""Hourly wind and solar availability (per unit of capacity).

The shipped profiles are **synthetic** (合成数据): a deterministic random process shaped by the hour of the
day and the day of the year, then scaled so that its yearly full-load hours equal the published (or
derived) figure in ``full_load_hours.csv``. They have the right annual energy, not the real weather.
Whoever has real capacity factors (atlite output from an ERA5 cutout) loads them with
:func:`load_profiles`, which checks length and range before any solve.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from tanfeng.errors import ImportDataError, at
from tanfeng.power.data import HOURS_PER_YEAR

__all__ = ["SYNTHETIC_NOTE", "calibrate", "load_profiles", "synthetic_profile"]

SYNTHETIC_NOTE = "合成数据 synthetic wind/solar profiles calibrated to annual full-load hours, not measured weather"


def _rng(key: str) -> np.random.Generator:
    seed = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    return np.random.default_rng(seed)


def calibrate(raw: np.ndarray, flh: float) -> np.ndarray:
    """Scale a non-negative shape so that ``clip(k * raw, 0, 1)`` has ``flh`` full-load hours a year.

    The factor ``k`` is found by bisection (the clipped mean grows monotonically with ``k``).
    """
    target = flh / HOURS_PER_YEAR
    if target <= 0 or raw.max() <= 0:
        return np.zeros_like(raw)
    lo, hi = 0.0, 1.0
    while np.clip(hi * raw, 0, 1).mean() < target and hi < 1e6:
        hi *= 2
    for _ in range(60):
        mid = (lo + hi) / 2
        if np.clip(mid * raw, 0, 1).mean() < target:
            lo = mid
        else:
            hi = mid
    return np.asarray(np.clip(hi * raw, 0, 1))


def _wind_shape(key: str) -> np.ndarray:
    rng = _rng(key)
    hours = np.arange(HOURS_PER_YEAR)
    noise = rng.standard_normal(HOURS_PER_YEAR)
    ar = np.empty(HOURS_PER_YEAR)
    ar[0] = noise[0]
    for t in range(1, HOURS_PER_YEAR):  # weather persistence of about a day
        ar[t] = 0.96 * ar[t - 1] + math.sqrt(1 - 0.96**2) * noise[t]
    season = 1.0 + 0.25 * np.cos(2 * np.pi * (hours / HOURS_PER_YEAR - 0.2))  # windier in spring
    diurnal = 1.0 + 0.1 * np.cos(2 * np.pi * ((hours % 24) - 2) / 24)  # windier at night
    speed = np.maximum(0.0, 1.0 + 0.45 * ar) * season * diurnal
    return np.asarray(speed**3)


def _solar_shape(key: str, lat: float) -> np.ndarray:
    rng = _rng(key)
    hours = np.arange(HOURS_PER_YEAR)
    day = hours // 24
    decl = np.radians(23.44) * np.sin(2 * np.pi * (day - 80) / 365)
    hour_angle = np.radians(15.0 * ((hours % 24) + 0.5 - 12.0 - 0.0))
    phi = np.radians(lat)
    elevation = np.sin(phi) * np.sin(decl) + np.cos(phi) * np.cos(decl) * np.cos(hour_angle)
    daily_cloud = np.clip(rng.beta(5, 2, size=366), 0.05, 1.0)
    return np.asarray(np.maximum(elevation, 0.0) * daily_cloud[day])


def synthetic_profile(carrier: str, node: str, lat: float, flh: float) -> np.ndarray:
    """A deterministic synthetic profile of 8,760 hours for ``carrier`` at ``node``.

    Hours are counted in local solar time from 1 January 00:00. Hydro is flat at its capacity factor.
    """
    if carrier == "wind":
        raw = _wind_shape(f"wind:{node}")
    elif carrier == "solar":
        raw = _solar_shape(f"solar:{node}", lat)
    else:
        raw = np.ones(HOURS_PER_YEAR)
    return calibrate(raw, flh)


def load_profiles(path: Path, *, expected: Mapping[str, str] | None = None) -> dict[str, np.ndarray]:
    """Read real hourly capacity factors (e.g. atlite output) from a CSV file.

    The file has a first column ``hour`` (0…8759) or ``time`` and one column per ``<node>:<carrier>``
    (for example ``west:wind``), each value a capacity factor in [0, 1]. An atlite result is written
    in this shape with ``cutout.wind(...).to_pandas().to_csv(...)`` after naming the columns.

    Parameters
    ----------
    path
        The CSV file.
    expected
        Optional ``column → description`` that must be present.

    Raises
    ------
    ImportDataError
        Wrong length, a value outside [0, 1], a missing column; with file, row and field.
    """
    import csv

    name = path.name
    if not path.is_file():
        msg = "profile file not found"
        raise ImportDataError(msg, location=at(name))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        columns = header[1:]
        for column in expected or {}:
            if column not in columns:
                msg = f"column '{column}' is missing"
                raise ImportDataError(msg, location=at(name, field=column))
        values: list[list[float]] = []
        for number, row in enumerate(reader, start=1):
            if len(row) != len(header):
                msg = f"{len(row)} cells, expected {len(header)}"
                raise ImportDataError(msg, location=at(name, row=number))
            parsed = []
            for column, cell in zip(columns, row[1:], strict=True):
                try:
                    value = float(cell)
                except ValueError:
                    value = math.nan
                if not 0.0 <= value <= 1.0:
                    msg = f"capacity factor {cell!r} is not in [0, 1]"
                    raise ImportDataError(msg,
                                          location=at(name, row=number, field=column))
                parsed.append(value)
            values.append(parsed)
    if len(values) != HOURS_PER_YEAR:
        msg = f"the profile has {len(values)} rows, not {HOURS_PER_YEAR}"
        raise ImportDataError(msg,
                              location=at(name, row=len(values), field=header[0] if header else None),
                              hint="one row per hour of a non-leap year")
    array = np.array(values, dtype=float)
    return {column: array[:, i] for i, column in enumerate(columns)}
