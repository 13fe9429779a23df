"""Text a user typed comes back inert in every download: a league's indicator source in the public
``indicators.csv``/``indicators.xlsx``, a transfer memo in an account statement (issue 16, item 5).

Each xlsx is read back: no cell is a formula and the text is what was typed; each CSV cell starts with ``'``.
"""

from __future__ import annotations

import io

from export_files import read_csv_export
from fastapi.testclient import TestClient
from openpyxl import load_workbook

CMD = "=cmd|' /C calc'!A0"
AT = "@SUM(1+1)"


def _no_formula_and_has(content: bytes, *texts: str) -> None:
    wb = load_workbook(io.BytesIO(content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert set(texts) <= {c.value for c in cells}


def test_a_leagues_source_is_inert_in_the_public_indicator_downloads(role_clients: dict[str, TestClient]) -> None:
    body = {"region": "150600", "indicator": "energy_consumption", "period": "2025-10", "value": 400.0,
            "unit": "万tce", "source": CMD}
    r = role_clients["league"].post("/api/tracking/indicators", json=body)
    assert r.status_code == 201, r.text
    public = role_clients["public"]
    params = {"region": "150600", "indicator": "energy_consumption"}
    c = public.get("/api/tracking/indicators.csv", params=params)
    assert c.status_code == 200
    row = next(x for x in read_csv_export(c.content)[1] if x["时期"] == "2025-10")
    assert row["来源"] == "'" + CMD
    assert row["数值"] == "400.0"
    x = public.get("/api/tracking/indicators.xlsx", params=params)
    assert x.status_code == 200
    _no_formula_and_has(x.content, CMD)


def test_a_memo_is_inert_in_the_statement(role_clients: dict[str, TestClient]) -> None:
    admin = role_clients["region_admin"]
    for owner in ("cells-A", "cells-B"):
        r = admin.post("/api/registry/accounts", json={"instrument": "EUR", "kind": "enterprise", "owner": owner,
                                                       "name": AT, "region": "150600"})
        assert r.status_code == 201, r.text
    r = admin.post("/api/registry/issue", json={"idempotency_key": "cells-issue", "account": "EUR-cells-A",
                                                "vintage": 2025, "amount": 100, "basis": "confirmation",
                                                "memo": CMD})
    assert r.status_code == 201, r.text
    r = admin.post("/api/registry/transfers", json={"idempotency_key": "cells-move", "source": "EUR-cells-A",
                                                    "target": "EUR-cells-B", "amount": 40, "transfer_kind": "stock",
                                                    "memo": AT})
    assert r.status_code == 201, r.text
    x = admin.get("/api/registry/accounts/EUR-cells-A/statement.xlsx")
    assert x.status_code == 200
    _no_formula_and_has(x.content, CMD, AT)
    wb = load_workbook(io.BytesIO(x.content))
    assert -40 in {c.value for row in wb.worksheets[0].iter_rows() for c in row}
