"""The hostile-file corpus: files a careless user or an attacker sends, generated deterministically at test time.

Every case names the importer it is sent to, the bytes, the limits it runs under (``TANFENG_MAX_*``) and what
must happen: a named error (type, file, row or line, field, a phrase of the message) or a correct import.
The expected values are written by hand from the file's content (row 2 is the first row under a header).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from openpyxl import Workbook, load_workbook

from tanfeng.enterprises.annual_report import ReportContent
from tanfeng.enterprises.registry import credit_code_check_char
from tanfeng.enterprises.workbook import Cover, write_template

Kind = Literal["report", "balance", "f2051", "report_json", "meter_csv", "meter_json", "projects", "barometer", "plan"]
STORE_KINDS = ("report", "balance", "f2051", "report_json", "meter_csv", "meter_json", "projects")

UNIT = "91150602MA0000001" + credit_code_check_char("91150602MA0000001")
"""The key unit the annual-report cases are filed for."""
ANY = object()
"""An expected row or field that is not checked (a damaged file has no meaningful row)."""


@dataclass(frozen=True)
class Refused:
    """A named error: its type, the file (``file / sheet`` for a workbook), row or line, field, and a phrase."""

    error: str
    file: str
    row: object = None
    field: object = None
    match: str = ""
    line: object = None


@dataclass(frozen=True)
class Imported:
    """A correct import; ``check`` gets what the domain reader returned and asserts hand-written values."""

    check: Callable[[Any], None] | None = None


@dataclass(frozen=True)
class Case:
    name: str
    kind: Kind
    build: Callable[[], bytes]
    expect: Refused | Imported
    env: dict[str, str] = field(default_factory=dict)


# -- building blocks --------------------------------------------------------------------------------------

def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rezip(data: bytes, edit: Callable[[str, bytes], bytes], extra: dict[str, bytes] | None = None) -> bytes:
    """The same ZIP with every member passed through ``edit`` and ``extra`` members added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, edit(info.filename, src.read(info.filename)))
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def _wrong_dimension(data: bytes) -> bytes:
    """Every sheet's ``<dimension>`` set to ``A1:A1``, as some tools write it."""
    def edit(name: str, content: bytes) -> bytes:
        if name.startswith("xl/worksheets/sheet"):
            return re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:A1"/>', content)
        return content
    return _rezip(data, edit)


