"""Transport hardening (issue 16, items 2, 3 and 7): input refused before anything is written, security headers
on every response, forwarded addresses only from configured proxies, a busy store retried then answered 503.
"""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from tanfeng.config import Settings
from tanfeng.enterprises.registry import KeyUnit, credit_code_check_char
from tanfeng.services import accounts
from tanfeng.services import key_units as units
from tanfeng.store import upgrade
from tanfeng.web import hardening
from tanfeng.web.app import create_app

UNIT = "91150602MA0000002" + credit_code_check_char("91150602MA0000002")
ALL = ["read", "create", "update", "submit", "review", "delete", "ingest", "admin"]


def _app(root: Path, **settings: Any) -> tuple[FastAPI, dict[str, str]]:
    config = Settings(database_url=f"sqlite:///{root / 't.db'}", data_dir=root / "data", **settings)
    upgrade(config.database_url)
    app = create_app(config)
    from argon2 import PasswordHasher

    actor = accounts.Actor(name="test-setup")
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    tokens: dict[str, str] = {}
    with app.state.sessions() as session:
        units.upsert_unit(session, KeyUnit(code=UNIT, name="单位002", league="150600", county="150602",
                                           industry="C3011", level="league"), actor="test-setup")
        for user, role, attrs in (("h_admin", "region_admin", {}), ("h_league", "league", {"region_code": "150600"})):
            accounts.add_user(session, username=user, role=role, actor=actor, password="Vault-Horse-Battery-42!",
                              hasher=cheap, **attrs)
            tokens[role] = accounts.issue_api_token(session, username=user, scopes=ALL if role == "region_admin"
                                                    else ALL[:5], actor=actor).token
        session.commit()
    return app, tokens


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[FastAPI, dict[str, str]]:
    return _app(tmp_path_factory.mktemp("hardening"), max_upload_bytes=100_000)


def _client(setup: tuple[FastAPI, dict[str, str]], role: str | None = None) -> TestClient:
    app, tokens = setup
    c = TestClient(app, raise_server_exceptions=False)
    if role is not None:
        c.headers["Authorization"] = f"Bearer {tokens[role]}"
    return c


def _audit_count(admin: TestClient) -> int:
    r = admin.get("/api/audit/entries", params={"limit": 1000})
    assert r.status_code == 200, r.text
    return len(r.json())


# -- security headers ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/api/health", "/static/tanfeng.css", "/no-such-page", "/api/no-such",
                                 "/docs", "/api/units"])
def test_every_response_carries_the_security_headers(setup: tuple[FastAPI, dict[str, str]], url: str) -> None:
    r = _client(setup).get(url)
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert "server" not in r.headers


def test_the_templates_have_no_inline_script_style_or_handler() -> None:
    import re

    templates = Path(__file__).resolve().parents[2] / "src" / "tanfeng" / "web" / "templates"
    inline = re.compile(r"<style|\sstyle=|\son[a-z]+=|<script>|<script(?![^>]*\b(src|type=\"application/json\"))")
    found = [f"{p.relative_to(templates)}:{n}" for p in templates.rglob("*.html")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if inline.search(line)]
    assert found == []


# -- input refused before anything is written ------------------------------------------------------------------

HOSTILE_BODIES = [
    (b'{"value": NaN, "unit": "t", "product": "raw_coal"}', "value", "finite_number"),
    (b'{"value": Infinity, "unit": "t", "product": "raw_coal"}', "value", "finite_number"),
    (b'{"value": -Infinity, "unit": "t", "product": "raw_coal"}', "value", "finite_number"),
    (b'{"value": 1e308, "unit": "t", "product": "raw_coal"}', "value", "finite_number"),
    (b'{"value": 1e400, "unit": "t", "product": "raw_coal"}', "value", "finite_number"),
    (b'{"value": 99999999999999999999999, "unit": "t", "product": "raw_coal"}', "value", "number_too_large"),
    (b'{"value": 1, "unit": "t\\u0000", "product": "raw_coal"}', "unit", "nul_character"),
    (b'{"value": 1, "unit": "t", "product": "\\ud800"}', "product", "invalid_unicode"),
    (b'{"value": 1, "unit": "\xff\xfe", "product": "raw_coal"}', "body", "invalid_utf8"),
    (b'{"value": 1, "unit": "t", "product": "raw_coal", "x": ' + b"[" * 40_000 + b"]" * 40_000 + b"}",
     "body", "json_too_deep"),
    (b'{"value": 1, "unit": "t", "product": "raw_coal", "list": [1, 2, {"a": [NaN]}]}', "list[2].a[0]",
     "finite_number"),
]


