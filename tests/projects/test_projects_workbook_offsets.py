"""The Excel 清单 (read whole or refused with row and field) and the 减量替代 ledger rule."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tanfeng.errors import ConflictError, InputError
from tanfeng.projects.offsets import Withdrawal, check_claim, coverage
from tanfeng.projects.registry import Project
from tanfeng.projects.rules import load_rules
from tanfeng.projects.screening import pre_approval, screen
from tanfeng.projects.workbook import read_workbook, write_workbook


def _p(code: str, **kw: object) -> Project:
    base: dict[str, object] = {"code": code, "name": f"项目{code}", "league": "150600", "county": "150621",
                               "industry": "C2614", "stage": "拟建", "energy_equal_tce": 12_000.0,
                               "energy_equiv_tce": 15_000.0, "officials": [{"name": "张三", "post": "副市长"}],
                               "milestones": [{"name": "开工", "due": "2026-05-01"}], "departments": ["发展改革委"]}
    base.update(kw)
    return Project.model_validate(base)


def test_workbook_round_trip() -> None:
    ps = [_p("A1"), _p("A2", product="calcium_carbide", output=100_000.0, stage="存量")]
    assert read_workbook(write_workbook(ps)) == ps


def _broken(row: int, header: str, value: object) -> bytes:
    wb = load_workbook(io.BytesIO(write_workbook([_p("A1"), _p("A2"), _p("A3")])))
    ws = wb["项目清单"]
    col = [c.value for c in ws[1]].index(header) + 1
    ws.cell(row=row, column=col, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(("row", "header", "value", "pattern"), [
    (3, "盟市代码", "1506", "row 3, field '盟市代码'"),
    (4, "年综合能耗当量值(tce)", -5, "row 4, field '年综合能耗当量值"),
    (2, "阶段", "规划中", "row 2, field '阶段'"),
    (4, "项目代码", "A1", "row 4, field '项目代码'"),
    (3, "原址改扩建", "也许", "row 3, field '原址改扩建'"),
])
def test_bad_workbook_refused_whole_with_row_and_field(row: int, header: str, value: object, pattern: str) -> None:
    with pytest.raises(InputError) as info:
        read_workbook(_broken(row, header, value))
    assert pattern in str(info.value)


def test_not_a_workbook() -> None:
    with pytest.raises(InputError, match="not an Excel workbook"):
        read_workbook(b"plain text", filename="x.xlsx")


def test_one_withdrawal_never_backs_two_projects() -> None:
    w = Withdrawal(id="W1", league="150600", description="关停电石炉", energy_tce=20_000.0,
                   withdrawn_on=date(2024, 6, 30))
    check_claim(w, _p("A1"), None)
    with pytest.raises(ConflictError, match="already backs project A1"):
        check_claim(w, _p("A2"), "A1")
    with pytest.raises(InputError, match="same league"):
        check_claim(w, _p("B1", league="150200", county=None), None)


def test_coverage_and_pre_approval() -> None:
    rules = load_rules()
    p = _p("A1", feedstock_tce=5_000.0)  # d = 15,000 − 5,000 = 10,000; ratio 1.0 (assumption) → needs 10,000
    w = Withdrawal(id="W1", league="150600", description="x", energy_tce=9_999.0, withdrawn_on=date(2024, 1, 1))
    assert not coverage(p, [w], rules).covered
    w2 = w.model_copy(update={"id": "W2", "energy_tce": 1.0})
    cov = coverage(p, [w, w2], rules)
    assert cov.covered
    assert cov.needed_tce == 10_000.0
    checks = {c.id: c for c in pre_approval(p, "标杆–基准之间", cov, rules)}
    assert checks["offsets"].passed
    assert not checks["efficiency"].passed
    banned = {c.id: c for c in pre_approval(_p("A2", name="新建电石项目"), "优于标杆", cov, rules)}
    assert not banned["banned_product"].passed


def test_screening_below_baseline_must_retrofit_by_the_deadline() -> None:
    rules = load_rules()
    s = screen(_p("A1", stage="存量"), "未达基准", rules)
    assert s.status == "须改造"
    assert s.retrofit_by == "2025-12-31"
    assert screen(_p("A1"), "优于标杆", rules).status == "标杆已达"
    assert screen(_p("A1"), None, rules).status == "无产品数据"
