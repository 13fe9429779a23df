"""PDFs of the projects and assessment areas: the 节能审查 opinion of a project and a league's scorecard.

Printed with WeasyPrint and the Noto CJK font the dispatch report uses (:func:`tanfeng.reports.figures.cjk_font`
finds it and refuses to print without it); 示例数据 is marked on every page.
"""

from __future__ import annotations

from datetime import datetime

from jinja2 import Environment, PackageLoader, select_autoescape

from tanfeng.assessment.scoring import LeagueResult
from tanfeng.projects.registry import Project
from tanfeng.projects.review import LeagueContext, Review
from tanfeng.reports.figures import cjk_font

__all__ = ["LEVEL_ZH", "review_html", "review_pdf", "scorecard_html", "scorecard_pdf"]

LEVEL_ZH = {"region": "自治区节能审查机关", "league": "盟市节能审查机关", "county": "旗县节能审查机关",
            "exempt": "不单独进行节能审查"}


def _fmt(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 1e6 else f"{v:,.0f}"


def _env() -> Environment:
    return Environment(loader=PackageLoader("tanfeng.reports", "templates"), autoescape=select_autoescape())


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch not in '"\\<>&')


def review_html(project: Project, review: Review, ctx: LeagueContext, *, generated: datetime) -> str:
    """The HTML the review opinion is printed from."""
    family, _file = cjk_font()
    sample = review.sample
    footer = _clean(("示例数据 · " if sample else "") + f"节能审查意见 {project.code}")
    return _env().get_template("review.html.j2").render(
        p=project, r=review, ctx=ctx, sample=sample, levels=LEVEL_ZH, fmt=_fmt, family=family, footer=footer,
        generated=generated.strftime("%Y-%m-%d %H:%M"))


def review_pdf(project: Project, review: Review, ctx: LeagueContext, *, generated: datetime) -> bytes:
    """The review opinion as PDF bytes (AssetMissingError without a Noto CJK font)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    return bytes(HTML(string=review_html(project, review, ctx, generated=generated)).write_pdf())


def scorecard_html(result: LeagueResult, *, name: str, year: int, rules_version: str, rules_sha256: str,
                   sample: bool, generated: datetime) -> str:
    """The HTML a league's scorecard is printed from."""
    family, _file = cjk_font()
    footer = _clean(("示例数据 · " if sample else "") + f"{name} {year} 综合考核记分卡")
    data = {**result.model_dump(), "name": name, "year": year, "rules_version": rules_version,
            "rules_sha256": rules_sha256, "sample": sample}
    return _env().get_template("scorecard.html.j2").render(
        a=data, fmt=_fmt, family=family, footer=footer, generated=generated.strftime("%Y-%m-%d %H:%M"))


def scorecard_pdf(result: LeagueResult, *, name: str, year: int, rules_version: str, rules_sha256: str,
                  sample: bool, generated: datetime) -> bytes:
    """A league's scorecard as PDF bytes."""
    from weasyprint import HTML

    return bytes(HTML(string=scorecard_html(result, name=name, year=year, rules_version=rules_version,
                                            rules_sha256=rules_sha256, sample=sample,
                                            generated=generated)).write_pdf())
