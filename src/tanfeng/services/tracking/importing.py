"""Import of a barometer CSV (region, period, intensity change, consumption growth …) evaluated row by row."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from tanfeng.errors import ImportDataError, at
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
    if not math.isfinite(value):
        msg = f"'{text}' is not a finite number"
        raise ImportDataError(msg, location=at(file, row=row, field=field))
    return value


def read_barometer_csv(path: Path, total_rule: TotalWarningRule = TOTAL_GROWTH_INFERRED) -> list[BarometerEntry]:
    """Read and evaluate a barometer CSV; any bad row refuses the whole file.

    Rows are numbered as in a spreadsheet: the header is row 1, the first data row is row 2.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"cannot read the file: {exc}"
        raise ImportDataError(msg, location=at(path), hint="give a UTF-8 CSV file") from exc
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    missing = [c for c in BAROMETER_COLUMNS if c not in header]
    if missing:
        msg = f"missing column(s): {', '.join(missing)}"
        raise ImportDataError(msg, location=at(path, row=1, field=missing[0]),
                              hint=f"the header must have: {', '.join(BAROMETER_COLUMNS)}")
    entries: list[BarometerEntry] = []
    for rec in reader:
        i = reader.line_num  # the file line this record ends on (blank lines skipped by the reader still count)
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
        msg = "no data rows"
        raise ImportDataError(msg, location=at(path, row=2))
    return entries
