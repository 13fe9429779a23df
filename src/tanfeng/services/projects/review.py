"""节能审查 of a stored project against its league: gather the inputs, call the domain, keep the result."""

from __future__ import annotations

from typing import Literal

import polars as pl
from sqlalchemy.orm import Session

from tanfeng.accounting.combustion import combustion_co2
from tanfeng.accounting.electricity import electricity_co2
from tanfeng.enterprises import benchmarks
from tanfeng.errors import InputError, NotFoundError, PermissionDeniedError, TanfengError
from tanfeng.projects.caps import load_caps
from tanfeng.projects.registry import Project
from tanfeng.projects.review import LeagueContext, Review, review
from tanfeng.projects.rules import load_rules
from tanfeng.reports.projects import review_pdf
from tanfeng.services.projects import inputs
from tanfeng.services.projects.registry import to_project
from tanfeng.store import repository_projects as repo
from tanfeng.store.models import utcnow
from tanfeng.store.models_projects import ProjectReviewRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic
from tanfeng.units import readable_number

__all__ = ["COAL_PRODUCT", "GRID_REGION", "ReviewerLevel", "efficiency_position", "league_context", "project_co2", "record_review",
           "review_opinion_pdf", "review_project"]

COAL_PRODUCT = "raw_coal"
"""Coal of the 清单 is counted as 原煤 (the accounting engine's factors for raw coal)."""
GRID_REGION = "150000"
"""Electricity CO2 at Inner Mongolia's provincial average factor (MEE/NBS announcements)."""


def project_co2(project: Project, year: int) -> float:
    """CO2 (t) of the project's coal (as raw coal) and electricity, through the accounting engine; the grid
    factor of ``year`` or the newest earlier year that has one."""
    tco2 = combustion_co2(project.coal_t, "t", COAL_PRODUCT).tco2 if project.coal_t else 0.0
    if project.electricity_10k_kwh:
        for y in range(year, year - 10, -1):
            try:
                return tco2 + electricity_co2(project.electricity_10k_kwh, "万千瓦时", GRID_REGION, y).tco2
            except TanfengError:
                continue
        msg = f"no grid factor for {GRID_REGION} in {year - 9}–{year}"
        raise InputError(msg, location=None, hint="add the grid factor to the reference data")
    return tco2


def efficiency_position(product: str, specific: dict[str, float]) -> tuple[str, float | None, str]:
    """Position against 标杆/基准 of ``product``: (position, the specific figure compared, its unit).

    ``specific`` holds the project's figures by unit (kgce/t, kWh/t); a product whose levels are in
    another unit (gce/kWh for power units) is not compared and says so.
    """
    levels = benchmarks.load_levels()
    row = levels.filter(pl.col("product") == product)
    if row.height == 0:
        msg = f"product '{product}' has no energy-efficiency levels"
        raise InputError(msg, location=None, hint=f"known products: {sorted(levels['product'].to_list())}")
    unit = str(row["unit"][0])
    if unit not in specific:
        return f"未比较 (标杆/基准以 {unit} 计, 清单无此口径)", None, unit
    value = specific[unit]
    res = benchmarks.classify(pl.DataFrame({"unit_code": ["project"], "product": [product], "specific": [value]}))
    return str(res["position"][0]), value, unit


def league_context(session: Session, league: str, year: int | None) -> LeagueContext:
    """The league's totals, room and warning level for the review (unknown figures stay None)."""
    cap = load_caps().get(league)
    base_year = cap.base_year if cap else None  # no cap: no room, and no increment used to count
    figs = inputs.league_figures(session, league=league, year=year, base_year=base_year)
    y = figs.year if figs else (year or utcnow().year)
    level = inputs.warning_levels(session, year=y)[0].get(league, {}).get("intensity")
    used = (figs.energy_tce - figs.base_energy_tce) if figs and figs.energy_tce and figs.base_energy_tce else 0.0
    sources = list(figs.sources) if figs else ["tracking: no figures for the league"]
    sources_zh = list(figs.sources) if figs else ["双控数据: 该盟市无数据"]
    if cap is not None:
        sources.append(f"增量控制数: {cap.source} ({cap.certainty})")
        sources_zh.append(f"增量控制数: {cap.source_zh or cap.source} ({cap.certainty})")
    return LeagueContext(league=league, name=figs.name if figs else "", year=y,
                         energy_tce=figs.energy_tce if figs else None, gdp_10k_yuan=figs.gdp_10k_yuan if figs else None,
                         co2_t=figs.co2_t if figs else None,
                         increment_cap_tce=cap.increment_cap_10k_tce * 1e4 if cap else None,
                         used_increment_tce=max(used, 0.0), intensity_warning_level=level, sources=sources,
                         sources_zh=sources_zh,
                         sample=bool(figs and figs.sample) or bool(cap and cap.sample))


def review_project(session: Session, code: str, *, year: int | None = None) -> tuple[Review, LeagueContext]:
    """Review the current version of project ``code`` (nothing is stored).

    Raises
    ------
    NotFoundError
        No such project.
    """
    row = repo.current_project(session, code=code)
    if row is None:
        msg = f"project '{code}' is not in the list"
        raise NotFoundError(msg)
    project = to_project(row)
    ctx = league_context(session, project.league, year)
    return review(project, ctx, load_rules(), co2=project_co2, efficiency=efficiency_position), ctx


ReviewerLevel = Literal["region", "league", "county"]
_RANK = {"exempt": 0, "county": 1, "league": 2, "region": 3}


def record_review(session: Session, code: str, *, actor: str, reviewer_level: ReviewerLevel,
                  actor_role: str | None = None, year: int | None = None) -> Review:
    """Review and keep the result (audited). A project is reviewed at its level or above: a region-level
    project (≥ the region threshold) by the region only.

    Raises
    ------
    PermissionDeniedError
        The reviewer's level is below the project's review level.
    """
    result, ctx = review_project(session, code, year=year)
    if _RANK[reviewer_level] < _RANK[result.level]:
        msg = f"project {code} is reviewed at {result.level} level; a {reviewer_level} reviewer may not keep its review"
        raise PermissionDeniedError(msg, hint="the region's review authority reviews projects at or above "
                                    f"{readable_number(load_rules().thresholds.region_tce.value)} tce")
    row = repo.current_project(session, code=code)
    if row is None:  # pragma: no cover - reviewed just above
        msg = f"project '{code}' is not in the list"
        raise NotFoundError(msg)
    with atomic(session, f"review of project {code}"):
        session.add(ProjectReviewRow(project_code=code, project_version=row.version, year=ctx.year,
                                     level=result.level, impact_class=result.impact_class_id,
                                     suspended=result.suspended, content=result.model_dump(mode="json"),
                                     rules_sha256=result.rules_sha256, reviewed_by=actor, reviewed_at=utcnow()))
        record_audit(session, actor=actor, action="review", entity="project", entity_id=code,
                     after=result.summary(), actor_role=actor_role)
    return result


def review_opinion_pdf(session: Session, code: str, *, year: int | None = None) -> bytes:
    """The review opinion of project ``code`` as PDF (Chinese, figures, reasoning, rule documents)."""
    result, ctx = review_project(session, code, year=year)
    row = repo.current_project(session, code=code)
    if row is None:  # pragma: no cover - reviewed just above
        msg = f"project '{code}' is not in the list"
        raise NotFoundError(msg)
    return review_pdf(to_project(row), result, ctx, generated=utcnow())
