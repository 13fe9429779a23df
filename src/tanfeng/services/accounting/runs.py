"""Stored runs: keep a calculation with its inputs, result and lines (one audited write); list and read runs.

A write commits when the session has no transaction open (the API and CLI case); inside a caller's
transaction it becomes a savepoint and the caller commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tanfeng import __version__
from tanfeng.errors import InputError, NotFoundError, at
from tanfeng.services.accounting._stored import clean, factor_records_in
from tanfeng.services.accounting.calculators import compute_combustion, compute_electricity
from tanfeng.services.accounting.schemas import (
    CombustionRequest,
    ElectricityRequest,
    RunDetail,
    RunInfo,
    RunKind,
    RunLine,
)
from tanfeng.store import repository_accounting as repo
from tanfeng.store.models import utcnow
from tanfeng.store.models_accounting import RUN_KINDS, AccountingLineRow, AccountingRunRow
from tanfeng.store.repository import content_hash, record_audit, record_batch
from tanfeng.store.transaction import atomic

__all__ = [
    "find_run",
    "get_run",
    "list_lines",
    "list_runs",
    "run_combustion",
    "run_electricity",
    "run_info",
    "run_line",
    "store_run",
]


def run_info(row: AccountingRunRow) -> dict[str, Any]:
    """The fields of :class:`RunInfo` from a stored run."""
    return {"id": row.id, "kind": row.kind, "region": row.region, "unit_id": row.unit_id, "year": row.year,
            "method": row.method, "factor_set": row.factor_set, "factor_versions": list(row.factor_versions),
            "gwp_set": row.gwp_set, "electricity_conversion": row.electricity_conversion,
            "source_name": row.source_name, "input_digest": row.input_digest, "tco2": row.tco2, "tco2e": row.tco2e,
            "energy_tce": row.energy_tce, "engine_version": row.engine_version, "created_by": row.created_by,
            "created_at": row.created_at, "status": row.status}


def store_run(session: Session, kind: RunKind, inputs: dict[str, Any], result: dict[str, Any],
              lines: list[dict[str, Any]], *, actor: str, header: dict[str, Any], rows: int) -> int:
    """Store a run, its lines, the audit entry and the import batch in one transaction; returns the run's id.

    ``header`` holds the run's listing columns (region, unit, year, method, choices, totals); ``rows`` is
    how many input rows the import batch counts.
    """
    digest = content_hash(inputs)
    versions = sorted({str(r["version"]) for r in factor_records_in(result).values()})
    with atomic(session, f"accounting run ({kind})"):
        row = AccountingRunRow(kind=kind, inputs=inputs, result=result, input_digest=digest, factor_versions=versions,
                               engine_version=__version__, created_by=actor, created_at=utcnow(), status="stored",
                               **header)
        run_id = repo.add_run(session, row=row)
        repo.add_lines(session, run_id=run_id, lines=lines)
        record_audit(session, actor=actor, action="insert", entity="accounting_run", entity_id=str(run_id),
                     before=None, after=clean({**run_info(row), "lines": len(lines)}))
        record_batch(session, kind=f"accounting_{kind}", name=header.get("source_name") or kind, rows=rows,
                     digest=digest, status="loaded", actor=actor, message=f"accounting run {run_id}, {len(lines)} lines")
    return run_id


def run_combustion(session: Session, req: CombustionRequest, *, actor: str) -> RunDetail:
    """Compute the CO2 of a fuel burnt and store it as a run."""
    inputs = clean({"file": "<api>", "request": req.model_dump(mode="json")})
    result, lines = compute_combustion(inputs)
    header = {"region": None, "unit_id": None, "year": None, "method": result["method"],
              "factor_set": result["factor_set"], "gwp_set": result["gwp_set"], "electricity_conversion": None,
              "source_name": None, "tco2": result["tco2"], "tco2e": result["tco2e"], "energy_tce": None}
    return get_run(session, store_run(session, "combustion", inputs, result, lines, actor=actor, header=header, rows=1))


def run_electricity(session: Session, req: ElectricityRequest, *, actor: str) -> RunDetail:
    """Compute the indirect CO2 of electricity and store it as a run."""
    inputs = clean({"file": "<api>", "request": req.model_dump(mode="json")})
    result, lines = compute_electricity(inputs)
    header = {"region": result["region"], "unit_id": None, "year": result["year"], "method": result["formula"],
              "factor_set": result["kind"], "gwp_set": None, "electricity_conversion": None, "source_name": None,
              "tco2": result["tco2"], "tco2e": None, "energy_tce": None}
    return get_run(session, store_run(session, "electricity", inputs, result, lines, actor=actor, header=header,
                                      rows=1))


def find_run(session: Session, run_id: int) -> AccountingRunRow:
    """The stored run with that id.

    Raises
    ------
    NotFoundError
        No run with that id (the message says how many are stored).
    """
    row = repo.get_run(session, run_id=run_id)
    if row is None:
        msg = f"accounting run {run_id} is not in the store ({repo.count_runs(session)} runs stored)"
        raise NotFoundError(msg)
    return row


def get_run(session: Session, run_id: int) -> RunDetail:
    """A stored run with its inputs and result.

    Raises
    ------
    NotFoundError
        No run with that id.
    """
    row = find_run(session, run_id)
    return RunDetail(**run_info(row), inputs=row.inputs, result=row.result,
                     lines=repo.count_lines(session, run_id=run_id))


def list_runs(session: Session, *, kind: str | None = None, region: str | None = None,
              year: int | None = None) -> list[RunInfo]:
    """Stored runs, oldest first, filtered by kind, region (code as stored) and year."""
    if kind is not None and kind not in RUN_KINDS:
        msg = f"kind '{kind}' is not one of {', '.join(RUN_KINDS)}"
        raise InputError(msg, location=at(field="kind"))
    return [RunInfo(**run_info(row)) for row in repo.list_runs(session, kind=kind, region=region, year=year)]


def run_line(row: AccountingLineRow) -> RunLine:
    """A stored line as :class:`RunLine`."""
    return RunLine(run_id=row.run_id, line_no=row.line_no, category=row.category, region=row.region, year=row.year,
                   sector=row.sector, product=row.product, gas=row.gas, activity=row.activity,
                   activity_unit=row.activity_unit, factor_id=row.factor_id, factor_value=row.factor_value,
                   factor_unit=row.factor_unit, factor_source=row.factor_source,
                   factor_confidence=row.factor_confidence, formula=row.formula, tco2=row.tco2, tco2e=row.tco2e,
                   tce=row.tce)


def list_lines(session: Session, run_id: int, *, category: str | None = None) -> list[RunLine]:
    """A run's lines in order, optionally of one category (combustion, process, energy_consumption …)."""
    find_run(session, run_id)
    return [run_line(row) for row in repo.list_lines(session, run_id=run_id, category=category)]
