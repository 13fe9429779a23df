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

:func:`revalidate_units` does the same for many units at once: one validation over every unit's window and one
comparison of every unit's check days, with the margins taken from the tiles loaded for a first guess of the
window. A unit whose check days change, or whose margin reaches past what was loaded, goes through
:func:`revalidate` on its own, so the result is the same as unit by unit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

import polars as pl

from tanfeng.monitoring.ingest import SCHEMA
from tanfeng.monitoring.validate import FLAGS, INTERVAL, ValidationParams, validate_readings

__all__ = ["COMPARED", "GROUP", "TileUpdate", "local_day", "revalidate", "revalidate_units"]

COMPARED = ("energy", "gap_intervals", *FLAGS, "valid")
"""The derived columns that must not change for a stored day to be left as it is."""
_ORDER = list(SCHEMA)
_BASE = ("q_unknown_meter", "q_future", "q_off_grid", "q_kind_mismatch", "q_duplicate", "q_conflict")
GROUP = "_unit"
"""The column naming each reading's tile group (its unit, or the caller's label for unknown meters)."""
_GUESS_DAYS = 3
"""Days loaded beyond the check days on each side, from which the margins are taken when they suffice."""


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


@dataclass
class _Plan:
    days: list[date]
    lo: int
    hi: int
    left: list[int]
    right: list[int]
    loaded: tuple[int, int]
    window: tuple[int, int] = (0, -1)


def _plan(days: list[date], new_days: list[date], check_days: int) -> _Plan:
    lo = max(days.index(new_days[0]) - 1, 0)
    hi = min(days.index(new_days[-1]) + 1, len(days) - 1)
    left = list(range(max(lo - check_days, 0), lo))
    right = list(range(hi + 1, min(hi + 1 + check_days, len(days))))
    first = (left[0] if left else lo) - _GUESS_DAYS
    last = (right[-1] if right else hi) + _GUESS_DAYS
    return _Plan(days, lo, hi, left, right, (max(first, 0), min(last, len(days) - 1)))


def _margin_from_counts(plan: _Plan, counts: dict[date, dict[str, int]], edge: int, step: int, need: int,
                        meters: set[str]) -> int | None:
    """As :func:`_margin`, from per-day base counts of the loaded days; ``None`` when it reaches past them."""
    got = dict.fromkeys(meters, 0)
    i = edge
    lo, hi = plan.loaded
    while 0 <= i < len(plan.days) and any(n < need for n in got.values()):
        if not lo <= i <= hi:
            return None
        for meter, n in counts.get(plan.days[i], {}).items():
            if meter in got:
                got[meter] += n
        i += step
    return i - step


def _differing_groups(new: pl.DataFrame, old: pl.DataFrame) -> set[str]:
    """Groups whose rows differ between two frames of the compared columns (exactly, nulls equal)."""
    keys = [GROUP, *_ORDER, *COMPARED]
    a, b = new.select(keys), old.select(keys).cast(new.select(keys).schema)
    out = set(a.join(b, on=keys, how="anti", nulls_equal=True)[GROUP].to_list())
    out |= set(b.join(a, on=keys, how="anti", nulls_equal=True)[GROUP].to_list())
    return out



def _windows(plans: dict[str, _Plan], stored: pl.DataFrame, new: pl.DataFrame, need: int) -> list[str]:
    """Set each plan's window from the margins the loaded tiles give; returns the groups whose margins reach
    past the loaded days (they go through :func:`revalidate` alone)."""
    base = (stored.filter(~pl.any_horizontal(*[pl.col(c) for c in _BASE])).group_by(GROUP, "day", "meter_id").len()
            if stored.height else pl.DataFrame())
    counts: dict[str, dict[date, dict[str, int]]] = {}
    for group, day, meter, n in (base.iter_rows() if base.height else ()):
        counts.setdefault(group, {}).setdefault(day, {})[meter] = n
    seen: dict[str, set[str]] = {g: set(m) for g, m in new.group_by(GROUP).agg(pl.col("meter_id").unique()).iter_rows()}
    if stored.height:
        held = stored.group_by(GROUP, "day").agg(pl.col("meter_id").unique())
        for g, d, ms in held.iter_rows():
            plan = plans[g]
            if plan.days[plan.lo] <= d <= plan.days[plan.hi]:
                seen[g].update(ms)
    alone: list[str] = []
    for g, plan in plans.items():
        c = counts.get(g, {})
        first = _margin_from_counts(plan, c, (plan.left[0] if plan.left else plan.lo) - 1, -1, need, seen[g])
        last = _margin_from_counts(plan, c, (plan.right[-1] if plan.right else plan.hi) + 1, 1, need, seen[g])
        if first is None or last is None:
            alone.append(g)
        else:
            plan.window = (first, last)
    return alone


