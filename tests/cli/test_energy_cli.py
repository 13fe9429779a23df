"""``tanfeng energy convert``: JSON shape and errors (GB/T 2589 coefficients, see tests/golden/accounting)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tanfeng.cli.main import app


def test_convert_json() -> None:
    # 1 000 t raw coal × 0.7143 kgce/kg = 714.3 tce (GB/T 2589 附录A)
    r = CliRunner().invoke(app, ["energy", "convert", "1000", "t", "原煤", "--to", "tce", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert round(data["value"], 9) == 714.3
    assert data["unit"] == "tce"
    assert data["coefficient"] == 0.7143
    assert "GB/T 2589" in data["source"]


def test_convert_electricity_equal_value() -> None:
    r = CliRunner().invoke(app, ["energy", "convert", "1", "万千瓦时", "electricity", "--electricity", "equal",
                                 "--supply-coal-rate", "300", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["value"] == 3.0
    assert data["electricity_method"] == "equal"


def test_convert_to_wan_tce_and_table() -> None:
    r = CliRunner().invoke(app, ["energy", "convert", "1000", "万吨", "raw_coal", "--to", "万吨标准煤", "--format", "json"])
    assert round(json.loads(r.stdout)["value"], 9) == 714.3
    r = CliRunner().invoke(app, ["energy", "convert", "1", "t", "diesel"])
    assert r.exit_code == 0
    assert "1.4571" in r.stdout


def test_convert_errors() -> None:
    r = CliRunner().invoke(app, ["energy", "convert", "1", "m³", "原煤"])
    assert r.exit_code == 1
    assert "UnitError" in r.output
    r = CliRunner().invoke(app, ["energy", "convert", "1", "t", "unobtainium"])
    assert r.exit_code == 1
    assert "UnknownProductError" in r.output
    r = CliRunner().invoke(app, ["energy", "convert", "1", "万立方米", "焦炉煤气"])
    assert r.exit_code == 1
    assert "HeatingValueRequiredError" in r.output
