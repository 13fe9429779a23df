"""``tanfeng account``: combustion, electricity, inventory, enterprise (values from the published tables)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tanfeng.cli.main import app


def _json(args: list[str]) -> dict[str, object]:
    r = CliRunner().invoke(app, [*args, "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def test_combustion() -> None:
    # diesel 3.0959 tCO2/t (China default table); IPCC 2006: 74 100 kgCO2/TJ
    assert _json(["account", "combustion", "1", "t", "柴油"])["tco2"] == 3.0959
    assert round(_json(["account", "combustion", "1", "TJ", "diesel", "--factors", "ipcc2006"])["tco2"], 9) == 74.1  # type: ignore[call-overload]


def test_electricity() -> None:
    # G-7: 10 000 MWh × 0.6849 (Inner Mongolia 2022) = 6 849 tCO2
    data = _json(["account", "electricity", "10000", "MWh", "--region", "150000", "--year", "2022"])
    assert round(data["tco2"], 6) == 6849  # type: ignore[call-overload]
    assert data["factor"] == 0.6849
    r = CliRunner().invoke(app, ["account", "electricity", "1", "MWh", "--region", "150000", "--year", "2019"])
    assert r.exit_code == 1
    assert "2021, 2022" in r.output


def test_inventory_and_enterprise(tmp_path: Path) -> None:
    bal = tmp_path / "b.csv"
    bal.write_text("项目,原煤(万吨)\n一次能源生产量,10\n工业,10\n", encoding="utf-8")
    prod = tmp_path / "p.csv"
    prod.write_text("region,year,process,value\n150000,2022,lime,10000\n", encoding="utf-8")
    sinks = tmp_path / "s.csv"
    sinks.write_text("region,year,category,tco2\n150000,2022,forest,-30\n", encoding="utf-8")
    data = _json(["account", "inventory", "--balance", str(bal), "--region", "150000", "--year", "2022",
                  "--uncertainty", "1", "--production", str(prod), "--sinks", str(sinks)])
    totals = data["totals"][0]  # type: ignore[index]
    assert round(totals["energy_sectoral"], 6) == 190_030  # 10 万吨 × 1.9003 tCO2/t
    assert totals["energy_reference"] == totals["energy_sectoral"]
    assert round(totals["process"], 6) == 7680  # G-11: 10 000 t lime × 0.768 (IPCC 2006 Vol.3 Ch.2)
    assert round(totals["net"], 6) == 190_030 + 7680 - 30
    assert data["uncertainty"]["intervals"][0]["lower"] < 190_030  # type: ignore[index]
    rep = tmp_path / "r.json"
    rep.write_text(json.dumps({"enterprise": "E", "year": 2022, "fuels": [
        {"product": "raw_coal", "quantity": 1000, "unit": "t"}]}), encoding="utf-8")
    res = _json(["account", "enterprise", "--report", str(rep), "--uncertainty"])
    assert round(res["total"], 6) == 1900.3  # type: ignore[call-overload]  # 1 000 t raw coal × 1.9003
    assert res["uncertainty"]["lower"] < 1900.3  # type: ignore[index]
    r = CliRunner().invoke(app, ["account", "inventory", "--balance", str(tmp_path / "missing.csv")])
    assert r.exit_code == 1
    assert "ImportDataError" in r.output
