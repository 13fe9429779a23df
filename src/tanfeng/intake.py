"""Files read whole and honestly: the limits every import states, workbooks, text and numbers.

Every importer (annual-report workbook, NBS balance, form 205-1, the projects 清单, barometer and meter
CSV, plan texts) reads its file through this module, so that the same rules hold everywhere:

- **Limits, stated in the error** (:class:`Limits`, from ``TANFENG_MAX_UPLOAD_BYTES``,
  ``TANFENG_MAX_UNZIPPED_BYTES``, ``TANFENG_MAX_IMPORT_ROWS``, ``TANFENG_MAX_TEXT_BYTES``,
  ``TANFENG_MAX_BATCH_ROWS`` for meter-reading batches): a file over
  the size limit is refused before it is parsed; a workbook's parts are checked against the decompressed
  limit from the sizes its ZIP directory declares, before openpyxl opens it (Python's ``zipfile`` never
  inflates a part past its declared size, so a lying directory cannot get around the check); a sheet or
  CSV with more rows than the cap is refused when the cap is passed, not after reading everything.
- **Workbooks whole** (:class:`Workbook`): openpyxl's read-only mode trusts the ``<dimension>`` tag
  that other tools often write wrong (``A1:A1`` on a full sheet), so every sheet's dimensions are reset
  and the cells present in the file are read. A formula cell is an error naming sheet, cell and formula:
  a cached value may be stale or missing, and the platform stores figures, not formulas.
- **Text** (:func:`decode_text`): UTF-8 (with or without BOM) or UTF-16 with its BOM; anything else, and
  any NUL character, is an error naming the line.
- **Numbers** (:func:`finite_number`): ``nan``, ``inf`` and magnitudes above :data:`MAX_MAGNITUDE` are
  refused, naming the cell, so that no sum overflows later.

Errors are :class:`~tanfeng.errors.ImportDataError` naming the file (``file / sheet`` for a workbook),
the row and the field.
"""

from __future__ import annotations

import functools
import io
import math
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tanfeng.config import Settings, get_settings
from tanfeng.errors import ImportDataError, Location, at

__all__ = ["MAX_MAGNITUDE", "Limits", "Workbook", "check_rows", "check_size", "check_zip", "decode_text",
           "finite_number", "limits", "refuse_empty"]

MAX_MAGNITUDE = 1e15
"""Largest magnitude a figure in an import may have: far above any real quantity (the region's whole energy use
is about 3×10⁸ tce), far below where sums and unit conversions overflow (1e308)."""

_MB = 1_000_000


@dataclass(frozen=True)
class Limits:
    """How much an import may read: file size, decompressed workbook size, rows per sheet, plan text size."""

    upload_bytes: int = 20_000_000
    unzipped_bytes: int = 200_000_000
    rows: int = 100_000
    text_bytes: int = 5_000_000
    batch_rows: int = 1_000_000

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """The limits the deployment set (``TANFENG_MAX_*``)."""
        return cls(upload_bytes=settings.max_upload_bytes, unzipped_bytes=settings.max_unzipped_bytes,
                   rows=settings.max_import_rows, text_bytes=settings.max_text_bytes,
                   batch_rows=settings.max_batch_rows)


def limits() -> Limits:
    """The limits of the current environment (read now, as :func:`tanfeng.config.get_settings` does).

    Settings come only from ``TANFENG_*`` variables, so the limits are kept per value of those variables: a
    reading batch does not pay for parsing the whole settings again.
    """
    return _limits_for(tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("TANFENG_"))))


@functools.lru_cache(maxsize=8)
def _limits_for(_environment: tuple[tuple[str, str], ...]) -> Limits:
    return Limits.from_settings(get_settings())


def _size(n: int) -> str:
    return f"{n / _MB:.1f} MB" if n >= _MB else f"{n:,} bytes"