def revalidate_units(new: pl.DataFrame, *, stored_days: dict[str, Sequence[date]],
                     load_many: Callable[[Sequence[tuple[str, date]]], pl.DataFrame],
                     load: Callable[[str, Sequence[date]], dict[date, pl.DataFrame]], meters: pl.DataFrame,
                     now: datetime, unknown: str, params: ValidationParams | None = None, check_days: int = 2,
                     margin_rows: int | None = None) -> dict[str, TileUpdate]:
    """:func:`revalidate` for the new readings of many units at once.

    Parameters
    ----------
    new
        The readings (contract columns) with :data:`GROUP`, their unit (``unknown`` for unknown meters).
    stored_days
        Each group's days with a stored tile.
    load_many
        The stored tiles of the given (group, day) pairs as one frame (flagged columns); missing tiles left out.
    load
        One group's stored tiles by day (for the groups that go through :func:`revalidate`).
    meters
        The meter table of every unit of ``new``.
    """
    p = params or ValidationParams()
    need = margin_rows if margin_rows is not None else 2 * p.spike_window
    new = new.select(*_ORDER, GROUP).unique()
    new_days = new.group_by(GROUP).agg(local_day(pl.col("ts"), p.tz).unique().sort().alias("d"))
    plans: dict[str, _Plan] = {}
    for group, nd in new_days.iter_rows():
        days = sorted(set(stored_days.get(group, ())) | set(nd))
        plans[group] = _plan(days, nd, check_days)
    wanted = [(g, pl_.days[i]) for g, pl_ in plans.items() for i in range(pl_.loaded[0], pl_.loaded[1] + 1)]
    stored = load_many(wanted)
    if stored.height:
        stored = stored.with_columns(pl.col("unit_code").fill_null(unknown).alias(GROUP))
    alone = _windows(plans, stored, new, need)
    together = [g for g in plans if g not in alone]
    out: dict[str, TileUpdate] = {}
    if together:
        window = pl.DataFrame([(g, plans[g].days[i]) for g in together
                               for i in range(plans[g].window[0], plans[g].window[1] + 1)],
                              schema={GROUP: pl.String, "day": pl.Date}, orient="row")
        context = stored.join(window, on=[GROUP, "day"], how="semi") if stored.height else stored
        fresh = new.filter(pl.col(GROUP).is_in(together))
        raw = pl.concat([*([context.select(_ORDER).cast(SCHEMA)] if context.height else []),  # type: ignore[arg-type]
                         fresh.select(_ORDER).cast(SCHEMA)]).unique()  # type: ignore[arg-type]
        flagged = validate_readings(raw, meters, now=now, params=p).with_columns(
            pl.col("unit_code").fill_null(unknown).alias(GROUP))
        checks = pl.DataFrame([(g, plans[g].days[i]) for g in together for i in (*plans[g].left, *plans[g].right)],
                              schema={GROUP: pl.String, "day": pl.Date}, orient="row")
        grow = _differing_groups(flagged.join(checks, on=[GROUP, "day"], how="semi"),
                                 stored.join(checks, on=[GROUP, "day"], how="semi") if stored.height
                                 else flagged.clear()) if checks.height else set()
        alone.extend(g for g in together if g in grow)
        replaced = pl.DataFrame([(g, plans[g].days[i]) for g in together if g not in grow
                                 for i in range(plans[g].lo, plans[g].hi + 1)],
                                schema={GROUP: pl.String, "day": pl.Date}, orient="row")
        new_rows = flagged.join(replaced, on=[GROUP, "day"], how="semi").partition_by(GROUP, as_dict=True)
        old_rows = (stored.join(replaced, on=[GROUP, "day"], how="semi").partition_by(GROUP, as_dict=True)
                    if stored.height else {})
        rows_of = dict(flagged.group_by(GROUP).len().iter_rows())
        for g in together:
            if g in grow:
                continue
            plan = plans[g]
            f = new_rows.get((g,), flagged.clear()).drop(GROUP)
            prev = old_rows.get((g,))
            out[g] = TileUpdate(days=tuple(plan.days[plan.lo:plan.hi + 1]), flagged=f,
                                previous=prev.drop(GROUP) if prev is not None else f.clear(),
                                validated_rows=int(rows_of.get(g, 0)))
    for g in alone:
        out[g] = revalidate(new.filter(pl.col(GROUP) == g).select(_ORDER), stored_days=stored_days.get(g, ()),
                            load=partial(load, g),
                            meters=meters.filter(pl.col("unit_code") == g), now=now, params=p,
                            check_days=check_days, margin_rows=margin_rows)
    return out
