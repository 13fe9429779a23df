"""Load the sample project list (示例数据) once: projects, withdrawals and one claim; a second load adds nothing."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from tanfeng.projects.sample import sample_projects, sample_withdrawals
from tanfeng.services.projects.offsets import add_withdrawals, claim
from tanfeng.services.projects.registry import save_projects
from tanfeng.store import repository_projects as repo

__all__ = ["SampleProjects", "load_sample"]


class SampleProjects(BaseModel):
    """What the sample load wrote."""

    projects_inserted: int
    withdrawals_inserted: int
    notice: str = "示例数据: 项目清单与减量替代台账为虚构数据"


def load_sample(session: Session, *, actor: str) -> SampleProjects:
    """Store the sample projects and withdrawals (those already there are left alone)."""
    res = save_projects(session, sample_projects(), actor=actor)
    new = [w for w in sample_withdrawals() if repo.get_withdrawal(session, withdrawal_id=w.id) is None]
    if new:
        add_withdrawals(session, new, actor=actor)
        if any(w.id == "SAMPLE-W-152500-01" for w in new):
            claim(session, withdrawal_id="SAMPLE-W-152500-01", project_code="SAMPLE-152500-01", actor=actor)
    return SampleProjects(projects_inserted=res.inserted, withdrawals_inserted=len(new))
