"""Reading the CSV and Excel exports back: the lines before the table (what it is, the filters, the export time,
the row count) and the table with its headers."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

__all__ = ["BEIJING_STAMP", "read_csv_export", "read_xlsx_export"]

BEIJING_STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
"""How the export time is written (Beijing time, to the second)."""


def read_csv_export(data: bytes | str) -> tuple[list[str], list[dict[str, str]]]:
    """The note lines of a CSV export (up to its first empty line) and its rows keyed by the headers."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    notes, sep, table = text.partition("\n\n")
    if not sep:
        return [], list(csv.DictReader(io.StringIO(text)))
    return notes.splitlines(), list(csv.DictReader(io.StringIO(table)))


def read_xlsx_export(data: bytes) -> tuple[list[str], list[dict[str, object]]]:
    """The lines of an Excel export's sheet 导出说明 and the rows of its first sheet keyed by the headers."""
    wb = load_workbook(io.BytesIO(data))
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    notes = [str(r[0]) for r in wb["导出说明"].iter_rows(values_only=True)] if "导出说明" in wb.sheetnames else []
    return notes, [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
