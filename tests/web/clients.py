"""Test clients of the web tests, importable by name from any test module (``from clients import …``)."""

from __future__ import annotations

import re

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
