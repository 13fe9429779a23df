"""The 节能审查 rules file: ``projects/data/review_rules.yaml``.

Every threshold carries its document and a certainty mark (P primary, S secondary, R recalled, A a local
assumption of the platform). A copy of the file with other values can be passed to every function that
takes ``rules``: nothing in the code repeats a number of the file.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from tanfeng.reference.rules_file import parse_rules

__all__ = [
    "RULES_FILE",
    "BannedProducts",
    "Carbon",
    "Document",
    "Efficiency",
    "ExemptTypes",
    "ImpactClass",
    "ImpactClasses",
    "Offsets",
    "ReviewRules",
    "Suspension",
    "Threshold",
    "Thresholds",
    "TwoHigh",
    "TwoHighIndustry",
    "load_rules",
]

RULES_FILE = "review_rules.yaml"


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Document(_M):
    """A document a rule comes from."""

    title: str
    certainty: Literal["P", "S", "R", "A"]
    url: str = ""


class Threshold(_M):
    """One number of the rules, with its document and certainty."""

    value: float
    document: str
    certainty: Literal["P", "S", "R", "A"]
    note: str = ""


class _DatedThreshold(_M):
    value: str
    document: str
    certainty: Literal["P", "S", "R", "A"]
    note: str = ""


class Thresholds(_M):
    """Review thresholds (tce at the 当量值 unless named otherwise)."""

    region_tce: Threshold
    league_tce: Threshold
    no_review_tce: Threshold
    no_review_electricity_10k_kwh: Threshold
    window_guidance_tce: Threshold
    electricity_equivalent_tce_per_10k_kwh: Threshold


class ExemptTypes(_M):
    """Project types that need no separate review."""

    document: str
    types: tuple[str, ...]
    not_exempt: tuple[str, ...] = ()


class ImpactClass(_M):
    """One m/n impact class; ``None`` bounds mean no upper bound."""

    id: str
    label: str
    m_max: float | None
    n_max: float | None


class ImpactClasses(_M):
    """The five classes, the way m and n combine, and what m is divided by."""

    document: str
    classes: tuple[ImpactClass, ...]
    combine: Literal["worst"]
    combine_document: str
    combine_note: str
    m_basis: Literal["remaining_room", "increment_cap"]
    m_basis_note: str


class TwoHighIndustry(_M):
    """A GB/T 4754 code prefix counted as 两高."""

    prefix: str
    label: str


class BannedProducts(_M):
    """Products whose new capacity is not approved in the region."""

    document: str
    products: tuple[str, ...]


class TwoHigh(_M):
    """The 两高 scope."""

    document: str
    industries: tuple[TwoHighIndustry, ...]
    banned_new_products: BannedProducts


class Suspension(_M):
    """Suspension of 两高 reviews under a warning level."""

    document: str
    warning_level: int
    consequence: str


class Efficiency(_M):
    """What new projects must reach, and the retrofit deadline for plants below 基准."""

    document: str
    new_projects_must_reach: Literal["标杆", "基准"]
    retrofit_deadline: _DatedThreshold


class Offsets(_M):
    """The 减量替代 ratio."""

    document: str
    ratio: Threshold


class Carbon(_M):
    """Project carbon assessment inside 节能审查."""

    document: str
    note: str


class ReviewRules(_M):
    """The whole rules file; ``sha256`` is the file's digest (stored with every review)."""

    version: str
    documents: dict[str, Document]
    thresholds: Thresholds
    exempt_types: ExemptTypes
    impact_classes: ImpactClasses
    two_high: TwoHigh
    suspension: Suspension
    efficiency: Efficiency
    offsets: Offsets
    carbon: Carbon
    sha256: str = ""

    @model_validator(mode="after")
    def _check(self) -> ReviewRules:
        refs = [self.exempt_types.document, self.impact_classes.document, self.impact_classes.combine_document,
                self.two_high.document, self.two_high.banned_new_products.document, self.suspension.document,
                self.efficiency.document, self.efficiency.retrofit_deadline.document, self.offsets.document,
                self.offsets.ratio.document, self.carbon.document]
        refs += [t.document for t in self.thresholds.__dict__.values()]
        for ref in refs:
            if ref not in self.documents:
                msg = f"document '{ref}' is not listed under documents"
                raise ValueError(msg)
        t = self.thresholds
        if not t.no_review_tce.value < t.league_tce.value <= t.region_tce.value:
            msg = "thresholds must satisfy no_review_tce < league_tce ≤ region_tce"
            raise ValueError(msg)
        classes = self.impact_classes.classes
        if len(classes) != 5 or classes[-1].m_max is not None or classes[-1].n_max is not None:
            msg = "impact_classes needs five classes, the last without upper bounds"
            raise ValueError(msg)
        for lo, hi in itertools.pairwise(classes[:-1]):
            if lo.m_max is None or hi.m_max is None or lo.n_max is None or hi.n_max is None \
                    or lo.m_max >= hi.m_max or lo.n_max >= hi.n_max:
                msg = f"impact class bounds must rise: {lo.id} → {hi.id}"
                raise ValueError(msg)
        return self

    def cite(self, key: str) -> str:
        """The title of document ``key``."""
        return self.documents[key].title


def _parse(text: str, where: str) -> ReviewRules:
    return parse_rules(text, where, ReviewRules)


@lru_cache(maxsize=1)
def _shipped() -> ReviewRules:
    text = resources.files("tanfeng.projects").joinpath("data", RULES_FILE).read_text(encoding="utf-8")
    return _parse(text, f"projects/data/{RULES_FILE}")


def load_rules(path: Path | None = None) -> ReviewRules:
    """The shipped rules, or those of a copy at ``path``.

    Raises
    ------
    ReferenceDataError
        The file is not valid; the message names the file and the field.
    """
    if path is None:
        return _shipped()
    return _parse(path.read_text(encoding="utf-8"), str(path))
