"""``tanfeng init`` and ``tanfeng regions``, invoked through a small typer app built on the root command class."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tanfeng.cli import admin
from tanfeng.cli.main import _Root

LEAGUES = {"150100", "150200", "150300", "150400", "150500", "150600", "150700", "150800", "150900",
           "152200", "152500", "152900"}


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("TANFENG_DATABASE_URL", f"sqlite:///{tmp_path / 'tanfeng.db'}")
    monkeypatch.setenv("TANFENG_DATA_DIR", str(tmp_path / "data"))
    a = typer.Typer(cls=_Root)
    a.command("init")(admin.init)
    a.command("regions")(admin.regions)
    return a


def test_init_loads_inner_mongolia_and_its_leagues(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert "regions: 147 added" in result.output
    assert "plan im2022" in result.output
    assert (tmp_path / "data" / "series" / "reference_statistics.parquet").is_file()
    out = CliRunner().invoke(app, ["regions", "--parent", "150000", "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert {r["code"] for r in rows} == LEAGUES
    wlcb = next(r for r in rows if r["code"] == "150900")
    assert (wlcb["name_zh"], wlcb["legacy_codes"]) == ("乌兰察布市", ["152600"])
    province = json.loads(CliRunner().invoke(app, ["regions", "--level", "province", "--format", "json"]).stdout)
    assert next(r for r in province if r["code"] == "150000")["name_zh"] == "内蒙古自治区"


def test_second_init_changes_nothing_and_says_so(app: typer.Typer) -> None:
    assert CliRunner().invoke(app, ["init"]).exit_code == 0
    again = CliRunner().invoke(app, ["init", "--format", "json"])
    assert again.exit_code == 0, again.output
    report = json.loads(again.stdout)
    assert report["changed"] is False
    assert (report["regions_inserted"], report["regions_unchanged"]) == (0, 147)
    assert report["series_written"] is False
    assert all(not p["changed"] and p["version"] == 1 for p in report["plans"])
    text = CliRunner().invoke(app, ["init"]).output
    assert "nothing changed" in text


def test_regions_legacy_parent_and_csv(app: typer.Typer) -> None:
    CliRunner().invoke(app, ["init"])
    out = CliRunner().invoke(app, ["regions", "--parent", "152600", "--format", "csv"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("code,name_zh")
    assert any(line.startswith("150902,集宁区") for line in lines)
    assert len(lines) == 1 + 11  # 乌兰察布市: 集宁区 + 5 县 + 4 旗 + 丰镇市


def test_regions_before_init_says_to_run_init(app: typer.Typer) -> None:
    out = CliRunner().invoke(app, ["regions"])
    assert out.exit_code == 1
    assert "StoreError" in out.output
    assert "tanfeng init" in out.output


def test_unknown_parent_and_bad_level(app: typer.Typer) -> None:
    CliRunner().invoke(app, ["init"])
    out = CliRunner().invoke(app, ["regions", "--parent", "999999"])
    assert out.exit_code == 1
    assert "UnknownRegionError" in out.output
    out = CliRunner().invoke(app, ["regions", "--level", "city"])
    assert out.exit_code == 1
    assert "InputError" in out.output
