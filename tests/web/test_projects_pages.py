"""Pages of projects and the league assessment: Chinese first, 示例数据 marked, scoped like the API."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_public_is_sent_to_login(client: TestClient) -> None:
    r = TestClient(client.app).get("/projects", follow_redirects=False)
    assert r.status_code in (302, 303)
    assert r.headers["location"].startswith("/login")


def test_league_list_page_shows_its_own_projects(role_clients: dict[str, TestClient]) -> None:
    html = role_clients["league"].get("/projects").text
    assert "固定资产投资项目清单" in html
    assert "示例数据" in html
    assert "SAMPLE-150600-01" in html
    assert "SAMPLE-150200-01" not in html


def test_project_page_shows_the_review_and_suspension(role_clients: dict[str, TestClient]) -> None:
    html = role_clients["region_admin"].get("/projects/SAMPLE-150300-01").text
    assert 'id="suspended"' in html
    assert "629号" in html
    assert 'id="reasons"' in html
    assert "由自治区节能审查机关审查" in html
    assert role_clients["league"].get("/projects/SAMPLE-150300-01").status_code == 403


def test_project_review_reads_in_english(role_clients: dict[str, TestClient]) -> None:
    html = role_clients["region_admin"].get("/projects/SAMPLE-150300-01", params={"lang": "en"}).text
    # the domain writes the reasons in Chinese; the catalogue's patterns give them in English
    assert "40,000 tce ≥ 10,000 tce: reviewed by the region&#39;s energy review authority" in html
    assert "impact class: the worse of the m class (decisive impact) and the n class (small impact)" in html
    assert '<td id="review-level" data-level="region">the region&#39;s review authority</td>' in html


def test_two_high_page_filters_and_exports(role_clients: dict[str, TestClient]) -> None:
    html = role_clients["region_admin"].get("/projects/two-high", params={"stage": "存量"}).text
    assert "须改造" in html
    assert "SAMPLE-150300-02" in html
    assert "SAMPLE-150600-01" not in html
    assert 'href="/api/projects/two-high.xlsx?stage=%E5%AD%98%E9%87%8F"' in html


def test_assessment_page_ranks_twelve_leagues_with_points(role_clients: dict[str, TestClient]) -> None:
    html = role_clients["office"].get("/assessment", params={"year": 2025, "lang": "en"}).text
    assert html.count('id="league-15') == 12
    assert "scorecard.pdf?year=2025" in html
    assert "dual-control warnings (notice No. 629)" in html  # what a point rests on, in English
    zh = role_clients["office"].get("/assessment", params={"year": 2025, "lang": "zh"}).text
    assert "双控预警 (629号)" in zh
    assert role_clients["enterprise"].get("/assessment").status_code == 403
