"""A crawler logs in as each role and follows every link on every page, in Chinese and in English.

It starts from the header's pages and follows same-origin ``<a href>`` links (GET only; deduplicated by path and
query; at most two pages of one shape, e.g. two region pages, two target pages; downloads fetched once per
language). It fails on:

* a 5xx anywhere (but a 503 that names a missing installed asset, such as the CJK font of the PDF reports, on a
  machine without it), and a 4xx other than the intended ones: a start page the role may not open, a 403 only
  where ``data/crawl_expected.txt`` says a role is shown a link it may not follow, and for the public a redirect
  to the login page;
* in Chinese, a Latin word in the visible text (text nodes, ``title``, ``placeholder``, ``alt``) outside the
  allow-list of codes and units (``data/crawl_allow_zh.txt``) and outside elements marked ``lang="en"``;
* in English, Chinese text outside the allow-list (``data/crawl_allow_en.txt``) and outside elements marked
  ``lang="zh-CN"`` (names, quoted sources and plan sentences are marked so).

The store gets what the pages show once people use the platform: the sample key units (示例数据) with the
enterprise account's unit, a dispatch round reported by a league (a value with an evidence file, a measure's
status) and a department, with a reminder sent, and a closed round; so the unit pages, a round's page, its
closing step and the evidence files are crawled whatever ran before.

Pages (by path pattern and language) whose texts are still to be moved into the catalogue are listed in
``data/crawl_pending.txt``: their links are followed and checked, their language is not; a listed page that
has become clean fails the test until it is taken off the list.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tanfeng.services import key_units as units
from tanfeng.services import tracking
from tanfeng.store.models import utcnow
from tanfeng.store.models_enterprises import KeyUnitRow

sys.path.insert(0, str(Path(__file__).parent))
from crawl import DATA, Finding, crawl, load_allow_list

ROLES = ("public", "office", "league", "county", "department", "enterprise", "auditor", "region_admin")
STARTS = ["/", "/overview", "/board", "/dispatch", "/regions/150000", "/scenarios", "/projects", "/registry",
          "/power", "/audit", "/account"]
"""The header's pages: a start page a role may not open answers its refusal (401 → login, 403), as intended."""


OPEN_ROUND, CLOSED_ROUND = "2030Q3", "2030Q2"
"""This file's dispatch rounds (the app and its store are shared by the web tests)."""
OWN_UNIT = "unit-A"  # the enterprise account's unit (role_accounts), 鄂尔多斯市 东胜区


def seed(app: FastAPI) -> None:
    """What the crawl should find in the store (see the module's docstring); adds nothing the second time."""
    settings = app.state.settings
    with app.state.sessions() as session:
        units.load_sample(session, settings, units=4, days=1, meters_per_unit=6)
        if session.get(KeyUnitRow, OWN_UNIT) is None:
            now = utcnow()
            session.add(KeyUnitRow(code=OWN_UNIT, name="示例企业A", league="150600", county="150602",
                                   industry="C3011", level="league", products=["cement"], contacts=[], sample=True,
                                   created_at=now, updated_at=now))
            session.commit()
        known = {p.id for p in tracking.list_periods(session)}
        if CLOSED_ROUND not in known:
            tracking.open_period(session, period=CLOSED_ROUND, due_date=date(2030, 7, 15), actor="t_office",
                                 actor_role="office")
            tracking.close_period(session, period=CLOSED_ROUND, actor="t_office", actor_role="office")
        if OPEN_ROUND in known:
            return
        tracking.open_period(session, period=OPEN_ROUND, due_date=date(2030, 10, 15), actor="t_office",
                             actor_role="office", departments=["自治区能源局"])
        owed = tracking.item_options(session, "150600")
        target = next(k for k, _, u in owed if k.startswith("target:") and u == "%").split(":", 1)[1]
        measure = next(k for k, _, _ in owed if k.startswith("measure:")).split(":", 1)[1]
        tracking.submit_with_attachments(
            session, data_dir=settings.data_dir, period=OPEN_ROUND, unit="150600", actor="t_league",
            actor_units={"150600"}, as_of=date(2030, 9, 30), target_id=target, value=21.5, value_unit="%",
            evidence="鄂尔多斯市统计局", actor_role="league",
            files=[tracking.AttachmentFile(filename="三季度统计.pdf", content=b"%PDF-1.4\n% evidence\n")])
        tracking.submit_entry(session, period=OPEN_ROUND, unit="150600", actor="t_league", actor_units={"150600"},
                              actor_role="league", as_of=date(2030, 9, 30), measure_id=measure,
                              measure_status="in_progress", evidence="鄂尔多斯市发展改革委")
        dept = next(k for k, _, _ in tracking.item_options(session, "自治区能源局") if k.startswith("measure:"))
        tracking.submit_entry(session, period=OPEN_ROUND, unit="自治区能源局", actor="t_dept",
                              actor_units={"自治区能源局"}, actor_role="department", as_of=date(2030, 9, 30),
                              measure_id=dept.split(":", 1)[1], measure_status="done", evidence="自治区能源局")
        tracking.remind(session, period=OPEN_ROUND, unit="152900", actor="t_office", actor_role="office",
                        today=date(2030, 10, 1))


