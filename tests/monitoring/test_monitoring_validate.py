"""Meter-reading validation on hand-computable series (15-minute, interval-ending, Asia/Shanghai)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import polars as pl
import pytest

from tanfeng.errors import InputError
from tanfeng.monitoring.validate import (
    FLAGS,
    ValidationParams,
    completeness,
    find_gaps,
    validate_readings,
)

CST = timezone(timedelta(hours=8))
T0 = datetime(2025, 1, 1, 0, 0, tzinfo=CST)
NOW = T0 + timedelta(days=2)
Q = timedelta(minutes=15)


def ts(i: int) -> datetime:
    """End of the i-th 15-minute interval after T0 (i = 0 is T0 itself)."""
    return T0 + i * Q


def readings(rows: list[tuple[str, int | datetime, float, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(m, ts(t) if isinstance(t, int) else t, float(v), k) for m, t, v, k in rows],
        schema={"meter_id": pl.String, "ts": pl.Datetime("us", "UTC"), "value": pl.Float64, "kind": pl.String},
        orient="row",
    )


def meters(*rows: tuple[str, str, str, float, float | None]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"meter_id": pl.String, "unit_code": pl.String, "kind": pl.String,
                                      "multiplier": pl.Float64, "rollover_max": pl.Float64}, orient="row")


M_INT = ("E1", "U1", "interval", 40.0, None)
M_CUM = ("G1", "U1", "cumulative", 1.0, 1_000_000.0)


def run(rows: list[tuple[str, int | datetime, float, str]], *ms: tuple[str, str, str, float, float | None],
        **params: float) -> pl.DataFrame:
    return validate_readings(readings(rows), meters(*(ms or (M_INT, M_CUM))), now=NOW,
                             params=ValidationParams(**params))  # type: ignore[arg-type]


def flags_of(out: pl.DataFrame, i: int) -> set[str]:
    return {f for f in FLAGS if out[f][i]}


def test_clean_interval_readings_apply_multiplier() -> None:
    out = run([("E1", 1, 2.5, "interval"), ("E1", 2, 3.0, "interval")])
    assert out["energy"].to_list() == [100.0, 120.0]  # 2.5 × 40, 3.0 × 40 kWh
    assert out["valid"].to_list() == [True, True]
    assert flags_of(out, 0) == set()
    assert flags_of(out, 1) == set()


def test_cumulative_differences_and_baseline() -> None:
    out = run([("G1", 0, 1000, "cumulative"), ("G1", 1, 1010, "cumulative"), ("G1", 2, 1025, "cumulative")])
    assert out["energy"].to_list() == [None, 10.0, 15.0]
    assert flags_of(out, 0) == {"q_no_baseline"}
    assert out["valid"].to_list() == [False, True, True]


def test_rollover_near_the_top_derives_the_interval() -> None:
    out = run([("G1", 0, 999_990, "cumulative"), ("G1", 1, 999_998, "cumulative"), ("G1", 2, 5, "cumulative")])
    assert out["q_rollover"].to_list() == [False, False, True]
    assert out["energy"][2] == pytest.approx(7.0)  # 5 + 1 000 000 − 999 998
    assert out["valid"][2]


def test_decrease_away_from_the_top_is_a_reset() -> None:
    out = run([("G1", 0, 5000, "cumulative"), ("G1", 1, 5010, "cumulative"), ("G1", 2, 3, "cumulative"),
               ("G1", 3, 11, "cumulative")])
    assert out["q_reset"].to_list() == [False, False, True, False]
    assert out["energy"].to_list() == [None, 10.0, None, 8.0]
    assert out["valid"].to_list() == [False, True, False, True]


def test_decrease_near_top_but_not_to_near_zero_is_a_reset() -> None:
    out = run([("G1", 0, 999_990, "cumulative"), ("G1", 1, 500_000, "cumulative")])
    assert out["q_reset"][1]
    assert not out["q_rollover"][1]


def test_counter_without_rollover_max_only_resets() -> None:
    out = run([("G2", 0, 999_990, "cumulative"), ("G2", 1, 5, "cumulative")], ("G2", "U1", "cumulative", 1.0, None))
    assert out["q_reset"][1]
    assert not out["q_rollover"][1]


def test_unknown_future_off_grid_and_kind_mismatch() -> None:
    out = run([
        ("X9", 1, 1.0, "interval"),
        ("E1", NOW + Q, 1.0, "interval"),
        ("E1", T0 + timedelta(minutes=20), 1.0, "interval"),
        ("E1", 3, 1.0, "cumulative"),
    ])
    assert flags_of(out, 0) == {"q_unknown_meter"}
    assert flags_of(out, 1) == {"q_future"}
    assert flags_of(out, 2) == {"q_off_grid"}
    assert flags_of(out, 3) == {"q_kind_mismatch"}
    assert not out["valid"].any()
    assert out.height == 4  # nothing dropped


def test_idempotent_duplicate_and_conflict() -> None:
    out = run([
        ("E1", 1, 2.0, "interval"), ("E1", 1, 2.0, "interval"),   # same value twice
        ("E1", 2, 2.0, "interval"), ("E1", 2, 2.5, "interval"),   # conflict
        ("E1", 3, 2.0, "interval"),
    ])
    assert out["q_duplicate"].to_list() == [False, True, False, False, False]
    assert out["q_conflict"].to_list() == [False, False, True, True, False]
    assert out["valid"].to_list() == [True, False, False, False, True]
    # the conflicting interval is not usable, so the next valid reading follows a one-interval hole
    assert out["gap_intervals"][4] == 1


def test_gaps_in_interval_and_cumulative_series() -> None:
    rows: list[tuple[str, int | datetime, float, str]] = [
        ("E1", 1, 1.0, "interval"), ("E1", 4, 1.0, "interval"),
        ("G1", 0, 100, "cumulative"), ("G1", 1, 110, "cumulative"), ("G1", 4, 140, "cumulative"),
    ]
    out = run(rows)
    assert out["gap_intervals"].to_list() == [None, 2, None, 0, 2]
    assert out["q_gap_before"].to_list() == [False, True, False, False, True]
    assert out["energy"][4] == 30.0  # spans three intervals; total is right, row stays valid
    assert out["valid"][4]
    gaps = find_gaps(readings(rows), meters(M_INT, M_CUM), start=T0, end=ts(4))
    assert gaps.rows() == [("E1", ts(2)), ("E1", ts(3)), ("G1", ts(2)), ("G1", ts(3))]


def test_negative_interval_value() -> None:
    out = run([("E1", 1, -1.0, "interval"), ("E1", 2, 0.0, "interval")])
    assert flags_of(out, 0) == {"q_negative"}
    assert out["energy"].to_list() == [None, 0.0]
    assert out["valid"].to_list() == [False, True]


def test_spike_against_rolling_median_and_mad() -> None:
    # 9, 10, 11 repeating: median 10, MAD 1 → scale max(1.4826, 0.1 × 10) = 1.4826,
    # threshold 10 + 6 × 1.4826 = 18.9; 100 is a spike, 11 is not.
    values = [9.0, 10.0, 11.0] * 13
    values[20] = 100.0
    m = ("E2", "U1", "interval", 1.0, None)
    out = run([("E2", i + 1, v, "interval") for i, v in enumerate(values)], m, spike_min_samples=5)
    assert out["q_spike"].arg_true().to_list() == [20]
    assert not out["valid"][20]


def test_stuck_cumulative_only_while_other_meters_move() -> None:
    # stuck_hours = 1 → 4 zero deltas; A frozen for 5 intervals while B moves
    a = [100, 110, 120, 120, 120, 120, 120, 120, 130]
    b = [0, 10, 20, 30, 40, 50, 60, 70, 80]
    ms = (("A", "U1", "cumulative", 1.0, None), ("B", "U1", "cumulative", 1.0, None))
    rows: list[tuple[str, int | datetime, float, str]] = [("A", i, v, "cumulative") for i, v in enumerate(a)]
    out = run(rows + [("B", i, v, "cumulative") for i, v in enumerate(b)], *ms, stuck_hours=1)
    assert out.filter(pl.col("meter_id") == "A")["q_stuck"].arg_true().to_list() == [3, 4, 5, 6, 7]
    assert not out.filter(pl.col("meter_id") == "B")["q_stuck"].any()
    # when B is frozen over the same hours (the whole unit is idle), nothing is stuck
    b_idle = [0, 10, 20, 20, 20, 20, 20, 20, 30]
    out = run(rows + [("B", i, v, "cumulative") for i, v in enumerate(b_idle)], *ms, stuck_hours=1)
    assert not out["q_stuck"].any()


def test_stuck_interval_means_constant_non_zero_for_n_hours() -> None:
    m = ("E2", "U1", "interval", 1.0, None)
    vals = [1.0, 7.0, 7.0, 7.0, 7.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 3.0, 3.0, 4.0]
    out = run([("E2", i + 1, v, "interval") for i, v in enumerate(vals)], m, stuck_hours=1)
    assert out["q_stuck"].arg_true().to_list() == [1, 2, 3, 4]  # four 7s = 1 h; zeros and three 3s are fine


def test_interval_day_is_local_and_interval_ending() -> None:
    out = run([("E1", T0 + timedelta(days=1), 1.0, "interval"), ("E1", T0 + timedelta(days=1) + Q, 1.0, "interval")])
    assert out["day"].to_list() == [date(2025, 1, 1), date(2025, 1, 2)]
    assert out["interval_start_local"][0] == datetime(2025, 1, 1, 23, 45)


def test_completeness_per_meter_and_unit() -> None:
    rows: list[tuple[str, int | datetime, float, str]] = [("E1", i, 1 + i / 100, "interval") for i in range(1, 97) if i > 6]
    ms = meters(M_INT, ("E3", "U1", "interval", 1.0, None))
    rows_e3: list[tuple[str, int | datetime, float, str]] = [("E3", i, 1 + i / 100, "interval") for i in range(1, 97) if i > 10]
    out = validate_readings(readings(rows + rows_e3), ms, now=NOW)
    per_meter, per_unit = completeness(out, ms, first_day=date(2025, 1, 1), last_day=date(2025, 1, 1))
    got = {r["meter_id"]: (r["valid_intervals"], r["completeness"], r["meets_threshold"])
           for r in per_meter.iter_rows(named=True)}
    assert got["E1"] == (90, pytest.approx(90 / 96), True)    # 93.75 % ≥ 90 %
    assert got["E3"] == (86, pytest.approx(86 / 96), False)   # 89.58 % < 90 %
    assert per_unit.row(0, named=True)["completeness"] == pytest.approx(176 / 192)


def test_meter_without_readings_is_zero_complete() -> None:
    out = run([("E1", 1, 1.0, "interval")])
    per_meter, _ = completeness(out, meters(M_INT, M_CUM), first_day=date(2025, 1, 1), last_day=date(2025, 1, 2))
    assert per_meter.filter(pl.col("meter_id") == "G1")["completeness"].to_list() == [0.0, 0.0]


def test_naive_timestamps_are_refused() -> None:
    frame = readings([("E1", 1, 1.0, "interval")]).with_columns(pl.col("ts").dt.replace_time_zone(None))
    with pytest.raises(InputError, match="timezone-aware"):
        validate_readings(frame, meters(M_INT), now=NOW)


def test_missing_column_is_named() -> None:
    with pytest.raises(InputError, match="'kind'"):
        validate_readings(readings([]).drop("kind"), meters(M_INT), now=NOW)


@pytest.mark.parametrize(("table", "field", "match"), [
    (meters(M_INT, M_INT), "meter_id", "listed twice"),
    (meters(M_INT, ("E9", "U1", "interval", 0.0, None)), "multiplier", "multiplier must be > 0"),
    (meters(M_INT, ("E9", "U1", "instant", 1.0, None)), "kind", "interval or cumulative"),
])
def test_bad_meter_table_is_refused_naming_row_and_field(table: pl.DataFrame, field: str, match: str) -> None:
    with pytest.raises(InputError, match=match) as err:
        validate_readings(readings([("E1", 1, 1.0, "interval")]), table, now=NOW)
    assert err.value.location is not None
    assert (err.value.location.row, err.value.location.field) == (2, field)
