"""Downloads: rows as CSV (UTF-8 with BOM, for Excel on Chinese Windows) or as an Excel workbook.

Every route that offers a table for download answers through these two functions, so that every export
has the same encoding, headers and 示例数据 note.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from fastapi import Response
from openpyxl import Workbook
from openpyxl.styles import Font

from tanfeng.cells import csv_row, xlsx_safe
from tanfeng.web.i18n import Lang, beijing_time, pgettext

__all__ = ["CSV", "XLSX", "column_titles", "csv_response", "export_notes", "file_response", "xlsx_response"]

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_response(content: bytes | str, media_type: str, filename: str) -> Response:
    """A download: ``content`` sent as an attachment named ``filename``."""
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def column_titles(lang: Lang, context: str, msgids: Sequence[str]) -> list[str]:
    """An export's column titles in ``lang``: each msgid (the English title as written) through the message
    catalogue's ``context`` (``export``, ``audit export``, ``units export``), so every export titles its columns
    the same way and the Chinese titles live in ``messages.po``."""
    return [pgettext(lang, context, m) for m in msgids]


def export_notes(lang: Lang, title: str, filters: Sequence[tuple[str, str | int | None]], rows: int, *,
                 total: int | None = None, now: datetime | None = None) -> list[str]:
    """The lines an export starts with: what it is, the filters on screen (``label=value``; those without a value
    are left out), the export time in Beijing time and how many rows follow (and how many matched, when the file
    holds fewer: ``total``).

    ``filters`` are (label, value) pairs with the label already in ``lang``; ``now`` (default: the current time)
    is the export time.
    """
    given = "; ".join(f"{k}={v}" for k, v in filters if v not in (None, ""))
    stamp = beijing_time(now or datetime.now(UTC), "%Y-%m-%d %H:%M:%S")
    count = (pgettext(lang, "export", "%(rows)s rows") % {"rows": rows} if total is None or total <= rows else
             pgettext(lang, "export", "%(total)s rows match; the first %(rows)s are in this file")
             % {"total": total, "rows": rows})
    return [title,
            pgettext(lang, "export", "Filters: %(filters)s") % {"filters": given or pgettext(lang, "export", "none (all)")},
            pgettext(lang, "export", "Exported at (Beijing time): %(time)s") % {"time": stamp},
            count]


def _cell(v: Any) -> Any:
    return "" if v is None else v


def csv_response(rows: Sequence[dict[str, Any]], columns: Sequence[str], filename: str, *,
                 headers: Sequence[str] | None = None, notes: Sequence[str] = ()) -> Response:
    """Rows as a UTF-8 CSV with BOM (Excel on Chinese Windows opens it correctly); no cell can run.

    ``headers`` are the column titles (the column keys when omitted); ``notes`` (the filters on screen, the export
    time) go first, one per line, then an empty line, then the table.
    """
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\n")
    for note in notes:
        w.writerow(csv_row([note]))
    if notes:
        w.writerow([])
    w.writerow(csv_row(headers or columns))
    for r in rows:
        w.writerow(csv_row(_cell(r.get(c)) for c in columns))
    return file_response(buf.getvalue(), CSV, filename)


def xlsx_response(rows: Sequence[dict[str, Any]], columns: Sequence[str], filename: str, *, sheet: str,
                  headers: Sequence[str] | None = None, notes: Sequence[str] = (),
                  sample_flag: str = "sample") -> Response:
    """Rows as an Excel workbook; a sheet with any sample row is titled and noted 示例数据; text stays text.

    ``notes`` (the filters on screen, the export time) go to a second sheet 导出说明. ``sample_flag`` is the
    column that marks a sample row.
    """
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    sample = any(r.get(sample_flag) for r in rows)
    ws.title = (sheet + " 示例数据")[:31] if sample else sheet[:31]
    ws.append(list(headers or columns))
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append([_cell(r.get(c)) for c in columns])
    ws.freeze_panes = "A2"
    if notes:
        about = wb.create_sheet("导出说明")
        for line in notes:
            about.append([line])
    if sample:
        note = wb.create_sheet("说明")
        note.append(["示例数据: 本表含示例数据 (tanfeng sample generator), 非官方统计。"])
    buf = io.BytesIO()
    xlsx_safe(wb).save(buf)
    return file_response(buf.getvalue(), XLSX, filename)
