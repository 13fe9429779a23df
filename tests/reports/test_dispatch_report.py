"""Dispatch report: the model, and the Markdown, xlsx and PDF renderers (read back)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pydantic import ValidationError
from pypdf import PdfReader

from tanfeng.errors import AssetMissingError, ReportRenderError
from tanfeng.reports import (
    DispatchReport,
    LeagueLevel,
    MissingReport,
    OffTrackTarget,
    Point,
    WarningRow,
    render,
    render_markdown,
    render_xlsx,
)
from tanfeng.reports.figures import cjk_font, league_map_svg
from tanfeng.reports.model import LEVEL_HEX
from tanfeng.reports.sample import build_sample_report

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LEAGUE_NAMES = ("呼和浩特市", "包头市", "乌海市", "赤峰市", "通辽市", "鄂尔多斯市", "呼伦贝尔市", "巴彦淖尔市",
                "乌兰察布市", "兴安盟", "锡林郭勒盟", "阿拉善盟")


@pytest.fixture(scope="module")
def report() -> DispatchReport:
    return build_sample_report(audit_anchor="sha256:0f3c9a")


@pytest.fixture(scope="module")
def pdf_path(report: DispatchReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(report, tmp_path_factory.mktemp("pdf") / "dispatch.pdf")


def _hand_made(sample: bool = False) -> DispatchReport:
    return DispatchReport(
        period="2025Q3", generated_at=datetime(2025, 10, 1, 9, 30), sample=sample,
        warnings=[
            WarningRow(region="150300", region_name="乌海市", indicator="单位GDP能耗变化率", level=1, value=2.1,
                       required=-3.2, unit="%", consequence="“两高”项目节能审查暂停"),
            WarningRow(region="150200", region_name="包头市", indicator="单位GDP能耗变化率", level=2, value=-1.0,
                       required=-3.2, unit="%"),
            WarningRow(region="150100", region_name="呼和浩特市", indicator="单位GDP能耗变化率", level=3,
                       value=-4.0, required=-3.2, unit="%"),
        ],
        off_track=[OffTrackTarget(target_id="t1", name="非化石能源消费比重", unit="%", target_year=2025,
                                  target_value=18.0,
                                  series=[Point(year=2020, value=9.0), Point(year=2021, value=10.1)],
                                  required_path=[Point(year=2020, value=9.0), Point(year=2021, value=10.8)])],
        league_levels=[LeagueLevel(code="150300", name="乌海市", level=1),
                       LeagueLevel(code="150200", name="包头市", level=2)],
        missing_reports=[MissingReport(unit="阿拉善盟", missing="9月能源消费快报")],
    )


def test_model_colours_and_validation() -> None:
    r = _hand_made()
    assert [w.colour for w in r.warnings] == ["红", "黄", "绿"]
    assert [w.label for w in r.warnings] == ["一级预警", "二级预警", "三级预警"]
    assert r.level_counts() == {1: 1, 2: 1, 3: 1}
    with pytest.raises(ValidationError, match="period"):
        DispatchReport(period="Q3 2025", generated_at=datetime(2025, 10, 1))
    with pytest.raises(ValidationError):
        WarningRow(region="150300", region_name="乌海市", indicator="x", level=4, value=1, unit="%")


def test_sample_report_has_all_levels_and_leagues(report: DispatchReport) -> None:
    assert report.sample is True
    assert {w.level for w in report.warnings} == {1, 2, 3}
    assert sorted(lv.name for lv in report.league_levels) == sorted(LEAGUE_NAMES)
    assert report.off_track
    assert any(t.name == "非化石能源消费比重" for t in report.off_track)
    level1 = [w for w in report.warnings if w.level == 1]
    assert all("两高" in w.consequence for w in level1)


def test_markdown_has_the_table(report: DispatchReport) -> None:
    md = render_markdown(report)
    assert md.startswith("# 内蒙古自治区碳达峰调度报告 (2025Q3) (示例数据)")
    assert "| 地区 | 地区代码 | 指标 | 预警等级 | 颜色 | 实际值 | 要求值 | 单位 | 后果 |" in md
    table_rows = [ln for ln in md.splitlines()
                  if re.match(r"^\| \S+ \| 15\d{4} \|", ln) and ln.count(" | ") == 8]
    assert len(table_rows) == len(report.warnings) == 13
    assert "| 乌海市 | 150300 | 单位GDP能耗变化率 (同比) | 一级预警 | 红 | 3.99 | -3.2 | % |" in md
    assert "## 未报送情况" in md
    assert "阿拉善盟" in md
    assert "sha256:0f3c9a" in md


def test_markdown_without_sample_has_no_mark() -> None:
    md = render_markdown(_hand_made(sample=False))
    assert "示例数据" not in md
    assert "| 包头市 | 150200 | 单位GDP能耗变化率 | 二级预警 | 黄 | -1 | -3.2 | % |  |" in md


def test_xlsx_reads_back(report: DispatchReport, tmp_path: Path) -> None:
    path = render(report, tmp_path / "dispatch.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "预警"
    assert {"盟市等级", "未报送", "说明"} <= set(wb.sheetnames)
    chart_sheets = [n for n in wb.sheetnames if n.startswith("图")]
    assert len(chart_sheets) == len(report.off_track)
    ws = wb["预警"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == ["地区", "地区代码", "指标", "预警等级", "颜色", "实际值", "要求值", "单位", "后果"]
    assert ws.column_dimensions["C"].width == 24
    for i, w in enumerate(report.warnings, start=2):
        assert ws.cell(row=i, column=1).value == w.region_name
        assert ws.cell(row=i, column=4).value == w.label
        assert ws.cell(row=i, column=6).value == pytest.approx(w.value)
        fill = ws.cell(row=i, column=1).fill.fgColor.rgb
        assert fill.endswith(LEVEL_HEX[w.level].lstrip("#")), (i, fill)
    reds = [ws.cell(row=i, column=5).value for i in range(2, 2 + len(report.warnings))
            if ws.cell(row=i, column=1).fill.fgColor.rgb.endswith("D93025")]
    assert reds
    assert set(reds) == {"红"}
    assert any(c.value and "示例数据" in str(c.value) for row in ws.iter_rows() for c in row)
    chart = wb[chart_sheets[0]]
    assert chart.freeze_panes == "A2"
    assert chart.cell(row=2, column=1).value == 2020
    missing = wb["未报送"]
    assert [missing.cell(row=r, column=1).value for r in (2, 3, 4)] == ["阿拉善盟", "乌海市", "自治区住房和城乡建设厅"]


def test_xlsx_sheet_names_are_valid(tmp_path: Path) -> None:
    r = _hand_made()
    t = r.off_track[0].model_copy(update={"name": "a/b:c*d?[e]" * 5})
    r = r.model_copy(update={"off_track": [t, t]})
    wb = load_workbook(render_xlsx(r, tmp_path / "x.xlsx"))
    names = [n for n in wb.sheetnames if n.startswith("图")]
    assert len(names) == 2
    assert len(set(names)) == 2
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


def test_pdf_text_extracts_ungarbled(pdf_path: Path) -> None:
    reader = PdfReader(pdf_path)
    assert 2 <= len(reader.pages) <= 8
    text = "\n".join(p.extract_text() for p in reader.pages)
    for word in ("预警", "一级预警", "二级预警", "三级预警", "示例数据", "未报送情况", "盟市预警分布图",
                 "进度滞后的目标", "非化石能源消费比重", *LEAGUE_NAMES):
        assert word in text, word
    assert "\ufffd" not in text
    assert "sha256:0f3c9a" in text


def test_pdf_has_vector_figures(pdf_path: Path) -> None:
    reader = PdfReader(pdf_path)
    xobjects = 0
    path_ops = 0
    for page in reader.pages:
        res = page["/Resources"]
        if "/XObject" in res:
            xobjects += len(res["/XObject"])
        data = page.get_contents().get_data().decode("latin-1")
        path_ops += len(re.findall(r"\s[lc]\n", data))
    # the league map (12 filled paths with thousands of segments) and the charts
    assert path_ops > 5000
    assert xobjects >= 2


def test_pdf_uses_noto_cjk(pdf_path: Path) -> None:
    reader = PdfReader(pdf_path)
    fonts = {str(f["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert any("Noto" in f and "CJK" in f for f in fonts), fonts


def test_rendered_page_as_png(pdf_path: Path) -> None:
    """Keep page 1 and 2 as PNG under test-artifacts/ for a look (only when pdftoppm is installed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(pdf_path, ARTIFACTS / "dispatch-report-sample.pdf")
    if shutil.which("pdftoppm") is None:
        return
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "2", str(pdf_path),
                    str(ARTIFACTS / "dispatch-report-sample")], check=True)
    assert sorted(p.name for p in ARTIFACTS.glob("dispatch-report-sample-*.png"))


