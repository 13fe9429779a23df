"""Reading the power data files: every bad cell is refused with its file, row and field.

Rows are counted from 1 for the first data row (the header is not counted), as the other importers do.
Nothing is solved before every file has been read and checked.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tanfeng.errors import ImportDataError, at

__all__ = [
    "Parser",
    "opt_float",
    "pct",
    "pos_float",
    "pos_int",
    "read_table",
    "share",
    "text",
    "unit_float",
]

Parser = Callable[[str], Any]


def text(value: str) -> str:
    """A non-empty text cell."""
    if not value.strip():
        msg = "empty"
        raise ValueError(msg)
    return value.strip()


def _number(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        msg = f"not a number: {value!r}"
        raise ValueError(msg) from None
    if not math.isfinite(number):
        msg = f"not a finite number: {value!r}"
        raise ValueError(msg)
    return number


def pos_float(value: str) -> float:
    """A number ≥ 0 (capacities, energies, hours)."""
    number = _number(value)
    if number < 0:
        msg = f"negative value {number:g}; it must be zero or more"
        raise ValueError(msg)
    return number


def pos_int(value: str) -> int:
    """A whole number ≥ 0 (years, hours)."""
    number = pos_float(value)
    if number != int(number):
        msg = f"not a whole number: {value!r}"
        raise ValueError(msg)
    return int(number)


def unit_float(value: str) -> float:
    """A per-unit number in [0, 1]."""
    number = pos_float(value)
    if number > 1:
        msg = f"{number:g} is above 1; a per-unit value lies in [0, 1]"
        raise ValueError(msg)
    return number


share = unit_float


def pct(value: str) -> float:
    """A percentage in [0, 100]."""
    number = pos_float(value)
    if number > 100:
        msg = f"{number:g} is above 100 %"
        raise ValueError(msg)
    return number


def opt_float(parser: Parser) -> Parser:
    """Wrap ``parser`` so that an empty cell reads as ``None``."""

    def parse(value: str) -> Any:
        return None if not value.strip() else parser(value)

    return parse


def read_table(path: Path, columns: Mapping[str, Parser]) -> list[dict[str, Any]]:
    """Read a UTF-8 CSV file and parse every named column of every row.

    Parameters
    ----------
    path
        The file.
    columns
        Column name → parser; the parser raises ``ValueError`` with a short reason on a bad cell. Other
        columns (``source``, ``certainty``) are kept as text.

    Raises
    ------
    ImportDataError
        The file is missing or empty, a column is missing, or a cell is bad (file, row and field named).
    """
    name = path.name
    if not path.is_file():
        msg = "data file not found"
        raise ImportDataError(msg, location=at(name),
                              hint="every study reads the files listed in docs/power.md")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        for column in columns:
            if column not in header:
                msg = f"column '{column}' is missing"
                raise ImportDataError(msg, location=at(name, field=column),
                                      hint=f"expected columns: {', '.join(columns)}")
        rows: list[dict[str, Any]] = []
        for number, raw in enumerate(reader, start=1):
            row: dict[str, Any] = {k: (v or "") for k, v in raw.items() if k is not None}
            for column, parser in columns.items():
                try:
                    row[column] = parser(raw.get(column) or "")
                except ValueError as exc:
                    raise ImportDataError(str(exc), location=at(name, row=number, field=column),
                                          hint="correct the cell; nothing was solved") from None
            rows.append(row)
    if not rows:
        msg = "the file has no data rows"
        raise ImportDataError(msg, location=at(name))
    return rows
