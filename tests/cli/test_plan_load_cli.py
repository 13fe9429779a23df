"""``tanfeng plan extract --out``, ``plan review`` and ``plan load``: a published text to a stored plan.

The text is 《山东省碳达峰实施方案》's 主要目标 (tests/plan/texts); its five targets were read off it by hand.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from tanfeng.cli.main import app

TEXTS = Path(__file__).parents[1] / "plan" / "texts"
REVIEWS = Path(__file__).parents[1] / "plan" / "reviews"
SHANDONG = TEXTS / "shandong_2022_main_targets.txt"

# (year, comparator, value, unit, baseline_year) of the five targets, read off the text
SHANDONG_TARGETS = [(2025, "≈", 13, "%", None), (2025, "decrease_by", 14.5, "%", 2020),
                    (2025, "decrease_by", 20.5, "%", 2020), (2030, "≈", 20, "%", None),
                    (2030, "decrease_by", 68, "%", 2005)]


def _extract(tmp_path: Path) -> Path:
    out = tmp_path / "draft" / "sd.yaml"
    r = CliRunner().invoke(app, ["plan", "extract", str(SHANDONG), "--region", "370000", "--id", "sd2022",
                                 "--title", "山东省碳达峰实施方案", "--out", str(out)])
    assert r.exit_code == 0, r.output
    return out


def test_extract_out_writes_an_unreviewed_draft_with_confidence_and_spans(tmp_path: Path) -> None:
    out = _extract(tmp_path)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 未审核")
    data = yaml.safe_load(text)
    assert data["status"] == "unreviewed"
    assert data["region"] == "370000"
    got = [(t["year"], t["comparator"], t["value"], t["unit"], t.get("baseline_year")) for t in data["targets"]]
    assert got == SHANDONG_TARGETS
    source = (out.parent / data["source_file"]).read_text(encoding="utf-8")
    for t in data["targets"]:
        assert 0 < t["confidence"] <= 1
        span = t["source"]
        assert source[span["start"]:span["end"]] == t["source_text"]
        assert span["line"] == 3 if t["year"] == 2025 else span["line"] == 5


def test_load_a_draft_then_a_reviewed_version(env: Path, tmp_path: Path,
                                                run: Callable[[list[str]], Any]) -> None:
    out = _extract(tmp_path)
    first = run(["plan", "load", str(out)])
    assert (first["plan_id"], first["status"], first["version"], first["changed"]) == (
        "sd2022", "unreviewed", 1, True)
    again = run(["plan", "load", str(out)])
    assert (again["version"], again["changed"]) == (1, False)  # the same file adds nothing
    reviewed = tmp_path / "draft" / "sd.reviewed.yaml"
    r = CliRunner().invoke(app, ["plan", "review", str(out), str(REVIEWS / "shandong_2022_review.yaml"),
                                 "--out", str(reviewed)])
    assert r.exit_code == 0, r.output
    second = run(["plan", "load", str(reviewed)])
    assert (second["status"], second["version"], second["changed"], second["targets"]) == ("reviewed", 2, True, 5)
    trail = run(["audit", "log", "--entity", "plan"])
    assert [e["action"] for e in trail if e["entity_id"] == "sd2022"][:2] in (["insert", "replace"],
                                                                              ["replace", "insert"])


def test_an_invalid_plan_file_is_refused_with_file_line_and_field(env: Path, tmp_path: Path) -> None:
    out = _extract(tmp_path)
    lines = out.read_text(encoding="utf-8").splitlines()
    k = next(i for i, ln in enumerate(lines) if ln.strip() == "comparator: ≈")
    lines[k] = lines[k].replace("≈", "about")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["plan", "load", str(out)])
    assert r.exit_code == 1
    err = " ".join(r.stderr.split())  # the console wraps long lines
    assert err.startswith("PlanFileError:")
    assert f"{out}, line {k + 1}, field 'targets.0.comparator'" in err


def test_plan_help_names_the_steps() -> None:
    r = CliRunner().invoke(app, ["plan", "--help"])
    assert r.exit_code == 0
    for word in ("extract", "review", "load"):
        assert word in r.stdout


def test_extract_published_reads_earlier_years_as_the_past(tmp_path: Path) -> None:
    text = tmp_path / "plan.txt"
    text.write_text("“十三五”期间,非化石能源消费比重达到12%。到2025年,非化石能源消费比重达到15%。\n", encoding="utf-8")
    out = tmp_path / "d.yaml"
    r = CliRunner().invoke(app, ["plan", "extract", str(text), "--region", "640000", "--published", "2022-07",
                                 "--out", str(out), "--format", "json"])
    assert r.exit_code == 0, r.output
    draft = json.loads(r.stdout)
    assert [(t["year"], t["value"]) for t in draft["targets"]] == [(2025, 15)]
    assert [(s["reason"]["code"], s["match_text"]) for s in draft["scopes"]] == [("past_value", "12%")]
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["published"] == "2022-07"
    bad = CliRunner().invoke(app, ["plan", "extract", str(text), "--published", "July 2022"])
    assert bad.exit_code != 0
    assert "--published" in bad.output
