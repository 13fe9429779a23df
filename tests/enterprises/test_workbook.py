"""The annual-report workbook without a database: what the writer writes, the reader reads back, and a bad
cell is named by sheet, row and field."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tanfeng.enterprises.annual_report import ReportContent
from tanfeng.enterprises.workbook import SHEETS, Cover, parse_template, write_template
from tanfeng.errors import ImportDataError

CODE = "91150602MA00000021"
CONTENT = ReportContent.model_validate({
    "fuels": [{"product": "raw_coal", "quantity": 1000.5, "unit": "t"},
              {"product": "natural_gas", "quantity": 20000, "unit": "m**3"}],
    "purchased_electricity": 100, "exported_electricity": 5, "purchased_heat": 30, "exported_heat": 0,
    "outputs": [{"product": "cement_clinker", "quantity": 5000, "unit": "t"}],
    "measures": ["余热发电", "变频改造"]})


def test_round_trip() -> None:
    data = write_template(Cover(unit_code=CODE, unit_name="示例水泥", year=2024, kind="energy", lock_version=3), CONTENT)
    assert parse_template(data, code=CODE) == (2024, "energy", CONTENT, 3)


def test_an_empty_template_is_refused() -> None:
    data = write_template(Cover(unit_code=CODE, unit_name="示例水泥", year=2023, kind="ghg"), ReportContent())
    with pytest.raises(ImportDataError, match="the workbook reports nothing") as err:
        parse_template(data, filename="r.xlsx")
    assert err.value.location is not None
    assert (err.value.location.file, err.value.location.row) == ("r.xlsx / 能源消费", 2)


def test_electricity_alone_is_a_report_without_a_lock() -> None:
    content = ReportContent(purchased_electricity=12.5)
    data = write_template(Cover(unit_code=CODE, unit_name="示例水泥", year=2023, kind="ghg"), content)
    assert parse_template(data) == (2023, "ghg", content, None)


def test_sheets_and_the_sample_note() -> None:
    data = write_template(Cover(unit_code=CODE, unit_name="示例", year=2024, kind="energy",
                                sample_notice="示例数据 (sample data)"), CONTENT)
    wb = load_workbook(io.BytesIO(data))
    assert tuple(wb.sheetnames) == SHEETS
    cover = {r[0]: r[1] for r in wb["封面"].iter_rows(values_only=True)}
    assert cover["示例数据"] == "示例数据 (sample data)"
    assert cover["报告名称"] == "能源利用状况报告"


def _edited(sheet: str, cell: str, value: object) -> bytes:
    wb = load_workbook(io.BytesIO(write_template(Cover(CODE, "x", 2024, "energy", 1), CONTENT)))
    wb[sheet][cell] = value  # type: ignore[index]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(("sheet", "cell", "value", "row", "field"), [
    ("能源消费", "B3", -2, 3, "quantity"),
    ("能源消费", "B2", "many", 2, "quantity"),
    ("能源消费", "A2", "moonshine", 2, "product/unit"),
    ("产品产量", "C2", None, 2, "unit"),
    ("电力热力", "A4", "太阳能", 4, "item"),
    ("封面", "B3", "去年", 3, "年度"),
    ("封面", "B4", "water", 4, "报告类型"),
    ("封面", "B1", "91150602MA0000003X", 1, "统一社会信用代码"),
])
def test_a_bad_cell_is_named(sheet: str, cell: str, value: object, row: int, field: str) -> None:
    with pytest.raises(ImportDataError) as err:
        parse_template(_edited(sheet, cell, value), filename="r.xlsx", code=CODE)
    loc = err.value.location
    assert loc is not None
    assert (loc.file, loc.row, loc.field) == (f"r.xlsx / {sheet}", row, field)


def test_not_a_workbook_and_a_missing_sheet() -> None:
    with pytest.raises(ImportDataError, match="not an Excel workbook"):
        parse_template(b"not a zip", filename="r.xlsx")
    wb = load_workbook(io.BytesIO(write_template(Cover(CODE, "x", 2024, "energy"), CONTENT)))
    del wb["电力热力"]
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ImportDataError, match="sheet '电力热力' is missing"):
        parse_template(buf.getvalue(), filename="r.xlsx")
