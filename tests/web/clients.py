"""Test clients of the web tests, importable by name from any test module (``from clients import …``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient


def login_client(app: FastAPI, username: str, password: str) -> TestClient:
    """A fresh client logged in through the form (CSRF token read from the page)."""
    c = TestClient(app)
    page = c.get("/login").text
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match is not None
    r = c.post("/login", data={"username": username, "password": password, "csrf_token": match.group(1),
                               "next": "/"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    # API writes through the session cookie carry the session's CSRF token, as the pages' scripts do
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', c.get("/").text)
    assert meta is not None
    c.headers["X-CSRF-Token"] = meta.group(1)
    return c


def store_app(root: Path) -> FastAPI:
    """An app on a store of its own under ``root`` (SQLite + data folder), initialised as `tanfeng init` does."""
    from tanfeng.config import Settings
    from tanfeng.services import bootstrap
    from tanfeng.web.app import create_app

    settings = Settings(database_url=f"sqlite:///{root / 'tanfeng.db'}", data_dir=root / "data")
    bootstrap.init(settings)
    return create_app(settings)


def add_test_user(app: FastAPI, username: str, role: str, password: str, **attrs: Any) -> None:
    """A user of the app's store, with a cheap password hash (tests only)."""
    from argon2 import PasswordHasher

    from tanfeng.services import accounts

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with app.state.sessions() as session:
        accounts.add_user(session, username=username, role=role, password=password,
                          actor=accounts.Actor(name="test-setup"), hasher=cheap, **attrs)
        session.commit()