def check_size(size: int, name: str, lim: Limits | None = None, *, text: bool = False) -> None:
    """Refuse a file of ``size`` bytes over the upload limit (or the text limit when ``text``).

    Raises
    ------
    ImportDataError
        Naming the file, its size and the limit with the setting that changes it.
    """
    lim = lim or limits()
    cap, setting = (lim.text_bytes, "TANFENG_MAX_TEXT_BYTES") if text else (lim.upload_bytes, "TANFENG_MAX_UPLOAD_BYTES")
    if size > cap:
        msg = f"the file is {_size(size)}, over the limit of {_size(cap)} ({setting})"
        raise ImportDataError(msg, location=at(name), hint="split it into smaller files")


def check_zip(source: bytes | Path, name: str, lim: Limits | None = None) -> None:
    """Refuse a workbook whose ZIP parts declare more than the decompressed limit, before any part is read.

    Raises
    ------
    ImportDataError
        Not a ZIP archive (so not an .xlsx), or over the limit (named with its setting).
    """
    lim = lim or limits()
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as z:
            declared = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        msg = f"cannot read the workbook: not an Excel workbook (.xlsx), {exc}"
        raise ImportDataError(msg, location=at(name), hint="save it as .xlsx from Excel or WPS, or send CSV") from exc
    if declared > lim.unzipped_bytes:
        msg = (f"the workbook would decompress to {_size(declared)}, over the limit of "
               f"{_size(lim.unzipped_bytes)} (TANFENG_MAX_UNZIPPED_BYTES)")
        raise ImportDataError(msg, location=at(name), hint="split it into smaller workbooks")


def check_rows(count: int, where: str, lim: Limits | None = None) -> None:
    """Refuse the ``count``-th row of a sheet or file when it passes the row cap."""
    lim = lim or limits()
    if count > lim.rows:
        msg = f"more than {lim.rows:,} rows, the limit of one import (TANFENG_MAX_IMPORT_ROWS)"
        raise ImportDataError(msg, location=at(where, row=count), hint="split it into smaller files")


def refuse_empty(where: str, *, header_row: int | None) -> ImportDataError:
    """The error for a file or sheet with no data rows (``header_row``: where its header is, if it has one)."""
    if header_row is None:
        return ImportDataError("the file is empty", location=at(where), hint="fill in the template and send it again")
    return ImportDataError("the file has a header but no data rows", location=at(where, row=header_row + 1),
                           hint="fill in at least one row below the header")


def finite_number(raw: Any, where: Location) -> float | None:
    """A cell as a number: ``None`` for an empty cell (blank, ``-``, ``—``); ``1,234.5`` is read as 1234.5.

    Raises
    ------
    ImportDataError
        Text that is not a number, ``nan``/``inf``, or a magnitude above :data:`MAX_MAGNITUDE`.
    """
    if raw is None or (isinstance(raw, str) and raw.strip() in ("", "-", "—")):
        return None
    if isinstance(raw, bool):
        msg = f"not a number: {raw}"
        raise ImportDataError(msg, location=where)
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        try:
            value = float(str(raw).replace(",", "").strip())
        except ValueError as exc:
            msg = f"not a number: '{raw}'"
            raise ImportDataError(msg, location=where) from exc
    if not math.isfinite(value):
        msg = f"not a finite number: '{raw}'"
        raise ImportDataError(msg, location=where, hint="write the figure itself (no NaN or infinity)")
    if abs(value) > MAX_MAGNITUDE:
        msg = f"{value:g} is out of range (more than {MAX_MAGNITUDE:g} in magnitude)"
        raise ImportDataError(msg, location=where, hint="check the unit and the figure")
    return value


