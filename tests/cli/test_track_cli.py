"""``tanfeng track barometer`` and ``tanfeng track decoupling``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tanfeng.cli.main import app

HEADER = ("region,period,intensity_change_pct,required_intensity_change_pct,consumption_growth_pct,"
          "allowed_consumption_growth_pct\n")


def _csv(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    p = tmp_path / "barometer.csv"
    p.write_text(header + body, encoding="utf-8")
    return p


def test_barometer_json(tmp_path: Path) -> None:
    # 内蒙古 2020: intensity +6.89 % (communiqué) → 一级 with the 629号 consequence.
    # 湖北-like case: intensity fell more than required (三级) while energy grew above the cap (一级).
    f = _csv(tmp_path, "内蒙古,2020,6.89,-3.0,7.1,3.0\n湖北,2021H1,-5.0,-3.0,8.0,3.0\n")
    result = CliRunner().invoke(app, ["track", "barometer", str(f), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    im, hb = rows
    assert (im["region"], im["period"]) == ("内蒙古", "2020")
    assert (im["intensity"]["level"], im["intensity"]["colour"]) == (1, "red")
    assert im["intensity"]["consequences"][0]["document"] == "发改办环资〔2021〕629号"
    assert (hb["intensity"]["level"], hb["total"]["level"], hb["total"]["colour"]) == (3, 1, "red")
    assert hb["total"]["inferred"] is True
    assert hb["intensity"]["consequences"] == []


def test_barometer_table(tmp_path: Path) -> None:
    f = _csv(tmp_path, "内蒙古,2021H1,-4.0,-3.0,2.0,3.0\n")
    result = CliRunner().invoke(app, ["track", "barometer", str(f)])
    assert result.exit_code == 0, result.output
    assert "内蒙古" in result.stdout
    assert "green" in result.stdout


def test_barometer_optional_progress_column_gives_level_2(tmp_path: Path) -> None:
    f = _csv(tmp_path, "甲,2021H1,-4.0,-3.0,2.5,3.0,2.0\n",
             header=HEADER.rstrip("\n") + ",progress_consumption_growth_pct\n")
    result = CliRunner().invoke(app, ["track", "barometer", str(f), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["total"]["level"] == 2


@pytest.mark.parametrize(
    ("body", "row", "field"),
    [
        ("甲,2021H1,-4.0,-3.0,2.0,3.0\n乙,2021H1,abc,-3.0,2.0,3.0\n", 3, "intensity_change_pct"),
        ("甲,2021H1,-4.0,-3.0,,3.0\n", 2, "consumption_growth_pct"),
        (",2021H1,-4.0,-3.0,2.0,3.0\n", 2, "region"),
    ],
)
def test_bad_row_names_file_row_and_field_and_prints_nothing(tmp_path: Path, body: str, row: int, field: str) -> None:
    f = _csv(tmp_path, body)
    result = CliRunner().invoke(app, ["track", "barometer", str(f), "--format", "json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    err = "".join(result.stderr.split())  # the console wraps long lines
    assert err.startswith("ImportDataError:")
    assert f.name in err
    assert f"row{row}," in err
    assert f"field'{field}'" in err


def test_missing_column(tmp_path: Path) -> None:
    f = _csv(tmp_path, "甲,2021H1,-4.0\n", header="region,period,intensity_change_pct\n")
    result = CliRunner().invoke(app, ["track", "barometer", str(f)])
    assert result.exit_code == 1
    err = " ".join(result.stderr.split())
    assert "missing column" in err
    assert "required_intensity_change_pct" in "".join(result.stderr.split())


def test_decoupling_json() -> None:
    # 内蒙古 2021: GDP +6.3 %, energy −0.93 % → 强脱钩.
    result = CliRunner().invoke(app, ["track", "decoupling", "--gdp-growth", "6.3", "--emission-growth", "-0.93",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["state"] == "强脱钩"
    assert out["state_en"] == "strong decoupling"
    assert out["elasticity"] == pytest.approx(-0.93 / 6.3)


def test_decoupling_boundary_option() -> None:
    args = ["track", "decoupling", "--gdp-growth", "10", "--emission-growth", "12", "--format", "json"]
    closed = json.loads(CliRunner().invoke(app, args).stdout)
    opened = json.loads(CliRunner().invoke(app, [*args, "--boundary", "open"]).stdout)
    assert (closed["state"], opened["state"]) == ("扩张连接", "扩张负脱钩")
    bad = CliRunner().invoke(app, [*args, "--boundary", "half"])
    assert bad.exit_code == 1
    assert "--boundary" in "".join(bad.stderr.split())


def test_progress_share_configures_the_inferred_total_rule(tmp_path: Path) -> None:
    # Growth 2.5 % against an allowed 3.0 %: level 3 without a progress line; with a line at 0.5 × 3.0 = 1.5 %, level 2.
    f = _csv(tmp_path, "甲,2021H1,-4.0,-3.0,2.5,3.0\n")
    plain = json.loads(CliRunner().invoke(app, ["track", "barometer", str(f), "--format", "json"]).stdout)
    shared = json.loads(CliRunner().invoke(
        app, ["track", "barometer", str(f), "--progress-share", "0.5", "--format", "json"]).stdout)
    assert (plain[0]["total"]["level"], shared[0]["total"]["level"]) == (3, 2)


def test_barometer_csv_output(tmp_path: Path) -> None:
    f = _csv(tmp_path, "内蒙古,2020,6.89,-3.0,7.1,3.0\n")
    result = CliRunner().invoke(app, ["track", "barometer", str(f), "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("region,period,intensity_level,intensity_colour,total_level,total_colour")
    assert lines[1].startswith("内蒙古,2020,1,red,1,red")
    assert "两高" in lines[1]


def test_row_numbers_count_blank_lines(tmp_path: Path) -> None:
    # Header on line 1, a blank line 2, a good row on line 3 and a bad one on line 4.
    f = _csv(tmp_path, "\n甲,2021H1,-4.0,-3.0,2.0,3.0\n乙,2021H1,-4.0,-3.0,2.0,x\n")
    result = CliRunner().invoke(app, ["track", "barometer", str(f)])
    assert result.exit_code == 1
    err = "".join(result.stderr.split())
    assert "row4,field'allowed_consumption_growth_pct'" in err
