"""Files handed to the accounting service: their names, and a workbook that cannot be read (private)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from tanfeng.errors import ImportDataError, at

__all__ = ["readable", "safe_name", "source_name"]


def source_name(source: str | Path | pl.DataFrame | None, file_name: str | None) -> str:
    """The name a run records for its input: the name given, else the file's name, else ``<frame>``."""
    if file_name:
        return file_name
    if isinstance(source, str | Path):
        return Path(source).name
    return "<frame>"


def safe_name(name: str | None, default: str) -> str:
    """An uploaded file's name without folders or characters a file system refuses (``default`` if empty)."""
    base = Path(name or default).name.strip() or default
    return "".join(c for c in base if c not in '\\/:*?"<>|\0')[:200] or default


@contextmanager
def readable(name: str) -> Iterator[None]:
    """A file that is not the workbook it claims to be is bad input naming the file (not an internal error)."""
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        yield
    except (zipfile.BadZipFile, InvalidFileException) as exc:
        msg = f"cannot read the workbook: {exc}"
        raise ImportDataError(msg, location=at(name), hint="save it as .xlsx from Excel or WPS, or send CSV") from exc
