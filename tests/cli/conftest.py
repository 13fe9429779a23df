"""Fixtures for command tests that need a store: a migrated SQLite store named by the environment."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tanfeng.cli.main import app
from tanfeng.store import upgrade


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``TANFENG_DATABASE_URL``/``TANFENG_DATA_DIR`` point at a migrated store under ``tmp_path``."""
    url = f"sqlite:///{tmp_path / 't.db'}"
    monkeypatch.setenv("TANFENG_DATABASE_URL", url)
    monkeypatch.setenv("TANFENG_DATA_DIR", str(tmp_path / "data"))
    upgrade(url)
    return tmp_path


@pytest.fixture
def run() -> Callable[[list[str]], Any]:
    """``run(args)``: the command with ``--format json``; it must succeed; returns its parsed JSON."""

    def invoke(args: list[str]) -> Any:
        r = CliRunner().invoke(app, [*args, "--format", "json"])
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)

    return invoke
