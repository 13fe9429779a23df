"""``tanfeng projects`` and ``tanfeng assess`` on an initialised store (the sample project list is loaded by
init): the JSON shapes of the issue, import/export, the 两高 list, a weight changed in a copy of the rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tanfeng.cli.main import app
from tanfeng.tracking.sample import LEAGUES

REVIEW_KEYS = {"project", "level", "impact_class", "increment_share_pct", "intensity_effect_pct", "co2_t",
               "efficiency_level", "suspended", "rules"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("projects")
    env = {"TANFENG_DATABASE_URL": f"sqlite:///{root / 'tanfeng.db'}", "TANFENG_DATA_DIR": str(root / "data")}
    result = CliRunner().invoke(app, ["init"], env=env)
    assert result.exit_code == 0, result.output
    return env


def _json(store: dict[str, str], *args: str) -> object:
    result = CliRunner().invoke(app, [*args, "--format", "json"], env=store)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_review_json_has_the_issue_shape(store: dict[str, str]) -> None:
    out = _json(store, "projects", "review", "SAMPLE-150600-01")
    assert isinstance(out, dict)
    assert set(out) == REVIEW_KEYS
    assert out["level"] == "region"
    assert all(set(r) == {"id", "document"} for r in out["rules"])


def test_sample_two_high_project_in_a_level_one_league_is_suspended(store: dict[str, str]) -> None:
    # the sample's 乌海市 (150300) has its energy intensity rising in 2025: 629号 一级
    out = _json(store, "projects", "review", "SAMPLE-150300-01")
    assert isinstance(out, dict)
    assert out["suspended"] is True
    assert any(r["id"] == "suspension_629" for r in out["rules"])


def test_exempt_sample_project(store: dict[str, str]) -> None:
    out = _json(store, "projects", "review", "SAMPLE-150600-04")
    assert isinstance(out, dict)
    assert out["level"] == "exempt"


def test_list_and_two_high_list(store: dict[str, str]) -> None:
    rows = _json(store, "projects", "list", "--league", "150600")
    assert isinstance(rows, list)
    assert {r["league"] for r in rows} == {"150600"}
    assert all(r["sample"] for r in rows)
    th = _json(store, "projects", "list-two-high", "--stage", "存量")
    assert isinstance(th, list)
    assert th
    assert all(r["project"]["stage"] == "存量" for r in th)


def test_export_then_import_changes_nothing(store: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "清单.xlsx"
    _json(store, "projects", "export", str(path))
    out = _json(store, "projects", "import", str(path))
    assert isinstance(out, dict)
    assert (out["inserted"], out["updated"], out["unchanged"]) == (0, 0, 12)


def test_assess_leagues_json_shape_and_a_weight_changed_in_a_copy(store: dict[str, str], tmp_path: Path) -> None:
    rows = _json(store, "assess", "leagues", "--year", "2025")
    assert isinstance(rows, list)
    assert sorted(r["league"] for r in rows) == sorted(LEAGUES)
    assert all(set(r) == {"league", "score", "rank", "result", "points"} for r in rows)
    assert all(set(p) == {"indicator", "weight", "score", "reason"} for r in rows for p in r["points"])
    for r in rows:
        assert r["score"] == pytest.approx(sum(p["score"] for p in r["points"]))
    src = Path(__file__).parents[2] / "src/tanfeng/assessment/data/league_assessment.yaml"
    copy = tmp_path / "rules.yaml"
    copy.write_text(src.read_text(encoding="utf-8").replace(
        "  - id: energy_intensity\n    label: 能耗强度降低 (双控)\n    weight: 25",
        "  - id: energy_intensity\n    label: 能耗强度降低 (双控)\n    weight: 35"), encoding="utf-8")
    changed = _json(store, "assess", "leagues", "--year", "2025", "--rules", str(copy))
    assert isinstance(changed, list)
    before = {r["league"]: r for r in rows}
    for r in changed:
        level_pts = next(p for p in before[r["league"]]["points"] if p["indicator"] == "energy_intensity")["score"]
        # the intensity points scale with the weight: 25 → 35 multiplies them by 35/25
        assert r["score"] == pytest.approx(before[r["league"]]["score"] + level_pts * (35 / 25 - 1), abs=0.011)


def test_assessment_stored_and_history(store: dict[str, str]) -> None:
    _json(store, "assess", "leagues", "--year", "2025", "--store")
    _json(store, "assess", "leagues", "--year", "2025", "--store")
    hist = _json(store, "assess", "history", "--league", "150100")
    assert isinstance(hist, list)
    assert [(h["year"], h["version"]) for h in hist] == [(2025, 2)]
