"""``tanfeng power``: list, build, run, compare and export, in the JSON shapes of issue 12.

Short horizons (24 hours) of the shipped two-grid study; the year-long runs belong to the benchmark.
Channel flows are checked against channels.csv: the sink takes p_nom × utilisation × hours.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypsa
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tanfeng.cli.main import app

RUN_KEYS = {"study", "year", "snapshots", "objective", "co2_mt", "renewable_share_pct", "curtailment_rate_pct",
            "curtailment_by_carrier", "channels", "solve_seconds"}


def test_list_has_the_two_grid_studies(run: Callable[[list[str]], Any]) -> None:
    ids = {s["id"]: s for s in run(["power", "list"])}
    assert ids["im2g-2025"]["year"] == 2025
    assert ids["im2g-2030"]["topology"] == "two_grid"
    assert "synthetic" in ids["im2g-2025"]["note"]


def test_build_describes_the_network(run: Callable[[list[str]], Any]) -> None:
    net = run(["power", "build", "im2g-2025", "--hours", "24"])
    assert {b["name"] for b in net["buses"]} >= {"west", "east", "ext:mengxi_jjj"}
    assert net["capacity_mw"]["battery"] == pytest.approx(5000.0)  # plan: 500万千瓦 by 2025
    assert net["snapshots"] == 24


def test_run_prints_the_issue_shape(run: Callable[[list[str]], Any]) -> None:
    out = run(["power", "run", "im2g-2025", "--hours", "24"])
    assert set(out) == RUN_KEYS
    assert out["snapshots"] == 24
    flows = {c["name"]: c["flow_twh"] for c in out["channels"]}
    assert flows["shanghaimiao_linyi"] == pytest.approx(10000 * 0.58 * 24 / 1e6)
    assert flows["mengxi_jjj"] == pytest.approx(8000 * 0.50 * 24 / 1e6)
    share = {c["name"]: c["renewable_share_pct"] for c in out["channels"]}
    assert share["mengxi_jjj"] >= 50.0 - 1e-6
    assert set(out["curtailment_by_carrier"]) == {"wind", "solar", "hydro"}


def test_a_run_says_on_stderr_what_it_solves_and_when_it_is_done() -> None:
    # a year-long solve takes minutes: the person at the terminal sees it started and ended (stdout stays JSON)
    result = CliRunner().invoke(app, ["power", "run", "im2g-2025", "--hours", "24", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "solving im2g-2025: 24 h from hour 0" in result.stderr
    assert "solved in" in result.stderr
    assert "solving" not in result.stdout


def test_compare_has_one_row_per_measure_with_changes(run: Callable[[list[str]], Any]) -> None:
    full = run(["power", "run", "im2g-2025", "--hours", "24"])
    rows = run(["power", "compare", "im2g-2025", "--hours", "24"])
    assert [r["measure_off"] for r in rows] == ["storage", "pumped_storage", "flex_retrofit", "demand_response",
                                               "channel_re_share", "chp_heat"]
    for r in rows:
        assert set(r) >= RUN_KEYS
        assert r["delta_objective"] == pytest.approx(r["objective"] - full["objective"], abs=0.02)
        tolerance = 1e-6 * full["objective"]
        if r["measure_off"] in ("channel_re_share", "chp_heat"):
            # dropping a constraint can only make the optimum cheaper or leave it
            assert r["delta_objective"] <= tolerance
        else:
            # removing storage, flexibility or demand response only shrinks the feasible set
            assert r["delta_objective"] >= -tolerance


def test_export_excel_and_netcdf(tmp_path: Path, run: Callable[[list[str]], Any]) -> None:
    xlsx, nc = tmp_path / "s.xlsx", tmp_path / "s.nc"
    assert run(["power", "export", "im2g-2025", "--hours", "24", "--to", str(xlsx)])["format"] == "xlsx"
    assert run(["power", "export", "im2g-2025", "--hours", "24", "--to", str(nc)])["format"] == "nc"
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["说明", "结果", "通道", "逐时出力"]
    assert "synthetic" in str(wb["说明"]["A3"].value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        n = pypsa.Network(nc)
    assert len(n.snapshots) == 24
    assert "channel:mengxi_jjj" in n.links.index


def test_unknown_study_and_bad_export_type_fail_with_a_message() -> None:
    r = CliRunner().invoke(app, ["power", "run", "nope", "--hours", "24"])
    assert r.exit_code == 1
    assert "im2g-2025" in r.output
    r = CliRunner().invoke(app, ["power", "export", "im2g-2025", "--to", "x.pdf"])
    assert r.exit_code == 1
    assert ".xlsx or .nc" in r.output


def test_run_with_real_profiles_and_details(tmp_path: Path, run: Callable[[list[str]], Any]) -> None:
    cf = tmp_path / "cf.csv"
    cf.write_text("hour,west:wind,east:wind,base_mengxi_jjj:wind\n" + "".join(f"{h},0,0,0.5\n" for h in range(8760)),
                  encoding="utf-8")
    out = run(["power", "run", "im2g-2025", "--hours", "24", "--profiles", str(cf), "--detail"])
    # only the channel base keeps wind: 6,000 MW (capacity.csv) × 0.5 × 24 h
    assert out["available_twh"]["wind"] == pytest.approx(6000 * 0.5 * 24 / 1e6)
    assert out["available_twh"]["solar"] > 0.0  # solar keeps its synthetic profile
    assert set(out["storage_cycles"]) == {"battery", "phs", "demand_response"}
