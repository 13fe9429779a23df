"""Forestry carbon projects (CCER / 林业碳汇): the lifecycle registered → monitored → verified → credited.

Each step records its document (the PDD, a monitoring report, a verification report, the issuance notice)
and who took it. Monitoring repeats per period: after ``credited`` a project is monitored again.

==============  ==========================  ================================================
from            to                          the step needs
==============  ==========================  ================================================
(new)           registered                  the project design document (PDD)
registered      monitored                   a monitoring report for a period
credited        monitored                   the next period's monitoring report
monitored       verified                    a verification report and the verified tCO2e
verified        credited                    the issuance notice; credits = verified tCO2e
==============  ==========================  ================================================
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tanfeng.errors import InputError, at

__all__ = ["STEPS", "ForestryProject", "ProjectState", "ProjectStep", "advance", "register"]

ProjectState = Literal["registered", "monitored", "verified", "credited"]

STEPS: dict[ProjectState, tuple[ProjectState | None, ...]] = {
    "registered": (None,),
    "monitored": ("registered", "credited"),
    "verified": ("monitored",),
    "credited": ("verified",),
}
"""Target state → the states it may follow (``None``: a new project)."""


class ProjectStep(BaseModel):
    """One step of a project: the state reached, its document, who and when."""

    model_config = ConfigDict(frozen=True)

    state: ProjectState
    document: str = Field(min_length=1)
    actor: str = Field(min_length=1)
    at: datetime
    tco2e: int | None = None


class ForestryProject(BaseModel):
    """A forestry carbon project and its steps (oldest first)."""

    model_config = ConfigDict(frozen=True)

    project_id: str = Field(min_length=1)
    name: str
    region: str = Field(pattern=r"^\d{6}$")
    area_ha: float = Field(gt=0)
    steps: tuple[ProjectStep, ...]

    @property
    def state(self) -> ProjectState:
        """The state of the latest step."""
        return self.steps[-1].state

    @property
    def credited_tco2e(self) -> int:
        """Credits issued over all periods."""
        return sum(s.tco2e or 0 for s in self.steps if s.state == "credited")


def register(project_id: str, name: str, region: str, area_ha: float, *, document: str, actor: str,
             when: datetime) -> ForestryProject:
    """A new project in state ``registered`` with its PDD."""
    return ForestryProject(project_id=project_id, name=name, region=region, area_ha=area_ha,
                           steps=(ProjectStep(state="registered", document=document, actor=actor, at=when),))


def advance(project: ForestryProject, to: ProjectState, *, document: str, actor: str, when: datetime,
            tco2e: int | None = None) -> ForestryProject:
    """The project after one more step.

    Raises
    ------
    InputError
        The step does not follow the current state (see the table), a verification without its tCO2e, a
        step dated before the previous one, or no document/actor.
    """
    allowed = STEPS[to]
    if project.state not in allowed:
        frm = ", ".join(s for s in allowed if s) or "a new project"
        msg = f"project {project.project_id} is {project.state}; it can become {to} only from {frm}"
        raise InputError(msg, location=at(field="state"))
    if when < project.steps[-1].at:
        msg_0 = f"the step is dated before the previous one ({project.steps[-1].at.isoformat()})"
        raise InputError(msg_0,
                         location=at(field="at"))
    if not document.strip() or not actor.strip():
        msg_0 = "each step needs its document and who took it"
        raise InputError(msg_0, location=at(field="document"))
    if to == "verified" and (tco2e is None or tco2e <= 0):
        msg_0 = "a verification states the verified tCO2e (a positive whole number)"
        raise InputError(msg_0,
                         location=at(field="tco2e"))
    if to == "credited":
        tco2e = project.steps[-1].tco2e
    step = ProjectStep(state=to, document=document, actor=actor, at=when, tco2e=tco2e)
    return project.model_copy(update={"steps": (*project.steps, step)})
