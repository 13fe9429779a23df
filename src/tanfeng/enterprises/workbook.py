"""The annual-report workbook (Excel): one template to fill in offline, and its reader.

Sheets: 封面 (cover: credit code, name, year, kind, lock version, 示例数据 when the unit is sample data),
能源消费 (fuels: product, quantity, unit), 电力热力 (purchased and exported electricity in MWh and heat in GJ),
产品产量 (outputs: product, quantity, unit) and 节能措施 (measures, one per row).

:func:`write_template` and :func:`parse_template` are the pair for this one format: what the first
writes, the second reads back unchanged (tested as a round trip). A bad cell is refused with an
:class:`~tanfeng.errors.ImportDataError` naming ``file / sheet``, the row and the field.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from openpyxl import Workbook as NewWorkbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tanfeng.accounting import to_standard_coal
from tanfeng.cells import xlsx_safe
from tanfeng.enterprises.annual_report import KIND_ZH, Quantity, ReportContent, ReportKind
from tanfeng.errors import ImportDataError, TanfengError, at
from tanfeng.intake import Workbook, finite_number, refuse_empty

__all__ = ["ELECTRICITY_ITEMS", "SHEETS", "Cover", "parse_template", "write_template"]

_SHEET_COVER, _SHEET_FUELS, _SHEET_ELEC, _SHEET_OUT, _SHEET_MEAS = "封面", "能源消费", "电力热力", "产品产量", "节能措施"
SHEETS = (_SHEET_COVER, _SHEET_FUELS, _SHEET_ELEC, _SHEET_OUT, _SHEET_MEAS)
"""The sheets of the template, in order."""

ELECTRICITY_ITEMS = {"外购电力 (MWh)": "purchased_electricity", "外供电力 (MWh)": "exported_electricity",
                     "外购热力 (GJ)": "purchased_heat", "外供热力 (GJ)": "exported_heat"}
"""Row label of the 电力热力 sheet → field of :class:`ReportContent`."""

_BOLD = Font(bold=True)
_FILL = PatternFill("solid", fgColor="FFF2CC")


@dataclass(frozen=True)
class Cover:
    """The cover of a template: whose report, which year and kind, the lock version it was made on."""

    unit_code: str
    unit_name: str
    year: int
    kind: ReportKind
    lock_version: int | None = None
    sample_notice: str | None = None
    """示例数据 note, written on the cover when the unit is sample data."""


# ------------------------------------------------------------------------------------------------ writer

def _write_cover(ws: Worksheet, cover: Cover) -> None:
    ws.title = _SHEET_COVER
    rows: list[tuple[str, Any]] = [
        ("统一社会信用代码", cover.unit_code), ("单位名称", cover.unit_name), ("年度", cover.year),
        ("报告类型", cover.kind), ("报告名称", KIND_ZH[cover.kind]),
        ("锁版本 lock_version", cover.lock_version if cover.lock_version is not None else "")]
    if cover.sample_notice:
        rows.append(("示例数据", cover.sample_notice))
    for i, (k, v) in enumerate(rows, start=1):
        ws.cell(i, 1, k).font = _BOLD
        ws.cell(i, 2, v)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 48


def _write_table(wb: NewWorkbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sh = wb.create_sheet(title)
    for j, h in enumerate(header, start=1):
        c = sh.cell(1, j, h)
        c.font, c.fill = _BOLD, _FILL
        sh.column_dimensions[chr(64 + j)].width = 22
    for i, r in enumerate(rows, start=2):
        for j, v in enumerate(r, start=1):
            sh.cell(i, j, v)


def write_template(cover: Cover, content: ReportContent) -> bytes:
    """The workbook (xlsx bytes) for ``cover``, pre-filled with ``content``."""
    wb = NewWorkbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    _write_cover(ws, cover)
    _write_table(wb, _SHEET_FUELS, ["product", "quantity", "unit"],
                 [[f.product, f.quantity, f.unit] for f in content.fuels])
    _write_table(wb, _SHEET_ELEC, ["item", "value"],
                 [[label, getattr(content, name)] for label, name in ELECTRICITY_ITEMS.items()])
    _write_table(wb, _SHEET_OUT, ["product", "quantity", "unit"],
                 [[o.product, o.quantity, o.unit] for o in content.outputs])
    _write_table(wb, _SHEET_MEAS, ["measure"], [[m] for m in content.measures])
    buf = io.BytesIO()
    xlsx_safe(wb).save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------------ reader

def _number(value: Any, where: str, row: int, field: str) -> float:
    loc = at(where, row=row, field=field)
    number = finite_number("" if value is None else value, loc)
    if number is None:
        msg = f"{field} is empty"
        raise ImportDataError(msg, location=loc)
    if number < 0:
        msg = f"{field} {number:g} is negative"
        raise ImportDataError(msg, location=loc)
    return number


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _beyond(r: tuple[Any, ...], width: int, where: str, row: int) -> None:
    """Refuse a row with something written right of the template's columns: it would not be read."""
    extra = next((j for j, v in enumerate(r) if j >= width and not _blank(v)), None)
    if extra is not None:
        col = get_column_letter(extra + 1)
        msg = f"cell {col}{row} holds '{r[extra]}' right of the template's {width} column(s); it would not be read"
        raise ImportDataError(msg, location=at(where, row=row, field=col), hint="keep to the template's columns")


