"""20 writers at once over HTTP, on SQLite and on PostgreSQL (issue 16, item 3): the same annual report (with
its optimistic lock), the same dispatch entry and the same indicator value.

Every answer is a success, a 409 (the optimistic-lock loser, with the current lock version) or a 503 with
``Retry-After`` (a store still busy after the retries), never a 500; every acknowledged write is stored
exactly once, as one version of its record, and nothing else is.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import select

from tanfeng.config import Settings
from tanfeng.enterprises.registry import KeyUnit, credit_code_check_char
from tanfeng.services import accounts, bootstrap
from tanfeng.services import key_units as units
from tanfeng.store.models_enterprises import ReportVersionRow
from tanfeng.store.models_tracking import DispatchEntryRow, IndicatorValueRow
from tanfeng.web.app import create_app

WRITERS = 20
UNIT = "91150602MA0000003" + credit_code_check_char("91150602MA0000003")
COAL = {"fuels": [{"product": "raw_coal", "quantity": 1000, "unit": "t"}]}
ALL = ["read", "create", "update", "submit", "review", "delete", "ingest", "admin"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(engine_url: str, tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Any]]:
    """The app on ``engine_url`` behind uvicorn on a free port; tokens of an administrator, the unit and a league."""
    from argon2 import PasswordHasher

    settings = Settings(database_url=engine_url, data_dir=tmp_path / "data")
    bootstrap.init(settings)
    app = create_app(settings)
    actor = accounts.Actor(name="test-setup")
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    tokens: dict[str, str] = {}
    with app.state.sessions() as session:
        units.upsert_unit(session, KeyUnit(code=UNIT, name="单位003", league="150600", county="150602",
                                           industry="C3011", level="league"), actor="test-setup")
        for user, role, attrs in (("c_admin", "region_admin", {}), ("c_ent", "enterprise", {"unit_id": UNIT}),
                                  ("c_league", "league", {"region_code": "150600"})):
            accounts.add_user(session, username=user, role=role, actor=actor, password="Vault-Horse-Battery-42!",
                              hasher=cheap, **attrs)
            tokens[role] = accounts.issue_api_token(session, username=user, actor=actor, unit_id=attrs.get("unit_id"),
                                                    scopes=ALL if role == "region_admin" else ALL[:5]).token
        session.commit()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "the test server stopped"
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", tokens, app
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.engine.dispose()


def _together(base: str, token: str, work: Callable[[httpx.Client, int], list[httpx.Response]]) -> list[httpx.Response]:
    """Run ``work(client, i)`` for i in 0..19 in 20 threads that start at the same moment; all the responses."""
    barrier = threading.Barrier(WRITERS)
    out: list[httpx.Response] = []
    lock = threading.Lock()
    failures: list[BaseException] = []

    def writer(i: int) -> None:
        try:
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as c:
                barrier.wait()
                got = work(c, i)
            with lock:
                out.extend(got)
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    statuses = Counter(r.status_code for r in out)
    assert set(statuses) <= {200, 201, 409, 503}, statuses
    assert all(r.headers.get("retry-after") for r in out if r.status_code == 503)
    return out


def test_twenty_writers_on_one_report(served: tuple[str, dict[str, str], Any]) -> None:
    base, tokens, app = served
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {tokens['enterprise']}"}) as c:
        created = c.post(f"/api/units/{UNIT}/reports", json={"year": 2024, "kind": "energy", "content": COAL})
        assert created.status_code == 201, created.text
    url = f"/api/units/{UNIT}/reports/{created.json()['id']}"

    def edit(c: httpx.Client, i: int) -> list[httpx.Response]:
        got = []
        for attempt in range(3):  # read, change, save on what was read; a loser reads again
            etag = c.get(url).headers["ETag"]
            got.append(c.put(url, json={"content": {**COAL, "measures": [f"writer {i} try {attempt}"]}},
                             headers={"If-Match": etag}))
        return got

    answers = _together(base, tokens["enterprise"], edit)
    saved = [r.json()["content"]["measures"][0] for r in answers if r.status_code == 200]
    assert saved, "at least one writer wins"
    for lost in (r for r in answers if r.status_code == 409):
        assert lost.json()["detail"]["error"] == "ConflictError"
        assert int(lost.headers["ETag"].strip('"')) > 1  # the current lock version, to reload on
    with app.state.sessions() as session:
        versions = session.scalars(select(ReportVersionRow).where(ReportVersionRow.report_id == created.json()["id"])
                                   .order_by(ReportVersionRow.version)).all()
    edits = [v.content["measures"][0] for v in versions if v.action == "edit"]
    assert sorted(edits) == sorted(saved)  # every acknowledged edit once, nothing else
    assert [v.version for v in versions] == list(range(1, len(saved) + 2))
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {tokens['enterprise']}"}) as c:
        assert c.get(url).headers["ETag"] == f'"{len(saved) + 1}"'


def test_twenty_writers_on_one_dispatch_entry(served: tuple[str, dict[str, str], Any]) -> None:
    base, tokens, app = served
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {tokens['region_admin']}"}) as c:
        opened = c.post("/api/tracking/periods", json={"id": "2026Q2", "due_date": "2030-07-10"})
        assert opened.status_code == 201, opened.text
    entry = {"unit": "150600", "target_id": "im2022.a01.m2.t1", "value_unit": "万千瓦", "evidence": "并网清单",
             "as_of": "2026-06-30"}

    def submit(c: httpx.Client, i: int) -> list[httpx.Response]:
        return [c.post("/api/tracking/periods/2026Q2/entries", json={**entry, "value": 100.0 + i})]

    answers = _together(base, tokens["league"], submit)
    acked = sorted(r.json()["actual_value"] for r in answers if r.status_code == 201)
    assert acked
    with app.state.sessions() as session:
        rows = session.scalars(select(DispatchEntryRow).where(DispatchEntryRow.period == "2026Q2")
                               .order_by(DispatchEntryRow.version)).all()
    assert sorted(r.actual_value for r in rows) == acked
    assert [r.version for r in rows] == list(range(1, len(acked) + 1))
    assert [r.superseded_at is None for r in rows].count(True) == 1


def test_twenty_writers_on_one_indicator_value(served: tuple[str, dict[str, str], Any]) -> None:
    base, tokens, app = served
    body = {"region": "150600", "indicator": "energy_consumption", "period": "2025-06", "unit": "万tce",
            "source": "鄂尔多斯市统计局 月报"}

    def enter(c: httpx.Client, i: int) -> list[httpx.Response]:
        return [c.post("/api/tracking/indicators", json={**body, "value": 4200.0 + i})]

    def stored() -> list[IndicatorValueRow]:
        with app.state.sessions() as session:
            return list(session.scalars(select(IndicatorValueRow).where(
                IndicatorValueRow.region == "150600", IndicatorValueRow.indicator == "energy_consumption",
                IndicatorValueRow.period == "2025-06").order_by(IndicatorValueRow.version)))

    before = stored()  # the sample data may hold versions of this value already
    answers = _together(base, tokens["league"], enter)
    acked = sorted(r.json()["value"] for r in answers if r.status_code == 201)
    assert acked
    rows = stored()
    assert sorted(r.value for r in rows[len(before):]) == acked
    assert [r.version for r in rows] == list(range(1, len(before) + len(acked) + 1))
    assert [r.superseded_at is None for r in rows].count(True) == 1
