"""Property-based API tests with schemathesis, in-process over ASGI: no response ≥ 500, responses as documented.

Every tagged operation of the API, as the public, an enterprise, a league and the region administrator, on
SQLite; on PostgreSQL as the region administrator and a league ("0 responses ≥ 500 on both stores"). Each
operation gets the examples phase and the fuzzing phase (derandomized examples, valid and invalid: 30 for the
administrator, 15 for the other roles); the administrator, the one role whose generated requests reach every
write, also gets the coverage phase (boundary and out-of-range values of every parameter and field, one at a
time). The cuts keep the run short, and none hides a write path: the administrator's run on each store reaches
every write with the most examples; the public, refused before validation on an operation that needs a login,
gets 5 examples there (the refusal is the same whatever the input); the read-model reports listed in
:data:`HEAVY` (about a second per call) get 5 examples each; the enterprise's and the public's runs, whose
requests are refused or scoped by the same permission code on both stores, run on SQLite only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.hypothesis.builder import HypothesisTestConfig, HypothesisTestMode, create_test
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy.engine import make_url

from tanfeng.config import Settings
from tanfeng.services import accounts, bootstrap
from tanfeng.web.app import create_app

pytestmark = pytest.mark.slow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXAMPLES = 30
"""Examples per operation for the administrator."""
OTHERS = 15
"""Examples per operation for the other roles."""
FEW = 5


@schemathesis.serializer(XLSX, "application/vnd.apache.parquet", "application/octet-stream")
def _binary(ctx: Any, value: Any) -> bytes:
    """Uploads of workbooks and Parquet files: whatever was generated, as raw bytes (the server must refuse
    what is not a valid file with a 4xx, never a 5xx)."""
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")


TAGS = {"plans", "regions", "meta", "accounts", "audit", "accounting", "tracking", "units", "monitoring", "power",
        "registry", "sinks", "projects", "assessment", "scenarios"}

HEAVY = {"GET /api/tracking/indicators", "GET /api/tracking/indicators.csv", "GET /api/tracking/indicators.xlsx",
         "GET /api/tracking/targets/board", "GET /api/tracking/targets/board.csv",
         "GET /api/tracking/targets/board.xlsx", "GET /api/tracking/status", "GET /api/assessment/leagues",
         "POST /api/assessment/leagues", "GET /api/assessment/leagues/{league}/scorecard.pdf"}
"""Read-model reports that take about a second per call: a few examples each."""

ROLES: dict[str, tuple[str, dict[str, str], list[str]]] = {
    "enterprise": ("f_ent", {"unit_id": "unit-A"}, ["read", "create", "update", "submit"]),
    "league": ("f_league", {"region_code": "150600"}, ["read", "create", "update", "submit", "review"]),
    "region_admin": ("f_admin", {}, ["read", "create", "update", "submit", "review", "delete", "ingest", "admin"]),
}


def _tokens(app: FastAPI) -> dict[str, str]:
    """The roles' tokens on this app (made once: every (store, role) pair of a store asks again)."""
    made: dict[str, str] | None = getattr(app.state, "fuzz_tokens", None)
    if made is not None:
        return made
    from argon2 import PasswordHasher

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    actor = accounts.Actor(name="fuzz-setup")
    out: dict[str, str] = {}
    with app.state.sessions() as session:
        for role, (user, attrs, scopes) in ROLES.items():
            accounts.add_user(session, username=user, role=role, actor=actor, password="Vault-Horse-Battery-42!",
                              hasher=cheap, **attrs)
            out[role] = accounts.issue_api_token(session, username=user, scopes=scopes, actor=actor, ttl_days=1,
                                                 unit_id=attrs.get("unit_id")).token
        session.commit()
    app.state.fuzz_tokens = out
    return out


@pytest.fixture(scope="module")
def sqlite_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    root = tmp_path_factory.mktemp("fuzz-sqlite")
    settings = Settings(database_url=f"sqlite:///{root / 'tanfeng.db'}", data_dir=root / "data")
    bootstrap.init(settings)
    return create_app(settings)