def _edit(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    change(wb)
    return _save(wb)


REPORT = ReportContent.model_validate({
    "fuels": [{"product": "raw_coal", "quantity": 1000, "unit": "t"}], "purchased_electricity": 100,
    "outputs": [{"product": "cement_clinker", "quantity": 5000, "unit": "t"}], "measures": ["余热发电"]})
"""The report the base template carries: 1000 t raw coal, 100 MWh bought, 5000 t clinker, one measure."""


def report(year: int = 2023, content: ReportContent = REPORT) -> bytes:
    return write_template(Cover(unit_code=UNIT, unit_name="示例水泥 (示例数据)", year=year, kind="energy"), content)


def _cell(sheet: str, cell: str, value: object, year: int = 2023) -> Callable[[], bytes]:
    def build() -> bytes:
        def change(wb: Workbook) -> None:
            wb[sheet][cell] = value
        return _edit(report(year), change)
    return build


def _check_report(year: int) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        got_year, kind, content, lock = result
        assert (got_year, kind, lock) == (year, "energy", None)
        assert [(f.product, f.quantity, f.unit) for f in content.fuels] == [("raw_coal", 1000, "t")]
        assert (content.purchased_electricity, content.measures) == (100, ["余热发电"])
        assert [(o.product, o.quantity) for o in content.outputs] == [("cement_clinker", 5000)]
    return check


def _formula_with_cached_value() -> bytes:
    data = _cell("能源消费", "B2", "=500*2")()

    def edit(name: str, content: bytes) -> bytes:
        return content.replace(b"<f>500*2</f><v></v>", b"<f>500*2</f><v>1000</v>")
    return _rezip(data, edit)


def _merged() -> bytes:
    def change(wb: Workbook) -> None:
        ws = wb["能源消费"]
        ws.append([None, 200, "t"])
        ws.merge_cells("A2:A3")
    return _edit(report(), change)


def _many_rows(sheet: str, rows: int) -> Callable[[], bytes]:
    def build() -> bytes:
        def change(wb: Workbook) -> None:
            for _ in range(rows):
                wb[sheet].append(["raw_coal", 1, "t"])
        return _edit(report(), change)
    return build


def _zip_bomb(size: int) -> Callable[[], bytes]:
    """The base template plus a part of ``size`` zero bytes (deflated about 1000 to 1)."""
    def build() -> bytes:
        out = io.BytesIO(report())
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z, z.open("xl/media/image1.bin", "w",
                                                                          force_zip64=True) as part:
            chunk = bytes(1_000_000)
            for _ in range(size // len(chunk)):
                part.write(chunk)
        return out.getvalue()
    return build


def _billion_laughs() -> bytes:
    lol = ['<!ENTITY a0 "lol">'] + [f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    dtd = ("<!DOCTYPE worksheet [" + "".join(lol) + "]>").encode()

    def edit(name: str, content: bytes) -> bytes:
        if name == "xl/worksheets/sheet2.xml":
            content = content.replace(b"?>", b"?>" + dtd, 1).replace(b"<v>1000</v>", b"<v>&a9;</v>")
        return content
    return _rezip(report(), edit)


def _damaged_part() -> bytes:
    """The sheet 能源消费's compressed data overwritten in the middle; the ZIP directory is intact."""
    data = bytearray(report())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/worksheets/sheet2.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + info.compress_size - 4):
        data[i] = 0xFF
    return bytes(data)


def _report_cases() -> list[Case]:
    sheet = "能源消费"

    def at(name: str, sheet_name: str = sheet) -> str:
        return f"{name} / {sheet_name}"
    return [
        Case("r_ok.xlsx", "report", report, Imported(_check_report(2023))),
        Case("r_dimension.xlsx", "report", lambda: _wrong_dimension(report(2022)), Imported(_check_report(2022))),
        Case("r_dimension_hides_a_bad_row.xlsx", "report",
             lambda: _wrong_dimension(_edit(report(), lambda wb: wb[sheet].append(["diesel", -5, "t"]))),
             Refused("ImportDataError", at("r_dimension_hides_a_bad_row.xlsx"), 3, "quantity", "negative")),
        Case("r_formula.xlsx", "report", _cell(sheet, "B2", "=500*2"),
             Refused("ImportDataError", at("r_formula.xlsx"), 2, "B2", "formula '=500*2'")),
        Case("r_formula_cached.xlsx", "report", _formula_with_cached_value,
             Refused("ImportDataError", at("r_formula_cached.xlsx"), 2, "B2", "formula")),
        Case("r_formula_cover.xlsx", "report", _cell("封面", "B3", "=2020+3"),
             Refused("ImportDataError", at("r_formula_cover.xlsx", "封面"), 3, "B3", "formula")),
        Case("r_formula_hyperlink.xlsx", "report", _cell("节能措施", "A2", '=HYPERLINK("http://x.invalid","x")'),
             Refused("ImportDataError", at("r_formula_hyperlink.xlsx", "节能措施"), 2, "A2", "HYPERLINK")),
        Case("r_empty.xlsx", "report", lambda: b"", Refused("ImportDataError", "r_empty.xlsx", None, None, "workbook")),
        Case("r_header_only.xlsx", "report", lambda: report(content=ReportContent()),
             Refused("ImportDataError", at("r_header_only.xlsx"), 2, None, "reports nothing")),
        Case("r_nan.xlsx", "report", _cell(sheet, "B2", "nan"),
             Refused("ImportDataError", at("r_nan.xlsx"), 2, "quantity", "finite")),
        Case("r_inf.xlsx", "report", _cell(sheet, "B2", "inf"),
             Refused("ImportDataError", at("r_inf.xlsx"), 2, "quantity", "finite")),
        Case("r_1e308.xlsx", "report", _cell(sheet, "B2", 1e308),
             Refused("ImportDataError", at("r_1e308.xlsx"), 2, "quantity", "out of range")),
        Case("r_minus_inf_electricity.xlsx", "report", _cell("电力热力", "B2", "-inf"),
             Refused("ImportDataError", at("r_minus_inf_electricity.xlsx", "电力热力"), 2, "value", "finite")),
        Case("r_lock_nan.xlsx", "report", _cell("封面", "B6", "nan"),
             Refused("ImportDataError", at("r_lock_nan.xlsx", "封面"), 6, "锁版本 lock_version", "finite")),
        Case("r_year_99999.xlsx", "report", _cell("封面", "B3", 99999),
             Refused("ImportDataError", at("r_year_99999.xlsx", "封面"), 3, "年度", "not a report year")),
        Case("r_truncated.xlsx", "report", lambda: report()[: len(report()) // 2],
             Refused("ImportDataError", "r_truncated.xlsx", None, None, "not an Excel workbook")),
        Case("r_damaged_part.xlsx", "report", _damaged_part,
             Refused("ImportDataError", "r_damaged_part.xlsx", None, None, "cannot read the workbook")),
        Case("r_billion_laughs.xlsx", "report", _billion_laughs,
             Refused("ImportDataError", at("r_billion_laughs.xlsx"), ANY, None, "cannot read the sheet")),
        Case("r_wrong_sheet_name.xlsx", "report", lambda: _edit(report(), lambda wb: setattr(wb[sheet], "title", "Sheet2")),
             Refused("ImportDataError", at("r_wrong_sheet_name.xlsx"), None, None, "missing")),
        Case("r_merged.xlsx", "report", _merged,
             Refused("ImportDataError", at("r_merged.xlsx"), 3, "product", "product is empty")),
        Case("r_beyond_the_columns.xlsx", "report", _cell(sheet, "D2", "另有 200 t 柴油"),
             Refused("ImportDataError", at("r_beyond_the_columns.xlsx"), 2, "D", "would not be read")),
        Case("r_other_unit.xlsx", "report", _cell("封面", "B1", "91150602MA0000003X"),
             Refused("ImportDataError", at("r_other_unit.xlsx", "封面"), 1, "统一社会信用代码", "not")),
        Case("r_over_the_row_cap.xlsx", "report", _many_rows(sheet, 60),
             Refused("ImportDataError", at("r_over_the_row_cap.xlsx"), 51, None, "more than 50 rows"),
             env={"TANFENG_MAX_IMPORT_ROWS": "50"}),
        Case("r_over_the_size_limit.xlsx", "report", report,
             Refused("ImportDataError", "r_over_the_size_limit.xlsx", None, None, "over the limit of 1,000 bytes"),
             env={"TANFENG_MAX_UPLOAD_BYTES": "1000"}),
        Case("r_huge.xlsx", "report", lambda: b"PK\x03\x04" + bytes(20_000_000),
             Refused("ImportDataError", "r_huge.xlsx", None, None, "TANFENG_MAX_UPLOAD_BYTES")),
        Case("r_zip_bomb_small_cap.xlsx", "report", _zip_bomb(5_000_000),
             Refused("ImportDataError", "r_zip_bomb_small_cap.xlsx", None, None, "TANFENG_MAX_UNZIPPED_BYTES"),
             env={"TANFENG_MAX_UNZIPPED_BYTES": "1000000"}),
        Case("r_zip_bomb.xlsx", "report", _zip_bomb(250_000_000),
             Refused("ImportDataError", "r_zip_bomb.xlsx", None, None, "would decompress to 250.")),
    ]


BALANCE = "项目,原煤(万吨)\n一次能源生产量,10\n工业,10\n"
"""10 万吨 raw coal produced and burnt by industry."""


def _check_balance(result: Any) -> None:
    rows = sorted(zip(result["flow"], result["sector"], result["value"], result["row"], strict=True))
    assert [(r[0], r[2], r[3]) for r in rows] == [("final_consumption", 10.0, 3), ("production", 10.0, 2)]


def _balance_xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    return _save(wb)


def _balance_cases() -> list[Case]:
    col = "原煤(万吨)"
    head = ["项目", col]
    return [
        Case("b_ok.csv", "balance", BALANCE.encode, Imported(_check_balance)),
        Case("b_utf8_bom.csv", "balance", lambda: BALANCE.encode("utf-8-sig"), Imported(_check_balance)),
        Case("b_utf16.csv", "balance", lambda: BALANCE.encode("utf-16"), Imported(_check_balance)),
        Case("b_gbk.csv", "balance", lambda: BALANCE.encode("gbk"),
             Refused("ImportDataError", "b_gbk.csv", line=1, match="not UTF-8")),
        Case("b_nul.csv", "balance", lambda: (BALANCE + "工业,1\x000\n").encode(),
             Refused("ImportDataError", "b_nul.csv", line=4, match="NUL")),
        Case("b_nan.csv", "balance", lambda: BALANCE.replace("工业,10", "工业,nan").encode(),
             Refused("ImportDataError", "b_nan.csv", 3, col, "finite")),
        Case("b_inf.csv", "balance", lambda: BALANCE.replace("工业,10", "工业,-inf").encode(),
             Refused("ImportDataError", "b_inf.csv", 3, col, "finite")),
        Case("b_1e308.csv", "balance", lambda: BALANCE.replace("工业,10", "工业,1e308").encode(),
             Refused("ImportDataError", "b_1e308.csv", 3, col, "out of range")),
        Case("b_empty.csv", "balance", lambda: b"", Refused("ImportDataError", "b_empty.csv", None, None, "empty")),
        Case("b_header_only.csv", "balance", lambda: "项目,原煤(万吨)\n".encode(),
             Refused("ImportDataError", "b_header_only.csv", 2, None, "no data rows")),
        Case("b_huge.csv", "balance", lambda: ("项目,原煤(万吨)\n" + "工业,1\n" * 100_001).encode(),
             Refused("ImportDataError", "b_huge.csv", 100_001, None, "more than 100,000 rows")),
        Case("b_truncated_quote.csv", "balance", lambda: (BALANCE + '"工业,1').encode(),
             Refused("ImportDataError", "b_truncated_quote.csv", 4, "项目", "unknown balance item")),
        Case("b_dimension.xlsx", "balance", lambda: _wrong_dimension(_balance_xlsx(
            [head, ["一次能源生产量", 10], ["工业", 10]])), Imported(_check_balance)),
        Case("b_formula.xlsx", "balance", lambda: _balance_xlsx([head, ["一次能源生产量", 10], ["工业", "=5+5"]]),
             Refused("ImportDataError", "b_formula.xlsx / Sheet", 3, "B3", "formula")),
        Case("b_header_only.xlsx", "balance", lambda: _balance_xlsx([head]),
             Refused("ImportDataError", "b_header_only.xlsx", 2, None, "no data rows")),
        Case("b_empty.xlsx", "balance", lambda: _balance_xlsx([]),
             Refused("ImportDataError", "b_empty.xlsx", None, None, "empty")),
        Case("b_nan_text.xlsx", "balance", lambda: _balance_xlsx([head, ["一次能源生产量", 10], ["工业", "NaN"]]),
             Refused("ImportDataError", "b_nan_text.xlsx", 3, col, "finite")),
        Case("b_value_under_no_header.csv", "balance", lambda: BALANCE.replace("工业,10", "工业,10,5").encode(),
             Refused("ImportDataError", "b_value_under_no_header.csv", 3, "column 3", "no header")),
        Case("b_not_a_workbook.xlsx", "balance", lambda: BALANCE.encode(),
             Refused("ImportDataError", "b_not_a_workbook.xlsx", None, None, "not an Excel workbook")),
    ]


F2051_HEAD = ["能源名称", "计量单位", "代码", "年初库存量", "购进量", "消费量合计", "用于原材料", "年末库存量"]
COAL_ROW: list[object] = ["原煤", "吨", "01", 0, 1200, 1000, 100, 200]
"""1000 t raw coal consumed, 100 t of it as feedstock: 900 t burnt."""


def f2051(*rows: list[object], merge: str | None = None) -> Callable[[], bytes]:
    def build() -> bytes:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(["工业企业能源购进、消费与库存 (205-1 表)"])
        ws.append(F2051_HEAD)
        for r in rows:
            ws.append(r)
        if merge:
            ws.merge_cells(merge)
        return _save(wb)
    return build


def _check_f2051(result: Any) -> None:
    assert [(f.product, f.quantity, f.unit) for f in result.fuels] == [("raw_coal", 900, "吨")]
    assert (result.enterprise, result.year) == ("示例企业", 2023)


def _with(row: list[object], index: int, value: object) -> list[object]:
    return [value if i == index else v for i, v in enumerate(row)]


def _f2051_cases() -> list[Case]:
    total = "消费量合计"
    return [
        Case("f_ok.xlsx", "f2051", f2051(COAL_ROW), Imported(_check_f2051)),
        Case("f_dimension.xlsx", "f2051", lambda: _wrong_dimension(f2051(COAL_ROW)()), Imported(_check_f2051)),
        Case("f_formula_name.xlsx", "f2051", f2051(_with(COAL_ROW, 0, '="原煤"')),
             Refused("ImportDataError", "f_formula_name.xlsx / Sheet", 3, "A3", "formula")),
        Case("f_formula_total.xlsx", "f2051", f2051(_with(COAL_ROW, 5, "=E3-H3")),
             Refused("ImportDataError", "f_formula_total.xlsx / Sheet", 3, "F3", "formula '=E3-H3'")),
        Case("f_header_only.xlsx", "f2051", f2051(),
             Refused("ImportDataError", "f_header_only.xlsx", 3, None, "no data rows")),
        Case("f_only_a_total_row.xlsx", "f2051", f2051(_with(COAL_ROW, 0, "合计")),
             Refused("ImportDataError", "f_only_a_total_row.xlsx", 3, None, "no data rows")),
        Case("f_nameless_row.xlsx", "f2051", f2051(COAL_ROW, _with(COAL_ROW, 0, None)),
             Refused("ImportDataError", "f_nameless_row.xlsx", 4, "能源名称", "would not be read")),
        Case("f_inf.xlsx", "f2051", f2051(_with(COAL_ROW, 5, "inf")),
             Refused("ImportDataError", "f_inf.xlsx", 3, total, "finite")),
        Case("f_1e308.xlsx", "f2051", f2051(_with(COAL_ROW, 5, 1e308)),
             Refused("ImportDataError", "f_1e308.xlsx", 3, total, "out of range")),
        Case("f_nan_feedstock.xlsx", "f2051", f2051(_with(COAL_ROW, 6, "nan")),
             Refused("ImportDataError", "f_nan_feedstock.xlsx", 3, "用于原材料", "finite")),
        Case("f_short_row.xlsx", "f2051", f2051(["原煤", "吨"]),
             Refused("ImportDataError", "f_short_row.xlsx", 3, total, "empty")),
        Case("f_electricity_twice.xlsx", "f2051", f2051(["电力", "万千瓦时", "33", None, 100, 100],
                                                         ["电力", "万千瓦时", "33", None, 5, 5]),
             Refused("ImportDataError", "f_electricity_twice.xlsx", 4, "能源名称", "twice")),
        Case("f_merged.xlsx", "f2051", f2051(COAL_ROW, _with(COAL_ROW, 0, None), merge="A3:A4"),
             Refused("ImportDataError", "f_merged.xlsx", 4, "能源名称", "would not be read")),
        Case("f_csv_named_xlsx.xlsx", "f2051", lambda: ",".join(F2051_HEAD).encode(),
             Refused("ImportDataError", "f_csv_named_xlsx.xlsx", None, None, "not an Excel workbook")),
    ]


JSON_REPORT = {"enterprise": "示例企业", "year": 2023, "fuels": [{"product": "raw_coal", "quantity": 900, "unit": "t"}]}


def _json(text: str, encoding: str = "utf-8") -> Callable[[], bytes]:
    return lambda: text.encode(encoding)


def _check_json(result: Any) -> None:
    assert [(f.product, f.quantity, f.unit) for f in result.fuels] == [("raw_coal", 900, "t")]


def _json_cases() -> list[Case]:
    ok = json.dumps(JSON_REPORT, ensure_ascii=False)
    return [
        Case("j_ok.json", "report_json", _json(ok), Imported(_check_json)),
        Case("j_infinity.json", "report_json", _json(ok.replace("900", "Infinity")),
             Refused("ImportDataError", "j_infinity.json", 1, "quantity", "finite")),
        Case("j_1e308.json", "report_json", _json(ok.replace("900", "1e308")),
             Refused("ImportDataError", "j_1e308.json", 1, "quantity", "finite")),
        Case("j_nan_text.json", "report_json", _json(ok.replace("900", '"NaN"')),
             Refused("ImportDataError", "j_nan_text.json", 1, "quantity", "finite")),
        Case("j_nested.json", "report_json", _json("[" * 100_000 + "]" * 100_000),
             Refused("ImportDataError", "j_nested.json", None, None, "nested too deeply")),
        Case("j_gbk.json", "report_json", _json(ok, "gbk"),
             Refused("ImportDataError", "j_gbk.json", line=1, match="not UTF-8")),
        Case("j_truncated.json", "report_json", _json(ok[: len(ok) // 2]),
             Refused("ImportDataError", "j_truncated.json", line=1, match="not valid JSON")),
        Case("j_nul.json", "report_json", _json(ok.replace("示例企业", "示例\x00企业")),
             Refused("ImportDataError", "j_nul.json", line=1, match="NUL")),
        Case("j_empty.json", "report_json", _json(""),
             Refused("ImportDataError", "j_empty.json", line=1, match="not valid JSON")),
        Case("j_list.json", "report_json", _json("[1, 2]"),
             Refused("ImportDataError", "j_list.json", None, None, "JSON object")),
    ]


METER = "meter_id,ts,value,kind\nM1,2025-01-01T00:15:00+08:00,1.5,interval\n"


def _meter_cases() -> list[Case]:
    def csv_rows(n: int) -> Callable[[], bytes]:
        return lambda: ("meter_id,ts,value,kind\n" + "".join(
            f"M1,2025-01-01T{i // 60 % 24:02d}:{i % 60:02d}:00+08:00,1,interval\n" for i in range(n))).encode()
    item = {"meter_id": "M1", "ts": "2025-01-01T00:15:00+08:00", "value": 1.5, "kind": "interval"}
    return [
        Case("m_ok.csv", "meter_csv", METER.encode, Imported(lambda b: _rows(b, 1))),
        Case("m_utf16.csv", "meter_csv", lambda: METER.replace("1.5", "2.5").encode("utf-16"),
             Imported(lambda b: _rows(b, 1))),
        Case("m_header_only.csv", "meter_csv", lambda: b"meter_id,ts,value,kind\n",
             Refused("MeterDataError", "m_header_only.csv", None, None, "no readings")),
        Case("m_nan.csv", "meter_csv", lambda: METER.replace("1.5", "nan").encode(),
             Refused("MeterDataError", "m_nan.csv", line=2, field="value", match="finite")),
        Case("m_gbk.csv", "meter_csv", lambda: METER.replace("M1", "电表1").encode("gbk"),
             Refused("MeterDataError", "m_gbk.csv", line=2, match="not UTF-8")),
        Case("m_nul.csv", "meter_csv", lambda: METER.replace("M1", "M\x001").encode(),
             Refused("MeterDataError", "m_nul.csv", line=2, match="NUL")),
        Case("m_over_the_batch_cap.csv", "meter_csv", csv_rows(101),
             Refused("MeterDataError", "m_over_the_batch_cap.csv", None, None, "TANFENG_MAX_BATCH_ROWS"),
             env={"TANFENG_MAX_BATCH_ROWS": "100"}),
        Case("m_ok.json", "meter_json", lambda: json.dumps([{**item, "value": 3.5}]).encode(),
             Imported(lambda b: _rows(b, 1))),
        Case("m_nested.json", "meter_json", _json("[" * 100_000 + "]" * 100_000),
             Refused("MeterDataError", "m_nested.json", None, None, "nested too deeply")),
        Case("m_invalid_utf8.json", "meter_json", lambda: json.dumps([item]).encode().replace(b"M1", b"M\xff"),
             Refused("MeterDataError", "m_invalid_utf8.json", line=1, match="not UTF-8")),
        Case("m_nul_escape.json", "meter_json", lambda: json.dumps([{**item, "meter_id": "M\x00"}]).encode(),
             Refused("MeterDataError", "m_nul_escape.json", 1, "meter_id", "NUL")),
        Case("m_1e999.json", "meter_json", lambda: json.dumps([item]).replace("1.5", "1e999").encode(),
             Refused("MeterDataError", "m_1e999.json", 1, "value", "finite")),
        Case("m_nan_literal.json", "meter_json", lambda: json.dumps([item]).replace("1.5", "NaN").encode(),
             Refused("MeterDataError", "m_nan_literal.json", 1, "value", "finite")),
        Case("m_empty.json", "meter_json", lambda: b"",
             Refused("MeterDataError", "m_empty.json", line=1, match="not valid JSON")),
    ]


def _rows(batch: Any, n: int) -> None:
    assert batch.readings.height == n


def projects(change: Callable[[Workbook], None] | None = None) -> Callable[[], bytes]:
    def build() -> bytes:
        from tanfeng.projects.sample import sample_projects
        from tanfeng.projects.workbook import write_workbook

        data = write_workbook(sample_projects()[:1])
        return _edit(data, change) if change else data
    return build


def _check_projects(result: Any) -> None:
    from tanfeng.projects.sample import sample_projects

    assert [p.code for p in result] == [sample_projects()[0].code]


def _set(cell: str, value: object) -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        wb["项目清单"][cell] = value
    return change


def _project_cases() -> list[Case]:
    energy = "年综合能耗当量值(tce)"
    sheet = "p_{} / 项目清单"
    return [
        Case("p_ok.xlsx", "projects", projects(), Imported(_check_projects)),
        Case("p_dimension.xlsx", "projects", lambda: _wrong_dimension(projects(_set("B2", "改名的示例项目"))()),
             Imported(_check_projects)),
        Case("p_formula.xlsx", "projects", projects(_set("P2", "=1000*2")),
             Refused("ImportDataError", sheet.format("formula.xlsx"), 2, "P2", "formula")),
        Case("p_1e308.xlsx", "projects", projects(_set("P2", 1e308)),
             Refused("InputError", "p_1e308.xlsx", 2, energy, "out of range")),
        Case("p_inf_text.xlsx", "projects", projects(_set("P2", "inf")),
             Refused("InputError", "p_inf_text.xlsx", 2, energy, "finite")),
        Case("p_header_only.xlsx", "projects", projects(lambda wb: wb["项目清单"].delete_rows(2)),
             Refused("ImportDataError", "p_header_only.xlsx / 项目清单", 2, None, "no data rows")),
        Case("p_wrong_sheet_name.xlsx", "projects", projects(lambda wb: setattr(wb["项目清单"], "title", "清单")),
             Refused("InputError", "p_wrong_sheet_name.xlsx", None, None, "no sheet '项目清单'")),
        Case("p_beyond_the_header.xlsx", "projects", projects(_set("AA2", "备注")),
             Refused("InputError", "p_beyond_the_header.xlsx", 2, "column 27", "would not be read")),
    ]


BAROMETER = ("region,period,intensity_change_pct,required_intensity_change_pct,consumption_growth_pct,"
             "allowed_consumption_growth_pct\n150600,2024Q2,-1.5,-3.2,2.0,2.5\n")


def _other_cases() -> list[Case]:
    plan = "内蒙古自治区碳达峰实施方案\n到2025年，非化石能源消费比重达到18%。\n"
    return [
        Case("w_inf.csv", "barometer", lambda: BAROMETER.replace("-1.5", "inf").encode(),
             Refused("ImportDataError", "w_inf.csv", 2, "intensity_change_pct", "finite")),
        Case("w_header_only.csv", "barometer", lambda: BAROMETER.splitlines(keepends=True)[0].encode(),
             Refused("ImportDataError", "w_header_only.csv", 2, None, "no data rows")),
        Case("w_utf16_nul.csv", "barometer", lambda: BAROMETER.replace("150600", "150\x00600").encode("utf-16"),
             Refused("ImportDataError", "w_utf16_nul.csv", line=2, match="NUL")),
        Case("w_extra_cell.csv", "barometer", lambda: BAROMETER.replace("2.5\n", "2.5,9\n").encode(),
             Refused("ImportDataError", "w_extra_cell.csv", 2, None, "more cells than the header")),
        Case("t_gbk.txt", "plan", lambda: plan.encode("gbk"), Imported(lambda st: _text(st, plan, "gbk"))),
        Case("t_utf8.txt", "plan", lambda: plan.encode(), Imported(lambda st: _text(st, plan, "utf-8"))),
        Case("t_nul.txt", "plan", lambda: plan.replace("\n", "\x00").encode(),
             Refused("TextReadError", "t_nul.txt", None, None, "NUL")),
        Case("t_empty.txt", "plan", lambda: b"", Refused("TextReadError", "t_empty.txt", None, None, "no text")),
        Case("t_huge.txt", "plan", lambda: plan.encode() * 60_000,
             Refused("TextReadError", "t_huge.txt", None, None, "TANFENG_MAX_TEXT_BYTES")),
        Case("t_zip.txt", "plan", lambda: report(),
             Refused("TextReadError", "t_zip.txt", None, None, "ZIP archive")),
    ]


def _text(st: Any, plan: str, encoding: str) -> None:
    assert (st.text, st.encoding) == (plan, encoding)


def corpus() -> list[Case]:
    """Every case, in a stable order."""
    return [*_report_cases(), *_balance_cases(), *_f2051_cases(), *_json_cases(), *_meter_cases(),
            *_project_cases(), *_other_cases()]
