"""tanfeng.reports: the dispatch report (调度报告) as data and its renderers (Markdown, xlsx, PDF).

A presentation package: it imports the domain packages (plan, reference, tracking), never store, web
or cli.
"""

from tanfeng.reports.model import (
    DispatchReport,
    LeagueLevel,
    LevelCount,
    MissingReport,
    OffTrackTarget,
    Point,
    ReportedEntry,
    WarningRow,
)
from tanfeng.reports.render import render, render_html, render_markdown, render_pdf, render_xlsx

__all__ = [
    "DispatchReport",
    "LeagueLevel",
    "LevelCount",
    "MissingReport",
    "OffTrackTarget",
    "Point",
    "ReportedEntry",
    "WarningRow",
    "render",
    "render_html",
    "render_markdown",
    "render_pdf",
    "render_xlsx",
]
