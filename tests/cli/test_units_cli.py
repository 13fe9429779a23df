"""``tanfeng units``: list, show, load-sample (示例数据), assess."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tanfeng.cli.main import app


def test_load_sample_then_list_and_show(env: Path, run: Callable[[list[str]], Any]) -> None:
    loaded = run(["units", "load-sample", "--units", "3", "--days", "1"])
    assert loaded["units"] == 3
    assert loaded["notice"].startswith("示例数据")
    again = run(["units", "load-sample", "--units", "3", "--days", "1"])
    assert again["duplicate_batches"] == again["batches"]
    listed = run(["units", "list"])
    assert len(listed) == 3
    assert all(u["sample"] and "示例数据" in u["notice"] for u in listed)
    league = listed[0]["league"]
    assert all(u["league"] == league for u in run(["units", "list", "--league", league]))
    shown = run(["units", "show", listed[0]["code"]])
    assert len(shown["meter_list"]) == 20
    table = CliRunner().invoke(app, ["units", "list"])
    assert table.exit_code == 0
    assert "示例数据" in table.stdout


def test_unknown_unit_is_an_error(env: Path, run: Callable[[list[str]], Any]) -> None:
    r = CliRunner().invoke(app, ["units", "show", "91150202MA00000011"])
    assert r.exit_code == 1
    assert "NotFoundError" in r.output


def test_assess_gives_reasons(env: Path, run: Callable[[list[str]], Any]) -> None:
    listed = run(["units", "load-sample", "--units", "1", "--days", "1"])
    assert listed["units"] == 1
    code = run(["units", "list"])[0]["code"]
    res = run(["units", "assess", code, "--year", "2025"])
    assert {c["criterion"] for c in res["criteria"]} == {"target_met", "report_on_time", "data_quality", "measures"}
    assert res["notice"].startswith("示例数据")
