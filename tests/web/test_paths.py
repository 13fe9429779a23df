"""Paths a visitor can take resolve: an unknown region is a 404 page, breadcrumbs link only to regions of the
catalogue, and the language switch after a posted form goes to a page that answers GET.

Period 2027Q3 belongs to this file (the app and its store are shared by the web tests).
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tanfeng.enterprises.registry import KeyUnit, Meter, credit_code_check_char
from tanfeng.services import key_units as units

PERIOD = "2027Q3"


def _csrf(page: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert m is not None
    return m.group(1)


def _switch(page: str) -> str:
    m = re.search(r'<a href="([^"]+)" id="lang-switch"', page)
    assert m is not None, "the page has no language switch"
    return m.group(1).replace("&amp;", "&")


def test_an_unknown_region_is_not_found(client: TestClient) -> None:
    # 150209 has the shape of a county of 包头市 but is not in the GB/T 2260 catalogue
    page = client.get("/regions/150209")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "未找到" in page.text
    assert client.get("/api/regions/150209").status_code == 404
    # a malformed code is still invalid input, and a known one answers
    assert client.get("/regions/15020").status_code == 422
    assert client.get("/regions/150200").status_code == 200


def test_breadcrumbs_link_only_regions_of_the_catalogue(app: FastAPI, role_clients: dict[str, TestClient]) -> None:
    first17 = "91150209MA0000777"
    code = first17 + credit_code_check_char(first17)
    with app.state.sessions() as session:
        units.upsert_unit(session, KeyUnit(
            code=code, name="示例·钢铁企业0777", league="150200", county="150209", industry="C3110",
            level="league", sample=True,
            meters=(Meter(meter_id=f"{code}-E1", unit_code=code, product="electricity", unit="kWh",
                          kind="interval"),)), actor="test-setup")
    page = role_clients["region_admin"].get(f"/units/{code}")
    assert page.status_code == 200
    crumbs = page.text.split('id="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'href="/regions/(\d{6})', crumbs) == ["150000", "150200"]
    assert 'data-code="150209"' in crumbs  # named, not linked


def test_the_language_switch_keeps_the_query_of_a_get(client: TestClient) -> None:
    assert _switch(client.get("/board", params={"year": 2025}).text) == "/board?year=2025&lang=en"
    assert _switch(client.get("/board", params={"year": 2025, "lang": "en"}).text) == "/board?year=2025&lang=zh"


def test_the_language_switch_after_a_failed_form_goes_to_a_get_page(role_clients: dict[str, TestClient]) -> None:
    office, league = role_clients["office"], role_clients["league"]
    listing = office.get("/dispatch").text
    if f'data-period="{PERIOD}"' not in listing:
        r = office.post("/dispatch", data={"csrf_token": _csrf(listing), "period": PERIOD, "due_date": "2027-10-10"},
                        follow_redirects=False)
        assert r.status_code == 303, r.text
    form = league.get(f"/dispatch/{PERIOD}").text
    failed = league.post(f"/dispatch/{PERIOD}/entries", data={
        "csrf_token": _csrf(form), "unit": "150600", "item": "target:im2022.main.t2", "value": "约25",
        "value_unit": "%", "as_of": "2027-09-30"})
    assert failed.status_code == 422
    href = _switch(failed.text)
    assert href == f"/dispatch/{PERIOD}?lang=en"
    assert league.get(href).status_code == 200
    # a failed form to open a period: the switch goes to the list of periods
    bad = office.post("/dispatch", data={"csrf_token": _csrf(listing), "period": "nonsense", "due_date": "x"})
    assert bad.status_code == 422
    assert _switch(bad.text) == "/dispatch?lang=en"


def test_server_messages_are_shown_in_chinese_with_the_original(role_clients: dict[str, TestClient]) -> None:
    league = role_clients["league"]
    form = league.get(f"/dispatch/{PERIOD}").text
    failed = league.post(f"/dispatch/{PERIOD}/entries", data={
        "csrf_token": _csrf(form), "unit": "150600", "item": "target:im2022.main.t2", "value": "约25",
        "value_unit": "%", "as_of": "2027-09-30"})
    assert "“约25”不是数字" in failed.text
    bad = role_clients["public"].get("/regions/abc")
    assert "地址中的代码" in bad.text
    assert "path.code" in bad.text
    refused = role_clients["league"].get("/audit")
    assert refused.status_code == 403
    assert "无权操作:盟市角色不能对审计日志执行“查看”" in refused.text


def test_english_pages_read_rules_and_sources_in_english_and_quote_chinese_names() -> None:
    from tanfeng.web.i18n import quoted_chinese, translate_message

    rule = ("re_deduction (发改运行〔2022〕1258号): 能耗总量扣除新增可再生能源电力消费 2,828,300 tce (2025) 和 0 tce "
            "(2020),强度不扣除 — deducted from the totals (renewable electricity above 2020); intensity unchanged")
    assert translate_message("en", rule) == (
        "renewable electricity deduction (发改运行〔2022〕1258号): 2,828,300 tce (2025) and 0 tce (2020) of renewable "
        "electricity added since the base year deducted from the total; intensity not deducted")
    assert translate_message("zh", rule).startswith("新增可再生能源电力消费扣除(发改运行〔2022〕1258号):")
    source = "计算: 能源消费总量 / 地区生产总值 (2020年不变价); 示例数据 (tanfeng sample generator, seed 2025)"
    assert translate_message("en", source) == (
        "computed: total energy consumption / gross regional product (2020 prices); 示例数据 (sample generator, seed 2025)")
    # an English message the catalogue writes no otherwise stays as it is
    assert translate_message("en", "'约25' is not a number") == "'约25' is not a number"
    # what stays Chinese in an English sentence (a document number) is marked as a quotation
    assert str(quoted_chinese("en", "Intensity change · 发改办环资〔2021〕629号 <b>")) == (
        'Intensity change · <span lang="zh-CN">发改办环资〔2021〕629号</span> &lt;b&gt;')
    assert str(quoted_chinese("zh", "发改办环资〔2021〕629号 <b>")) == "发改办环资〔2021〕629号 &lt;b&gt;"


def test_units_are_written_as_a_reader_expects() -> None:
    from tanfeng.web.i18n import beijing_time, unit_text

    assert unit_text("zh", "万tce") == "万吨标准煤"
    assert unit_text("zh", "tce/万元") == "吨标准煤/万元"
    assert unit_text("zh", "万tCO2") == "万吨二氧化碳"
    assert unit_text("zh", "m**3") == "立方米"
    assert unit_text("zh", "MtCO2") == "百万吨二氧化碳"
    # English writes the plan's Chinese units with powers of ten
    assert unit_text("en", "万tce") == "×10⁴ tce"
    assert unit_text("en", "万千瓦") == "×10⁴ kW"
    assert unit_text("en", "克标准煤/千瓦时") == "gce/kWh"
    assert unit_text("en", "MtCO2") == "MtCO2"
    assert unit_text("zh", "kgce/t") == "千克标准煤/吨"
    # in English the plan's Chinese units are written out: 万 as ×10⁴, 亿 as ×10⁸
    assert unit_text("en", "万tce") == "×10⁴ tce"
    assert unit_text("en", "万千瓦") == "×10⁴ kW"
    assert unit_text("en", "亿立方米") == "×10⁸ m³"
    assert unit_text("en", "克标准煤/千瓦时") == "gce/kWh"
    assert unit_text("en", "tce/万元") == "tce per 10⁴ yuan"
    assert unit_text("en", "亿元 (2020年不变价)") == "×10⁸ yuan (2020 prices)"
    from datetime import UTC, datetime

    assert beijing_time(datetime(2025, 12, 31, 17, 30, tzinfo=UTC)) == "2026-01-01 01:30:00"


def test_texts_the_domain_writes_in_chinese_read_in_english() -> None:
    from tanfeng.web.i18n import mark_codes, translate_message

    reason = "影响等级取 m 档 (决定性影响) 与 n 档 (影响较小) 中较重者: 决定性影响"
    assert translate_message("en", reason) == (
        "impact class: the worse of the m class (decisive impact) and the n class (small impact): decisive impact")
    assert translate_message("zh", reason) == reason
    assert translate_message("en", "拟建") == "planned"
    assert translate_message("en", "already English") == "already English"
    # paths and commits in a data file's note are codes; a quoted document title is Chinese
    assert str(mark_codes("见 reference/data/a.csv, 提交 822037b7, 《内蒙古自治区碳达峰实施方案》")) == (
        '见 <code translate="no">reference/data/a.csv</code>, 提交 <code translate="no">822037b7</code>, '
        '<span lang="zh-CN">《内蒙古自治区碳达峰实施方案》</span>')
    assert str(mark_codes("<b>")) == "&lt;b&gt;"
