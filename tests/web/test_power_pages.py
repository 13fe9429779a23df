"""``/power`` pages: login needed, the synthetic-data note, the charts only for roles that may run studies."""

from __future__ import annotations

import html
import json
import re

from fastapi.testclient import TestClient

from tanfeng.power.data import MEASURES


def test_power_pages(client: TestClient, role_clients: dict[str, TestClient]) -> None:
    assert client.get("/power", follow_redirects=False).status_code in (302, 303, 401)
    admin = role_clients["region_admin"]
    index = admin.get("/power")
    assert index.status_code == 200
    assert "合成数据" in index.text
    assert 'href="/power/im2g-2025?lang=zh"' in index.text
    page = admin.get("/power/im2g-2030?week=3")
    assert page.status_code == 200
    assert 'data-week="3"' in page.text
    assert "echarts.min.js" in page.text
    # the charts name the measures from the one list, in the page's language (the catalogue)
    for lang, storage in (("zh", "新型储能"), ("en", "new-type storage")):
        text = admin.get(f"/power/im2g-2030?lang={lang}").text
        names = json.loads(html.unescape(re.search(r"data-measures='([^']*)'", text).group(1)))
        assert set(names) == set(MEASURES)
        assert names["storage"] == storage
    # an answer that is not ok (an infeasible week) is shown in a box the script fills, hidden until then
    assert 'id="power-error" role="alert" hidden>本周的调度无解:' in page.text
    assert admin.get("/power/nope").status_code == 404
    auditor = role_clients["auditor"].get("/power/im2g-2030")
    assert auditor.status_code == 200
    assert 'id="power-no-run"' in auditor.text
    assert role_clients["enterprise"].get("/power").status_code == 403


def test_header_links_power_only_for_readers(client: TestClient, role_clients: dict[str, TestClient]) -> None:
    assert 'id="nav-power"' not in client.get("/").text
    assert 'id="nav-power"' in role_clients["league"].get("/").text
    assert 'id="nav-power"' not in role_clients["enterprise"].get("/").text
