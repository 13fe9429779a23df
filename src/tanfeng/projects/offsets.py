"""减量替代: capacity and energy withdrawn elsewhere that make room for a new project.

The ledger rule: **one withdrawal backs at most one project, wholly** (a withdrawal is never split and never
counted twice). The store enforces it with a unique key on the claimed withdrawal, so two concurrent claims
of the same withdrawal cannot both land; this module gives the checks a claim must pass before it is
written and the coverage of a project by its claims.

Coverage: the withdrawn energy of a project's claims must reach ``ratio × d`` (``d`` = the project's new
energy at the 等价值 minus feedstock; ``ratio`` from the rules file, a stated assumption).
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tanfeng.errors import ConflictError, InputError, at
from tanfeng.projects.registry import Project
from tanfeng.projects.rules import ReviewRules

__all__ = ["Coverage", "Withdrawal", "check_claim", "coverage", "new_energy"]


class Withdrawal(BaseModel):
    """Capacity and energy withdrawn (淘汰/关停/压减) in a league."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=60)
    league: str
    description: str = Field(min_length=1)
    capacity: float | None = Field(None, ge=0)
    capacity_unit: str = ""
    energy_tce: float = Field(gt=0)
    withdrawn_on: date
    sample: bool = False

    @field_validator("league")
    @classmethod
    def _league(cls, value: str) -> str:
        if len(value) != 6 or not value.isdigit():
            msg = "must be a six-digit GB/T 2260 code"
            raise ValueError(msg)
        return value


class Coverage(BaseModel):
    """How far a project's claims cover its new energy use."""

    project: str
    needed_tce: float
    withdrawn_tce: float
    ratio: float
    covered: bool
    withdrawals: list[str]


def new_energy(project: Project) -> float:
    """``d``: the project's new energy at the 等价值 minus feedstock, tce."""
    return project.energy_equiv_tce - project.feedstock_tce


def check_claim(withdrawal: Withdrawal, project: Project, claimed_by: str | None) -> None:
    """Refuse a claim that breaks the ledger rule.

    Parameters
    ----------
    claimed_by
        The project that already holds ``withdrawal`` (None when free).

    Raises
    ------
    ConflictError
        The withdrawal already backs a project.
    InputError
        The withdrawal lies in another league than the project.
    """
    if claimed_by is not None:
        msg = f"withdrawal {withdrawal.id} already backs project {claimed_by}"
        raise ConflictError(msg, location=at(field="withdrawal"),
                            hint="one withdrawal backs one project; choose another withdrawal")
    if withdrawal.league != project.league:
        msg = f"withdrawal {withdrawal.id} is in league {withdrawal.league}, project {project.code} in {project.league}"
        raise InputError(msg, location=at(field="withdrawal"), hint="减量替代 sources come from the same league")


def coverage(project: Project, withdrawals: list[Withdrawal], rules: ReviewRules) -> Coverage:
    """The coverage of ``project`` by the withdrawals it holds."""
    ratio = rules.offsets.ratio.value
    needed = ratio * new_energy(project)
    got = sum(w.energy_tce for w in withdrawals)
    return Coverage(project=project.code, needed_tce=round(needed, 1), withdrawn_tce=round(got, 1), ratio=ratio,
                    covered=got >= needed, withdrawals=[w.id for w in withdrawals])