@pytest.mark.parametrize(("body", "field", "code"), HOSTILE_BODIES, ids=[b[2] + f"-{i}" for i, b in
                                                                          enumerate(HOSTILE_BODIES)])
def test_hostile_json_is_a_422_naming_the_field(setup: tuple[FastAPI, dict[str, str]], body: bytes, field: str,
                                                code: str) -> None:
    r = _client(setup, "region_admin").post("/api/accounting/convert", content=body,
                                            headers={"Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    problem = r.json()["detail"][0]
    assert (problem["field"], problem["type"]) == (field, code)
    assert problem["msg"]


def test_a_body_over_the_limit_is_a_413(setup: tuple[FastAPI, dict[str, str]]) -> None:
    body = b'{"value": 1, "unit": "t", "product": "raw_coal", "pad": "' + b"x" * 100_001 + b'"}'
    r = _client(setup, "region_admin").post("/api/accounting/convert", content=body,
                                            headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["detail"][0]["type"] == "body_too_large"


@pytest.mark.parametrize(("url", "field", "code"), [
    ("/api/regions/15%0000", "path", "nul_character"),
    ("/api/regions/15%ff00", "path", "invalid_utf8"),
    ("/api/plans?year=2025%00", "year", "nul_character"),
    ("/api/plans?x=%c3%28", "x", "invalid_utf8"),
    ("/overview?lang=%00", "lang", "nul_character"),
])
def test_nul_and_invalid_utf8_in_path_and_query(setup: tuple[FastAPI, dict[str, str]], url: str, field: str,
                                                code: str) -> None:
    r = _client(setup).get(url)
    assert r.status_code == 422
    assert (r.json()["detail"][0]["field"], r.json()["detail"][0]["type"]) == (field, code)


def test_nul_in_a_form_field_is_refused(setup: tuple[FastAPI, dict[str, str]]) -> None:
    r = _client(setup).post("/login", content=b"username=a%00b&password=x&csrf_token=y",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "username"


@pytest.mark.parametrize("year", [20000, -1, 0, 1948, 2101, 2147483648, 9223372036854775808])
def test_a_budget_year_out_of_range_is_refused_and_nothing_is_written(setup: tuple[FastAPI, dict[str, str]],
                                                                      year: int) -> None:
    admin, league = _client(setup, "region_admin"), _client(setup, "league")
    before = _audit_count(admin)
    r = league.put(f"/api/units/{UNIT}/budgets/{year}", json={"budget_tce": 5e-324})
    assert r.status_code == 422
    assert league.get(f"/api/units/{UNIT}/budgets/{year}").status_code == 422
    assert _audit_count(admin) == before


def test_the_openapi_document_states_the_bounds(setup: tuple[FastAPI, dict[str, str]]) -> None:
    doc = _client(setup).get("/api/openapi.json").json()
    year = next(p for p in doc["paths"]["/api/units/{code}/budgets/{year}"]["put"]["parameters"]
                if p["name"] == "year")
    assert (year["schema"]["minimum"], year["schema"]["maximum"]) == (1949, 2100)
    unbounded = [f"{method.upper()} {path} {p['name']}" for path, ops in doc["paths"].items()
                 for method, op in ops.items() for p in op.get("parameters", [])
                 if p["schema"].get("type") == "integer"
                 and not ({"minimum", "exclusiveMinimum"} & set(p["schema"])
                          and {"maximum", "exclusiveMaximum"} & set(p["schema"]))]
    assert unbounded == []


def test_the_422_handler_survives_nan_in_the_rejected_input() -> None:
    exc = RequestValidationError([{"loc": ("body", "budget_tce"), "msg": "Input should be greater than 0",
                                   "type": "greater_than", "input": math.nan, "ctx": {"gt": math.inf}}])
    assert hardening.validation_detail(exc) == [{"loc": ["body", "budget_tce"], "msg": "Input should be greater "
                                                 "than 0", "type": "greater_than", "field": "budget_tce"}]


# -- authentication before validation ---------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "url", "body"), [
    ("GET", "/api/units/bottom-up", None),
    ("GET", "/api/units/bottom-up?year=abc", None),
    ("PUT", f"/api/units/{UNIT}/budgets/20000", b'{"budget_tce": NaN}'),
    ("POST", f"/api/units/{UNIT}/reports", b"{not json"),
    ("POST", "/api/tracking/indicators", b"[]"),
])
def test_the_public_gets_401_before_any_validation(setup: tuple[FastAPI, dict[str, str]], method: str, url: str,
                                                   body: bytes | None) -> None:
    r = _client(setup).request(method, url, content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 401, r.text
    assert r.json()["detail"]["error"] == "AuthError"


# -- audit entries: the client address and the real role --------------------------------------------------------

def test_an_audit_entry_records_the_address_and_the_role(setup: tuple[FastAPI, dict[str, str]]) -> None:
    league, admin = _client(setup, "league"), _client(setup, "region_admin")
    r = league.put(f"/api/units/{UNIT}/budgets/2024", json={"budget_tce": 800},
                   headers={"X-Forwarded-For": "203.0.113.9"})
    assert r.status_code == 200, r.text
    entry = admin.get("/api/audit/entries", params={"limit": 1}).json()[0]
    assert (entry["actor"], entry["actor_role"]) == ("h_league", "league")
    assert entry["client_address"] == "testclient"  # the peer: no proxy is trusted by default


def test_forwarded_addresses_are_believed_only_from_configured_proxies(tmp_path: Path) -> None:
    app, tokens = _app(tmp_path, forwarded_allow_ips="testclient")
    league = TestClient(app, headers={"Authorization": f"Bearer {tokens['league']}"})
    admin = TestClient(app, headers={"Authorization": f"Bearer {tokens['region_admin']}"})
    assert league.put(f"/api/units/{UNIT}/budgets/2024", json={"budget_tce": 900},
                      headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9"}).status_code == 200
    entry = admin.get("/api/audit/entries", params={"limit": 1}).json()[0]
    assert entry["client_address"] == "203.0.113.9"  # the address the trusted proxy saw, not the claimed chain


# -- a busy store: bounded retries, then 503 with Retry-After ---------------------------------------------------

def _locked() -> OperationalError:
    return OperationalError("UPDATE unit_budgets", {}, sqlite3.OperationalError("database is locked"))


def test_a_locked_store_is_retried_then_answered_503(setup: tuple[FastAPI, dict[str, str]],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def always_locked(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        raise _locked()

    monkeypatch.setattr(units, "set_budget", always_locked)
    r = _client(setup, "league").put(f"/api/units/{UNIT}/budgets/2023", json={"budget_tce": 700})
    assert r.status_code == 503
    assert r.headers["retry-after"] == "2"
    assert r.json()["detail"]["error"] == "StoreBusyError"
    assert "x-tanfeng-retry" not in r.headers
    assert len(calls) == 1 + hardening.LOCK_RETRIES


def test_a_write_that_gets_through_on_a_retry_is_answered_once(setup: tuple[FastAPI, dict[str, str]],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    real = units.set_budget
    calls: list[int] = []

    def locked_twice(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) <= 2:
            raise _locked()
        return real(*args, **kwargs)

    monkeypatch.setattr(units, "set_budget", locked_twice)
    r = _client(setup, "league").put(f"/api/units/{UNIT}/budgets/2022", json={"budget_tce": 650})
    assert r.status_code == 200, r.text
    assert r.json()["budget_tce"] == 650
    assert len(calls) == 3


def test_an_exhausted_pool_is_a_503_without_retries(setup: tuple[FastAPI, dict[str, str]],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def no_connection(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        raise PoolTimeoutError("QueuePool limit of size 5 overflow 10 reached")

    monkeypatch.setattr(units, "set_budget", no_connection)
    r = _client(setup, "league").put(f"/api/units/{UNIT}/budgets/2021", json={"budget_tce": 600})
    assert (r.status_code, r.headers["retry-after"], len(calls)) == (503, "2", 1)


def test_serve_trusts_only_the_configured_proxies_and_sends_no_server_header(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from tanfeng.cli.main import app as cli

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: seen.update(kwargs))
    env = {"TANFENG_DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}", "TANFENG_DATA_DIR": str(tmp_path / "data")}
    assert CliRunner().invoke(cli, ["serve"], env=env).exit_code == 0
    assert (seen["server_header"], seen["proxy_headers"], seen["forwarded_allow_ips"]) == (False, False, "")
    seen.clear()
    assert CliRunner().invoke(cli, ["serve"], env={**env, "TANFENG_FORWARDED_ALLOW_IPS": "10.0.0.2"}).exit_code == 0
    assert (seen["server_header"], seen["proxy_headers"], seen["forwarded_allow_ips"]) == (False, True, "10.0.0.2")
