"""``/api/plans``: the plan as data — structure, targets (filterable), each target's source sentence."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from tanfeng.errors import NotFoundError
from tanfeng.plan.model import Plan, Target
from tanfeng.services import plans as service
from tanfeng.units import readable_number
from tanfeng.web.deps import SessionDep
from tanfeng.web.downloads import csv_response

__all__ = ["TARGET_CSV_COLUMNS", "Filter", "get_plan", "get_target", "list_plans", "list_targets", "router", "target_source", "targets_csv"]

router = APIRouter(prefix="/api/plans", tags=["plans"])

TARGET_CSV_COLUMNS = ["id", "action", "measure", "indicator", "indicator_id", "scope", "year", "comparator",
                      "value", "value_high", "qualifier", "unit", "baseline_year", "aspirational", "source_text",
                      "source_document", "source_line", "certainty"]


@router.get("", response_model=list[service.PlanInfo])
def list_plans(session: SessionDep) -> list[service.PlanInfo]:
    """The plans in the store, with their counts of actions, measures and targets."""
    return service.list_plans(session)


@router.get("/{plan_id}", response_model=Plan)
def get_plan(plan_id: str, session: SessionDep) -> Plan:
    """A whole plan: parts, actions, measures and targets."""
    return service.get_plan(session, plan_id)


Filter = Annotated[str | None, Query()]


@router.get("/{plan_id}/targets", response_model=list[Target])
def list_targets(plan_id: str, session: SessionDep, action: Filter = None,
                 year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
                 scope: Filter = None, indicator: Filter = None) -> list[Target]:
    """A plan's quantified targets, filtered by action id, target year, scope and indicator (id or Chinese text)."""
    return service.list_targets(session, plan_id, action=action, year=year, scope=scope, indicator=indicator)


@router.get("/{plan_id}/targets.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "The targets as CSV (UTF-8 with BOM)"}})
def targets_csv(plan_id: str, session: SessionDep, action: Filter = None,
                year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
                scope: Filter = None, indicator: Filter = None) -> Response:
    """The same targets as CSV, for Excel (UTF-8 with BOM)."""
    targets = service.list_targets(session, plan_id, action=action, year=year, scope=scope, indicator=indicator)
    return csv_response([_csv_row(t) for t in targets], TARGET_CSV_COLUMNS, f"{plan_id}-targets.csv")


def _csv_row(t: Target) -> dict[str, Any]:
    """A target as a row of the CSV: numbers as short as they print, never in scientific notation
    (:func:`tanfeng.units.readable_number`, no separators), the source flattened."""
    return {"id": t.id, "action": t.action, "measure": t.measure, "indicator": t.indicator,
            "indicator_id": t.indicator_id, "scope": t.scope, "year": t.year, "comparator": t.comparator.value,
            "value": readable_number(t.value, grouping=False),
            "value_high": None if t.value_high is None else readable_number(t.value_high, grouping=False),
            "qualifier": t.qualifier or "", "unit": t.unit, "baseline_year": t.baseline_year,
            "aspirational": t.aspirational, "source_text": t.source_text, "source_document": t.source.document,
            "source_line": t.source.line, "certainty": t.source.certainty.value}


@contextmanager
def _targets_listed(plan_id: str) -> Iterator[None]:
    """An unknown target says where the plan's targets are listed."""
    try:
        yield
    except NotFoundError as exc:
        if exc.hint is not None:
            raise
        raise NotFoundError(exc.message, location=exc.location,
                            hint=f"list them with GET /api/plans/{plan_id}/targets") from exc


@router.get("/{plan_id}/targets/{target_id}", response_model=Target)
def get_target(plan_id: str, target_id: str, session: SessionDep) -> Target:
    """One target."""
    with _targets_listed(plan_id):
        return service.get_target(session, plan_id, target_id)


@router.get("/{plan_id}/targets/{target_id}/source", response_model=service.SourceContext)
def target_source(plan_id: str, target_id: str, session: SessionDep) -> service.SourceContext:
    """The target's source sentence in its context (the text before and after it in the source file)."""
    with _targets_listed(plan_id):
        return service.source_context(session, plan_id, target_id)
