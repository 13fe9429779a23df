"""Fixtures for the web tests: an initialised embedded store, an app on it, a live server, a browser."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tanfeng.config import Settings
from tanfeng.services import bootstrap
from tanfeng.web.app import create_app

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of an embedded store (SQLite + Parquet) initialised as `tanfeng init` does."""
    root = tmp_path_factory.mktemp("web")
    settings = Settings(database_url=f"sqlite:///{root / 'tanfeng.db'}", data_dir=root / "data")
    bootstrap.init(settings)
    return settings


@pytest.fixture(scope="session")
def app(web_settings: Settings) -> FastAPI:
    return create_app(web_settings)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, for the browser."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never Playwright's own browser download)."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("TANFENG_TEST_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        raise RuntimeError(f"no Chromium at {executable}: run the tests through `make test`, which installs it")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=executable,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        yield b
        b.close()


@pytest.fixture
def artifacts() -> Path:
    """Folder for screenshots kept as test artefacts."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
