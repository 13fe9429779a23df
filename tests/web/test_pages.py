"""The dashboard pages as HTML: Chinese first, English on request, every target linked to its sentence."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_dashboard_is_chinese_first(client: TestClient) -> None:
    html = client.get("/").text
    assert '<html lang="zh-CN">' in html
    assert "内蒙古自治区碳达峰实施方案" in html
    assert "量化目标" in html
    assert "(十二) 碳达峰碳中和试点示范建设行动" in html


def test_dashboard_lists_every_target_with_a_source_link(client: TestClient) -> None:
    targets = client.get("/api/plans/im2022/targets").json()
    html = client.get("/").text
    for t in targets:
        assert f'/plans/im2022/targets/{t["id"]}' in html


def test_english_switch_and_cookie(client: TestClient) -> None:
    r = client.get("/", params={"lang": "en"})
    assert '<html lang="en">' in r.text
    assert "Quantified targets" in r.text
    assert r.cookies.get("lang") == "en"


def test_target_page_highlights_the_source_sentence(client: TestClient) -> None:
    t = client.get("/api/plans/im2022/targets", params={"indicator": "抽水蓄能"}).json()[0]
    html = client.get(f"/plans/im2022/targets/{t['id']}").text
    marked = re.search(r'<mark id="sentence">(.*?)</mark>', html, re.S)
    assert marked is not None
    assert "抽水蓄能电站装机容量达到240万千瓦" in marked.group(1)


def test_unknown_target_page_is_404(client: TestClient) -> None:
    assert client.get("/plans/im2022/targets/im2022.nope").status_code == 404


def test_target_values_read_as_written_in_chinese() -> None:
    from tanfeng.web.i18n import format_target

    assert format_target("≥", 500, "万千瓦") == "500万千瓦以上"
    assert format_target("≈", 305, "克标准煤/千瓦时") == "305克标准煤/千瓦时左右"
    assert format_target("decrease_by", 5, "%", baseline_year=2020, qualifier="=") == "比2020年下降5%"
    assert format_target(">", 2, "亿千瓦") == "超过2亿千瓦"
    assert format_target("≥", 500, "万千瓦", lang="en") == "≥ 500 ×10⁴ kW"


def test_header_links_every_main_page(client: TestClient) -> None:
    html = client.get("/").text
    nav = re.search(r'<nav class="main-nav" id="main-nav">(.*?)</nav>', html, re.S)
    assert nav is not None
    links = re.findall(r'href="([^"?]+)', nav.group(1))
    assert links == ["/", "/overview", "/board", "/dispatch", "/regions/150000", "/scenarios"]
    for link in links:
        assert client.get(link).status_code == 200
