"""Renderers of a :class:`~tanfeng.reports.model.DispatchReport`: Markdown, Excel (xlsx) and PDF.

``render(report, path)`` picks the format from the file suffix.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from tanfeng.cells import xlsx_safe
from tanfeng.errors import ReportRenderError
from tanfeng.reports.figures import league_map_svg, line_chart_svg
from tanfeng.reports.model import LEVEL_HEX, LEVEL_LABELS, DispatchReport, ReportedEntry

__all__ = [
    "SAMPLE_MARK",
    "render",
    "render_html",
    "render_markdown",
    "render_pdf",
    "render_xlsx",
]


SAMPLE_MARK = "示例数据"

_HEADERS = ("地区", "地区代码", "指标", "预警等级", "颜色", "实际值", "要求值", "单位", "后果")


def _fmt(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 1e6 else f"{v:,.0f}"


def _summary(report: DispatchReport) -> list[str]:
    """The warning counts, one line per indicator, saying what they count (or, without counts, the rows)."""
    if report.counts:
        return [c.text for c in report.counts]
    return [" · ".join(f"{LEVEL_LABELS[k]} {n} 项" for k, n in report.level_counts().items()) + " (预警表行数)"]


def _units_line(report: DispatchReport) -> str | None:
    if report.expected_units is None or report.reported_units is None:
        return None
    missing = report.expected_units - report.reported_units
    return f"应报单位 {report.expected_units} · 已报齐 {report.reported_units} · 未报齐 {missing}"


def _late(flag: bool) -> str:
    return "逾期" if flag else ""


_ENTRY_HEADERS = ("报送单位", "报送内容", "数值/进展", "依据", "截至", "录入人", "录入时间", "逾期", "附件")


def _entry_cells(e: ReportedEntry) -> tuple[str, ...]:
    return (e.unit, e.item, e.value, e.evidence, e.as_of, e.entered_by, e.entered_at, _late(e.late),
            "、".join(e.attachments))


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: DispatchReport) -> str:
    """The report as Markdown (GitHub tables).

    Parameters
    ----------
    report : DispatchReport

    Returns
    -------
    str
        Markdown text; starts with a 示例数据 notice when ``report.sample``.
    """
    lines: list[str] = []
    title = report.heading + (f" ({SAMPLE_MARK})" if report.sample else "")
    lines += [f"# {title}", ""]
    if report.sample:
        lines += [f"> **{SAMPLE_MARK}**: 本报告使用示例数据,数字不是官方统计。", ""]
    lines += [f"生成时间: {report.generated_at.strftime('%Y-%m-%d %H:%M')} · 报告期: {report.period}", ""]
    lines += ["## 预警情况", "", *(f"- {line}" for line in _summary(report)), ""]
    lines += ["| " + " | ".join(_HEADERS) + " |", "|" + "---|" * len(_HEADERS)]
    for w in report.warnings:
        cells = (w.region_name, w.region, w.indicator, w.label, w.colour, _fmt(w.value), _fmt(w.required),
                 w.unit, w.consequence)
        lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    lines += ["", "## 盟市预警等级", "", "| 盟市 | 代码 | 预警等级 |", "|---|---|---|"]
    for lv in report.league_levels:
        lines.append(f"| {lv.name} | {lv.code} | {LEVEL_LABELS[lv.level] if lv.level else '无数据'} |")
    if report.off_track:
        lines += ["", "## 进度滞后的目标", ""]
        for t in report.off_track:
            goal = f", {t.target_year}年目标 {_fmt(t.target_value)}" if t.target_year else ""
            lines += [f"### {t.name} ({t.unit}{goal})", "", "| 年份 | 实际值 | 要求进度 |", "|---|---|---|"]
            req = {p.year: p.value for p in t.required_path}
            for p in t.series:
                lines.append(f"| {p.year} | {_fmt(p.value)} | {_fmt(req.get(p.year))} |")
            lines.append("")
    lines += ["", "## 未报送情况", ""]
    units = _units_line(report)
    if units:
        lines += [units, ""]
    if report.missing_reports:
        lines += ["| 报送单位 | 缺报内容 | 逾期 |", "|---|---|---|"]
        lines += [f"| {_md_cell(m.unit)} | {_md_cell(m.missing)} | {_late(m.overdue)} |" for m in report.missing_reports]
    else:
        lines.append("本期各单位均已报送。")
    if report.entries:
        lines += ["", "## 已报送内容", "", "| " + " | ".join(_ENTRY_HEADERS) + " |", "|" + "---|" * len(_ENTRY_HEADERS)]
        lines += ["| " + " | ".join(_md_cell(c) for c in _entry_cells(e)) + " |" for e in report.entries]
    if report.sources:
        lines += ["", "## 数据来源", "", *[f"- {s}" for s in report.sources]]
    if report.audit_anchor:
        lines += ["", f"审计锚点: `{report.audit_anchor}`"]
    return "\n".join(lines) + "\n"


def render_xlsx(report: DispatchReport, path: str | Path) -> Path:
    """Write the report as an Excel workbook.

    Sheets: 预警 (the warning table, rows filled by level), one sheet per off-track target's chart
    data, 盟市等级, 未报送, and 说明 (title, period, sample notice, sources, audit anchor). Every sheet
    has a frozen header row and set column widths.

    Parameters
    ----------
    report : DispatchReport
    path : str or pathlib.Path
        The ``.xlsx`` file to write.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    out = Path(path)
    wb = Workbook()
    bold = Font(bold=True)

    def sheet(ws: Any, headers: tuple[str, ...], rows: list[tuple[Any, ...]], widths: tuple[int, ...]) -> None:
        ws.append(list(headers))
        for c in ws[1]:
            c.font = bold
            c.fill = PatternFill("solid", fgColor="EEF2F7")
        for r in rows:
            ws.append(list(r))
        ws.freeze_panes = "A2"
        for i, w in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = w
        if report.sample:
            ws.cell(row=ws.max_row + 2, column=1, value=f"{SAMPLE_MARK}: 数字不是官方统计")

    ws = wb.active
    ws.title = "预警"
    sheet(ws, _HEADERS, [(w.region_name, w.region, w.indicator, w.label, w.colour, w.value, w.required, w.unit,
                          w.consequence) for w in report.warnings], (14, 10, 24, 12, 6, 12, 12, 10, 50))
    for i, w in enumerate(report.warnings, start=2):
        fill = PatternFill("solid", fgColor=LEVEL_HEX[w.level].lstrip("#"))
        for col in range(1, len(_HEADERS) + 1):
            ws.cell(row=i, column=col).fill = fill
    used: set[str] = set()
    for n, t in enumerate(report.off_track, start=1):
        name = f"图{n}_{t.name}"[:31]
        for bad in "[]:*?/\\":
            name = name.replace(bad, "_")
        while name in used:
            name = name[:29] + f"{n:02d}"
        used.add(name)
        req = {p.year: p.value for p in t.required_path}
        years = sorted({p.year for p in t.series} | set(req))
        act = {p.year: p.value for p in t.series}
        ws_t = wb.create_sheet(name)
        sheet(ws_t, ("年份", f"实际值 ({t.unit})", f"要求进度 ({t.unit})"),
              [(y, act.get(y), req.get(y)) for y in years], (8, 20, 20))
    sheet(wb.create_sheet("盟市等级"), ("盟市", "代码", "预警等级"),
          [(lv.name, lv.code, LEVEL_LABELS[lv.level] if lv.level else "无数据") for lv in report.league_levels],
          (14, 10, 12))
    sheet(wb.create_sheet("未报送"), ("报送单位", "缺报内容", "逾期"),
          [(m.unit, m.missing, _late(m.overdue)) for m in report.missing_reports], (28, 60, 8))
    sheet(wb.create_sheet("已报送"), _ENTRY_HEADERS, [_entry_cells(e) for e in report.entries],
          (20, 36, 16, 30, 12, 14, 18, 6, 30))
    info: list[tuple[Any, ...]] = [("标题", report.heading), ("报告期", report.period),
                                   ("生成时间", report.generated_at.strftime("%Y-%m-%d %H:%M")),
                                   ("示例数据", "是" if report.sample else "否")]
    info += [("预警统计", line) for line in _summary(report)]
    units = _units_line(report)
    info += [("报送情况", units)] if units else []
    info += [("审计锚点", report.audit_anchor)] if report.audit_anchor else []
    info += [("数据来源", s) for s in report.sources]
    sheet(wb.create_sheet("说明"), ("项目", "内容"), info, (12, 90))
    out.parent.mkdir(parents=True, exist_ok=True)
    xlsx_safe(wb).save(out)
    return out


