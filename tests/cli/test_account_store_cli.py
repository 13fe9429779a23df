"""``tanfeng account inventory|enterprise --store``, ``account runs`` and ``account explain`` on a SQLite store.

Expected values from published factors (sources in tests/golden/accounting/): raw coal 1.9003 tCO2/t and
diesel 3.0959 tCO2/t (China default table), raw coal 0.7143 kgce/kg (GB/T 2589-2008 附录A).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tanfeng.cli.main import app
from tanfeng.store import upgrade


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'tanfeng.db'}"
    upgrade(url)
    monkeypatch.setenv("TANFENG_DATABASE_URL", url)
    return url


def _run(args: list[str]) -> Any:
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    return r


def _json(args: list[str]) -> Any:
    return json.loads(_run([*args, "--format", "json"]).stdout)


def test_inventory_store_prints_the_run_id_and_runs_lists_it(database: str, tmp_path: Path) -> None:
    bal = tmp_path / "b.csv"
    bal.write_text("项目,原煤(万吨)\n一次能源生产量,10\n工业,10\n", encoding="utf-8")
    data = _json(["account", "inventory", "--balance", str(bal), "--region", "150000", "--year", "2022", "--store"])
    run_id = data["run_id"]
    assert isinstance(run_id, int)
    assert data["totals"][0]["energy_sectoral"] == pytest.approx(100_000 * 1.9003, rel=1e-12)  # 10 万吨 × 1.9003
    assert data["totals"][0]["energy_tce"] == pytest.approx(100_000 * 0.7143, rel=1e-12)  # 10 万吨 × 0.7143
    table = _run(["account", "inventory", "--balance", str(bal), "--region", "150000", "--year", "2022", "--store"])
    assert f"stored as accounting run {run_id + 1}" in table.stdout
    runs = _json(["account", "runs", "--kind", "inventory"])
    assert [r["id"] for r in runs] == [run_id, run_id + 1]
    assert runs[0]["source_name"] == "b.csv"
    assert runs[0]["created_by"] == "cli"
    csv_out = _run(["account", "runs", "--format", "csv"]).stdout
    assert csv_out.lstrip("\ufeff").startswith("id,kind,region")


def test_explain_a_stored_line(database: str, tmp_path: Path) -> None:
    bal = tmp_path / "b.csv"
    bal.write_text("项目,原煤(万吨)\n一次能源生产量,10\n工业,10\n", encoding="utf-8")
    run_id = _json(["account", "inventory", "--balance", str(bal), "--region", "150000", "--year", "2022",
                    "--store"])["run_id"]
    ex = _json(["account", "explain", str(run_id), "--line", "1"])
    assert ex["line"]["product"] == "raw_coal"
    assert ex["factors"][0]["value"] == 1.9003
    assert ex["arithmetic"] == "10 wan_t × 19003 tCO2/wan_t = 190030 tCO2; cn-provincial-2011:co2:raw_coal: 1.9003 tCO2/t"
    table = _run(["account", "explain", str(run_id)]).stdout
    assert "190030 tCO2" in table
    r = CliRunner().invoke(app, ["account", "explain", str(run_id), "--line", "99"])
    assert r.exit_code == 1
    assert "NotFoundError" in r.output


def test_enterprise_store(database: str, tmp_path: Path) -> None:
    rep = tmp_path / "r.json"
    rep.write_text(json.dumps({"enterprise": "E", "year": 2022, "fuels": [
        {"product": "raw_coal", "quantity": 1000, "unit": "t"}, {"product": "柴油", "quantity": 10, "unit": "t"}]}),
        encoding="utf-8")
    data = _json(["account", "enterprise", "--report", str(rep), "--store"])
    assert data["total"] == pytest.approx(1900.3 + 30.959, rel=1e-12)  # 1 000 t × 1.9003 + 10 t × 3.0959
    runs = _json(["account", "runs", "--kind", "enterprise"])
    assert [(r["id"], r["unit_id"], r["year"]) for r in runs] == [(data["run_id"], "E", 2022)]


def test_bad_file_with_store_stores_nothing(database: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("项目,原煤(万吨)\n工业,ten\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["account", "inventory", "--balance", str(bad), "--region", "150000", "--year", "2022",
                                 "--store"])
    assert r.exit_code == 1
    assert "bad.csv, row 2, field '原煤(万吨)'" in r.output
    assert _json(["account", "runs"]) == []
    r = CliRunner().invoke(app, ["account", "runs", "--kind", "nonsense"])
    assert r.exit_code == 1
    assert "InputError" in r.output


def test_store_needs_a_migrated_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANFENG_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    r = CliRunner().invoke(app, ["account", "runs"])
    assert r.exit_code == 1
    assert "tanfeng init" in r.output
