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

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from tanfeng.accounting import to_standard_coal
from tanfeng.cells import xlsx_safe
from tanfeng.enterprises.annual_report import KIND_ZH, Quantity, ReportContent, ReportKind
from tanfeng.errors import ImportDataError, TanfengError, at

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


def _write_table(wb: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
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
    wb = Workbook()
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
    if isinstance(value, bool) or value is None or value == "":
        msg = f"{field} is empty"
        raise ImportDataError(msg, location=at(where, row=row, field=field))
    try:
        number = float(value)
    except (TypeError, ValueError):
        msg = f"{field} '{value}' is not a number"
        raise ImportDataError(msg, location=at(where, row=row, field=field)) from None
    if number < 0:
        msg = f"{field} {number:g} is negative"
        raise ImportDataError(msg, location=at(where, row=row, field=field))
    return number


class _Book:
    """An opened workbook with the file name its errors name."""

    def __init__(self, data: bytes, filename: str) -> None:
        self.filename = filename
        try:
            self.wb = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        except Exception as exc:  # openpyxl raises many types for a file that is not xlsx
            msg = f"cannot read as an Excel workbook: {exc.__class__.__name__}"
            raise ImportDataError(msg, location=at(filename)) from exc

    def where(self, name: str) -> str:
        return f"{self.filename} / {name}"

    def has(self, name: str) -> bool:
        return name in self.wb.sheetnames

    def rows(self, name: str, *, min_row: int = 1) -> Iterator[tuple[int, tuple[Any, ...]]]:
        if name not in self.wb.sheetnames:
            msg = f"sheet '{name}' is missing; the template has {[_SHEET_COVER, _SHEET_FUELS, _SHEET_ELEC]}"
            raise ImportDataError(msg, location=at(self.where(name)))
        yield from enumerate(self.wb[name].iter_rows(min_row=min_row, values_only=True), start=min_row)


def _read_cover(book: _Book, code: str | None) -> tuple[int, ReportKind, int | None]:
    where = book.where(_SHEET_COVER)
    cover = {str(r[0]).strip(): (r[1] if len(r) > 1 else None, i) for i, r in book.rows(_SHEET_COVER) if r and r[0]}
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
    kind_v, krow = cover.get("报告类型", (None, 4))
    kind = str(kind_v or "").strip()
    if kind not in KIND_ZH:
        msg = f"报告类型 '{kind}' is not one of {list(KIND_ZH)}"
        raise ImportDataError(msg, location=at(where, row=krow, field="报告类型"))
    lock_v, _ = cover.get("锁版本 lock_version", (None, 6))
    lock = int(lock_v) if isinstance(lock_v, int | float) and not isinstance(lock_v, bool) else None
    return year, cast(ReportKind, kind), lock


def _read_quantities(book: _Book, name: str) -> list[Quantity]:
    where = book.where(name)
    out = []
    for i, r in book.rows(name, min_row=2):
        if not r or all(v in (None, "") for v in r[:3]):
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
        if name == _SHEET_FUELS:
            try:
                to_standard_coal(qty, unit, product)
            except TanfengError as exc:
                raise ImportDataError(exc.message, location=at(where, row=i, field="product/unit")) from exc
        out.append(Quantity(product=product, quantity=qty, unit=unit))
    return out


def _read_electricity(book: _Book) -> dict[str, float]:
    where = book.where(_SHEET_ELEC)
    elec: dict[str, float] = {}
    for i, r in book.rows(_SHEET_ELEC, min_row=2):
        if not r or r[0] in (None, ""):
            continue
        label = str(r[0]).strip()
        if label not in ELECTRICITY_ITEMS:
            msg = f"item '{label}' is not one of {list(ELECTRICITY_ITEMS)}"
            raise ImportDataError(msg, location=at(where, row=i, field="item"))
        value = r[1] if len(r) > 1 else None
        elec[ELECTRICITY_ITEMS[label]] = 0.0 if value in (None, "") else _number(value, where, i, "value")
    return elec


def parse_template(data: bytes, *, filename: str = "report.xlsx",
                   code: str | None = None) -> tuple[int, ReportKind, ReportContent, int | None]:
    """Read a filled template: ``(year, kind, content, lock_version)``.

    ``code``, when given, must be the credit code on the cover. The measures sheet may be missing.

    Raises
    ------
    ImportDataError
        Naming the sheet (``file / sheet``), the row and the field of the first problem.
    """
    book = _Book(data, filename)
    year, kind, lock = _read_cover(book, code)
    fuels = _read_quantities(book, _SHEET_FUELS)
    outputs = _read_quantities(book, _SHEET_OUT)
    elec = _read_electricity(book)
    measures = ([str(r[0]).strip() for _, r in book.rows(_SHEET_MEAS, min_row=2) if r and r[0] not in (None, "")]
                if book.has(_SHEET_MEAS) else [])
    content = ReportContent(fuels=fuels, outputs=outputs, measures=measures, **elec)
    return year, kind, content, lock
