"""Every CSV and xlsx writer of the platform: a hostile text cell goes in, the file is read back, nothing runs.

In each xlsx no cell is a formula (openpyxl ``data_type == "f"``) and the text is the user's text; in each
CSV the cell starts with ``'`` (OWASP's rule, see ``tests/test_cells.py``). Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from tanfeng.cli.output import OutputFormat, emit
from tanfeng.enterprises.annual_report import ReportContent
from tanfeng.enterprises.workbook import Cover, write_template
from tanfeng.projects.registry import Project
from tanfeng.projects.workbook import read_workbook, write_workbook
from tanfeng.reports import render_xlsx
from tanfeng.reports.model import DispatchReport, LeagueLevel, MissingReport, WarningRow
from tanfeng.services.scenarios.export import iamc_csv, workbook_bytes
from tanfeng.web.downloads import csv_response, xlsx_response

CMD = "=cmd|' /C calc'!A0"
AT = "@SUM(1+1)"
HOSTILE = (CMD, AT)


def formulas(wb: Workbook) -> list[str]:
    """Coordinates of every formula cell of ``wb``."""
    return [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"]


def texts(wb: Workbook) -> set[Any]:
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}


def read_xlsx(data: bytes | Path) -> Workbook:
    return load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_download_csv() -> None:
    rows = [{"name": CMD, "source": AT, "value": -3.5}]
    back = read_csv(csv_response(rows, ["name", "source", "value"], "x.csv").body.decode("utf-8"))
    assert back == [["name", "source", "value"], ["'" + CMD, "'" + AT, "-3.5"]]


def test_download_xlsx() -> None:
    rows = [{"name": CMD, "source": AT, "value": -3.5, "sample": True}]
    wb = read_xlsx(bytes(xlsx_response(rows, ["name", "source", "value"], "x.xlsx", sheet="表").body))
    assert formulas(wb) == []
    assert {CMD, AT, -3.5} <= texts(wb)


def test_cli_csv(capsys: pytest.CaptureFixture[str]) -> None:
    emit([{"name": CMD, "source": AT, "value": -3.5}], OutputFormat.csv)
    back = read_csv(capsys.readouterr().out)
    assert back == [["name", "source", "value"], ["'" + CMD, "'" + AT, "-3.5"]]


def test_dispatch_report_xlsx(tmp_path: Path) -> None:
    report = DispatchReport(
        period="2025Q3", generated_at=datetime(2025, 10, 1, 9, 30), sources=[CMD],
        warnings=[WarningRow(region="150300", region_name="乌海市", indicator=AT, level=1, value=-2.1,
                             required=-3.2, unit="%", consequence=CMD)],
        league_levels=[LeagueLevel(code="150300", name=CMD, level=1)],
        missing_reports=[MissingReport(unit=AT, missing=CMD)])
    wb = read_xlsx(render_xlsx(report, tmp_path / "r.xlsx"))
    assert formulas(wb) == []
    assert {CMD, AT, -2.1} <= texts(wb)


def test_key_unit_report_template() -> None:
    cover = Cover(unit_code="91150602MA00000029", unit_name=CMD, year=2024, kind="energy")
    content = ReportContent(fuels=[{"product": "raw_coal", "quantity": 10.0, "unit": "t"}], measures=list(HOSTILE))
    wb = read_xlsx(write_template(cover, content))
    assert formulas(wb) == []
    assert {CMD, AT} <= texts(wb)


def test_projects_list_round_trips_the_text() -> None:
    project = Project.model_validate({
        "code": "X1", "name": CMD, "league": "150600", "county": "150621", "industry": "C2614", "stage": "拟建",
        "energy_equal_tce": 12_000.0, "energy_equiv_tce": 15_000.0, "departments": [AT],
        "officials": [{"name": "张三", "post": "副市长"}], "milestones": [{"name": "开工", "due": "2026-05-01"}]})
    data = write_workbook([project])
    wb = read_xlsx(data)
    assert formulas(wb) == []
    assert {CMD, AT} <= texts(wb)
    assert read_workbook(data) == [project]


def _scenario_detail() -> dict[str, Any]:
    return {"scenario": CMD, "electricity_accounting": "production",
            "regions": [{"region": "150000", "emissions": [{"year": 2025, "mtco2": -1.0, "low": -2.0, "high": 0.5}]}],
            "sectors": [], "sector_years": [], "wedges": [],
            "leagues": [{"league": "150600", "name": CMD}], "targets": [{"target": AT, "met": False}],
            "history": {"source": AT, "note": CMD}}


def test_scenario_iamc_csv() -> None:
    back = read_csv(iamc_csv(_scenario_detail()))
    assert {r[1] for r in back[1:]} == {"'" + CMD}
    assert "-1.0" in {r[6] for r in back[1:]}


def test_scenario_workbook() -> None:
    wb = read_xlsx(workbook_bytes(_scenario_detail()))
    assert formulas(wb) == []
    assert {CMD, AT, -1.0} <= texts(wb)
