"""Issue 17, done when: another province's published plan, extracted, reviewed and loaded, is on the board
beside Inner Mongolia's; a person reviews a draft in Chromium (accept, correct, reject, add, save) and finds
the plan on the board.

These tests run on a store of their own (the other web tests share one that holds Inner Mongolia's plan
only). Texts: tests/plan/texts (山东省 主要目标; 宁夏 征求意见稿); review file: tests/plan/reviews.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import yaml
from clients import add_test_user, store_app
from export_files import read_csv_export
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tanfeng.plan.draft import apply_review, draft_plan, plan_yaml
from tanfeng.plan.extract import extract_file
from tanfeng.plan.model import Comparator, Plan, SourceRef, Target
from tanfeng.services import audit as audit_service
from tanfeng.services import plans as plans_service

TESTS = Path(__file__).resolve().parents[1]
TEXTS = TESTS / "plan" / "texts"
REVIEW = TESTS / "plan" / "reviews" / "shandong_2022_review.yaml"
PASSWORD = "Grassland-Wind-2030 碳峰"


@pytest.fixture(scope="module")
def own_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    app = store_app(tmp_path_factory.mktemp("plans-web"))
    add_test_user(app, "p_office", "office", PASSWORD, display_name="办公室 测试")
    return app


def _write_draft(tmp: Path, text: str, plan_id: str, title: str, region: str) -> Path:
    draft = extract_file(TEXTS / text, region_code=region)
    source = (TEXTS / text).read_text(encoding="utf-8")
    plan = draft_plan(draft, plan_id=plan_id, title=title, region=region, source_file=f"{plan_id}.source.txt",
                      text=source)
    (tmp / f"{plan_id}.source.txt").write_text(source, encoding="utf-8")
    out = tmp / f"{plan_id}.yaml"
    out.write_text(plan_yaml(plan), encoding="utf-8")
    return out


def test_shandong_extracted_reviewed_loaded_and_on_the_board(own_app: FastAPI, tmp_path: Path) -> None:
    draft = _write_draft(tmp_path, "shandong_2022_main_targets.txt", "sd2022", "山东省碳达峰实施方案", "370000")
    from tanfeng.plan.loader import load_plan
    reviewed = apply_review(load_plan(draft), yaml.safe_load(REVIEW.read_text(encoding="utf-8")),
                            text=(tmp_path / "sd2022.source.txt").read_text(encoding="utf-8"))
    reviewed_file = tmp_path / "sd2022.reviewed.yaml"
    reviewed_file.write_text(plan_yaml(reviewed), encoding="utf-8")
    with own_app.state.sessions() as session:
        res = plans_service.load_plan_file(session, reviewed_file, actor="test")
        session.commit()
    assert (res.status, res.targets, res.region) == ("reviewed", 5, "370000")

    client = TestClient(own_app)
    html = client.get("/board").text
    assert "山东省碳达峰实施方案（山东省）" in html  # the plan and its region beside …
    assert "内蒙古自治区碳达峰实施方案" in html  # … Inner Mongolia's
    rows = re.findall(r'data-target="([^"]+)" data-plan="([^"]*)"', html)
    assert {p for _, p in rows} == {"im2022", "sd2022"}
    assert sorted(t for t, p in rows if p == "sd2022") == [f"sd2022.doc.t{k}" for k in range(1, 6)]
    only = client.get("/board", params={"plan": "sd2022"}).text
    assert {p for _, p in re.findall(r'data-target="([^"]+)" data-plan="([^"]*)"', only)} == {"sd2022"}
    # the corrected 2030 share (占比 in the text, 比重 after review), 20 %左右
    assert only.count('<td><span lang="zh-CN">非化石能源消费比重') == 2
    body = client.get("/api/tracking/targets/board.csv", params={"plan": "sd2022", "lang": "en"}).content
    got = [(r["target id"], r["target year"], r["target"]) for r in read_csv_export(body)[1]]
    assert got == [("sd2022.doc.t1", "2025", "13.0"), ("sd2022.doc.t2", "2025", "14.5"),
                   ("sd2022.doc.t3", "2025", "20.5"), ("sd2022.doc.t4", "2030", "20.0"),
                   ("sd2022.doc.t5", "2030", "68.0")]
    assert client.get("/board", params={"plan": "nope"}).status_code == 404


def test_a_league_target_restating_the_region_target_is_linked(own_app: FastAPI) -> None:
    # a 包头市 plan whose 2025 storage target restates the region's 500万千瓦以上 (内党发〔2022〕19号)
    sentence = "到2025年,新型储能装机容量达到500万千瓦以上。"
    league = Plan(id="bt_test", title="包头市示例方案", region="150200", status="unreviewed", parts=[], targets=[
        Target(id="bt_test.t1", indicator="新型储能装机容量", indicator_id="new_energy_storage_capacity",
               scope="150200", year=2025, comparator=Comparator.GE, value=500, unit="万千瓦",
               source_text=sentence, source=SourceRef(document="包头市示例方案"))])
    with own_app.state.sessions() as session:
        plans_service.save_plan(session, league, actor="test")
        session.commit()
        links = plans_service.target_links(session, "bt_test")
    assert [(lk.target_id, lk.parent_plan_id, lk.parent_target_id) for lk in links] == [
        ("bt_test.t1", "im2022", "im2022.a01.m2.t1")]
    html = TestClient(own_app).get("/board", params={"plan": "bt_test"}).text
    assert "承接上级目标" in html
    assert "im2022.a01.m2.t1" in html
    assert "未审核" in html


def test_a_province_target_restating_the_national_target_is_linked(own_app: FastAPI, tmp_path: Path) -> None:
    # 国发〔2021〕23号 drafted for the nation (000000 全国) and 山东省's main targets: each of the five Shandong
    # targets (2025 and 2030 non-fossil share, 2025 energy and carbon intensity, 2030 carbon intensity vs 2005)
    # restates the national target of the same indicator, year and comparator
    national = _write_draft(tmp_path, "guofa_2021_23_main_targets.txt", "gf2021", "2030年前碳达峰行动方案", "000000")
    province = _write_draft(tmp_path, "shandong_2022_main_targets.txt", "sd_link", "山东省碳达峰实施方案", "370000")
    with own_app.state.sessions() as session:
        assert plans_service.load_plan_file(session, national, actor="test").region == "000000"
        plans_service.load_plan_file(session, province, actor="test")
        session.commit()
        links = plans_service.target_links(session, "sd_link")
    assert sorted((lk.target_id, lk.parent_plan_id, lk.parent_target_id) for lk in links) == [
        (f"sd_link.doc.t{k}", "gf2021", f"gf2021.p2.t{k}") for k in range(1, 6)]
    client = TestClient(own_app)
    board = client.get("/board", params={"plan": "sd_link", "lang": "zh"}).text
    assert board.count('class="sub restates"') == 5
    assert "2030年前碳达峰行动方案 gf2021.p2.t1" in board
    national_board = client.get("/board", params={"plan": "gf2021", "lang": "zh"}).text
    assert "全国" in national_board
    page = client.get("/plans/sd_link/targets/sd_link.doc.t2", params={"lang": "zh"}).text
    up = page.split('id="restates"', 1)[1].split("</tr>", 1)[0]
    assert 'href="/plans/gf2021/targets/gf2021.p2.t2?lang=zh"' in up
    down = client.get("/plans/gf2021/targets/gf2021.p2.t2", params={"lang": "zh"}).text
    below = down.split('id="restated-by"', 1)[1].split("</tr>", 1)[0]
    assert 'data-target="sd_link.doc.t2"' in below
    assert "下级方案承接" in below


def _office(app: FastAPI) -> TestClient:
    """A client logged in as the office through the login form."""
    c = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text)
    assert token is not None
    r = c.post("/login", data={"username": "p_office", "password": PASSWORD, "csrf_token": token.group(1),
                               "next": "/"}, follow_redirects=False)
    assert r.status_code == 303
    return c


def test_review_page_shows_reasons_in_chinese_and_corrects_the_baseline_year(own_app: FastAPI,
                                                                            tmp_path: Path) -> None:
    # a 2030 carbon-intensity cut whose sentence names no baseline: the draft assumes 2025 (five years before)
    # and says so; the reviewer corrects it to 2005, the baseline of the national 2030 target
    text = "到2030年,单位地区生产总值二氧化碳排放下降65%以上。\n"
    (tmp_path / "bl.txt").write_text(text, encoding="utf-8")
    draft = extract_file(tmp_path / "bl.txt", region_code="640000")
    plan = draft_plan(draft, plan_id="bl2030", title="示例方案", region="640000", source_file="bl.source.txt",
                      text=text)
    (tmp_path / "bl.source.txt").write_text(text, encoding="utf-8")
    (tmp_path / "bl.yaml").write_text(plan_yaml(plan), encoding="utf-8")
    tid = plan.targets[0].id
    assert (plan.targets[0].comparator, plan.targets[0].baseline_year) == (Comparator.DECREASE_BY, 2025)
    with own_app.state.sessions() as session:
        plans_service.load_plan_file(session, tmp_path / "bl.yaml", actor="test")
        session.commit()
    client = _office(own_app)
    page = client.get("/plans/bl2030/review", params={"lang": "zh"}).text
    row = page.split(f'data-target="{tid}"', 1)[1].split('class="review-row', 1)[0]
    assert '<input type="number" data-field="baseline_year" value="2025">' in row
    assert "基准年" in row
    codes, shown = row.split('class="sub reasons" data-codes="', 1)[1].split("</div>", 1)[0].split('">', 1)
    assert "基准年按前五年假定为2025年，请核对" in shown
    assert "assumed" not in shown
    assert "baseline_assumed" in codes.split()  # the codes, for scripts
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    fields = {"indicator": plan.targets[0].indicator, "year": 2030, "comparator": "decrease_by", "value": 65,
              "unit": "%", "baseline_year": 2005}
    r = client.post("/plans/bl2030/review", params={"lang": "zh"}, follow_redirects=False, data={
        "csrf_token": token.group(1), "review": json.dumps({"correct": {tid: fields}})})
    assert r.status_code == 303
    with own_app.state.sessions() as session:
        stored = plans_service.get_plan(session, "bl2030").targets[0]
        history = audit_service.target_history(session, "bl2030", tid)
    assert (stored.baseline_year, stored.review) == (2005, "corrected")
    changes = [(c.pointer, c.before, c.after) for h in history for c in h.changes]
    assert ("/baseline_year", 2025, 2005) in changes
    again = client.get("/plans/bl2030/review", params={"lang": "zh"}).text
    assert '<input type="number" data-field="baseline_year" value="2005">' in again


def _counts(html: str, box: str) -> dict[str, int]:
    part = html.split(f'id="{box}"', 1)[1].split("</div>", 1)[0]
    return {k: int(v) for k, v in re.findall(r'data-(?:status|level)="([^"]+)"[^>]*>[^<]*<b>(\d+)</b>', part)}


def test_the_overview_follows_the_plan_chosen(own_app: FastAPI) -> None:
    # two small plans beside Inner Mongolia's: 包头市 (a league: its own warning is counted) and 山东省 (outside
    # the barometer: no league is counted); their sentences are those of the published plans' main targets
    storage = "到2025年,新型储能装机容量达到500万千瓦以上。"
    nonfossil = "到2025年,非化石能源消费比重提高至13%左右。"
    league = Plan(id="bt_ov", title="包头市示例方案", region="150200", parts=[], targets=[
        Target(id="bt_ov.t1", indicator="新型储能装机容量", indicator_id="new_energy_storage_capacity", scope="150200",
               year=2025, comparator=Comparator.GE, value=500, unit="万千瓦", source_text=storage,
               source=SourceRef(document="包头市示例方案"))])
    province = Plan(id="sd_ov", title="山东省示例方案", region="370000", parts=[], targets=[
        Target(id="sd_ov.t1", indicator="非化石能源消费比重", indicator_id="non_fossil_energy_share", scope="370000",
               year=2025, comparator=Comparator.APPROX, value=13, unit="%", source_text=nonfossil,
               source=SourceRef(document="山东省示例方案"))])
    with own_app.state.sessions() as session:
        plans_service.save_plan(session, league, actor="test")
        plans_service.save_plan(session, province, actor="test")
        session.commit()
    client = TestClient(own_app)
    region = client.get("/overview", params={"lang": "zh"}).text
    bt = client.get("/overview", params={"lang": "zh", "plan": "bt_ov"}).text
    sd = client.get("/overview", params={"lang": "zh", "plan": "sd_ov"}).text
    # the plan chosen is named, selected in the filter, and its region heads the page
    assert 'data-plan="im2022"' in region
    assert 'data-plan="bt_ov"' in bt
    assert 'data-plan="sd_ov"' in sd
    assert '<option value="bt_ov" selected lang="zh-CN">' in bt
    assert '<h1><span lang="zh-CN">内蒙古自治区' in region
    assert '<h1><span lang="zh-CN">包头市' in bt
    assert '<h1><span lang="zh-CN">山东省' in sd
    # targets by status: the plan's own targets
    assert sum(_counts(region, "target-counts").values()) > 1
    assert sum(_counts(bt, "target-counts").values()) == 1
    assert sum(_counts(sd, "target-counts").values()) == 1
    # warning counts: the twelve leagues, one league, none
    assert sum(_counts(region, "warning-counts").values()) > 1
    assert sum(_counts(bt, "warning-counts").values()) == 1
    assert sum(_counts(sd, "warning-counts").values()) == 0
    assert 'id="no-leagues"' in sd
    assert re.findall(r'<tr data-code="(\d+)"', bt) == ["150200"]
    # the headline table shows the plan's targets
    assert 'data-indicator="new_energy_storage_capacity"' in bt
    assert 'data-indicator="non_fossil_energy_share"' in sd
    assert "13%左右" in sd
    assert client.get("/overview", params={"plan": "nope"}).status_code == 404


# --------------------------------------------------------------------------- Chromium


@pytest.fixture(scope="module")
def own_server(own_app: FastAPI) -> Iterator[str]:
    s = __import__("socket").socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    server = uvicorn.Server(uvicorn.Config(own_app, host="127.0.0.1", port=port, log_level="warning"))
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


def _select(page: Any, phrase: str) -> None:
    """Select ``phrase`` in the review page's text, as a person does with the mouse."""
    page.evaluate("""(phrase) => {
        const root = document.getElementById('review-text');
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const i = node.textContent.indexOf(phrase);
            if (i >= 0) {
                const r = document.createRange();
                r.setStart(node, i); r.setEnd(node, i + phrase.length);
                const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
                return;
            }
        }
        throw new Error('phrase not in the text: ' + phrase);
    }""", phrase)


