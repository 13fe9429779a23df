"""Validate once, when a batch lands: re-flag only the days of one unit that the batch can change.

Flags are stored per *tile*: one unit's flagged readings of one local day (the day of ``interval_start_local``).
Every check of :func:`tanfeng.monitoring.validate.validate_readings` looks only at one unit's readings (the
stuck check compares a unit's meters; all other checks look at one meter), so units are independent. Within a
unit the checks reach across days: the previous reading (gaps, cumulative energy, resets, rollovers), the
centred rolling windows of the spike check (``spike_window`` readings each way for the median and again for the
MAD) and stuck runs.

:func:`revalidate` therefore, for the new readings of one unit:

1. replaces the days holding new readings and one stored day on each side (days are counted among the unit's
   days with readings, so a long outage is crossed like a night);
2. re-flags them together with *check days* (``check_days`` on each side) and a *margin* beyond those, grown
   day by day until each meter has ``margin_rows`` readings in it (twice the spike window) or the unit's
   history ends, so the check days see all the context they need;
3. compares the check days' new flags with their stored ones: if any differ, the change reaches further and
   the replaced span grows over them (and the loop runs again); if none differ, the batch changed nothing
   beyond the replaced days.

The result equals a full re-validation of the unit's readings (tests compare both over random batches,
re-sent batches and batches arriving out of order). In-order arrival touches the last few days only.

Pure: tiles come in through the ``load`` callable; storing them is the caller's business.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl

from tanfeng.monitoring.ingest import SCHEMA
from tanfeng.monitoring.validate import FLAGS, INTERVAL, ValidationParams, validate_readings

__all__ = ["COMPARED", "TileUpdate", "local_day", "revalidate"]

COMPARED = ("energy", "gap_intervals", *FLAGS, "valid")
"""The derived columns that must not change for a stored day to be left as it is."""
_ORDER = list(SCHEMA)
_BASE = ("q_unknown_meter", "q_future", "q_off_grid", "q_kind_mismatch", "q_duplicate", "q_conflict")


def local_day(ts: pl.Expr, tz: str) -> pl.Expr:
    """The local day a reading counts for: the day of its interval's start (``ts − 15 min``) in ``tz``."""
    return (ts - INTERVAL).dt.convert_time_zone(tz).dt.date()


@dataclass(frozen=True)
class TileUpdate:
    """What one unit's new readings change.

    Attributes
    ----------
    days
        The local days whose tiles are replaced (sorted).
    flagged
        The new flagged readings of those days (the shape ``validate_readings`` returns).
    previous
        The stored flagged readings of those days before (empty for new days).
    validated_rows
        How many readings were flagged to get there (replaced, check and margin days).
    """

    days: tuple[date, ...]
    flagged: pl.DataFrame
    previous: pl.DataFrame
    validated_rows: int


class _Tiles:
    """The unit's stored tiles, loaded once each."""

    def __init__(self, load: Callable[[Sequence[date]], dict[date, pl.DataFrame]]) -> None:
        self._load = load
        self._have: dict[date, pl.DataFrame] = {}

    def get(self, days: Sequence[date]) -> list[pl.DataFrame]:
        missing = [d for d in days if d not in self._have]
        if missing:
            got = self._load(missing)
            for d in missing:
                self._have[d] = got.get(d, pl.DataFrame())
        return [self._have[d] for d in days if self._have[d].height]

    def base_rows(self, day: date) -> dict[str, int]:
        frames = self.get([day])
        if not frames:
            return {}
        base = frames[0].filter(~pl.any_horizontal(*[pl.col(c) for c in _BASE]))
        return dict(base.group_by("meter_id").len().iter_rows())


def _margin(tiles: _Tiles, days: list[date], edge: int, step: int, need: int, meters: set[str]) -> int:
    """Index of the last margin day going from ``edge`` in direction ``step`` (``edge − step`` when none)."""
    counts = dict.fromkeys(meters, 0)
    i = edge
    while 0 <= i < len(days) and any(n < need for n in counts.values()):
        for meter, n in tiles.base_rows(days[i]).items():
            if meter in counts:
                counts[meter] += n
        i += step
    return i - step


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(_ORDER)


def _same(new: pl.DataFrame, stored: list[pl.DataFrame]) -> bool:
    if not stored:
        return new.height == 0
    old = pl.concat(stored, how="diagonal_relaxed")
    if old.height != new.height:
        return False
    cols = [*_ORDER, *COMPARED]
    return _sorted(new.select(cols)).equals(_sorted(old.select(cols).cast(new.select(cols).schema)))


def revalidate(new: pl.DataFrame, *, stored_days: Sequence[date], load: Callable[[Sequence[date]], dict[date, pl.DataFrame]],
               meters: pl.DataFrame, now: datetime, params: ValidationParams | None = None, check_days: int = 2,
               margin_rows: int | None = None) -> TileUpdate:
    """Re-flag the days of one unit that ``new`` (its readings, contract columns) can change.

    Parameters
    ----------
    new
        The unit's readings of the batch (``meter_id, ts, value, kind``).
    stored_days
        The local days for which the unit has a stored tile.
    load
        Stored tiles (flagged readings) of the given days, by day; days without a tile may be left out.
    meters
        The unit's meter table (empty for readings of unknown meters).
    now, params
        As for :func:`~tanfeng.monitoring.validate.validate_readings`.
    check_days, margin_rows
        See the module docstring (``margin_rows`` defaults to twice the spike window).
    """
    p = params or ValidationParams()
    need = margin_rows if margin_rows is not None else 2 * p.spike_window
    new = new.select(_ORDER).unique()
    new_days = sorted(set(new.select(local_day(pl.col("ts"), p.tz)).to_series().to_list()))
    days = sorted(set(stored_days) | set(new_days))
    tiles = _Tiles(load)
    lo, hi = days.index(new_days[0]) - 1, days.index(new_days[-1]) + 1
    while True:
        lo, hi = max(lo, 0), min(hi, len(days) - 1)
        left = list(range(max(lo - check_days, 0), lo))
        right = list(range(hi + 1, min(hi + 1 + check_days, len(days))))
        meters_seen = set(new["meter_id"].unique().to_list())
        for frame in tiles.get(days[lo:hi + 1]):
            meters_seen.update(frame["meter_id"].unique().to_list())
        first = _margin(tiles, days, (left[0] if left else lo) - 1, -1, need, meters_seen)
        last = _margin(tiles, days, (right[-1] if right else hi) + 1, 1, need, meters_seen)
        window = days[first:last + 1]
        stored = [f.select(_ORDER) for f in tiles.get(window)]
        raw = pl.concat([*[s.cast(SCHEMA) for s in stored], new.cast(SCHEMA)]).unique()  # type: ignore[arg-type]
        flagged = validate_readings(raw, meters, now=now, params=p)
        grew = False
        for side, span in (("left", left), ("right", right)):
            check = [days[i] for i in span]
            if check and not _same(flagged.filter(pl.col("day").is_in(check)), tiles.get(check)):
                lo, hi = (lo - check_days, hi) if side == "left" else (lo, hi + check_days)
                grew = True
        if not grew:
            replaced = tuple(days[lo:hi + 1])
            previous = tiles.get(list(replaced))
            return TileUpdate(
                days=replaced, flagged=flagged.filter(pl.col("day").is_in(replaced)),
                previous=pl.concat(previous, how="diagonal_relaxed") if previous else flagged.clear(),
                validated_rows=raw.height)
