"""``tanfeng track status`` on an initialised temporary store (sample data loaded by init)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tanfeng.cli.main import app
from tanfeng.tracking.sample import LEAGUES


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("track-status")
    env = {"TANFENG_DATABASE_URL": f"sqlite:///{root / 'tanfeng.db'}", "TANFENG_DATA_DIR": str(root / "data")}
    result = CliRunner().invoke(app, ["init"], env=env)
    assert result.exit_code == 0, result.output
    return env


def _run(store: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(app, ["track", "status", *args], env=store)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_status_json_for_the_region_and_every_league(store: dict[str, str]) -> None:
    rows = json.loads(_run(store, "--year", "2025", "--format", "json"))
    assert [r["region"] for r in rows] == ["150000", *LEAGUES]
    region = rows[0]
    figures = {f["indicator"]: f for f in region["figures"]}
    # intensity at constant 2020 prices: 万tce / 亿元 = tce/万元, from the stored energy and GDP
    e, g = figures["energy_consumption"], figures["gdp"]
    assert g["unit"] == "亿元 (2020年不变价)"
    assert figures["energy_intensity"]["value"] == pytest.approx(e["value"] / g["value"], rel=1e-6)
    assert figures["energy_intensity"]["unit"] == "tce/万元"
    assert figures["non_fossil_energy_share"]["unit"] == "%"
    assert all(f["sample"] for f in region["figures"] if f["value"] is not None)
    # the 2025 assessment applies 1258号, 803号 and the 1310号 control regime, and says so
    applied = " ".join(region["rules_applied"])
    for doc in ("1258号", "803号", "1310号"):
        assert doc in applied
    # the region misses its 2025 non-fossil share target (18 %) in the sample's documented design
    nf = next(t for t in region["targets"] if t["target_id"] == "im2022.main.t2")
    assert (nf["target"], nf["status"]) == (18.0, "missed")


def test_status_table_marks_sample_data(store: dict[str, str]) -> None:
    out = _run(store, "--region", "150300", "--year", "2025")
    assert "示例数据" in out
    assert "乌海市" in out


def test_status_csv_has_units_and_sources(store: dict[str, str]) -> None:
    out = _run(store, "--region", "150000", "--year", "2025", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert {"unit", "source", "sample"} <= set(rows[0])
    energy = next(r for r in rows if r["indicator"] == "energy_consumption")
    assert energy["unit"] == "万tce"
    assert energy["source"].startswith("示例数据")
    assert any(r["kind"] == "target" for r in rows)


def test_status_year_outside_the_plan_is_a_clear_error(store: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["track", "status", "--year", "2035"], env=store)
    assert result.exit_code == 1
    assert "InputError" in result.output
    assert "2035" in result.output


def test_status_on_an_uninitialised_store_says_run_init(tmp_path: Path) -> None:
    env = {"TANFENG_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", "TANFENG_DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(app, ["track", "status"], env=env)
    assert result.exit_code == 1
    assert "tanfeng init" in result.output
