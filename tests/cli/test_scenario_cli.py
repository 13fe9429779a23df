"""``tanfeng scenario``: list, show, run, compare, export (IAMC read back with pandas), save."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from typer.testing import CliRunner

from tanfeng.cli.main import app

LEAGUES = {"150100", "150200", "150300", "150400", "150500", "150600", "150700", "150800", "150900", "152200",
           "152500", "152900"}


def test_list_gives_name_parent_description(env: Path, run: Callable[[list[str]], Any]) -> None:
    listed = run(["scenario", "list"])
    assert {s["name"]: s["parent"] for s in listed} == {"bau": None, "plan": "bau", "enhanced": "plan"}
    assert all(set(s) == {"name", "parent", "description"} for s in listed)


def test_run_json_shape(env: Path, run: Callable[[list[str]], Any]) -> None:
    out = run(["scenario", "run", "plan", "--draws", "200"])
    assert {"scenario", "base_year", "regions"} <= set(out)
    assert out["scenario"] == "plan"
    assert out["base_year"] == 2019
    assert out["electricity_accounting"] == "production"
    codes = [r["region"] for r in out["regions"]]
    assert codes[0] == "150000"
    assert set(codes[1:]) == LEAGUES
    region = out["regions"][0]
    assert set(region) == {"region", "peak_year", "peak_value_mtco2", "p_peak_by_2030", "base_year_mtco2",
                           "emissions"}
    assert abs(region["base_year_mtco2"] - 794.279) < 5e-4  # CEADs 2019 total (reference/data/ceads/README.md)
    assert [e["year"] for e in region["emissions"]] == list(range(2020, 2061))
    assert set(region["emissions"][0]) == {"year", "mtco2", "low", "high"}


def test_consumption_view_is_stated_and_lower(env: Path, run: Callable[[list[str]], Any]) -> None:
    prod = run(["scenario", "run", "bau", "--draws", "50"])
    cons = run(["scenario", "run", "bau", "--draws", "50", "--view", "consumption"])
    assert cons["electricity_accounting"] == "consumption"
    assert cons["regions"][0]["base_year_mtco2"] < prod["regions"][0]["base_year_mtco2"]


def test_show_ties_levers_to_plan_targets(env: Path, run: Callable[[list[str]], Any]) -> None:
    shown = run(["scenario", "show", "plan"])
    levers = {lv["id"]: lv for lv in shown["levers"]}
    assert levers["supply_coal_rate_305"]["target"] == "im2022.a02.m2.t2"
    assert levers["supply_coal_rate_305"]["target_value"] == 305  # the plan's 305 克标准煤/千瓦时
    assert levers["new_type_storage"]["target_unit"] == "万千瓦"


def test_compare_wedges(env: Path, run: Callable[[list[str]], Any]) -> None:
    out = run(["scenario", "compare", "plan", "enhanced", "--draws", "50"])
    assert out["scenarios"] == ["plan", "enhanced"]
    wedges = {w["lever"]: w for w in out["wedges"]}
    assert wedges["ccus_coal_power"]["mtco2_2030"][0] == 0.0  # not a lever of plan
    assert wedges["ccus_coal_power"]["mtco2_2060"][1] < 0


def test_export_iamc_reads_back_in_iamc_columns(env: Path, run: Callable[[list[str]], Any]) -> None:
    out_file = env / "plan.csv"
    res = run(["scenario", "export", "plan", "--to", "iamc", "--out", str(out_file), "--draws", "50"])
    assert res["rows"] > 0
    frame = pd.read_csv(out_file)
    assert list(frame.columns) == ["model", "scenario", "region", "variable", "unit", "year", "value"]
    wide = frame.pivot_table(index=["model", "scenario", "region", "variable", "unit"], columns="year",
                             values="value")
    assert ("tanfeng", "plan", "CN|150000", "Emissions|CO2|Production-based", "Mt CO2/yr") in wide.index
    assert wide.columns.min() == 2020
    assert ("tanfeng", "plan", "CN|150600", "Energy|Fossil Fuel Use|transport", "Mtce/yr") in wide.index
    xlsx = env / "plan.xlsx"
    run(["scenario", "export", "plan", "--to", "xlsx", "--out", str(xlsx), "--draws", "50"])
    with pd.ExcelFile(xlsx) as book:
        assert set(book.sheet_names) >= {"iamc", "leagues", "targets", "about"}


def test_save_versions_and_refuses_bad_files(env: Path, run: Callable[[list[str]], Any]) -> None:
    good = env / "mine.yaml"
    good.write_text("name: mine\ntitle_zh: 我的\ntitle_en: Mine\nparent: plan\ndescription: test\n", encoding="utf-8")
    assert run(["scenario", "save", str(good)]) == {"name": "mine", "version": 1, "changed": True}
    assert run(["scenario", "save", str(good)])["changed"] is False
    bad = env / "bad.yaml"
    bad.write_text("name: mine\ntitle_zh: 我的\ntitle_en: Mine\nparent: nowhere\ndescription: test\n",
                   encoding="utf-8")
    r = CliRunner().invoke(app, ["scenario", "save", str(bad)])
    assert r.exit_code == 1
    assert "nowhere" in r.output
    assert {s["name"]: s["parent"] for s in run(["scenario", "list"])}["mine"] == "plan"
    good.write_text(good.read_text(encoding="utf-8").replace("description: test", "description: second"),
                    encoding="utf-8")
    assert run(["scenario", "save", str(good), "--actor", "analyst"])["version"] == 2
    versions = run(["scenario", "history", "mine"])
    assert [(v["version"], v["entered_by"], v["superseded_at"] is None) for v in versions] == [
        (1, "cli", False), (2, "analyst", True)]


def test_unknown_scenario_is_not_found(env: Path) -> None:
    r = CliRunner().invoke(app, ["scenario", "run", "nope"])
    assert r.exit_code == 1
    assert "NotFoundError" in r.output


def test_calibration_reports_the_2015_backcast_error(env: Path, run: Callable[[list[str]], Any]) -> None:
    out = run(["scenario", "calibration"])
    assert out["base_year"] == 2019
    total = next(s for s in out["backcast"]["sectors"] if s["sector"] == "total")
    assert abs(total["ceads_mtco2"] - 601.546) < 1e-3  # CEADs 2015 total
    assert total["error_mtco2"] == round(total["backcast_mtco2"] - total["ceads_mtco2"], 6)
    assert max(abs(r["residual_mtco2"]) for r in out["residuals"]) < 1e-5
