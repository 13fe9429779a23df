"""``/api/plans``: the plan as data — structure, targets (filterable), each target's source sentence."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from tanfeng.plan.model import Plan, Target
from tanfeng.services import plans as service
from tanfeng.web.deps import SessionDep

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
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(TARGET_CSV_COLUMNS)
    for t in targets:
        writer.writerow([t.id, t.action, t.measure, t.indicator, t.indicator_id, t.scope, t.year, t.comparator.value,
                         f"{t.value:g}", "" if t.value_high is None else f"{t.value_high:g}", t.qualifier or "",
                         t.unit, t.baseline_year, t.aspirational, t.source_text, t.source.document,
                         t.source.line, t.source.certainty.value])
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{plan_id}-targets.csv"'})


@router.get("/{plan_id}/targets/{target_id}", response_model=Target)
def get_target(plan_id: str, target_id: str, session: SessionDep) -> Target:
    """One target."""
    return service.get_target(session, plan_id, target_id)


@router.get("/{plan_id}/targets/{target_id}/source", response_model=service.SourceContext)
def target_source(plan_id: str, target_id: str, session: SessionDep) -> service.SourceContext:
    """The target's source sentence in its context (the text before and after it in the source file)."""
    return service.source_context(session, plan_id, target_id)
