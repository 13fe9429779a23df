"""``tanfeng sinks account``: the issue's JSON shape; a year outside the drivers is refused."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tanfeng.cli.main import app


def test_account_json_shape() -> None:
    r = CliRunner().invoke(app, ["sinks", "account", "--region", "150000", "--year", "2024", "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert list(out) == ["region", "year", "method", "forest_tco2", "grassland_tco2", "total_tco2", "uncertainty_pct",
                         "sources"]
    assert (out["region"], out["year"]) == ("150000", 2024)
    assert out["total_tco2"] == round(out["forest_tco2"] + out["grassland_tco2"], 1)
    assert any("Table 4.5" in s for s in out["sources"])


def test_year_outside_the_drivers() -> None:
    r = CliRunner().invoke(app, ["sinks", "account", "--year", "2040"])
    assert r.exit_code == 1
    assert "outside" in r.output


def test_net_beside_the_inventory() -> None:
    r = CliRunner().invoke(app, ["sinks", "net", "--region", "150000", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert rows[-1]["year"] == 2019
    assert rows[-1]["gross_mtco2"] == 794.279  # CEADs 2019, as published
    assert abs(rows[-1]["net_mtco2"] - (794.279 - rows[-1]["sink_mtco2"])) < 1e-5
