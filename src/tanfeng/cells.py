"""Cells that a spreadsheet shows and never runs: the rule for every CSV and Excel file the platform writes.

Text typed by a user (an indicator's source, a report's measures, a project's name …) ends up in exports
that are opened in Excel, WPS or LibreOffice. A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return is read as a formula by some of them (``=cmd|' /C calc'!A0``, ``@SUM(1+1)``,
``=HYPERLINK(…)`` carrying the sheet's figures to another server). OWASP's rule on CSV injection
(https://owasp.org/www-community/attacks/CSV_Injection) is applied here, once:

- **CSV** has no cell types: text that starts like a formula gets a leading ``'``
  (:func:`csv_safe`, :func:`csv_row`). Numbers are left as they are, negative ones included, and so is
  text that is nothing but a number (``"-5"``, ``"+1.5e-3"``), which no spreadsheet runs.
- **Excel** has cell types: openpyxl stores a string that starts with ``=`` as a formula, so such cells
  are set back to text (``data_type = "s"``) and marked with the quote prefix, so that editing the cell in
  Excel keeps it text (:func:`xlsx_text`; :func:`xlsx_safe` for a whole workbook before it is saved). The
  text itself is unchanged: a workbook read back gives the user's text.

Every CSV and xlsx writer of the platform (downloads, CLI output, reports, templates, statements, the
projects 清单, scenario exports) goes through this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - types only
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.workbook import Workbook

__all__ = ["FORMULA_LEADS", "csv_row", "csv_safe", "starts_like_formula", "xlsx_safe", "xlsx_text"]

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def starts_like_formula(value: Any) -> bool:
    """Whether ``value`` is text whose first character is one of :data:`FORMULA_LEADS`.

    Text that is a plain decimal number (``"-5"``, ``"+1.5e-3"``) is not: no spreadsheet runs it.
    """
    return (isinstance(value, str) and value[:1] in FORMULA_LEADS
            and _NUMBER.fullmatch(value) is None)


def csv_safe(value: Any) -> Any:
    """``value`` as a CSV cell that cannot run: text starting like a formula gets a leading ``'``.

    Parameters
    ----------
    value
        Any cell value; numbers, ``None`` and ordinary text come back unchanged.

    Examples
    --------
    >>> csv_safe("=1+1"), csv_safe(-5), csv_safe("-5"), csv_safe("呼和浩特市")
    ("'=1+1", -5, '-5', '呼和浩特市')
    """
    return "'" + value if starts_like_formula(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A row of CSV cells, each through :func:`csv_safe`."""
    return [csv_safe(v) for v in values]


def xlsx_text(cell: Cell) -> Cell:
    """Store ``cell`` as text when its text starts like a formula (openpyxl would write a formula).

    The value is kept as typed; the cell gets ``data_type = "s"`` and the quote prefix (Excel's own mark
    for "this is text", kept when the cell is edited).
    """
    value = cell.value
    if isinstance(value, str) and value[:1] in FORMULA_LEADS:
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def xlsx_safe(workbook: Workbook) -> Workbook:
    """Every text cell of every sheet of ``workbook`` through :func:`xlsx_text`; call it before saving.

    The platform writes no formula of its own, so no cell of an export is left a formula.
    """
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type in ("f", "s"):
                    xlsx_text(cell)
    return workbook
