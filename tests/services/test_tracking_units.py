"""Unit checks of indicator values: one pint registry, price bases kept apart (no database)."""

from __future__ import annotations

import pytest

from tanfeng.services.tracking.common import parse_period, same_unit


@pytest.mark.parametrize(("a", "b", "same"), [
    ("万吨标准煤", "万tce", True),
    ("万吨标煤", "万tce", True),
    ("tce", "万tce", False),
    ("％", "%", True),
    ("吨标准煤/万元", "tce/万元", True),
    ("万吨二氧化碳", "万tCO2", True),
    ("亿元 (2020年不变价)", "亿元 (2020年不变价)", True),
    ("亿元 (2015年不变价)", "亿元 (2020年不变价)", False),
    ("亿元", "亿元 (2020年不变价)", False),
    ("指数 (2020=100)", "%", False),
    ("not a unit", "not a unit", True),
    ("not a unit", "%", False),
])
def test_same_unit(a: str, b: str, same: bool) -> None:
    assert same_unit(a, b) is same


@pytest.mark.parametrize(("period", "year"), [("2025", 2025), ("2025Q3", 2025), ("2024-09", 2024)])
def test_parse_period(period: str, year: int) -> None:
    assert parse_period(period) == year