@pytest.fixture(scope="module")
def postgresql_app(postgres_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    libpq = make_url(postgres_database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    settings = Settings(database_url=postgres_database_url, data_dir=tmp_path_factory.mktemp("fuzz-pg") / "data")
    bootstrap.init(settings)
    app = create_app(settings)
    yield app
    app.state.engine.dispose()


@pytest.fixture(scope="module")
def store(request: pytest.FixtureRequest) -> tuple[FastAPI, Any, dict[str, str]]:
    """(app, its schema restricted to the tagged operations, role → token) on one store."""
    app: FastAPI = request.getfixturevalue(f"{request.param}_app")
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app).include(
        func=lambda ctx: bool(TAGS & set(ctx.operation.definition.raw.get("tags", []))))
    return app, schema, _tokens(app)


def _needs_login(app: FastAPI) -> set[str]:
    """The operations that refuse the public before validating anything."""
    from tanfeng.web.deps import logged_in

    def needs(dependant: Any) -> bool:
        return any(d.call is logged_in or needs(d) for d in dependant.dependencies)

    def walk(routes: Any) -> Iterator[Any]:
        for r in routes:
            inner = getattr(r, "original_router", None)
            yield from (walk(inner.routes) if inner is not None else [r])

    return {f"{m} {r.path}" for r in walk(app.router.routes) if hasattr(r, "dependant") and needs(r.dependant)
            for m in r.methods}


def _check(label: str, limit: int, headers: dict[str, str], calls: dict[str, int]) -> Any:
    """The check of one case of ``label`` (hypothesis wants the case as the test's only argument)."""

    @settings(max_examples=limit, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        calls[label] += 1
        case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])

    return check


def _run(app: FastAPI, schema: Any, headers: dict[str, str], *, coverage: bool, few: set[str],
         examples: int) -> dict[str, int]:
    """Every selected operation: examples and fuzzing (and coverage when asked); returns operation → calls."""
    calls: dict[str, int] = {}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        label = operation.label
        limit = FEW if label in few or label in HEAVY else examples
        modes = [HypothesisTestMode.EXAMPLES, HypothesisTestMode.FUZZING]
        if coverage and label not in HEAVY:
            modes.append(HypothesisTestMode.COVERAGE)
        calls[label] = 0

        test = create_test(operation=operation, test_func=_check(label, limit, headers, calls),
                           config=HypothesisTestConfig(project=schema.config, modes=modes, seed=0))
        try:
            test()
        except Exception as exc:  # collected: one failing operation must not hide the others
            lines = [line.strip(" |") for line in str(exc).splitlines() if line.strip(" |")]
            failures.append(f"{label}: {' / '.join(lines[:6])[:400]}")
    assert failures == []
    return calls


RUNS = [*(("sqlite", role) for role in ("public", "enterprise", "league", "region_admin")),
        *(pytest.param("postgresql", role, marks=pytest.mark.postgres) for role in ("league", "region_admin"))]
"""(store, role) pairs: every role on SQLite; on PostgreSQL the administrator and a league (see the module doc)."""


@pytest.mark.parametrize(("store", "role"), RUNS, indirect=["store"])
def test_no_server_error_under_fuzzing(store: tuple[FastAPI, Any, dict[str, str]], role: str) -> None:
    app, schema, tokens = store
    headers = {} if role == "public" else {"Authorization": f"Bearer {tokens[role]}"}
    few = _needs_login(app) if role == "public" else set()
    admin = role == "region_admin"
    calls = _run(app, schema, headers, coverage=admin, few=few, examples=EXAMPLES if admin else OTHERS)
    assert len(calls) >= 100  # every tagged operation was exercised
    assert "POST /api/tracking/periods" in calls
    assert "PUT /api/units/{code}/budgets/{year}" in calls
