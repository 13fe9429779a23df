"""The 两高 list: current 两高 projects by league and stage, with 能效排查, 减量替代 and pre-approval."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from tanfeng.projects.offsets import Coverage
from tanfeng.projects.review import specific_figures
from tanfeng.projects.rules import load_rules
from tanfeng.projects.screening import Check, Screening, pre_approval, screen
from tanfeng.services.projects.offsets import project_coverage
from tanfeng.services.projects.registry import ProjectOut, list_projects
from tanfeng.services.projects.review import efficiency_position

__all__ = ["TWO_HIGH_COLUMNS", "TwoHighRow", "list_two_high", "two_high_rows"]

TWO_HIGH_COLUMNS = ["code", "name", "league", "stage", "two_high_label", "energy_equiv_tce", "screening",
                    "retrofit_by", "offsets_tce", "offsets_needed_tce", "pre_approval", "findings", "sample"]


class TwoHighRow(BaseModel):
    """One 两高 project with its 能效排查, coverage and (for 拟建) pre-approval checks."""

    project: ProjectOut
    screening: Screening
    coverage: Coverage
    pre_approval: list[Check]
    findings: list[str]


def list_two_high(session: Session, *, league: str | None = None, stage: str | None = None) -> list[TwoHighRow]:
    """The 两高 list (current versions), filtered by league and stage."""
    rules = load_rules()
    out: list[TwoHighRow] = []
    for p in list_projects(session, league=league, stage=stage, two_high=True):
        position = None
        if p.product is not None and p.output:
            position = efficiency_position(p.product, specific_figures(p))[0]
        sc = screen(p, position, rules)
        cov = project_coverage(session, p.code)
        checks = pre_approval(p, position, cov, rules) if p.stage == "拟建" else []
        findings = [f"{c.id}: {c.reason}" for c in checks if not c.passed]
        if sc.status == "须改造":
            findings.append(f"能效低于基准, 须于 {sc.retrofit_by} 前完成改造")
        out.append(TwoHighRow(project=p, screening=sc, coverage=cov, pre_approval=checks, findings=findings))
    return out


def two_high_rows(rows: list[TwoHighRow]) -> list[dict[str, object]]:
    """Flat rows (the columns of :data:`TWO_HIGH_COLUMNS`) for tables, CSV and Excel."""
    return [{"code": r.project.code, "name": r.project.name, "league": r.project.league, "stage": r.project.stage,
             "two_high_label": r.project.two_high_label, "energy_equiv_tce": r.project.energy_equiv_tce,
             "screening": r.screening.status, "retrofit_by": r.screening.retrofit_by,
             "offsets_tce": r.coverage.withdrawn_tce, "offsets_needed_tce": r.coverage.needed_tce,
             "pre_approval": ("通过" if all(c.passed for c in r.pre_approval) else "未通过") if r.pre_approval else "",
             "findings": "; ".join(r.findings), "sample": r.project.sample} for r in rows]