def render_html(report: DispatchReport, *, league_map: Path | None = None) -> str:
    """The HTML the PDF is printed from (Chinese, Noto CJK fonts, inline SVG figures)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("tanfeng.reports", "templates"), autoescape=select_autoescape())
    charts = []
    for t in report.off_track:
        svg = line_chart_svg(t, sample=report.sample)
        charts.append((t, "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")))
    map_svg = league_map_svg(report.league_levels, league_map, sample=report.sample)
    footer = ("示例数据 · " if report.sample else "") + report.heading + (
        f" · 审计锚点 {report.audit_anchor}" if report.audit_anchor else "")
    return env.get_template("dispatch.html.j2").render(
        r=report, charts=charts, map_svg=map_svg, summary=_summary(report), units_line=_units_line(report),
        entry_headers=_ENTRY_HEADERS, entry_rows=[_entry_cells(e) for e in report.entries], labels=LEVEL_LABELS,
        fmt=_fmt,
        generated=report.generated_at.strftime("%Y-%m-%d %H:%M"),
        footer="".join(ch for ch in footer if ch not in '"\\<>&'))


def render_pdf(report: DispatchReport, path: str | Path, *, league_map: Path | None = None) -> Path:
    """Print the report to PDF with WeasyPrint.

    Parameters
    ----------
    report : DispatchReport
    path : str or pathlib.Path
        The ``.pdf`` file to write.
    league_map : pathlib.Path, optional
        The ECharts league map file (default: the npm assets, see
        :func:`tanfeng.reports.figures.default_league_map`).

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    tanfeng.errors.AssetMissingError
        The Noto CJK font or the league map is not installed.
    """
    from weasyprint import HTML  # type: ignore[import-untyped]

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=render_html(report, league_map=league_map)).write_pdf(out)
    return out


def render(report: DispatchReport, out_path: str | Path, *, league_map: Path | None = None) -> Path:
    """Render by the suffix of ``out_path``: ``.pdf``, ``.xlsx`` or ``.md``.

    Raises
    ------
    tanfeng.errors.ReportRenderError
        Any other suffix.
    """
    out = Path(out_path)
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        return render_pdf(report, out, league_map=league_map)
    if suffix == ".xlsx":
        return render_xlsx(report, out)
    if suffix == ".md":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render_markdown(report), encoding="utf-8")
        return out
    msg = f"cannot render a report to '{out.name}': unknown suffix '{out.suffix}'"
    raise ReportRenderError(msg, hint="use .pdf, .xlsx or .md")
