"""The pages in Chromium under the Content-Security-Policy the app sends: no violation, no script error.

The policy allows only the app's own scripts and styles (no inline script, handler or style attribute); a
page that still had one would report a ``securitypolicyviolation`` and lose its behaviour or its look.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  e => window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber));
"""

PUBLIC_PAGES = ["/", "/?lang=en", "/overview", "/board", "/dispatch", "/regions/150000", "/regions/150600",
                "/scenarios", "/login", "/docs", "/no-such-page"]
ADMIN_PAGES = ["/plans/im2022/review", "/projects", "/assessment", "/registry", "/sinks", "/audit", "/power", "/account"]


@pytest.fixture
def context(browser: Any, live_server: str, role_accounts: dict[str, str]) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.add_init_script(LISTEN)
    yield ctx
    ctx.close()


def _visit(page: Any, url: str) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    response = page.goto(url)
    assert response is not None
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    problems.extend(page.evaluate("window.__csp"))
    return problems


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_run_under_the_policy(context: Any, live_server: str, path: str) -> None:
    page = context.new_page()
    assert _visit(page, live_server + path) == []


def test_pages_log_no_error_not_even_a_missing_icon(browser: Any, live_server: str) -> None:
    # a browser asks for /favicon.ico unless the page names an icon; a 404 there is an error in the console
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(f"{m.text} {m.location.get('url')}") if m.type == "error" else None)
        for path in ["/", "/overview", "/regions/150000", "/login"]:
            page.goto(live_server + path)
            page.wait_for_load_state("networkidle")
        icon = page.evaluate("fetch('/favicon.ico').then(r => [r.status, r.url, r.headers.get('content-type')])")
    finally:
        ctx.close()
    assert errors == []
    assert icon == [200, live_server + "/static/favicon.svg", "image/svg+xml"]


def test_the_swagger_page_starts_under_the_policy(context: Any, live_server: str) -> None:
    page = context.new_page()
    assert _visit(page, live_server + "/docs") == []
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)


def test_the_progress_bars_keep_their_width(context: Any, live_server: str) -> None:
    page = context.new_page()
    assert _visit(page, live_server + "/board") == []
    widths = page.eval_on_selector_all("[data-width]", "els => els.map(e => [e.dataset.width, e.style.width])")
    assert widths
    assert all(style == f"{max(0.0, min(100.0, float(w))):g}%" for w, style in widths)


def test_logged_in_pages_run_under_the_policy(context: Any, live_server: str, role_accounts: dict[str, str],
                                              test_password: str) -> None:
    page = context.new_page()
    page.goto(f"{live_server}/login?next=/")
    page.fill("#username", role_accounts["region_admin"])
    page.fill("#password", test_password)
    page.click("#login-submit")
    page.wait_for_selector("#current-user")
    found = {path: _visit(page, live_server + path) for path in ADMIN_PAGES}
    assert found == {key: [] for key in ADMIN_PAGES}


def test_control_an_inline_style_and_script_are_reported(context: Any, live_server: str) -> None:
    # the same policy on a page that breaks it: the checks above would see it
    from tanfeng.web.hardening import CONTENT_SECURITY_POLICY

    page = context.new_page()
    page.route(f"{live_server}/control", lambda route: route.fulfill(
        status=200, headers={"content-type": "text/html", "content-security-policy": CONTENT_SECURITY_POLICY},
        body="<p style='color: red'>x</p><script>document.title = 'ran'</script>"))
    page.goto(f"{live_server}/control")
    page.wait_for_load_state("load")
    violations = page.evaluate("window.__csp")
    assert any(v.startswith("style-src") for v in violations)
    assert any(v.startswith("script-src") for v in violations)
    assert page.title() != "ran"
