"""The JSON API over an initialised embedded store: shapes, filters, errors, CSV, OpenAPI."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

REQUIRED = {"id", "action", "indicator", "scope", "year", "comparator", "value", "unit", "baseline_year", "source_text"}


def test_health(client: TestClient) -> None:
    r = client.get("/api/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_plans_listing_counts(client: TestClient) -> None:
    r = client.get("/api/plans")
    assert r.status_code == 200
    plans = {p["id"]: p for p in r.json()}
    assert plans["im2022"]["actions"] == 12
    assert plans["im2022"]["region"] == "150000"


def test_plan_has_twelve_actions(client: TestClient) -> None:
    plan = client.get("/api/plans/im2022").json()
    actions = [a for part in plan["parts"] for a in part["actions"]]
    assert [a["numeral"] for a in actions] == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


def test_targets_have_the_contract_fields(client: TestClient) -> None:
    targets = client.get("/api/plans/im2022/targets").json()
    assert len(targets) >= 28
    for t in targets:
        assert t.keys() >= REQUIRED
        assert isinstance(t["value"], int | float)
        assert t["year"] is None or isinstance(t["year"], int)


def test_filter_by_year_and_action(client: TestClient) -> None:
    # (六)交通运输绿色低碳行动 states five targets for 2025 (seed, 六.1 and 六.2)
    targets = client.get("/api/plans/im2022/targets", params={"action": "a06", "year": 2025}).json()
    assert targets
    assert {t["action"] for t in targets} == {"a06"}
    assert {t["year"] for t in targets} == {2025}


def test_storage_target_is_the_published_value(client: TestClient) -> None:
    # seed (一)2: "到2025年,新型储能装机容量达到500万千瓦以上"
    targets = client.get("/api/plans/im2022/targets", params={"indicator": "新型储能"}).json()
    assert len(targets) == 1
    t = targets[0]
    assert (t["year"], t["comparator"], t["value"], t["unit"]) == (2025, "≥", 500, "万千瓦")


def test_target_source_context_contains_the_sentence(client: TestClient) -> None:
    t = client.get("/api/plans/im2022/targets", params={"indicator": "森林覆盖率"}).json()[0]
    ctx = client.get(f"/api/plans/im2022/targets/{t['id']}/source").json()
    assert ctx["found"] is True
    assert ctx["sentence"] == t["source_text"]
    assert "23.5%" in ctx["sentence"]


def test_unknown_plan_is_404_with_a_message(client: TestClient) -> None:
    r = client.get("/api/plans/nope")
    assert r.status_code == 404
    assert "nope" in r.json()["detail"]["message"]


def test_unknown_target_is_404(client: TestClient) -> None:
    r = client.get("/api/plans/im2022/targets/im2022.zz")
    assert r.status_code == 404


def test_bad_year_is_422_not_500(client: TestClient) -> None:
    r = client.get("/api/plans/im2022/targets", params={"year": "soon"})
    assert r.status_code == 422


def test_targets_csv_opens_in_excel(client: TestClient) -> None:
    r = client.get("/api/plans/im2022/targets.csv", params={"year": 2030})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows
    assert {row["year"] for row in rows} == {"2030"}


def test_regions_leagues(client: TestClient) -> None:
    leagues = client.get("/api/regions", params={"level": "league"}).json()
    assert len(leagues) == 12
    assert {"150100", "150900", "152900"} <= {r["code"] for r in leagues}


def test_legacy_region_code_resolves(client: TestClient) -> None:
    r = client.get("/api/regions/152600")
    assert r.status_code == 200
    assert r.json()["code"] == "150900"


def test_openapi_and_docs_without_cdn(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert "/api/plans/{plan_id}/targets" in spec["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/swagger/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_league_boundaries_geojson(client: TestClient) -> None:
    data = client.get("/api/regions/150000/leagues.geojson").json()
    assert data["type"] == "FeatureCollection"
    codes = sorted(f["properties"]["code"] for f in data["features"])
    leagues = sorted(r["code"] for r in client.get("/api/regions", params={"level": "league"}).json())
    assert codes == leagues


def test_echarts_is_served_from_the_set_up(client: TestClient) -> None:
    r = client.get("/static/vendor/echarts/echarts.min.js")
    assert r.status_code == 200
    assert len(r.content) > 100_000