def _expected_refusals() -> set[tuple[str, str]]:
    """(role, path prefix) pairs where a link the role sees may answer 403 (the page says why)."""
    out = set()
    for line in (DATA / "crawl_expected.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            role, prefix = line.split(None, 1)
            out.add((role, prefix.strip()))
    return out


@pytest.fixture(scope="module")
def crawled(app: FastAPI, role_clients: dict[str, TestClient]) -> dict[tuple[str, str], Finding]:
    seed(app)
    allow = {"zh": load_allow_list("crawl_allow_zh.txt"), "en": load_allow_list("crawl_allow_en.txt")}
    downloads: set[tuple[str, str]] = set()
    out = {}
    for role in ROLES:
        for lang in ("zh", "en"):
            out[role, lang] = crawl(role_clients[role], STARTS, lang, allow=allow[lang], downloads=downloads)
    for c in role_clients.values():
        c.cookies.delete("lang")
    return out


@pytest.mark.parametrize("role", ROLES)
def test_every_link_resolves(crawled: dict[tuple[str, str], Finding], role: str) -> None:
    expected = _expected_refusals()
    broken = []
    for lang in ("zh", "en"):
        for page in crawled[role, lang].pages:
            if page.status < 300 or page.status == 304:
                continue
            if page.status in (301, 302, 303, 307, 308):
                if role != "public" and page.location.startswith("/login"):
                    broken.append(f"{page.status} {page.url} → {page.location} (from {page.referer})")
                continue
            if not page.referer and page.status in (401, 403):
                continue  # a header page the role may not open
            if page.status == 403 and any(page.url.startswith(p) for r, p in expected if r == role):
                continue
            if page.status == 503 and "AssetMissingError" in page.body:
                continue
            broken.append(f"{page.status} {page.url} (from {page.referer})")
    assert not broken, "\n".join(broken)


def _pending() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for line in (DATA / "crawl_pending.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            lang, pattern = line.split(None, 1)
            out.append((lang, re.compile(fnmatch.translate(pattern.strip()))))
    return out


def _is_pending(url: str, lang: str) -> bool:
    path = url.split("?", 1)[0]
    return any(lang == lg and p.match(path) for lg, p in _pending())


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_speaks_one_language(crawled: dict[tuple[str, str], Finding], role: str, lang: str) -> None:
    finding = crawled[role, lang]
    assert len(finding.pages) >= 5
    out = [f"{url}: {' '.join(sorted(words))} (in «{finding.context.get(url, '')}»)"
           for url, words in finding.language.items() if not _is_pending(url, lang)]
    assert not out, "\n".join(out)


def test_the_pending_list_only_lists_pages_still_to_do(crawled: dict[tuple[str, str], Finding]) -> None:
    dirty = [(lang, url.split("?", 1)[0]) for (_, lang), f in crawled.items() for url in f.language]
    crawled_paths = [(lang, p.url.split("?", 1)[0]) for (_, lang), f in crawled.items() for p in f.pages]
    for lang, pattern in _pending():
        if any(lg == lang and pattern.match(p) for lg, p in crawled_paths):
            assert any(lg == lang and pattern.match(p) for lg, p in dirty), (
                f"{lang} {pattern.pattern}: every page is in one language now; take it off crawl_pending.txt")
