"""The responsibility score without a database, recomputed by hand from the shipped rules file."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from importlib import resources

import pytest

from tanfeng.enterprises.responsibility import DayQuality, ReportFacts, load_rules, parse_rules, score
from tanfeng.errors import InputError


def _file() -> str:
    return (resources.files("tanfeng.reference").joinpath("data", "assessment", "responsibility_rules.csv")
            .read_text(encoding="utf-8"))


def _weights_and_thresholds() -> tuple[dict[str, float], dict[str, float], list[tuple[str, float]]]:
    rows = list(csv.DictReader(_file().splitlines()))
    weights = {r["key"]: float(r["weight"]) for r in rows if r["kind"] == "criterion"}
    thresholds = {r["key"]: float(r["threshold"]) for r in rows if r["kind"] == "criterion"}
    bands = sorted(((r["key"], float(r["threshold"])) for r in rows if r["kind"] == "grade"), key=lambda b: -b[1])
    return weights, thresholds, bands


def _grade(total: float, bands: list[tuple[str, float]]) -> str:
    return next(name for name, lo in bands if total >= lo)


def _score(**kw: object) -> tuple[float, str, dict[str, dict[str, object]]]:
    rules, grades, _ = load_rules()
    res = score(rules, grades, **kw)  # type: ignore[arg-type]
    return res.score, res.grade, {c["criterion"]: c for c in res.criteria}


def test_everything_met_earns_every_weight() -> None:
    weights, thresholds, bands = _weights_and_thresholds()
    # submitted 1 March 2025: within the file's deadline (threshold days after 31 December 2024)
    assert thresholds["report_on_time"] >= 60
    report = ReportFacts(energy_tce=726.59, submitted_at=datetime(2025, 3, 1, tzinfo=UTC), measures=1)
    # 10 days with data, 9 reach the completeness rule: 90 % of the days
    days = [DayQuality(96, True)] * 9 + [DayQuality(50, False)] + [DayQuality(0, False)] * 5
    total, grade, by = _score(year=2024, budget_tce=1000.0, report=report, days=days, completeness=0.9)
    assert thresholds["data_quality"] <= 0.9
    assert total == sum(weights.values()) == 100
    assert grade == _grade(100, bands)
    assert by["target_met"]["reason"] == "reported 726.6 tce against a budget of 1,000.0 tce (72.7%)"
    assert by["data_quality"]["reason"] == "90.0% of 10 days with data reach 90% completeness (rule: ≥ 90%)"
    # 1 January 2025 00:00 + 90 days (31 + 28 + 31) = 1 April 2025
    assert by["report_on_time"]["reason"] == "submitted 2025-03-01, deadline 2025-04-01"


def test_budget_and_measures_only() -> None:
    weights, _, bands = _weights_and_thresholds()
    report = ReportFacts(energy_tce=1200.0, submitted_at=None, measures=2)
    total, grade, by = _score(year=2024, budget_tce=1500.0, report=report, days=[], completeness=0.9)
    expected = weights["target_met"] + weights["measures"]
    assert total == expected
    assert grade == _grade(expected, bands)
    assert by["report_on_time"]["points"] == 0.0
    assert by["report_on_time"]["reason"] == "energy report for 2024 not submitted"
    assert by["data_quality"]["reason"] == "no online data for 2024"


def test_over_budget_late_and_no_measures_earns_nothing_but_data_quality() -> None:
    weights, _, bands = _weights_and_thresholds()
    report = ReportFacts(energy_tce=1001.0, submitted_at=datetime(2025, 6, 30, tzinfo=UTC), measures=0)
    days = [DayQuality(96, True)] * 3
    total, grade, by = _score(year=2024, budget_tce=1000.0, report=report, days=days, completeness=0.9)
    assert total == weights["data_quality"]
    assert grade == _grade(total, bands)
    assert by["target_met"]["met"] is False
    assert by["measures"]["reason"] == "0 measure(s) reported (rule: ≥ 1)"


def test_nothing_to_assess() -> None:
    _, _, bands = _weights_and_thresholds()
    total, grade, by = _score(year=2024, budget_tce=None, report=None, days=[], completeness=0.9)
    assert total == 0.0
    assert grade == _grade(0.0, bands)
    assert by["target_met"]["reason"] == "no energy budget set for 2024"


def test_the_digest_names_the_rules_text() -> None:
    text = _file()
    _, _, digest = parse_rules(text)
    assert digest == load_rules()[2]
    assert len(digest) == 64
    assert parse_rules(text.replace("criterion,measures,15,1", "criterion,measures,15,2"))[2] != digest


def test_bad_rules_files_are_refused_with_their_line() -> None:
    text = _file()
    with pytest.raises(InputError, match="weights must sum to 100"):
        parse_rules(text.replace("criterion,measures,15,1", "criterion,measures,16,1"), "rules.csv")
    with pytest.raises(InputError) as err:
        parse_rules(text.replace("criterion,measures,15,1", "criterion,measures,fifteen,1"), "rules.csv")
    assert err.value.location is not None
    assert (err.value.location.file, err.value.location.line) == ("rules.csv", 5)
    with pytest.raises(InputError, match="not criterion or grade"):
        parse_rules(text + "bonus,x,1,1,x,x\n", "rules.csv")
