"""Logging in and out in a real Chromium: the header shows who is logged in; errors stay in place."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def page(browser: Any, live_server: str, role_accounts: dict[str, str]) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def test_league_officer_logs_in_sees_the_role_and_logs_out(page: Any, live_server: str, test_password: str) -> None:
    page.goto(live_server + "/login")
    page.fill("#username", "t_league")
    page.fill("#password", test_password)
    page.click("#login-submit")
    page.wait_for_selector("#current-user")
    assert page.url == live_server + "/home"  # the role's landing page
    assert "盟市" in page.inner_text("#current-role")
    assert "150600" in page.inner_text("#current-role")
    page.click("#logout")
    page.wait_for_selector("#login-link")
    assert page.query_selector("#current-user") is None


def test_wrong_password_shows_the_error_in_place_and_keeps_the_user_name(page: Any, live_server: str) -> None:
    page.goto(live_server + "/login")
    page.fill("#username", "t_county")
    page.fill("#password", "not-the-password-1")
    page.click("#login-submit")
    page.wait_for_selector("#login-error")
    assert "用户名或密码错误" in page.inner_text("#login-error")
    assert page.input_value("#username") == "t_county"
    assert page.input_value("#password") == ""
    assert page.get_attribute("#username", "aria-invalid") == "true"


def test_login_only_page_goes_to_login_and_back(page: Any, live_server: str, test_password: str) -> None:
    page.goto(live_server + "/account")
    assert page.url.startswith(live_server + "/login?next=")
    page.fill("#username", "t_ent")
    page.fill("#password", test_password)
    page.click("#login-submit")
    page.wait_for_selector("#account-role")
    assert page.url == live_server + "/account"
    assert "企业" in page.inner_text("#account-role")
