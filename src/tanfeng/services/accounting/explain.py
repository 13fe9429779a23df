"""A stored run checked and explained: the engine run again on its inputs, one line's factor and arithmetic."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from tanfeng import __version__
from tanfeng.errors import NotFoundError, at
from tanfeng.reference.factors import FactorRecord
from tanfeng.services.accounting._stored import factor_records_in
from tanfeng.services.accounting.calculators import compute_combustion, compute_electricity
from tanfeng.services.accounting.enterprise import compute_enterprise
from tanfeng.services.accounting.inventory import compute_inventory
from tanfeng.services.accounting.runs import find_run, run_line
from tanfeng.services.accounting.schemas import Explanation, RecomputeResult
from tanfeng.store import repository_accounting as repo
from tanfeng.store.models_accounting import AccountingLineRow

__all__ = [
    "Compute",
    "arithmetic",
    "differences",
    "explain",
    "recompute",
]

Compute = Callable[[dict[str, Any]], tuple[dict[str, Any], list[dict[str, Any]]]]

_COMPUTE: dict[str, Compute] = {"inventory": compute_inventory, "enterprise": compute_enterprise,
                                "combustion": compute_combustion, "electricity": compute_electricity}
"""Run kind → the computation that made its result from its inputs."""

_EXPLAINED_INPUTS = ("file", "options", "request")


def differences(stored: Any, now: Any, *, limit: int = 20) -> list[str]:
    """The first ``limit`` paths (``totals[0].gross``) where two JSON values differ, each with both values."""
    out: list[str] = []
    _collect_differences(stored, now, "", out, limit)
    return out


def _collect_differences(stored: Any, now: Any, path: str, out: list[str], limit: int) -> None:
    if len(out) >= limit or stored == now:
        return
    if isinstance(stored, dict) and isinstance(now, dict):
        for key in sorted(set(stored) | set(now)):
            _collect_differences(stored.get(key), now.get(key), f"{path}.{key}" if path else key, out, limit)
    elif isinstance(stored, list) and isinstance(now, list) and len(stored) == len(now):
        for i, (before, after) in enumerate(zip(stored, now, strict=True)):
            _collect_differences(before, after, f"{path}[{i}]", out, limit)
    else:
        out.append(f"{path}: stored {json.dumps(stored, ensure_ascii=False)[:200]}, "
                   f"now {json.dumps(now, ensure_ascii=False)[:200]}")


def recompute(session: Session, run_id: int) -> RecomputeResult:
    """Run the engine again on the run's stored inputs; ``equal`` says whether the result is the same.

    Nothing is written. A difference means the factor library or the engine changed since the run was stored;
    ``differences`` names the first fields that differ.
    """
    row = find_run(session, run_id)
    result, _ = _COMPUTE[row.kind](row.inputs)
    return RecomputeResult(run_id=run_id, equal=result == row.result, differences=differences(row.result, result),
                           engine_version=__version__, stored_engine_version=row.engine_version, result=result)


def _number(x: float | None) -> str:
    return "null" if x is None else format(x, ".12g")


def arithmetic(line: AccountingLineRow, records: list[FactorRecord]) -> str:
    """A line's arithmetic: activity × factor = result (tce, tCO2e or tCO2), then the records' own values."""
    out, out_unit = (line.tce, "tce") if line.tce is not None else (
        (line.tco2e, "tCO2e") if line.tco2e is not None and line.tco2 is None else (line.tco2, "tCO2"))
    if line.factor_value is None:
        text = f"{_number(line.activity)} {line.activity_unit} → {_number(out)} {out_unit} ({line.formula})"
    else:
        text = (f"{_number(line.activity)} {line.activity_unit} × {_number(line.factor_value)} {line.factor_unit} "
                f"= {_number(out)} {out_unit}")
    if line.tco2e is not None and line.tco2 is not None and line.tco2e != line.tco2:
        text += f"; {_number(line.tco2e)} tCO2e"
    for rec in records:
        if rec.unit and line.factor_unit and rec.value != line.factor_value:
            text += f"; {rec.id}: {_number(rec.value)} {rec.unit}"
    return text


def explain(session: Session, run_id: int, line: int = 1) -> Explanation:
    """One line of a run: the factor records behind it (with sources), the formula and the arithmetic.

    Raises
    ------
    NotFoundError
        No such run, or the run has no line with that number.
    """
    row = find_run(session, run_id)
    found = repo.get_line(session, run_id=run_id, line_no=line)
    if found is None:
        msg = f"accounting run {run_id} has no line {line} (it has lines 1 to {repo.count_lines(session, run_id=run_id)})"
        raise NotFoundError(msg, location=at(field="line"))
    known = factor_records_in(row.result)
    records = [FactorRecord.model_validate(known[i]) for i in (found.factor_id or "").split(" + ") if i in known]
    return Explanation(run_id=run_id, kind=row.kind, method=row.method, line=run_line(found), factors=records,
                       arithmetic=arithmetic(found, records),
                       inputs={k: v for k, v in row.inputs.items() if k in _EXPLAINED_INPUTS})
