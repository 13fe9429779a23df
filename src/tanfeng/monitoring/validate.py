"""Validation of online meter readings: quality flags beside the data, interval energy, completeness.

Input readings follow the contract of ``docs/ARCHITECTURE.md``: ``meter_id, ts, value, kind`` with
``ts`` a timezone-aware timestamp (see :mod:`tanfeng.monitoring.ingest`). The meter table is the
frame of :func:`tanfeng.enterprises.registry.meters_frame` (``meter_id, unit_code, kind, multiplier,
rollover_max`` …).

Conventions
-----------
* **Interval-ending timestamps.** A reading at ``ts`` describes the 15-minute interval
  ``(ts − 15 min, ts]``. An ``interval`` reading is that interval's energy; a ``cumulative``
  reading is the register value at ``ts`` and the interval energy is the difference to the previous
  reading of the meter. The first cumulative reading of a meter is its baseline (``q_no_baseline``).
* **Local days.** Days and hours are counted in ``tz`` (``Asia/Shanghai`` by default, no DST);
  ``interval_start_local`` is the naive local start of the interval.
* **Nothing is dropped.** :func:`validate_readings` returns every input row, in input order, with
  boolean ``q_*`` flags, the derived ``energy`` (meter unit × multiplier) and ``valid``.

Flags (``True`` = problem or event)
-----------------------------------
``q_unknown_meter``   meter id not in the meter table.
``q_future``          ``ts`` later than ``now``.
``q_off_grid``        ``ts`` not on the 15-minute grid.
``q_kind_mismatch``   reading ``kind`` differs from the meter's kind.
``q_duplicate``       a second copy of the same (meter, ts, value): idempotent, the first copy stays valid.
``q_conflict``        the same (meter, ts) with different values: every such row is invalid.
``q_gap_before``      ``gap_intervals`` > 0 missing 15-minute intervals precede the row (a cumulative
                      row's energy then spans ``gap_intervals + 1`` intervals; it stays valid, as
                      the total is right).
``q_negative``        negative ``interval`` value.
``q_rollover``        cumulative counter wrapped: the previous value was within ``rollover_band`` ×
                      ``rollover_max`` of the top and the new one within ``rollover_band`` ×
                      ``rollover_max`` of zero; energy = value + rollover_max − previous (valid).
``q_reset``           any other decrease of a cumulative counter: energy unknown (null).
``q_spike``           energy per interval above ``median + spike_k × scale``, with ``median`` the
                      centred rolling median of the meter's energies over ``spike_window`` readings
                      and ``scale = max(1.4826 × MAD, spike_rel_floor × |median|, spike_abs_floor)``;
                      the MAD is the rolling median of ``|e − median|`` (a robust σ estimate).
``q_stuck``           cumulative: the register did not move for ≥ ``stuck_hours`` (that many zero
                      deltas in a row, flagged on the zero-delta rows) while at least one other meter
                      of the same unit moved during that run. Interval: the same non-zero value for
                      ≥ ``stuck_hours`` of consecutive readings (all rows of the run flagged).
``q_no_baseline``     first reading of a cumulative meter (no energy; not a fault).

``valid`` is true when the row is a known, on-grid, unique, non-future reading with an energy
that is neither negative, reset, spike nor stuck.

Completeness (:func:`completeness`) is the share of a day's 96 expected intervals with a valid
reading. The threshold 90 % is the national online-monitoring data-quality rule ("数据完整率
≥ 90 %") as summarised in ``docs/reference/anchor_systems.md`` (Monitoring, CN-ECM; source
m.sanyawang.net/helpdoc/2019/1127/633.html) — a secondary source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import polars as pl

from tanfeng.errors import InputError, at

__all__ = ["COMPLETENESS_THRESHOLD", "FLAGS", "INTERVAL", "INTERVALS_PER_DAY", "METER_COLUMNS", "READING_COLUMNS",
           "ValidationParams", "completeness", "find_gaps", "validate_readings"]

INTERVAL = timedelta(minutes=15)
INTERVALS_PER_DAY = 96
COMPLETENESS_THRESHOLD = 0.90
"""Minimum daily completeness of the national online-monitoring rules (secondary source, see module doc)."""

READING_COLUMNS = ("meter_id", "ts", "value", "kind")
METER_COLUMNS = ("meter_id", "unit_code", "kind", "multiplier", "rollover_max")

FLAGS = (
    "q_unknown_meter", "q_future", "q_off_grid", "q_kind_mismatch", "q_duplicate", "q_conflict",
    "q_gap_before", "q_negative", "q_rollover", "q_reset", "q_spike", "q_stuck", "q_no_baseline",
)


@dataclass(frozen=True)
class ValidationParams:
    """The explicit parameters of :func:`validate_readings` (see the module docstring).

    Attributes
    ----------
    tz
        IANA zone for local days and hours.
    spike_k
        Multiplier of the robust scale above the rolling median.
    spike_window
        Rolling window in readings (97 = one day centred on the reading).
    spike_min_samples
        Minimum valid readings in the window before a spike can be called.
    spike_rel_floor
        Lower bound of the scale as a fraction of the median (flat loads have MAD ≈ 0).
    spike_abs_floor
        Lower bound of the scale in the meter's unit per interval.
    stuck_hours
        Hours without movement (cumulative) or with one constant non-zero value (interval).
    rollover_band
        Fraction of ``rollover_max`` defining "near the top" and "near zero" for a wrap.
    """

    tz: str = "Asia/Shanghai"
    spike_k: float = 6.0
    spike_window: int = 97
    spike_min_samples: int = 24
    spike_rel_floor: float = 0.1
    spike_abs_floor: float = 0.0
    stuck_hours: float = 4.0
    rollover_band: float = 0.05

    @property
    def stuck_intervals(self) -> int:
        """``stuck_hours`` in 15-minute intervals."""
        return round(self.stuck_hours * 4)


def _check_columns(frame: pl.DataFrame, needed: tuple[str, ...], what: str) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        msg = f"{what} lacks column(s) {missing}; it has {frame.columns}"
        raise InputError(msg)


def _check_meter_table(meters: pl.DataFrame) -> None:
    """Refuse a meter table that would duplicate or silently void readings."""
    problems: list[tuple[pl.Expr, str, str]] = [
        (~pl.col("meter_id").is_first_distinct(), "meter_id", "meter id listed twice"),
        (pl.col("unit_code").is_null(), "unit_code", "meter without a unit"),
        (~pl.col("kind").is_in(["interval", "cumulative"]).fill_null(False), "kind",
         "meter kind must be interval or cumulative"),
        (pl.col("multiplier").is_null() | (pl.col("multiplier") <= 0), "multiplier", "multiplier must be > 0"),
        (pl.col("rollover_max") <= 0, "rollover_max", "rollover_max must be > 0"),
    ]
    for cond, field, what in problems:
        bad = meters.with_row_index("_i").filter(cond.fill_null(False))
        if bad.height:
            msg = f"{what} (meter {bad['meter_id'][0]})"
            raise InputError(msg, location=at("meter table", row=int(bad["_i"][0]) + 1, field=field))


def validate_readings(readings: pl.DataFrame, meters: pl.DataFrame, *, now: datetime,
                      params: ValidationParams | None = None) -> pl.DataFrame:
    """Flag every reading, derive interval energy, keep every row.

    Parameters
    ----------
    readings
        ``meter_id, ts, value, kind`` with ``ts`` timezone-aware (any zone).
    meters
        Meter table with at least ``meter_id, unit_code, kind, multiplier, rollover_max``.
    now
        Timezone-aware instant; readings after it are flagged ``q_future``.
    params
        Thresholds; defaults documented in :class:`ValidationParams`.

    Returns
    -------
    polars.DataFrame
        The input rows in input order plus ``unit_code``, ``energy`` (meter unit, after the
        multiplier; null when unknown), ``gap_intervals``, ``interval_start_local``, ``day``,
        the ``q_*`` flags and ``valid``.
    """
    p = params or ValidationParams()
    _check_columns(readings, READING_COLUMNS, "readings")
    _check_columns(meters, METER_COLUMNS, "meter table")
    if now.tzinfo is None:
        msg = "now must be timezone-aware"
        raise InputError(msg)
    ts_dtype = readings.schema["ts"]
    if not isinstance(ts_dtype, pl.Datetime) or ts_dtype.time_zone is None:
        msg = f"readings column 'ts' must be a timezone-aware datetime, not {ts_dtype}"
        raise InputError(msg)

    _check_meter_table(meters)
    m = meters.with_row_index("_mid").select(
        pl.col("meter_id"), pl.col("_mid"), pl.col("unit_code"), pl.col("unit_code").rank("dense").alias("_uid"), pl.col("kind").alias("_meter_kind"),
        pl.col("multiplier").cast(pl.Float64), pl.col("rollover_max").cast(pl.Float64),
    )
    df = (
        readings.lazy().with_row_index("_row")
        .with_columns(pl.col("ts").dt.convert_time_zone("UTC"), pl.col("value").cast(pl.Float64))
        .join(m.lazy(), on="meter_id", how="left")
        .with_columns(
            q_unknown_meter=pl.col("unit_code").is_null(),
            q_future=pl.col("ts") > pl.lit(now).dt.convert_time_zone("UTC"),
            q_off_grid=pl.col("ts").dt.truncate("15m") != pl.col("ts"),
            q_conflict=pl.col("value").n_unique().over("meter_id", "ts") > 1,
        )
        .sort("_row")
        .with_columns(
            q_kind_mismatch=~pl.col("q_unknown_meter") & (pl.col("kind") != pl.col("_meter_kind")),
            q_duplicate=~pl.col("q_conflict") & ~pl.struct("meter_id", "ts").is_first_distinct(),
        )
    )
    base = ~(pl.col("q_unknown_meter") | pl.col("q_future") | pl.col("q_off_grid")
             | pl.col("q_kind_mismatch") | pl.col("q_duplicate") | pl.col("q_conflict"))
    series = _series_checks(df.filter(base).sort("_mid", "ts"), p)
    have = set(df.collect_schema().names())
    derived = [c for c in series.collect_schema().names() if c not in have or c == "_row"]
    out = df.join(series.select(derived), on="_row", how="left").sort("_row")
    flag_fill = [pl.col(c).fill_null(False) for c in
                 ("q_gap_before", "q_negative", "q_rollover", "q_reset", "q_spike", "q_stuck", "q_no_baseline")]
    out = out.with_columns(flag_fill).with_columns(
        valid=base & pl.col("energy").is_not_null()
        & ~(pl.col("q_negative") | pl.col("q_reset") | pl.col("q_spike") | pl.col("q_stuck")),
        interval_start_local=(pl.col("ts") - INTERVAL).dt.convert_time_zone(p.tz).dt.replace_time_zone(None),
    ).with_columns(day=pl.col("interval_start_local").dt.date())
    # the in-memory engine runs the many window (``over``) expressions about twice as fast as streaming
    return out.drop("_row", "_meter_kind", "_mid", "_uid").collect(engine="in-memory")


def _series_checks(s: pl.LazyFrame, p: ValidationParams) -> pl.LazyFrame:
    """Per-meter time-series checks on unique, known, on-grid rows sorted by (meter_id, ts)."""
    by = "_mid"
    cumulative = pl.col("kind") == "cumulative"
    prev_v = pl.col("value").shift(1).over(by)
    s = s.with_columns(
        _prev=prev_v,
        gap_intervals=((pl.col("ts") - pl.col("ts").shift(1).over(by)).dt.total_minutes() // 15 - 1)
        .cast(pl.Int64),
    )
    band = p.rollover_band * pl.col("rollover_max")
    delta = pl.col("value") - pl.col("_prev")
    decrease = cumulative & (delta < 0)
    s = s.with_columns(
        q_gap_before=pl.col("gap_intervals").fill_null(0) > 0,
        q_no_baseline=cumulative & pl.col("_prev").is_null(),
        q_negative=~cumulative & (pl.col("value") < 0),
        q_rollover=decrease & pl.col("rollover_max").is_not_null()
        & (pl.col("_prev") >= pl.col("rollover_max") - band) & (pl.col("value") <= band),
    ).with_columns(q_reset=decrease & ~pl.col("q_rollover"))
    raw = (
        pl.when(~cumulative).then(pl.when(pl.col("value") >= 0).then(pl.col("value")))
        .when(pl.col("q_rollover")).then(pl.col("value") + pl.col("rollover_max") - pl.col("_prev"))
        .when(delta >= 0).then(delta)
        .otherwise(None)
    )
    s = s.with_columns(energy=raw * pl.col("multiplier"))

    # stuck: runs of an unchanged value without gaps
    same = (pl.col("value") == pl.col("_prev")) & (pl.col("gap_intervals") == 0)
    s = s.with_columns(_same=same.fill_null(False))
    s = s.with_columns(_run=(~pl.col("_same")).cum_sum().over(by))
    moving = (pl.col("energy").fill_null(0) > 0).cast(pl.Int32)
    s = s.with_columns(
        _others_moving=(moving.sum().over("_uid", "ts") - moving) > 0,
        _run_rows=pl.len().over(by, "_run"),
    )
    n = p.stuck_intervals
    stuck_cum = (cumulative & pl.col("_same") & ((pl.col("_run_rows") - 1) >= n)
                 & (pl.col("_same") & pl.col("_others_moving")).any().over(by, "_run"))
    stuck_int = ~cumulative & (pl.col("value") != 0) & (pl.col("_run_rows") >= n)
    s = s.with_columns(q_stuck=stuck_cum | stuck_int)

    # spike: robust rolling threshold on energy per interval
    per_interval = pl.col("energy") / (pl.col("gap_intervals").fill_null(0) + 1)
    e = pl.when(~pl.col("q_stuck")).then(per_interval)
    w, ms = p.spike_window, p.spike_min_samples
    s = s.with_columns(_e=e).with_columns(
        _med=pl.col("_e").rolling_median(window_size=w, center=True, min_samples=ms).over(by))
    s = s.with_columns(_mad=(pl.col("_e") - pl.col("_med")).abs()
                       .rolling_median(window_size=w, center=True, min_samples=ms).over(by))
    scale = pl.max_horizontal(1.4826 * pl.col("_mad"), p.spike_rel_floor * pl.col("_med").abs(),
                              pl.lit(p.spike_abs_floor))
    s = s.with_columns(q_spike=(pl.col("_e") > pl.col("_med") + p.spike_k * scale).fill_null(False))
    return s.drop("_prev", "_same", "_run", "_others_moving", "_run_rows", "_e", "_med", "_mad")


def _utc(t: datetime) -> datetime:
    if t.tzinfo is None:
        msg = f"{t} must be timezone-aware"
        raise InputError(msg)
    return t


def find_gaps(readings: pl.DataFrame, meters: pl.DataFrame, *, start: datetime, end: datetime) -> pl.DataFrame:
    """Missing 15-minute interval-ending timestamps per meter in ``(start, end]``.

    A timestamp is missing when the meter has no row at all there (a row that is present but
    flagged is a quality problem, not a gap).

    Parameters
    ----------
    readings
        Readings (raw or flagged) with ``meter_id`` and timezone-aware ``ts``.
    meters
        Meter table; every meter in it is expected to report.
    start, end
        Timezone-aware bounds of the period.

    Returns
    -------
    polars.DataFrame
        ``meter_id, ts`` (UTC) sorted.
    """
    _utc(start)
    _utc(end)
    grid = pl.datetime_range(start + INTERVAL, end, "15m", eager=True, time_zone="UTC").alias("ts")
    expected = meters.select("meter_id").unique().join(grid.to_frame(), how="cross")
    present = readings.select("meter_id", pl.col("ts").dt.convert_time_zone("UTC")).unique()
    return expected.join(present, on=["meter_id", "ts"], how="anti").sort("meter_id", "ts")


def completeness(flagged: pl.DataFrame, meters: pl.DataFrame, *, first_day: date, last_day: date,
                 threshold: float = COMPLETENESS_THRESHOLD) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Daily completeness per meter and per unit.

    Parameters
    ----------
    flagged
        Output of :func:`validate_readings`.
    meters
        Meter table (``meter_id, unit_code``); meters without readings count as 0 %.
    first_day, last_day
        Local days, inclusive.
    threshold
        Share of the 96 daily intervals that must be valid (default 0.90, see module doc).

    Returns
    -------
    tuple of polars.DataFrame
        ``(per_meter, per_unit)``: ``meter_id|unit_code, day, valid_intervals, expected_intervals,
        completeness, meets_threshold``.
    """
    days = pl.date_range(first_day, last_day, "1d", eager=True).alias("day").to_frame()
    got = (flagged.filter(pl.col("valid") & ~pl.col("q_unknown_meter"))
           .group_by("meter_id", "day").agg(valid_intervals=pl.col("ts").n_unique().cast(pl.Int64)))
    per_meter = (
        meters.select("meter_id", "unit_code").join(days, how="cross")
        .join(got, on=["meter_id", "day"], how="left")
        .with_columns(pl.col("valid_intervals").fill_null(0), expected_intervals=pl.lit(INTERVALS_PER_DAY))
        .with_columns(completeness=pl.col("valid_intervals") / pl.col("expected_intervals"))
        .with_columns(meets_threshold=pl.col("completeness") >= threshold)
        .sort("meter_id", "day")
    )
    per_unit = (
        per_meter.group_by("unit_code", "day")
        .agg(pl.col("valid_intervals").sum(), pl.col("expected_intervals").sum())
        .with_columns(completeness=pl.col("valid_intervals") / pl.col("expected_intervals"))
        .with_columns(meets_threshold=pl.col("completeness") >= threshold)
        .sort("unit_code", "day")
    )
    return per_meter, per_unit
