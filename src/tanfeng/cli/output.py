"""Output of every CLI command: ``--format table|json|csv``.

JSON has the same shapes as the API. Tables are for people (rich); CSV is for Excel (UTF-8 with BOM
so that Excel on Chinese Windows opens it correctly).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from tanfeng.cells import csv_row
from tanfeng.units import readable_number

__all__ = ["FORMAT_OPTION", "OutputFormat", "emit", "to_json"]


class OutputFormat(StrEnum):
    """How a command prints its result."""

    table = "table"
    json = "json"
    csv = "csv"


FORMAT_OPTION: Any = typer.Option(OutputFormat.table, "--format", "-f", help="Output format: table, json or csv.")


def _jsonable(obj: Any) -> Any:
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    return str(obj)


def to_json(data: Any) -> str:
    """Serialise ``data`` as the CLI and the API do: UTF-8, Chinese kept as is."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return readable_number(value, grouping=False)  # the digits %g keeps, never 1.1e+06
    if isinstance(value, list | tuple):
        return "、".join(_cell(v) for v in value)
    return str(value)


def emit(data: Any, fmt: OutputFormat, *, columns: Sequence[str] | None = None, title: str | None = None) -> None:
    """Print ``data`` (a mapping or a list of mappings) in the chosen format.

    Parameters
    ----------
    data
        A list of rows (mappings) or one mapping; JSON prints it as given.
    columns
        Columns for table and CSV output (default: the keys of the first row).
    """
    if fmt is OutputFormat.json:
        sys.stdout.write(to_json(data) + "\n")
        return
    rows: list[Mapping[str, Any]]
    if isinstance(data, Mapping):
        rows = [{"field": k, "value": v} for k, v in data.items()] if columns is None else [data]
    else:
        rows = list(data)
    cols = list(columns) if columns is not None else (list(rows[0].keys()) if rows else [])
    if fmt is OutputFormat.csv:
        sys.stdout.write("\ufeff")
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(csv_row(cols))
        for r in rows:
            writer.writerow(csv_row(_cell(r.get(c)) for c in cols))
        return
    table = Table(title=title, show_lines=False)
    for c in cols:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*(_cell(r.get(c)) for c in cols))
    Console(width=max(120, Console().width)).print(table)
