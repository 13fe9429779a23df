"""The auditor's audit log: filters by user, day (Beijing time), entity and action, pages, and an export of
what the filters show with the filters and the export time in the file."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tanfeng.config import Settings
from tanfeng.enterprises.registry import KeyUnit, credit_code_check_char
from tanfeng.services import accounts
from tanfeng.services import key_units as units
from tanfeng.store import upgrade
from tanfeng.web.app import create_app

PASSWORD = "Steppe-Sunrise-2030 审计"
UNIT = (lambda f: f + credit_code_check_char(f))("91150602MA0000732")


@pytest.fixture(scope="module")
def auditor(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """A store of its own with four entries: the auditor's account (create, by test-setup), a unit registered
    and renamed by t_admin (insert, update), the auditor's login."""
    from argon2 import PasswordHasher

    root = tmp_path_factory.mktemp("audit-filters")
    settings = Settings(database_url=f"sqlite:///{root / 't.db'}", data_dir=root / "data")
    upgrade(settings.database_url)
    app = create_app(settings)
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with app.state.sessions() as session:
        accounts.add_user(session, username="f_auditor", role="auditor", password=PASSWORD, display_name="审计员",
                          actor=accounts.Actor(name="test-setup"), hasher=cheap)
        session.commit()
        for name in ("示例东胜煤化工企业", "示例东胜煤化工有限公司"):
            units.upsert_unit(session, KeyUnit(code=UNIT, name=name, league="150600", county="150602",
                                               industry="C2614", level="league", sample=True), actor="t_admin",
                              actor_role="region_admin")
    c = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text)
    assert token is not None
    r = c.post("/login", data={"username": "f_auditor", "password": PASSWORD, "csrf_token": token.group(1)},
               follow_redirects=False)
    assert r.headers["location"] == "/home"
    assert c.get("/home", follow_redirects=False).headers["location"] == "/audit?lang=zh"
    return c


def _seqs(html: str) -> list[int]:
    return [int(s) for s in re.findall(r'<tr data-seq="(\d+)"', html)]


def test_filters_by_user_action_entity_and_day(auditor: TestClient) -> None:
    assert _seqs(auditor.get("/audit").text) == [4, 3, 2, 1]
    assert _seqs(auditor.get("/audit", params={"actor": "t_admin"}).text) == [3, 2]
    assert _seqs(auditor.get("/audit", params={"action": "login"}).text) == [4]
    # the form sends its empty fields too: they leave the filter open
    empty = {"actor": "", "date_from": "", "date_to": "", "entity": "", "entity_id": "", "action": "login"}
    assert _seqs(auditor.get("/audit", params=empty).text) == [4]
    assert auditor.get("/audit", params={"date_from": "2025-13-01"}).status_code == 422
    assert _seqs(auditor.get("/audit", params={"entity": "user"}).text) == [1]
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
    same_day = {"date_from": today.isoformat(), "date_to": today.isoformat()}
    assert _seqs(auditor.get("/audit", params=same_day).text) == [4, 3, 2, 1]
    before = auditor.get("/audit", params={"date_to": (today - timedelta(days=1)).isoformat()}).text
    assert _seqs(before) == []
    assert 'id="audit-none"' in before
    backwards = auditor.get("/audit", params={"date_from": today.isoformat(),
                                              "date_to": (today - timedelta(days=1)).isoformat()})
    assert backwards.status_code == 422
    page = auditor.get("/audit").text
    assert "时间（北京时间）" in page
    assert '<option value="login">登录</option>' in page


def test_pages_go_back_by_seq_and_count_the_matches(auditor: TestClient) -> None:
    first = auditor.get("/audit", params={"limit": 1}).text
    assert _seqs(first) == [4]
    assert "符合条件共 4 条" in first
    assert 'id="audit-newest"' not in first
    assert '<a id="audit-older" href="/audit?limit=1&amp;lang=zh&amp;before=4">' in first
    assert _seqs(auditor.get("/audit", params={"limit": 1, "before": 3}).text) == [2]
    admin_only = auditor.get("/audit", params={"limit": 1, "actor": "t_admin", "before": 3}).text
    assert _seqs(admin_only) == [2]
    assert "符合条件共 2 条" in admin_only
    last = auditor.get("/audit", params={"limit": 1, "before": 2}).text
    assert _seqs(last) == [1]
    assert 'id="audit-older"' not in last


def test_the_export_holds_what_the_filters_show(auditor: TestClient) -> None:
    page = auditor.get("/audit", params={"actor": "t_admin"}).text
    link = re.search(r'href="(/audit/export\.csv\?[^"]+)" id="export-csv"', page)
    assert link is not None
    csv = auditor.get(link.group(1).replace("&amp;", "&"))
    assert csv.status_code == 200
    assert csv.headers["content-disposition"].startswith('attachment; filename="audit-log-')
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert lines[0] == "审计日志导出"
    assert lines[1] == "筛选条件: 操作人=t_admin"
    assert lines[2].startswith("导出时间（北京时间）: ")
    assert lines[3] == "共 2 行"
    assert lines[5].split(",") == ["序号", "时间（北京时间）", "操作人", "角色", "地址", "操作", "实体", "记录编号", "变更"]
    assert [line.split(",")[0] for line in lines[6:]] == ["3", "2"]
    # the role, the action and the entity by their names, as the page shows them
    assert [line.split(",")[3:7:2] for line in lines[6:]] == [["自治区管理员", "修改"], ["自治区管理员", "新增"]]
    assert {line.split(",")[6] for line in lines[6:]} == {"重点用能单位"}
    assert "名称: 示例东胜煤化工企业 → 示例东胜煤化工有限公司" in lines[6]

    xlsx = auditor.get("/audit/export.xlsx", params={"action": "login", "lang": "en"})
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames[0] == "audit log"
    data = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    assert data[0] == ["seq", "time (Beijing)", "user", "role", "address", "action", "entity", "record id", "changes"]
    assert [(r[0], r[2], r[3], r[5]) for r in data[1:]] == [(4, "f_auditor", "Auditor", "log in")]
    notes = [r[0] for r in wb["导出说明"].iter_rows(values_only=True)]
    assert notes[0] == "Audit log export"
    assert notes[1] == "Filters: action=login"
    assert notes[3] == "1 rows"
    auditor.get("/audit", params={"lang": "zh"})  # the shared client back to Chinese (the choice is a cookie)


def test_an_export_cut_at_its_limit_says_how_many_matched() -> None:
    from tanfeng.web.downloads import export_notes

    assert export_notes("zh", "审计日志导出", [], 2, total=2)[3] == "共 2 行"
    assert export_notes("zh", "审计日志导出", [], 100, total=250)[3] == "符合条件共 250 行，本文件为前 100 行"
    assert export_notes("en", "Audit log export", [], 100, total=250)[3] == (
        "250 rows match; the first 100 are in this file")


def test_only_audit_readers_export(role_clients: dict[str, TestClient]) -> None:
    assert role_clients["league"].get("/audit/export.csv").status_code == 403
    assert role_clients["public"].get("/audit/export.csv", follow_redirects=False).status_code == 303
