"""Fixtures for the web tests: an initialised embedded store, an app on it, a live server, a browser."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from clients import login_client as logged_in_client
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


# -- accounts: one user per role, a meter-gateway token ---------------------------------------------------

TEST_PASSWORD = "Grassland-Wind-2030 碳峰"
"""The test accounts' password (the fixtures make them; the platform has no default password)."""

ROLE_USERS: dict[str, tuple[str, dict[str, str]]] = {
    "region_admin": ("t_admin", {}),
    "office": ("t_office", {}),
    "department": ("t_dept", {"department_code": "自治区能源局"}),
    "league": ("t_league", {"region_code": "150600"}),
    "county": ("t_county", {"region_code": "150602"}),
    "enterprise": ("t_ent", {"unit_id": "unit-A"}),
    "auditor": ("t_auditor", {}),
}
"""Role → (user name, attributes): league 鄂尔多斯市 150600, county 东胜区 150602, enterprise unit A."""


@pytest.fixture(scope="session")
def role_accounts(app: FastAPI) -> dict[str, str]:
    """The accounts of :data:`ROLE_USERS` plus a meter gateway of unit A; returns role → user name and
    ``"machine_token"`` → the gateway's API token."""
    from argon2 import PasswordHasher

    from tanfeng.services import accounts

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    actor = accounts.Actor(name="test-setup")
    out: dict[str, str] = {}
    with app.state.sessions() as session:
        for role, (username, attrs) in ROLE_USERS.items():
            accounts.add_user(session, username=username, role=role, password=TEST_PASSWORD, actor=actor,
                              display_name=f"{role} 测试", hasher=cheap, **attrs)
            out[role] = username
        accounts.add_user(session, username="t_gateway", role="machine", unit_id="unit-A", actor=actor)
        issued = accounts.issue_api_token(session, username="t_gateway", scopes=["ingest"], unit_id="unit-A",
                                          actor=actor, label="gateway A")
        session.commit()
    out["machine_token"] = issued.token
    return out


def login_client(app: FastAPI, username: str, password: str = TEST_PASSWORD) -> TestClient:
    """A fresh client logged in through the form (see :func:`clients.login_client`)."""
    return logged_in_client(app, username, password)


@pytest.fixture(scope="session")
def role_clients(app: FastAPI, role_accounts: dict[str, str]) -> dict[str, TestClient]:
    """Role → a client logged in as that role's account; ``machine`` sends the gateway token;
    ``public`` is not logged in."""
    clients = {role: login_client(app, ROLE_USERS[role][0]) for role in ROLE_USERS}
    machine = TestClient(app)
    machine.headers["Authorization"] = f"Bearer {role_accounts['machine_token']}"
    clients["machine"] = machine
    clients["public"] = TestClient(app)
    return clients


@pytest.fixture(scope="session")
def login_as(app: FastAPI) -> Callable[..., TestClient]:
    """``login_as(username, password=TEST_PASSWORD)`` → a fresh client logged in through the form."""
    return lambda username, password=TEST_PASSWORD: login_client(app, username, password)


@pytest.fixture(scope="session")
def test_password() -> str:
    """The password of the fixtures' accounts."""
    return TEST_PASSWORD


@pytest.fixture(autouse=True)
def _forget_language(request: pytest.FixtureRequest) -> Iterator[None]:
    """The shared clients keep cookies across tests: a test that asks ``?lang=en`` would leave the ``lang``
    cookie for the next one, making it order-dependent. Drop it after every test that used them."""
    yield
    shared: list[TestClient] = []
    if "client" in request.fixturenames:
        shared.append(request.getfixturevalue("client"))
    if "role_clients" in request.fixturenames:
        shared.extend(request.getfixturevalue("role_clients").values())
    for c in shared:
        c.cookies.delete("lang")