class _Book:
    """An opened workbook (read whole, see :mod:`tanfeng.intake`) with the file name its errors name."""

    def __init__(self, data: bytes, filename: str) -> None:
        self.filename = filename
        self.book = Workbook(data, filename)

    def where(self, name: str) -> str:
        return self.book.where(name)

    def has(self, name: str) -> bool:
        return name in self.book.sheetnames

    def rows(self, name: str, *, min_row: int = 1) -> Iterator[tuple[int, tuple[Any, ...]]]:
        if not self.has(name):
            msg = f"sheet '{name}' is missing; the template has {[_SHEET_COVER, _SHEET_FUELS, _SHEET_ELEC]}"
            raise ImportDataError(msg, location=at(self.where(name)))
        yield from self.book.rows(name, min_row=min_row)


def _read_cover(book: _Book, code: str | None) -> tuple[int, ReportKind, int | None]:
    where = book.where(_SHEET_COVER)
    cover = {str(r[0]).strip(): (r[1] if len(r) > 1 else None, i) for i, r in book.rows(_SHEET_COVER) if r and r[0]}
    if not cover:
        raise refuse_empty(where, header_row=None)
    ucode, urow = cover.get("统一社会信用代码", (None, 1))
    if code is not None and str(ucode or "").strip() != code:
        msg = f"the workbook is for unit '{ucode}', not {code}"
        raise ImportDataError(msg, location=at(where, row=urow, field="统一社会信用代码"))
    year_v, yrow = cover.get("年度", (None, 3))
    try:
        year = int(str(year_v).strip())
    except ValueError:
        msg = f"年度 '{year_v}' is not a year"
        raise ImportDataError(msg, location=at(where, row=yrow, field="年度")) from None
    if not 1949 <= year <= 2100:
        msg = f"年度 {year} is not a report year (1949–2100)"
        raise ImportDataError(msg, location=at(where, row=yrow, field="年度"))
    kind_v, krow = cover.get("报告类型", (None, 4))
    kind = str(kind_v or "").strip()
    if kind not in KIND_ZH:
        msg = f"报告类型 '{kind}' is not one of {list(KIND_ZH)}"
        raise ImportDataError(msg, location=at(where, row=krow, field="报告类型"))
    lock_v, lrow = cover.get("锁版本 lock_version", (None, 6))
    lock = None
    if not _blank(lock_v):
        number = finite_number(lock_v, at(where, row=lrow, field="锁版本 lock_version"))
        if number is None or number != int(number) or not 0 <= number < 2**31:
            msg = f"锁版本 '{lock_v}' is not a lock version (a whole number)"
            raise ImportDataError(msg, location=at(where, row=lrow, field="锁版本 lock_version"),
                                  hint="download the template again")
        lock = int(number)
    return year, cast(ReportKind, kind), lock


