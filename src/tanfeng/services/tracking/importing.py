"""Import of a barometer CSV (region, period, intensity change, consumption growth …) evaluated row by row."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from pathlib import Path

from tanfeng.errors import ImportDataError, at
from tanfeng.intake import MAX_MAGNITUDE, check_rows, check_size, decode_text, limits, refuse_empty
from tanfeng.tracking.warning import TOTAL_GROWTH_INFERRED, BarometerEntry, TotalWarningRule, barometer_entry

__all__ = ["BAROMETER_COLUMNS", "PROGRESS_COLUMN", "read_barometer_csv"]

BAROMETER_COLUMNS = ("region", "period", "intensity_change_pct", "required_intensity_change_pct",
                     "consumption_growth_pct", "allowed_consumption_growth_pct")
"""Required columns of the barometer CSV; ``progress_consumption_growth_pct`` is optional."""
PROGRESS_COLUMN = "progress_consumption_growth_pct"


def _number(text: str, file: Path, row: int, field: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        msg = f"'{text}' is not a number"
        raise ImportDataError(msg, location=at(file, row=row, field=field),
                              hint="write a percentage as a plain number, e.g. -3.2") from None
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        msg = f"'{text}' is not a finite number within ±{MAX_MAGNITUDE:g}"
        raise ImportDataError(msg, location=at(file, row=row, field=field))
    return value


def read_barometer_csv(path: Path, total_rule: TotalWarningRule = TOTAL_GROWTH_INFERRED) -> list[BarometerEntry]:
    """Read and evaluate a barometer CSV; any bad row refuses the whole file.

    Rows are numbered as in a spreadsheet: the header is row 1, the first data row is row 2.
    """
    lim = limits()
    try:
        check_size(path.stat().st_size, str(path), lim)
        data = path.read_bytes()
    except OSError as exc:
        msg = f"cannot read the file: {exc}"
        raise ImportDataError(msg, location=at(path), hint="give a UTF-8 CSV file") from exc
    reader = csv.DictReader(io.StringIO(decode_text(data, str(path)), newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        msg = f"not a CSV file: {exc}"
        raise ImportDataError(msg, location=at(path, row=1)) from exc
    if not header:
        raise refuse_empty(str(path), header_row=None)
    missing = [c for c in BAROMETER_COLUMNS if c not in header]
    if missing:
        msg = f"missing column(s): {', '.join(missing)}"
        raise ImportDataError(msg, location=at(path, row=1, field=missing[0]),
                              hint=f"the header must have: {', '.join(BAROMETER_COLUMNS)}")
    entries: list[BarometerEntry] = []
    for rec in _records(reader, path):
        i = reader.line_num  # the file line this record ends on (blank lines skipped by the reader still count)
        check_rows(i, str(path), lim)
        if None in rec:
            msg = f"more cells than the header has columns ({len(header)}); they would not be read"
            raise ImportDataError(msg, location=at(path, row=i), hint="check for a comma inside a number or name")
        for field in ("region", "period"):
            if not (rec.get(field) or "").strip():
                msg = f"{field} is empty"
                raise ImportDataError(msg, location=at(path, row=i, field=field))
        num: dict[str, float] = {}
        for field in BAROMETER_COLUMNS[2:]:
            raw = rec.get(field)
            if raw is None or not raw.strip():
                msg = f"{field} is empty"
                raise ImportDataError(msg, location=at(path, row=i, field=field))
            num[field] = _number(raw, path, i, field)
        opt = (rec.get(PROGRESS_COLUMN) or "").strip()
        progress_line = _number(opt, path, i, PROGRESS_COLUMN) if opt else None
        entries.append(barometer_entry(
            (rec["region"] or "").strip(), (rec["period"] or "").strip(),
            intensity_change_pct=num["intensity_change_pct"],
            required_intensity_change_pct=num["required_intensity_change_pct"],
            consumption_growth_pct=num["consumption_growth_pct"],
            allowed_consumption_growth_pct=num["allowed_consumption_growth_pct"],
            progress_consumption_growth_pct=progress_line, total_rule=total_rule,
        ))
    if not entries:
        raise refuse_empty(str(path), header_row=1)
    return entries


def _records(reader: csv.DictReader[str], path: Path) -> Iterator[dict[str, str]]:
    """The reader's records; a malformed line (a NUL, an unclosed quote) is an error naming it."""
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            msg = f"not a CSV line: {exc}"
            raise ImportDataError(msg, location=at(path, row=reader.line_num)) from exc
        yield rec
