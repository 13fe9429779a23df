"""Importers: NBS-layout balance (CSV, Excel), form 205-1 Excel and JSON enterprise reports; errors name file, row, field."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tanfeng.accounting.enterprise import enterprise_emissions
from tanfeng.accounting.importers import read_balance, read_report_205_1, read_report_json
from tanfeng.accounting.inventory import regional_inventory
from tanfeng.errors import ImportDataError, NegativeQuantityError, UnitError, UnknownProductError

NBS = [
    ["项目", "原煤(万吨)", "柴油（万吨）", "天然气(亿立方米)", "电力(亿千瓦时)"],
    ["一次能源生产量", "1000", "", "10", "500"],
    ["本省(区、市)调出量(-)", "-600", "", "", "-200"],
    ["外省(区、市)调入量", "", "50", "", "20"],
    ["库存增(-)减(+)量", "-10", "", "", ""],
    ["可供本地区消费的能源量", "390", "50", "10", "320"],
    ["火力发电", "-300", "", "-2", "450"],
    ["炼焦", "-20", "", "", ""],
    ["终端消费量", "70", "50", "8", "320"],
    ["工业", "60", "10", "6", "250"],
    ["其中：用作原料、材料", "5", "", "1", ""],
    ["交通运输、仓储和邮政业", "", "40", "", "10"],
    ["居民生活", "10", "", "2", "60"],
    ["城镇", "4", "", "2", "40"],
]


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    return path


def test_nbs_csv_layout(tmp_path: Path) -> None:
    df = read_balance(_write_csv(tmp_path / "bal.csv", NBS), region="150000", year=2022)
    flows = {(r["flow"], r["sector"], r["product"]): r["value"] for r in df.to_dicts()}
    assert flows[("outflow", "", "raw_coal")] == 600
    assert flows[("transformation_input", "thermal_power", "raw_coal")] == 300
    assert flows[("transformation_output", "thermal_power", "electricity")] == 450
    assert flows[("non_energy_use", "industry", "raw_coal")] == 5
    assert flows[("stock_draw", "", "raw_coal")] == -10
    assert not any(r["sector"] == "urban" for r in df.to_dicts())  # 城镇 is a subset of 居民生活 here
    inv = regional_inventory(df, electricity_factor="150000")
    t = inv.totals.row(0, named=True)
    # sectoral: coal (60 - 5 + 10 + 300) 万吨, diesel 50 万吨, gas (6 - 1 + 2 + 2) 亿m3 (China default factors)
    expected = 365 * 1e4 * 1.9003 + 50 * 1e4 * 3.0959 + 9 * 1e8 * 2.1622 / 1000
    assert t["energy_sectoral"] == pytest.approx(expected)
    assert t["electricity_net_import_mwh"] == pytest.approx(-180 * 1e5)


def test_nbs_excel_layout(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["地区", "年份", *NBS[0]])
    for r in NBS[1:]:
        ws.append(["150000", 2022, r[0], *[float(c) if c else None for c in r[1:]]])
    wb.save(tmp_path / "bal.xlsx")
    xl = read_balance(tmp_path / "bal.xlsx")
    csv_df = read_balance(_write_csv(tmp_path / "bal.csv", NBS), region="150000", year=2022)
    assert xl.drop("row").sort(["flow", "sector", "product"]).equals(csv_df.drop("row").sort(["flow", "sector", "product"]))


def test_balance_errors_name_file_row_field(tmp_path: Path) -> None:
    bad = [r[:] for r in NBS]
    bad[9][1] = "-60"
    with pytest.raises(NegativeQuantityError, match=r"bal\.csv, row 10, field '原煤\(万吨\)'"):
        read_balance(_write_csv(tmp_path / "bal.csv", bad), region="150000", year=2022)
    bad = [r[:] for r in NBS]
    bad[0][1] = "原煤(立方米)"
    with pytest.raises(UnitError, match="row 1, field '原煤"):
        read_balance(_write_csv(tmp_path / "bal.csv", bad), region="150000", year=2022)
    bad = [r[:] for r in NBS]
    bad[0][2] = "煤气罐(万吨)"
    with pytest.raises(UnknownProductError, match="row 1"):
        read_balance(_write_csv(tmp_path / "bal.csv", bad), region="150000", year=2022)
    bad = [r[:] for r in NBS]
    bad[3][0] = "外星调入"
    with pytest.raises(ImportDataError, match=r"row 4, field '项目': unknown balance item"):
        read_balance(_write_csv(tmp_path / "bal.csv", bad), region="150000", year=2022)
    bad = [r[:] for r in NBS]
    bad[2][1] = "六百"
    with pytest.raises(ImportDataError, match=r"row 3.*not a number"):
        read_balance(_write_csv(tmp_path / "bal.csv", bad), region="150000", year=2022)
    with pytest.raises(ImportDataError, match="no year"):
        read_balance(_write_csv(tmp_path / "bal.csv", NBS), region="150000")


def test_long_form_and_ceads_sectors(tmp_path: Path) -> None:
    rows = [["region", "year", "flow", "sector", "product", "value", "unit"],
            ["150000", "2022", "final_consumption", "coal_mining", "原煤", "100", "t"],
            ["150000", "2022", "final_consumption", "ferrous_smelting", "coke", "2", "万吨"]]
    df = read_balance(_write_csv(tmp_path / "long.csv", rows))
    t = regional_inventory(df).totals.row(0, named=True)
    assert t["energy_sectoral"] == pytest.approx(100 * 1.9003 + 20_000 * 2.8604)


def _f2051(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["工业企业能源购进、消费与库存 (205-1 表)"])
    ws.append(["能源名称", "计量单位", "代码", "年初库存量", "购进量", "消费量合计", "用于原材料", "年末库存量"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_form_205_1(tmp_path: Path) -> None:
    path = _f2051(tmp_path / "f.xlsx", [
        ["原煤", "吨", "01", 0, 1200, 1000, 100, 200],
        ["柴油", "吨", "15", 0, 10, 10, None, 0],
        ["电力", "万千瓦时", "33", None, 100, 100, None, None],
        ["热力", "百万千焦", "34", None, 500, 500, None, None],
    ])
    rep = read_report_205_1(path, enterprise="E", year=2022, region="150000")
    assert [(f.product, f.quantity) for f in rep.fuels] == [("raw_coal", 900), ("diesel", 10)]
    rep = rep.model_copy(update={"grid_region": "150000", "grid_year": 2022})
    res = enterprise_emissions(rep)
    # 900 t × 1.9003 + 10 t × 3.0959 + 1 000 MWh × 0.6849 + 500 GJ × 0.11
    assert res.total == pytest.approx(900 * 1.9003 + 10 * 3.0959 + 1000 * 0.6849 + 500 * 0.11)
    bad = _f2051(tmp_path / "g.xlsx", [["原煤", "立方米", "01", 0, 1, 1, 0, 0]])
    with pytest.raises(UnitError, match=r"g\.xlsx, row 3, field '计量单位'"):
        read_report_205_1(bad, enterprise="E", year=2022)
    bad = _f2051(tmp_path / "h.xlsx", [["原煤", "吨", "01", 0, 1, -1, 0, 0]])
    with pytest.raises(NegativeQuantityError, match="row 3"):
        read_report_205_1(bad, enterprise="E", year=2022)


def test_json_report(tmp_path: Path) -> None:
    data = {"enterprise": "Power Co", "year": 2022, "sector": "power",
            "fuels": [{"product": "raw_coal", "quantity": 100000, "unit": "t", "carbon_content_ar": 0.55, "oxidation": 0.99}]}
    p = tmp_path / "r.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    res = enterprise_emissions(read_report_json(p))
    assert res.total == pytest.approx(100_000 * 0.55 * 0.99 * 44 / 12)
    data["fuels"][0]["quantity"] = -1  # type: ignore[index]
    p.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ImportDataError, match=r"r\.json, row 1, field 'quantity'"):
        read_report_json(p)
    p.write_text("{oops", encoding="utf-8")
    with pytest.raises(ImportDataError, match="not valid JSON"):
        read_report_json(p)


def test_title_rows_above_the_header_keep_file_row_numbers(tmp_path: Path) -> None:
    rows = [["内蒙古自治区能源平衡表(实物量) 2022"], [""], *NBS]
    df = read_balance(_write_csv(tmp_path / "t.csv", [list(r) for r in rows]), region="150000", year=2022)
    assert df.filter(df["flow"] == "production")["row"].min() == 4
    bad = [r[:] for r in rows]
    bad[11][1] = "-60"  # 工业 row, file row 12
    with pytest.raises(NegativeQuantityError, match="row 12"):
        read_balance(_write_csv(tmp_path / "t.csv", bad), region="150000", year=2022)


def test_a_file_that_is_not_a_workbook_is_an_import_error(tmp_path: Path) -> None:
    bad = tmp_path / "balance.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(ImportDataError, match="cannot read the workbook") as info:
        read_balance(bad)
    assert info.value.location is not None
    assert info.value.location.file == "balance.xlsx"  # the file's name, as every importer error names it
    with pytest.raises(ImportDataError):
        read_report_205_1(bad, enterprise="测试企业", year=2022)
