"""``tanfeng plan``: The plan as data: show it, list its targets, draft one from a text (规划/方案)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit
from tanfeng.errors import InputError
from tanfeng.plan.loader import filter_targets, load_builtin_plan, load_plan
from tanfeng.plan.model import Comparator, Plan, Target
from tanfeng.units import readable_number

__all__ = ["TARGET_FIELDS", "app", "describe", "show", "target_row", "targets"]

app = typer.Typer(help="The plan as data: show it, list its targets; draft one from a text (extract --out), "
                       "review the draft (review), load it into the store (load) (规划/方案).", no_args_is_help=True)

_PLAN_OPTION: Any = typer.Option(None, "--plan", "-p", help="Id of a built-in plan (default: im2022).")
_FILE_OPTION: Any = typer.Option(None, "--file", help="A plan YAML file instead of a built-in plan.",
                                 exists=False, dir_okay=False)

TARGET_FIELDS = ["id", "action", "measure", "indicator", "indicator_id", "indicator_en", "scope", "scope_regions",
                 "year", "comparator", "value", "value_high", "qualifier", "unit", "baseline_year", "aspirational",
                 "source_text", "document", "line", "certainty"]
"""Fields of a target row in ``plan targets`` (JSON and CSV)."""


def _load(plan_id: str | None, file: Path | None) -> Plan:
    if plan_id is not None and file is not None:
        msg = "give either --plan or --file, not both"
        raise InputError(msg, hint="--plan names a built-in plan, --file a plan YAML file")
    if file is not None:
        return load_plan(file)
    return load_builtin_plan(plan_id or "im2022")


def _num(v: float | None) -> str:
    return "" if v is None else readable_number(v, grouping=False)


def describe(t: Target) -> str:
    """The target's comparator, value and unit as a person reads them, e.g. ``≥ 500 万千瓦``.

    Parameters
    ----------
    t
        The target.

    Returns
    -------
    str
        ``比2020年下降 5 %`` for a decrease, ``10–20 %`` for a range, ``≈ 305 克标准煤/千瓦时`` otherwise.
    """
    q = f"{t.qualifier} " if t.qualifier not in (None, "=") else ""
    if t.comparator is Comparator.DECREASE_BY:
        return f"比{t.baseline_year}年下降 {q}{_num(t.value)} {t.unit}"
    if t.comparator is Comparator.INCREASE_BY:
        return f"比{t.baseline_year}年提高 {q}{_num(t.value)} {t.unit}"
    if t.comparator is Comparator.BETWEEN:
        return f"{_num(t.value)}–{_num(t.value_high)} {t.unit}"
    return f"{t.comparator.value} {_num(t.value)} {t.unit}"


def target_row(t: Target) -> dict[str, Any]:
    """A target as a flat row: the fields of :data:`TARGET_FIELDS`, ``value`` a number, ``year`` an int or null.

    Parameters
    ----------
    t
        The target.
    """
    return {
        "id": t.id, "action": t.action, "measure": t.measure, "indicator": t.indicator,
        "indicator_id": t.indicator_id, "indicator_en": t.indicator_en, "scope": t.scope,
        "scope_regions": list(t.scope_regions), "year": t.year, "comparator": t.comparator.value,
        "value": t.value, "value_high": t.value_high, "qualifier": t.qualifier, "unit": t.unit,
        "baseline_year": t.baseline_year, "aspirational": t.aspirational, "source_text": t.source_text,
        "document": t.source.document, "line": t.source.line, "certainty": t.source.certainty.value,
    }


def _measure_rows(plan: Plan) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for part in plan.parts:
        for a in part.actions:
            head = f"({a.numeral}){a.title}"
            if not a.measures:
                rows.append({"part": part.title, "action": head, "measure": "", "title": "", "certainty": ""})
            for m in a.measures:
                rows.append({"part": part.title, "action": head, "measure": m.id, "title": f"{m.number}.{m.title}",
                             "certainty": m.source.certainty.value})
        for m in part.measures:
            rows.append({"part": part.title, "action": "", "measure": m.id, "title": f"{m.number}.{m.title}",
                         "certainty": m.source.certainty.value})
    return rows


@app.command("show")
def show(plan: str | None = _PLAN_OPTION, file: Path | None = _FILE_OPTION,
         fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Show a plan: its parts, actions (行动) and measures. JSON prints the whole plan."""
    p = _load(plan, file)
    if fmt is OutputFormat.json:
        emit(p.model_dump(mode="json"), fmt)
        return
    title = f"{p.title} ({p.document_number or p.id}): {len(p.actions)} actions, {len(p.targets)} targets"
    emit(_measure_rows(p), fmt, columns=["part", "action", "measure", "title", "certainty"], title=title)


@app.command("targets")
def targets(
    plan: str | None = _PLAN_OPTION,
    file: Path | None = _FILE_OPTION,
    action: str | None = typer.Option(None, "--action", "-a", help="Action, part or measure id: a05, main, a05.m1."),
    year: int | None = typer.Option(None, "--year", "-y", help="Target year, e.g. 2025."),
    scope: str | None = typer.Option(None, "--scope", "-s", help="Region code or named scope, e.g. 150000."),
    indicator: str | None = typer.Option(None, "--indicator", "-i",
                                         help="indicator_id, or part of the Chinese indicator name."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """List a plan's quantified targets (JSON: an array of targets)."""
    p = _load(plan, file)
    found = filter_targets(p, action=action, year=year, scope=scope, indicator=indicator)
    rows = [target_row(t) for t in found]
    if fmt is OutputFormat.json:
        emit(rows, fmt)
        return
    if fmt is OutputFormat.csv:
        emit(rows, fmt, columns=TARGET_FIELDS)
        return
    table = [{"id": t.id, "indicator": t.indicator, "scope": t.scope, "year": t.year if t.year is not None else "—",
              "target": describe(t), "力争": "力争" if t.aspirational else "", "line": t.source.line}
             for t in found]
    emit(table, fmt, columns=["id", "indicator", "scope", "year", "target", "力争", "line"],
         title=f"{p.title}: {len(found)} of {len(p.targets)} targets")


from tanfeng.cli.plan_extract import extract as _extract  # noqa: E402  (registered last: another module's commands)
from tanfeng.cli.plan_extract import load as _load_file  # noqa: E402
from tanfeng.cli.plan_extract import review as _review  # noqa: E402

app.command("extract")(_extract)
app.command("review")(_review)
app.command("load")(_load_file)
