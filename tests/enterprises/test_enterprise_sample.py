"""The sample population: deterministic, marked as sample data, and validation finds exactly its faults."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest

from tanfeng.enterprises.registry import IM_LEAGUE_CODES, KeyUnit, validate_credit_code
from tanfeng.enterprises.sample import Sample, SampleParams, generate
from tanfeng.monitoring.validate import completeness, find_gaps, validate_readings

SMALL = SampleParams(n_units=20, meters_per_unit=5, days=3, faults_per_kind=2)
FLAG_OF = {"spike": "q_spike", "negative": "q_negative", "stuck": "q_stuck", "reset": "q_reset",
           "rollover": "q_rollover", "duplicate": "q_duplicate", "conflict": "q_conflict", "future": "q_future",
           "unknown_meter": "q_unknown_meter"}


@pytest.fixture(scope="module")
def sample() -> Sample:
    return generate(SMALL)


@pytest.fixture(scope="module")
def flagged(sample: Sample) -> pl.DataFrame:
    return validate_readings(sample.readings, sample.meters, now=sample.end)


def test_same_seed_same_data(sample: Sample) -> None:
    again = generate(SMALL)
    assert again.readings.equals(sample.readings)
    assert again.faults.equals(sample.faults)
    other = generate(SampleParams(n_units=20, meters_per_unit=5, days=3, faults_per_kind=2, seed=1))
    assert not other.readings.equals(sample.readings)


def test_every_frame_is_marked_as_sample(sample: Sample) -> None:
    for frame in (sample.units, sample.meters, sample.readings):
        assert frame["sample"].all()


def test_sizes(sample: Sample) -> None:
    assert sample.units.height == 20
    assert sample.meters.height == 100
    # 3 days × 96 intervals; cumulative meters add a baseline reading
    assert sample.meters["kind"].value_counts().sort("kind").rows() == [("cumulative", 60), ("interval", 40)]


def test_units_are_valid_registry_entries(sample: Sample) -> None:
    for row in sample.units.iter_rows(named=True):
        assert validate_credit_code(row["unit_code"]) == row["unit_code"]
        assert row["league"] in IM_LEAGUE_CODES
        KeyUnit(code=row["unit_code"], name=row["name"], league=row["league"], county=row["county"],
                industry=row["industry"], level=row["level"], products=(row["product"],), sample=True)


@pytest.mark.parametrize("kind", list(FLAG_OF))
def test_validation_finds_exactly_the_injected_faults(sample: Sample, flagged: pl.DataFrame, kind: str) -> None:
    got = flagged.filter(pl.col(FLAG_OF[kind])).select("meter_id", "ts").unique().sort("meter_id", "ts")
    injected = sample.faults.filter(pl.col("kind") == kind).select("meter_id", "ts").unique().sort("meter_id", "ts")
    assert injected.height > 0
    assert got.rows() == injected.rows()


def test_find_gaps_finds_exactly_the_removed_readings(sample: Sample) -> None:
    gaps = find_gaps(sample.readings, sample.meters, start=sample.start, end=sample.end)
    injected = sample.faults.filter(pl.col("kind") == "gap").select("meter_id", "ts").sort("meter_id", "ts")
    assert gaps.rows() == injected.rows()


def test_meters_without_faults_are_complete(sample: Sample, flagged: pl.DataFrame) -> None:
    last_day = sample.end.date() - timedelta(days=1)
    per_meter, _ = completeness(flagged, sample.meters, first_day=sample.start.date(), last_day=last_day)
    faulty = set(sample.faults["meter_id"].to_list())
    clean = per_meter.filter(~pl.col("meter_id").is_in(list(faulty)))
    assert clean.height == (100 - len(faulty & set(sample.meters["meter_id"].to_list()))) * 3
    assert clean["completeness"].min() == 1.0


def test_too_few_meters_for_the_faults_is_an_input_error() -> None:
    from tanfeng.enterprises.sample import SampleParams, generate
    from tanfeng.errors import InputError

    with pytest.raises(InputError, match="too few meters") as info:
        generate(SampleParams(n_units=6, meters_per_unit=4, days=1))
    assert info.value.location is not None
    assert info.value.location.field == "meters_per_unit"
