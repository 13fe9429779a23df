"""``tanfeng serve``: workers, the connection pool each gets, access logs off by default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from tanfeng.cli.main import app
from tanfeng.config import Settings, pool_size
from tanfeng.store import make_engine


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[Any, dict[str, Any]]]:
    seen: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: seen.append((target, kw)))
    monkeypatch.setenv("TANFENG_DATABASE_URL", f"sqlite:///{tmp_path / 't.db'}")
    monkeypatch.setenv("TANFENG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TANFENG_WORKERS", raising=False)
    return seen


def test_workers_run_the_app_factory_in_each_process(calls: list[tuple[Any, dict[str, Any]]],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    r = CliRunner().invoke(app, ["serve", "--workers", "3", "--port", "8123"])
    assert r.exit_code == 0, r.output
    target, kw = calls[0]
    assert target == "tanfeng.web.app:create_app"
    assert (kw["factory"], kw["workers"], kw["port"], kw["access_log"]) == (True, 3, 8123, False)
    assert "3 workers, 13 database connections each" in r.stdout  # 40 // 3
    import os

    assert os.environ["TANFENG_WORKERS"] == "3"
    monkeypatch.delenv("TANFENG_WORKERS")


def test_one_worker_and_the_access_log_on_request(calls: list[tuple[Any, dict[str, Any]]]) -> None:
    r = CliRunner().invoke(app, ["serve", "--access-log"])
    assert r.exit_code == 0, r.output
    _target, kw = calls[0]
    assert "workers" not in kw
    assert kw["access_log"] is True
    assert "1 worker, 40 database connections each" in r.stdout


def test_the_pool_is_shared_out_between_the_workers(tmp_path: Path) -> None:
    assert pool_size(Settings(workers=2, db_connections=40)) == 20
    assert pool_size(Settings(workers=4, db_connections=30)) == 7
    assert pool_size(Settings(workers=64, db_connections=40)) == 2
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}", pool_size=7)
    try:
        assert (engine.pool.size(), engine.pool.overflow()) == (7, -7)  # type: ignore[attr-defined]
    finally:
        engine.dispose()
