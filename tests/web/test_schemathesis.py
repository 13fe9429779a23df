"""Property-based API tests with schemathesis, in-process over ASGI: no server errors, responses as documented.

Bounded and reproducible: 25 examples per operation, derandomized. Runs on every tagged operation of the
API, as anonymous and as an auditor (who may read everything and write nothing).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@schemathesis.serializer(XLSX, "application/vnd.apache.parquet", "application/octet-stream")
def _binary(ctx: Any, value: Any) -> bytes:
    """Uploads of workbooks and Parquet files: whatever was generated, as raw bytes (the server must refuse
    what is not a valid file with a 4xx, never a 5xx)."""
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")


TAGS = {"plans", "regions", "meta", "accounts", "audit", "accounting", "tracking", "units", "monitoring", "power"}


@pytest.fixture(scope="module")
def api_schema(app: FastAPI, role_accounts: dict[str, str]) -> Any:
    return schemathesis.openapi.from_asgi("/api/openapi.json", app).include(
        func=lambda ctx: bool(TAGS & set(ctx.operation.definition.raw.get("tags", []))))


def _token(app: FastAPI, username: str, scopes: list[str]) -> str:
    from tanfeng.services import accounts

    with app.state.sessions() as session:
        issued = accounts.issue_api_token(session, username=username, scopes=scopes,
                                          actor=accounts.Actor(name="test"), ttl_days=1)
        session.commit()
    return issued.token


@pytest.fixture(scope="module")
def auditor_token(app: FastAPI, role_accounts: dict[str, str]) -> str:
    return _token(app, role_accounts["auditor"], ["read"])


@pytest.fixture(scope="module")
def admin_token(app: FastAPI, role_accounts: dict[str, str]) -> str:
    return _token(app, role_accounts["region_admin"],
                  ["read", "create", "update", "submit", "review", "delete", "ingest", "admin"])


def _run(api_schema: Any, headers: dict[str, str]) -> list[str]:
    """Every selected operation, 25 derandomized examples each; returns the operations checked."""
    checked: list[str] = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=25, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])

        run()
        checked.append(operation.label)
    return checked


def test_api_as_the_public(api_schema: Any) -> None:
    checked = _run(api_schema, {})
    assert "GET /api/plans/{plan_id}/targets" in checked
    assert "GET /api/audit/entries" in checked


def test_api_as_an_auditor(api_schema: Any, auditor_token: str) -> None:
    checked = _run(api_schema, {"Authorization": f"Bearer {auditor_token}"})
    assert "GET /api/audit/verify" in checked
    assert "POST /api/accounting/convert" in checked
    assert "GET /api/tracking/status" in checked


def test_api_as_the_region_administrator(api_schema: Any, admin_token: str) -> None:
    # the one role that may write everywhere: generated bodies reach the write paths, not only the refusal
    checked = _run(api_schema, {"Authorization": f"Bearer {admin_token}"})
    assert "POST /api/accounting/inventories" in checked
    assert "POST /api/tracking/periods" in checked