def decode_text(data: bytes, name: str) -> str:
    """Bytes of a CSV or JSON file as text: UTF-8 (BOM or not), or UTF-16 with its BOM.

    Raises
    ------
    ImportDataError
        Another encoding (GBK …), naming the line of the first byte that is not UTF-8; a NUL character,
        naming its line.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            msg = f"the file starts with a UTF-16 byte-order mark but is not valid UTF-16 (byte {exc.start})"
            raise ImportDataError(msg, location=at(name), hint="save it again as CSV UTF-8") from exc
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            msg = f"the file is not UTF-8 text (byte {exc.start} is not UTF-8; GBK?)"
            raise ImportDataError(msg, location=at(name, line=line),
                                  hint="save it as 'CSV UTF-8' (Excel) or UTF-8 text (WPS)") from exc
    nul = text.find("\0")
    if nul >= 0:
        msg = "the file contains a NUL character"
        raise ImportDataError(msg, location=at(name, line=text.count("\n", 0, nul) + 1),
                              hint="send a text file (CSV), not a binary one")
    return text


class Workbook:
    """An .xlsx read whole: size and ZIP checked first, every sheet's dimensions reset, formulas refused.

    Parameters
    ----------
    source
        The workbook's bytes or its path.
    name
        The file name errors quote (``name / sheet``).
    lim
        The limits (default: the environment's).

    Raises
    ------
    ImportDataError
        Over a limit, not a workbook, or damaged.
    """

    def __init__(self, source: bytes | Path, name: str, lim: Limits | None = None) -> None:
        from openpyxl import load_workbook

        self.name = name
        self.limits = lim or limits()
        size = len(source) if isinstance(source, bytes) else source.stat().st_size
        check_size(size, name, self.limits)
        check_zip(source, name, self.limits)
        try:
            self._wb = load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source,
                                     read_only=True, data_only=False, keep_links=False)
        except Exception as exc:  # openpyxl raises many types (KeyError, ParseError …) for a damaged file
            msg = f"cannot read the workbook: {exc.__class__.__name__}: {exc}"
            raise ImportDataError(msg, location=at(name),
                                  hint="save it again as .xlsx from Excel or WPS, or send CSV") from exc

    @property
    def sheetnames(self) -> list[str]:
        """The names of the worksheets, in order."""
        return list(self._wb.sheetnames)

    def where(self, sheet: str) -> str:
        """``file / sheet``, the way errors name a sheet."""
        return f"{self.name} / {sheet}"

    def first_sheet(self) -> str:
        """The name of the first sheet."""
        if not self._wb.sheetnames:
            msg = "the workbook has no sheet"
            raise ImportDataError(msg, location=at(self.name))
        return str(self._wb.sheetnames[0])

    def require(self, sheet: str) -> None:
        """Refuse a missing sheet, naming the sheets the workbook has."""
        if sheet not in self._wb.sheetnames:
            msg = f"sheet '{sheet}' is missing (the workbook has {self.sheetnames})"
            raise ImportDataError(msg, location=at(self.where(sheet)), hint="use the template's sheet names")

    def rows(self, sheet: str, *, min_row: int = 1) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """``(row number, values)`` for every row of ``sheet`` from ``min_row`` (empty rows give ``()``).

        Raises
        ------
        ImportDataError
            A missing sheet, a formula cell (sheet, cell and formula named), more rows than the cap, or a
            part of the file that cannot be read (truncated, damaged).
        """
        self.require(sheet)
        ws = self._wb[sheet]
        where = self.where(sheet)
        reset = getattr(ws, "reset_dimensions", None)
        if reset is not None:
            reset()
        n = min_row - 1
        try:
            for n, cells in enumerate(ws.iter_rows(min_row=min_row), start=min_row):
                check_rows(n, where, self.limits)
                yield n, tuple(self._value(c, where, n) for c in cells)
        except ImportDataError:
            raise
        except Exception as exc:  # a damaged or truncated part: zlib, XML or ZIP errors
            msg = f"cannot read the sheet after row {n}: {exc.__class__.__name__}: {exc}"
            raise ImportDataError(msg, location=at(where, row=n + 1),
                                  hint="save it again as .xlsx from Excel or WPS") from exc

    @staticmethod
    def _value(cell: Any, where: str, row: int) -> Any:
        if getattr(cell, "data_type", None) == "f":
            formula = cell.value if isinstance(cell.value, str) else getattr(cell.value, "text", str(cell.value))
            coord = getattr(cell, "coordinate", "?")
            msg = f"cell {coord} holds the formula '{str(formula)[:80]}'; imports read values, not formulas"
            raise ImportDataError(msg, location=at(where, row=row, field=coord),
                                  hint="copy the sheet and paste it as values (选择性粘贴 → 数值), then send it again")
        return cell.value

    def close(self) -> None:
        """Release the file."""
        self._wb.close()