def _read_quantities(book: _Book, name: str) -> list[Quantity]:
    where = book.where(name)
    out = []
    checked: set[tuple[str, str]] = set()
    for i, r in book.rows(name, min_row=2):
        _beyond(r, 3, where, i)
        if not r or all(_blank(v) for v in r[:3]):
            continue
        product = str(r[0] or "").strip()
        if not product:
            msg = "product is empty"
            raise ImportDataError(msg, location=at(where, row=i, field="product"))
        qty = _number(r[1] if len(r) > 1 else None, where, i, "quantity")
        unit = str((r[2] if len(r) > 2 else None) or "").strip()
        if not unit:
            msg = "unit is empty"
            raise ImportDataError(msg, location=at(where, row=i, field="unit"))
        if name == _SHEET_FUELS and (product, unit) not in checked:
            try:
                to_standard_coal(1.0, unit, product)  # the product and unit fit; once per pair
            except TanfengError as exc:
                raise ImportDataError(exc.message, location=at(where, row=i, field="product/unit")) from exc
            checked.add((product, unit))
        out.append(Quantity(product=product, quantity=qty, unit=unit))
    return out


def _read_electricity(book: _Book) -> dict[str, float]:
    where = book.where(_SHEET_ELEC)
    elec: dict[str, float] = {}
    for i, r in book.rows(_SHEET_ELEC, min_row=2):
        _beyond(r, 2, where, i)
        if not r or all(_blank(v) for v in r[:2]):
            continue
        if _blank(r[0]):
            msg = "item is empty"
            raise ImportDataError(msg, location=at(where, row=i, field="item"))
        label = str(r[0]).strip()
        if label not in ELECTRICITY_ITEMS:
            msg = f"item '{label}' is not one of {list(ELECTRICITY_ITEMS)}"
            raise ImportDataError(msg, location=at(where, row=i, field="item"))
        if ELECTRICITY_ITEMS[label] in elec:
            msg = f"item '{label}' is given twice"
            raise ImportDataError(msg, location=at(where, row=i, field="item"))
        value = r[1] if len(r) > 1 else None
        elec[ELECTRICITY_ITEMS[label]] = 0.0 if _blank(value) else _number(value, where, i, "value")
    return elec


def _read_measures(book: _Book) -> list[str]:
    if not book.has(_SHEET_MEAS):
        return []
    where = book.where(_SHEET_MEAS)
    out = []
    for i, r in book.rows(_SHEET_MEAS, min_row=2):
        _beyond(r, 1, where, i)
        if r and not _blank(r[0]):
            out.append(str(r[0]).strip())
    return out


def parse_template(data: bytes, *, filename: str = "report.xlsx",
                   code: str | None = None) -> tuple[int, ReportKind, ReportContent, int | None]:
    """Read a filled template: ``(year, kind, content, lock_version)``.

    ``code``, when given, must be the credit code on the cover. The measures sheet may be missing. Every
    cell present in the file is read (a wrong ``<dimension>`` tag does not hide rows); a formula, a cell
    right of the template's columns, a number that is not finite and a template with no figure at all are
    refused.

    Raises
    ------
    ImportDataError
        Naming the sheet (``file / sheet``), the row and the field of the first problem.
    """
    book = _Book(data, filename)
    try:
        year, kind, lock = _read_cover(book, code)
        fuels = _read_quantities(book, _SHEET_FUELS)
        outputs = _read_quantities(book, _SHEET_OUT)
        elec = _read_electricity(book)
        measures = _read_measures(book)
    finally:
        book.book.close()
    if not fuels and not outputs and not measures and not any(elec.values()):
        msg = "the workbook reports nothing: no fuel, electricity, heat, output or measure is filled in"
        raise ImportDataError(msg, location=at(book.where(_SHEET_FUELS), row=2),
                              hint="fill in the sheets 能源消费, 电力热力 and 产品产量")
    content = ReportContent(fuels=fuels, outputs=outputs, measures=measures, **elec)
    return year, kind, content, lock
