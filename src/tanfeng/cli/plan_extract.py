"""``tanfeng plan extract FILE``: draft a plan's structure and targets from a Chinese text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit
from tanfeng.plan.extract import extract_file

__all__ = ["TARGET_COLUMNS", "extract"]

TARGET_COLUMNS = ("id", "line", "indicator", "scope", "year", "comparator", "value", "value_high", "unit",
                  "baseline_year", "qualifier", "aspirational", "confidence", "indicator_id")


def extract(
    file: Path = typer.Argument(..., help="Plan text: UTF-8 or GB18030/GBK .txt, .docx or PDF."),  # noqa: B008
    region: str | None = typer.Option(None, "--region", help="GB/T 2260 code of the plan's region."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Draft a plan's structure and quantified targets from a Chinese plan or policy text.

    Parameters
    ----------
    file
        The text to read.
    region
        Region code given to region-wide targets as ``scope_code``.
    fmt
        ``json`` prints an object with ``targets``, the structure and ``warnings``; ``table`` and
        ``csv`` print the targets.
    """
    draft = extract_file(file, region_code=region)
    if fmt is OutputFormat.json:
        emit(draft.model_dump(mode="json"), fmt)
        return
    rows: list[dict[str, Any]] = []
    for t in draft.targets:
        row = t.model_dump(mode="json")
        rows.append({c: row.get(c) for c in TARGET_COLUMNS})
    title = f"{draft.source} ({draft.encoding}): {len(draft.targets)} targets, {len(draft.actions)} actions"
    emit(rows, fmt, columns=TARGET_COLUMNS, title=title)
