"""Figures in the project review's texts are written as a reader expects them: thousands separated, never in
scientific notation (``1.1e+06 tce``), in Chinese and in English (issue 10)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

SCIENTIFIC = re.compile(r"\d(?:\.\d+)?e[+-]?\d", re.I)


def _texts(html: str) -> str:
    """The review's reasons and the pre-approval checks of a project page."""
    parts = re.findall(r'<ol id="reasons">.*?</ol>', html, re.S)
    return " ".join(parts)


def test_no_review_text_is_in_scientific_notation(role_clients: dict[str, TestClient]) -> None:
    admin = role_clients["region_admin"]
    codes = [p["code"] for p in admin.get("/api/projects").json()]
    assert len(codes) >= 10
    for code in codes:
        for lang in ("zh", "en"):
            html = admin.get(f"/projects/{code}", params={"lang": lang}).text
            text = _texts(html)
            assert text, code
            assert not SCIENTIFIC.search(text), (code, lang, SCIENTIFIC.findall(text))
    main = re.search(r"<main.*?</main>", admin.get("/projects/two-high", params={"lang": "zh"}).text, re.S)
    assert main is not None
    assert not SCIENTIFIC.search(re.sub(r"<[^>]+>", " ", main.group(0)))  # the 两高 list's checks and reasons


def test_large_figures_are_thousands_separated(role_clients: dict[str, TestClient]) -> None:
    admin = role_clients["region_admin"]
    # SAMPLE-150300-01: 40 000 tce a year (the sample list), the region reviews from 10 000 tce (rules file)
    en = _texts(admin.get("/projects/SAMPLE-150300-01", params={"lang": "en"}).text)
    assert "annual energy use (calorific value) 40,000 tce ≥ 10,000 tce: reviewed by the region" in en
    zh = _texts(admin.get("/projects/SAMPLE-150300-01", params={"lang": "zh"}).text)
    assert "年综合能耗(当量值) 40,000 吨标准煤 ≥ 10,000 吨标准煤: 由自治区节能审查机关审查" in zh
    assert re.search(r"a=\d{1,3}(?:,\d{3}){2,} 吨标准煤", zh)  # the league's energy use, millions of tce