def test_review_a_draft_in_chromium(own_app: FastAPI, own_server: str, browser: Any, tmp_path: Path,
                                    artifacts: Path) -> None:
    draft = _write_draft(tmp_path, "ningxia_2022_draft.txt", "nx2022", "宁夏回族自治区碳达峰实施方案(征求意见稿)",
                         "640000")
    with own_app.state.sessions() as session:
        assert plans_service.load_plan_file(session, draft, actor="test").status == "unreviewed"
        session.commit()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(own_server + "/login?next=/plans/nx2022/review")
    page.fill("#username", "p_office")
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#review-form")
    assert page.inner_text("#plan-status") == "未审核"
    assert page.locator("#review-text mark").count() >= 4  # the sentences of the ten targets, highlighted
    # accept t1 (the default), correct t5's name, reject t8, add the missed 不再新增 … 产能 (0 new capacity)
    row5 = page.locator('.review-row[data-target="nx2022.doc.t5"]')
    row5.locator('[data-field="indicator"]').fill("光伏装机规模")
    assert row5.locator('input[value="correct"]').is_checked()
    page.locator('.review-row[data-target="nx2022.doc.t8"] input[value="reject"]').check()
    _select(page, "不再新增焦化、电石、煤制甲醇产能")
    page.click("#review-add")
    added = page.locator(".review-row.added")
    added.locator('[data-field="indicator"]').fill("新增焦化、电石、煤制甲醇产能")
    added.locator('[data-field="year"]').fill("2025")
    added.locator('[data-field="comparator"]').select_option("=")
    added.locator('[data-field="value"]').fill("0")
    added.locator('[data-field="unit"]').fill("万吨")
    page.screenshot(path=str(artifacts / "plan-review.png"), full_page=True)
    page.click("#review-save")
    page.wait_for_selector("#review-notice")
    assert page.inner_text("#plan-status") == "已审核"
    page.click("#review-notice a")
    page.wait_for_selector("#board-table")
    ids = [el.get_attribute("data-target") for el in page.query_selector_all("#board-table tbody tr")]
    assert "nx2022.doc.t8" not in ids
    assert "nx2022.doc.t1" in ids
    assert "nx2022.added.t1" in ids
    table = page.inner_text("#board-table")
    assert "光伏装机规模" in table
    assert "新增焦化、电石、煤制甲醇产能" in table
    context.close()
    assert errors == []
    with own_app.state.sessions() as session:
        stored = plans_service.get_plan(session, "nx2022")
        marks = {t.id: t.review for t in stored.targets}
    assert stored.status == "reviewed"
    assert (marks["nx2022.doc.t1"], marks["nx2022.doc.t5"], marks["nx2022.added.t1"]) == (
        "accepted", "corrected", "added")
    assert next(t for t in stored.targets if t.id == "nx2022.added.t1").source.line == 5
