"""Dispatch pages through the TestClient: the office opens a period with the form, a league reports for its
own league, an invalid value keeps what was typed and shows the error next to the field, a report for another
league is refused and stores nothing, the missing list shrinks, and the overview lists the new entry.

Periods 2027Q1 and 2027Q4 belong to this file (the app and its store are shared by the web tests).
"""

from __future__ import annotations

import html
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tanfeng.store.models import AuditRow
from tanfeng.store.models_tracking import DispatchEntryRow, DispatchPeriodRow

PERIOD = "2027Q1"
TARGET = "im2022.main.t2"  # a main target of the whole region, reported in %


def _csrf(page: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert m is not None, "the page has no CSRF field"
    return m.group(1)


def _count(app: FastAPI, model: type, *where: object) -> int:
    with app.state.sessions() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


def _ensure_period(office: TestClient) -> None:
    page = office.get("/dispatch").text
    if f'data-period="{PERIOD}"' not in page:
        r = office.post("/dispatch", data={"csrf_token": _csrf(page), "period": PERIOD, "due_date": "2030-04-10"},
                        follow_redirects=False)
        assert r.status_code == 303, r.text


def _missing_units(page: str) -> set[str]:
    block = page.split('id="missing-list"', 1)[1].split("</ul>", 1)[0] if 'id="missing-list"' in page else ""
    return set(re.findall(r'<li data-unit="(\d{6})"', block))


def test_office_opens_a_period_through_the_form(app: FastAPI, role_clients: dict[str, TestClient]) -> None:
    office = role_clients["office"]
    page = office.get("/dispatch")
    assert page.status_code == 200
    assert 'id="open-period-form"' in page.text
    # a bad id keeps what was typed and says why next to the field; nothing is stored
    before = _count(app, DispatchPeriodRow)
    bad = office.post("/dispatch", data={"csrf_token": _csrf(page.text), "period": "2040Q1",
                                         "due_date": "2040-04-10"})
    assert bad.status_code == 422
    assert 'id="err-period"' in bad.text
    assert 'value="2040Q1"' in bad.text
    assert _count(app, DispatchPeriodRow) == before
    _ensure_period(office)
    listing = office.get("/dispatch").text
    row = listing.split(f'data-period="{PERIOD}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-status="open"' in listing.split(f'data-period="{PERIOD}"', 1)[1][:40]
    assert "2030-04-10" in row
    assert 'class="num missing">12<' in row  # no league has reported yet


def test_a_league_page_has_no_open_form_and_opening_is_refused(app: FastAPI,
                                                               role_clients: dict[str, TestClient]) -> None:
    league = role_clients["league"]
    page = league.get("/dispatch").text
    assert 'id="open-period-form"' not in page
    before = _count(app, DispatchPeriodRow)
    r = league.post("/dispatch", data={"csrf_token": _csrf_of_logout(page), "period": "2027Q2",
                                       "due_date": "2027-07-10"})
    assert r.status_code == 403
    assert _count(app, DispatchPeriodRow) == before


def _csrf_of_logout(page: str) -> str:
    m = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert m is not None
    return m.group(1)


def test_a_form_without_the_sessions_csrf_token_is_refused(app: FastAPI,
                                                           role_clients: dict[str, TestClient]) -> None:
    before = _count(app, DispatchPeriodRow)
    r = role_clients["office"].post("/dispatch", data={"csrf_token": "forged", "period": "2027Q2",
                                                       "due_date": "2027-07-10"})
    assert r.status_code == 403
    assert _count(app, DispatchPeriodRow) == before


def test_league_submits_for_its_league_and_the_missing_list_shrinks(app: FastAPI,
                                                                    role_clients: dict[str, TestClient]) -> None:
    _ensure_period(role_clients["office"])
    league = role_clients["league"]
    page = league.get(f"/dispatch/{PERIOD}")
    assert page.status_code == 200
    assert 'id="entry-form"' in page.text
    assert '<option value="150600"' in page.text
    assert "150600" in _missing_units(page.text)
    # an invalid value: the error is next to the field and what the user typed is kept
    typed = {"csrf_token": _csrf(page.text), "unit": "150600", "item": f"target:{TARGET}", "value": "12,5x",
             "value_unit": "%", "evidence": "鄂尔多斯市能源局 季度统计", "as_of": "2027-03-31"}
    before = _count(app, DispatchEntryRow)
    bad = league.post(f"/dispatch/{PERIOD}/entries", data=typed)
    assert bad.status_code == 422
    assert 'id="err-value"' in bad.text
    assert 'value="12,5x"' in bad.text
    assert "鄂尔多斯市能源局 季度统计" in html.unescape(bad.text)
    assert f'<option value="target:{TARGET}" data-unit="%" selected' in bad.text
    # a unit that does not fit the target: the error sits next to the unit field
    wrong_unit = league.post(f"/dispatch/{PERIOD}/entries", data={**typed, "value": "12.5", "value_unit": "MW"})
    assert wrong_unit.status_code == 422
    assert 'id="err-value_unit"' in wrong_unit.text
    assert _count(app, DispatchEntryRow) == before
    ok = league.post(f"/dispatch/{PERIOD}/entries", data={**typed, "value": "12.5"}, follow_redirects=False)
    assert ok.status_code == 303
    assert ok.headers["location"].startswith(f"/dispatch/{PERIOD}?")
    after = league.get(ok.headers["location"]).text
    assert 'id="notice"' in after
    row = after.split('id="entry-table"', 1)[1].split('data-unit="150600"', 1)[1].split("</tr>", 1)[0]
    assert "12.5 %" in row
    assert "league 测试" in row  # the display name, not the user name
    assert "t_league" not in row
    assert "150600" not in _missing_units(after)
    assert _missing_units(after) == set()  # a league reads its own missing items only (permissions.csv)
    office_view = role_clients["office"].get(f"/dispatch/{PERIOD}").text
    assert len(_missing_units(office_view)) == 11  # the office reads every unit's
    assert 'id="n-reported">1<' in office_view
    assert 'id="n-missing">11<' in office_view
    with app.state.sessions() as s:
        audit = s.scalars(select(AuditRow).where(AuditRow.entity == "dispatch_entry",
                                                 AuditRow.entity_id == f"{PERIOD}/150600/target:{TARGET}")).all()
    assert [a.actor for a in audit] == ["t_league"]


def test_a_second_report_adds_a_version_with_its_history(role_clients: dict[str, TestClient]) -> None:
    _ensure_period(role_clients["office"])
    league = role_clients["league"]
    page = league.get(f"/dispatch/{PERIOD}").text
    base = {"csrf_token": _csrf(page), "unit": "150600", "item": "measure:a01.m2", "measure_status": "in_progress",
            "evidence": "储能项目清单", "as_of": "2027-03-31"}
    assert league.post(f"/dispatch/{PERIOD}/entries", data=base, follow_redirects=False).status_code == 303
    assert league.post(f"/dispatch/{PERIOD}/entries", data={**base, "measure_status": "done"},
                       follow_redirects=False).status_code == 303
    after = league.get(f"/dispatch/{PERIOD}").text
    row = after.split('data-item="measure:a01.m2"', 1)[1].split("</tr>", 1)[0]
    assert "v2" in row
    assert "已完成" in row
    history = row.split('<details class="history">', 1)[1]
    assert history.index("第1版: 推进中") < history.index("第2版: 已完成")
    # the item by its name, the id after it in grey; no id stands alone, in the table or in the form
    assert '<span lang="zh-CN">加快构建新型电力系统</span> <span class="id" translate="no">a01.m2</span>' in row
    assert "(a01.m2)" not in after
    assert '<option value="measure:a01.m2"  lang="zh-CN">加快构建新型电力系统</option>' in after


def test_a_league_cannot_report_for_another_league(app: FastAPI, role_clients: dict[str, TestClient]) -> None:
    _ensure_period(role_clients["office"])
    league = role_clients["league"]
    page = league.get(f"/dispatch/{PERIOD}").text
    assert '<option value="150300"' not in page
    before = (_count(app, DispatchEntryRow), _count(app, AuditRow))
    r = league.post(f"/dispatch/{PERIOD}/entries", data={
        "csrf_token": _csrf(page), "unit": "150300", "item": f"target:{TARGET}", "value": "10", "value_unit": "%",
        "as_of": "2027-03-31"})
    assert r.status_code == 403
    assert 'id="form-error"' in r.text
    assert (_count(app, DispatchEntryRow), _count(app, AuditRow)) == before
    assert _count(app, DispatchEntryRow, DispatchEntryRow.responsible_unit == "150300",
                  DispatchEntryRow.period == PERIOD) == 0


def test_the_public_and_the_auditor_see_the_period_read_only(role_clients: dict[str, TestClient]) -> None:
    _ensure_period(role_clients["office"])
    for role in ("public", "auditor", "office"):
        page = role_clients[role].get(f"/dispatch/{PERIOD}", params={"lang": "en"})
        assert page.status_code == 200
        assert 'id="entry-form"' not in page.text
        assert 'id="read-only"' in page.text
    assert role_clients["public"].get("/dispatch/2029Q3").status_code == 404


def test_the_overview_lists_the_new_entry_since_the_period(role_clients: dict[str, TestClient]) -> None:
    _ensure_period(role_clients["office"])
    league = role_clients["league"]
    page = league.get(f"/dispatch/{PERIOD}").text
    r = league.post(f"/dispatch/{PERIOD}/entries", data={
        "csrf_token": _csrf(page), "unit": "150600", "item": f"target:{TARGET}", "value": "13.25",
        "value_unit": "%", "evidence": "更正", "as_of": "2027-03-31"}, follow_redirects=False)
    assert r.status_code == 303
    overview = role_clients["public"].get("/overview").text
    section = overview.split('id="changes"', 1)[1].split("</section>", 1)[0]
    assert 'id="changes-table"' in section
    row = next(tr for tr in section.split("<tr")[1:] if "13.25 %" in tr)
    assert 'data-kind="dispatch_entry"' in row
    assert "鄂尔多斯市" in row
    assert "t_league" not in row
    assert "league 测试" not in row  # the public page names nobody
    assert "→ 13.25 %" in row


def test_the_office_closes_a_period_and_it_refuses_entries(app: FastAPI,
                                                           role_clients: dict[str, TestClient]) -> None:
    office, league = role_clients["office"], role_clients["league"]
    page = office.get("/dispatch").text
    r = office.post("/dispatch", data={"csrf_token": _csrf(page), "period": "2027Q4", "due_date": "2030-01-10"},
                    follow_redirects=False)
    assert r.status_code == 303
    # a league has no close button and may not close
    assert 'class="close-period"' not in league.get("/dispatch").text
    assert league.post("/dispatch/2027Q4/close", data={"csrf_token": _csrf(page)}).status_code == 403
    page = office.get("/dispatch").text
    # without the confirmation step's answer, closing leads to the confirmation page and closes nothing
    unconfirmed = office.post("/dispatch/2027Q4/close", data={"csrf_token": _csrf(page)}, follow_redirects=False)
    assert unconfirmed.headers["location"].startswith("/dispatch/2027Q4/close")
    confirm = office.get("/dispatch/2027Q4/close").text
    assert 'id="c-expected">12<' in confirm
    assert 'id="c-missing">12<' in confirm
    assert 'data-period="2027Q4" data-status="open"' in office.get("/dispatch").text
    closed = office.post("/dispatch/2027Q4/close", data={"csrf_token": _csrf(confirm), "confirm": "yes"},
                         follow_redirects=False)
    assert closed.status_code == 303
    listing = office.get("/dispatch").text
    assert 'data-period="2027Q4" data-status="closed"' in listing
    detail = league.get("/dispatch/2027Q4").text
    assert 'data-status="closed"' in detail
    assert 'id="entry-form"' not in detail
    before = _count(app, DispatchEntryRow)
    r = league.post("/dispatch/2027Q4/entries", data={
        "csrf_token": _csrf_of_logout(detail), "unit": "150600", "item": f"target:{TARGET}", "value": "10",
        "value_unit": "%", "as_of": "2027-12-31"})
    assert r.status_code == 409
    assert _count(app, DispatchEntryRow) == before
