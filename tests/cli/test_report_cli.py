"""``tanfeng report dispatch`` on an initialised temporary store: PDF, Excel and Markdown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from tanfeng.cli.main import app

LEAGUE_NAMES = ("呼和浩特市", "包头市", "乌海市", "赤峰市", "通辽市", "鄂尔多斯市", "呼伦贝尔市", "巴彦淖尔市",
                "乌兰察布市", "兴安盟", "锡林郭勒盟", "阿拉善盟")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("report-cli")
    env = {"TANFENG_DATABASE_URL": f"sqlite:///{root / 'tanfeng.db'}", "TANFENG_DATA_DIR": str(root / "data")}
    result = CliRunner().invoke(app, ["init"], env=env)
    assert result.exit_code == 0, result.output
    return env


@pytest.fixture(scope="module")
def pdf(store: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "dispatch-2025Q3.pdf"
    result = CliRunner().invoke(app, ["report", "dispatch", "--period", "2025Q3", "--out", str(out)], env=store)
    assert result.exit_code == 0, result.output
    assert "示例数据" in result.stdout
    return out


def test_pdf_text_is_chinese_and_not_garbled(pdf: Path) -> None:
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "\ufffd" not in text
    for word in ("碳达峰调度报告", "2025Q3", "一级预警", "示例数据", "非化石能源消费比重", *LEAGUE_NAMES):
        assert word in text, word
    # the dispatch period was never opened: the report says so rather than listing nothing
    assert "尚未开启" in text


def test_pdf_has_the_map_and_charts(pdf: Path) -> None:
    reader = PdfReader(pdf)
    xobjects = path_ops = 0
    for page in reader.pages:
        res = page["/Resources"]
        if "/XObject" in res:
            xobjects += len(res["/XObject"])
        path_ops += len(re.findall(r"\s[lc]\n", page.get_contents().get_data().decode("latin-1")))
    assert path_ops > 5000  # 12 league outlines of thousands of segments, and the line charts
    assert xobjects >= 2


def test_xlsx_and_markdown(store: dict[str, str], tmp_path: Path) -> None:
    xlsx = tmp_path / "d.xlsx"
    r = CliRunner().invoke(app, ["report", "dispatch", "--period", "2025Q3", "--out", str(xlsx)], env=store)
    assert r.exit_code == 0, r.output
    wb = load_workbook(xlsx)
    rows = list(wb["预警"].iter_rows(values_only=True))
    wuhai = [row for row in rows if "乌海市" in row]
    assert wuhai
    assert any("一级预警" in row for row in wuhai)
    md = tmp_path / "d.md"
    r = CliRunner().invoke(app, ["report", "dispatch", "--period", "2025Q3", "--out", str(md)], env=store)
    assert r.exit_code == 0, r.output
    assert "示例数据" in md.read_text(encoding="utf-8")


def test_unknown_suffix_and_period_outside_the_plan_are_refused(store: dict[str, str], tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["report", "dispatch", "--period", "2025Q3", "--out", str(tmp_path / "d.docx")],
                           env=store)
    assert r.exit_code == 1
    assert "ReportRenderError" in r.output
    r = CliRunner().invoke(app, ["report", "dispatch", "--period", "2040Q1", "--out", str(tmp_path / "d.pdf")],
                           env=store)
    assert r.exit_code == 1
    assert "outside the plan" in r.output
    assert not (tmp_path / "d.pdf").exists()
