"""``tanfeng plan extract FILE``, ``plan review`` and ``plan load``: from a Chinese text to a plan in the store.

``extract --out draft.yaml`` writes a draft in the plan schema (未审核, each target with its confidence, reasons
and source span) beside a copy of the text as read; ``review`` applies a review file (accept, correct,
reject, add); ``load`` checks a plan file and stores it as a new version (audited; an unchanged file adds
nothing).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer
import yaml

from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit
from tanfeng.cli.session import store_session
from tanfeng.errors import InputError, PlanFileError, at
from tanfeng.plan.draft import apply_review, draft_plan, plan_yaml
from tanfeng.plan.extract import extract_text
from tanfeng.plan.loader import load_plan
from tanfeng.plan.textio import read_text_file
from tanfeng.services import plans as service

__all__ = ["TARGET_COLUMNS", "extract", "load", "review"]

TARGET_COLUMNS = ("id", "line", "indicator", "scope", "year", "comparator", "value", "value_high", "unit",
                  "baseline_year", "qualifier", "aspirational", "confidence", "indicator_id")


def extract(
    file: Path = typer.Argument(..., help="Plan text: UTF-8 or GB18030/GBK .txt, .docx or PDF."),  # noqa: B008
    region: str | None = typer.Option(None, "--region", help="GB/T 2260 code of the plan's region (000000: the nation)."),
    out: Path | None = typer.Option(None, "--out", help="Write a draft plan file (YAML, 未审核) here."),  # noqa: B008
    plan_id: str | None = typer.Option(None, "--id", help="Id of the drafted plan (default: the file's stem)."),
    title: str | None = typer.Option(None, "--title", help="Title of the drafted plan (default: the file name)."),
    published: str | None = typer.Option(
        None, "--published", help="Publication date (YYYY, YYYY-MM or YYYY-MM-DD): values for earlier years, e.g. "
        "what “十三五”期间 achieved, are read as figures of the past, not targets. Default: the date the text shows; "
        "without one, values the text tells as done (已完成, 2023年全年…) are still no targets."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Draft a plan's structure and quantified targets from a Chinese plan or policy text.

    Parameters
    ----------
    file
        The text to read.
    region
        Region code given to region-wide targets as ``scope_code`` (required with ``--out``).
    out
        Where to write the draft plan file; the text as read is written beside it as ``<stem>.source.txt``.
    plan_id, title
        The drafted plan's id and title.
    published
        The plan's publication date, kept in the draft.
    fmt
        ``json`` prints an object with ``targets``, the structure and ``warnings``; ``table`` and
        ``csv`` print the targets.
    """
    as_of = None
    if published is not None:
        if not re.fullmatch(r"(19|20)\d{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?", published):
            msg = f"--published '{published}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
            raise InputError(msg, location=at(field="published"), hint="e.g. --published 2022-07")
        as_of = int(published[:4])
    st = read_text_file(file)
    draft = extract_text(st.text, source_name=st.source, region_code=region, encoding=st.encoding, as_of=as_of)
    if out is not None:
        if region is None:
            msg = "--out needs --region: the plan's region code"
            raise PlanFileError(msg, location=at(out), hint="e.g. --region 370000 for 山东省")
        source_name = f"{out.stem}.source.txt"
        pid = plan_id or "".join(c if c.isalnum() or c in "._-" else "_" for c in file.stem)
        plan = draft_plan(draft, plan_id=pid, title=title or file.name, region=region, source_file=source_name,
                          text=st.text, published=published)
        out.parent.mkdir(parents=True, exist_ok=True)
        (out.parent / source_name).write_text(st.text, encoding="utf-8")
        out.write_text(plan_yaml(plan), encoding="utf-8")
    if fmt is OutputFormat.json:
        emit(draft.model_dump(mode="json"), fmt)
        return
    rows: list[dict[str, Any]] = []
    for t in draft.targets:
        row = t.model_dump(mode="json")
        rows.append({c: row.get(c) for c in TARGET_COLUMNS})
    title_line = f"{draft.source} ({draft.encoding}): {len(draft.targets)} targets, {len(draft.actions)} actions"
    if out is not None:
        title_line += f"; draft written to {out} (未审核)"
    emit(rows, fmt, columns=TARGET_COLUMNS, title=title_line)


def review(
    draft: Path = typer.Argument(..., help="The draft plan file (from `plan extract --out`)."),  # noqa: B008
    corrections: Path = typer.Argument(..., help="Review file: accept, reject, correct, add."),  # noqa: B008
    out: Path = typer.Option(..., "--out", help="Write the reviewed plan file here (beside the draft)."),  # noqa: B008
) -> None:
    """Apply a review to a draft: accept, correct or reject each target, add missed ones; mark it reviewed."""
    plan = load_plan(draft)
    try:
        spec = yaml.safe_load(corrections.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        msg = f"review file is not valid YAML: {exc}"
        raise PlanFileError(msg, location=at(corrections), hint="check indentation and quotes") from exc
    if not isinstance(spec, dict):
        msg = "a review file is a mapping (accept, reject, correct, add)"
        raise PlanFileError(msg, location=at(corrections, line=1), hint="start with 'accept:' or 'correct:'")
    text = None
    if plan.source_file is not None and (draft.parent / plan.source_file).is_file():
        text = (draft.parent / plan.source_file).read_text(encoding="utf-8")
    reviewed = apply_review(plan, spec, text=text, where=str(corrections))
    out.write_text(plan_yaml(reviewed), encoding="utf-8")
    typer.echo(f"{out}: {len(reviewed.targets)} targets, reviewed (已审核)")


def load(
    file: Path = typer.Argument(..., help="A plan file: reviewed, or a draft (loaded as 未审核)."),  # noqa: B008
    actor: str = typer.Option("cli", "--actor", help="Who the audit log names."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Check a plan file and store it as a new version (audited); an unchanged file adds nothing."""
    with store_session() as session:
        res = service.load_plan_file(session, file, actor=actor)
    emit(res.model_dump(mode="json"), fmt)