def test_render_picks_by_suffix(tmp_path: Path) -> None:
    r = _hand_made(sample=True)
    md = render(r, tmp_path / "r.md")
    assert "示例数据" in md.read_text(encoding="utf-8")
    with pytest.raises(ReportRenderError, match=r"unknown suffix '\.docx'.*\.pdf, \.xlsx or \.md"):
        render(r, tmp_path / "r.docx")


def test_hand_made_pdf(tmp_path: Path) -> None:
    path = render(_hand_made(), tmp_path / "h.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert "乌海市" in text
    assert "示例数据" not in text


def test_missing_map_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANFENG_FRONTEND_DIR", str(tmp_path))
    with pytest.raises(AssetMissingError, match="ensure-frontend"):
        league_map_svg([])


def test_map_svg_colours_by_level() -> None:
    svg = league_map_svg([LeagueLevel(code="150300", name="乌海市", level=1)])
    assert svg.count("<path ") == 12
    assert len(re.findall(f'<path d="[^"]*" fill="{LEVEL_HEX[1]}"', svg)) == 1  # 乌海市 only
    assert "乌海市: 一级预警" in svg
    assert "锡林郭勒盟: 无等级" in svg


def test_cjk_font_is_noto() -> None:
    family, file = cjk_font()
    assert family.startswith("Noto")
    assert Path(file).exists()


def test_missing_cjk_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    cjk_font.cache_clear()
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    try:
        with pytest.raises(AssetMissingError, match="fonts-noto-cjk"):
            cjk_font()
    finally:
        cjk_font.cache_clear()
