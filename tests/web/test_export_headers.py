"""The tracking exports title their columns through the message catalogue, as the audit and unit exports do.

The Chinese titles are written out here as the files have always had them (a reader's spreadsheet formulas and
imports depend on them); each must be the ``messages.po`` entry of the context ``export`` whose msgid is the
English title of the same column (``?lang=en``), so one mechanism serves every export.
"""

from __future__ import annotations

import csv
import io

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tanfeng.web.i18n import LOCALE_DIR

INDICATORS_ZH = ["地区代码", "地区", "指标代码", "指标", "时期", "数值", "单位", "来源", "可信度", "示例数据", "版本",
                 "录入人", "出处"]
WARNINGS_ZH = ["地区代码", "地区", "时期", "预警指标", "预警等级", "等级名称", "颜色", "变化率", "参照值", "单位", "依据",
               "推定", "后果", "示例数据", "来源"]
BOARD_ZH = ["目标编号", "指标", "所属行动", "地区代码", "地区", "目标年份", "目标值", "目标单位", "实际值年份", "实际值",
            "单位", "进度要求值", "进度", "进度要求", "差距", "剩余年数", "状态", "判定规则", "历年数值", "示例数据", "来源",
            "方案"]

EXPORTS = [("/api/tracking/indicators", {"region": "150300"}, INDICATORS_ZH),
           ("/api/tracking/warnings", {"period": "2023"}, WARNINGS_ZH),
           ("/api/tracking/targets/board", {}, BOARD_ZH)]


def _csv_header(data: bytes) -> list[str]:
    table = data.decode("utf-8-sig").partition("\n\n")[2]
    return next(csv.reader(io.StringIO(table)))


def _export_context() -> dict[str, str]:
    """English msgid → Chinese msgstr of the catalogue's context ``export``."""
    with (LOCALE_DIR / "zh" / "LC_MESSAGES" / "messages.po").open("rb") as fp:
        return {str(m.id): str(m.string) for m in read_po(fp) if m.id and m.context == "export"}


@pytest.mark.parametrize(("path", "params", "zh"), EXPORTS, ids=["indicators", "warnings", "board"])
def test_tracking_export_headers_come_from_the_catalogue(client: TestClient, path: str, params: dict[str, str],
                                                         zh: list[str]) -> None:
    assert _csv_header(client.get(f"{path}.csv", params=params).content) == zh
    wb = load_workbook(io.BytesIO(client.get(f"{path}.xlsx", params=params).content))
    assert list(next(wb.worksheets[0].iter_rows(values_only=True))) == zh
    en = _csv_header(client.get(f"{path}.csv", params={**params, "lang": "en"}).content)
    assert len(en) == len(zh)
    assert all(h.isascii() for h in en), en
    catalogue = _export_context()
    assert [catalogue.get(h) for h in en] == zh
