"""``/api/tracking/warnings`` and its exports for every year the store has data for (issue 10).

2019 has figures (the sample from 2015, CEADs to 2019) but comes before the barometer's first year, the plan's
base year 2020: 200, each region without levels and with a note that says why (the pages say the same). A
well-formed year without data in the plan (2026) is 200 with notes too, as it was; a period of bad form or a
year outside 2000–2030 (the years tracked, as ``/status`` refuses them) is 422 naming ``period``.
"""

from __future__ import annotations

from typing import Any

import pytest
from export_files import read_csv_export, read_xlsx_export
from fastapi.testclient import TestClient

LEVELS = ("intensity", "total", "carbon")


def _field(body: dict[str, Any]) -> set[str]:
    """The fields a 422 body names (a validation error's list, or a service error's object)."""
    detail = body["detail"]
    return {d["field"] for d in detail} if isinstance(detail, list) else {detail["field"]}


def test_a_year_with_figures_before_the_barometer_answers_with_a_note(client: TestClient) -> None:
    assert client.get("/api/tracking/status", params={"year": 2019}).json()[0]["figures"][0]["value"] is not None
    r = client.get("/api/tracking/warnings", params={"period": "2019"})
    assert r.status_code == 200, r.text
    rows = r.json()
    assert [w["region"] for w in rows][:2] == ["150000", "150100"]
    assert len(rows) == 13  # the region and its 12 leagues
    for w in rows:
        assert (w["year"], w["period"]) == (2019, "2019")
        assert all(w[k] is None for k in LEVELS)
        assert w["notes"] == ["the barometer starts with the base year of the plan, 2020: 2019 has figures but "
                              "no warning levels"]


def test_the_exports_of_such_a_year_say_why_they_are_empty(client: TestClient) -> None:
    r = client.get("/api/tracking/warnings.csv", params={"period": "2019"})
    assert r.status_code == 200
    notes, rows = read_csv_export(r.content)
    assert rows == []
    assert notes[-1] == "预警晴雨表自方案基期年（2020年）起：2019年只有指标数据，没有预警等级。"
    x = client.get("/api/tracking/warnings.xlsx", params={"period": "2019", "lang": "en"})
    assert x.status_code == 200
    xnotes, xrows = read_xlsx_export(x.content)
    assert xrows == []
    assert xnotes[-1] == "The barometer starts with the base year of the plan, 2020: 2019 has figures but no warning levels."


def test_a_year_in_the_plan_without_data_answers_with_notes(client: TestClient) -> None:
    rows = client.get("/api/tracking/warnings", params={"period": "2026"}).json()
    assert all(w[k] is None for w in rows for k in LEVELS)
    assert {n for w in rows for n in w["notes"]} == {"no energy-intensity change for 2026"}
    assert client.get("/api/tracking/warnings.csv", params={"period": "2026"}).status_code == 200


def test_a_year_with_levels_still_has_them(client: TestClient) -> None:
    rows = client.get("/api/tracking/warnings", params={"period": "2023"}).json()
    assert rows[0]["intensity"]["level"] in (1, 2, 3)


@pytest.mark.parametrize("period", ["20x9", "2019Q5", "19", "1990", "2031", "2100"])
@pytest.mark.parametrize("path", ["/api/tracking/warnings", "/api/tracking/warnings.csv",
                                  "/api/tracking/warnings.xlsx"])
def test_a_period_of_bad_form_or_outside_the_years_tracked_is_422(client: TestClient, path: str,
                                                                   period: str) -> None:
    r = client.get(path, params={"period": period})
    assert r.status_code == 422, r.text
    assert _field(r.json()) == {"period"}
