"""The project record (固定资产投资项目) and its registry rules.

A project is kept in versions (every change is a new version, audited by the service); the record here is
the content of one version. Energy figures are annual, at full production:

=========================  ============  ====================================================================
field                      unit          meaning
=========================  ============  ====================================================================
``energy_equal_tce``       tce           comprehensive energy use at the 当量值 (electricity 1.229 tce/万kWh);
                                         the figure the review thresholds use
``energy_equiv_tce``       tce           the same at the 等价值 (electricity at the supply coal rate): the
                                         ``d`` of the n indicator
``coal_t``                 t             coal burnt as fuel (CO2 through the accounting engine)
``electricity_10k_kwh``    万kWh         electricity bought
``feedstock_tce``          tce           原料用能 (deducted from ``d`` per 发改环资〔2022〕803号)
``value_added_10k_yuan``   万元          annual value added (the ``e`` of the n indicator)
``output``                 product unit  annual output of ``product`` (t for most products)
=========================  ============  ====================================================================

For a rebuild on the same site with the same process (``rebuild``), the energy figures are the increment
after commissioning, as the 2023 order counts them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tanfeng.projects.rules import ReviewRules

__all__ = ["STAGES", "Milestone", "Official", "Project", "Stage", "is_exempt_type", "two_high_industry"]

Stage = Literal["拟建", "在建", "已建", "存量"]
STAGES: tuple[str, ...] = ("拟建", "在建", "已建", "存量")
"""拟建 planned, 在建 under construction, 已建 built (recently commissioned), 存量 existing stock."""

_REGION = re.compile(r"^\d{6}$")


class Official(BaseModel):
    """A responsible official (责任制): name, post and department."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    post: str = ""
    department: str = ""


class Milestone(BaseModel):
    """A dated milestone (开工, 投产, 改造完成 …)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    due: date
    done: bool = False


class Project(BaseModel):
    """One fixed-asset investment project as the 清单 keeps it."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=40, description="项目代码")
    name: str = Field(min_length=1, max_length=300)
    owner_code: str | None = Field(None, description="unified social credit code of the owner enterprise")
    owner_name: str = ""
    league: str
    county: str | None = None
    industry: str = Field(description="GB/T 4754 industry code, e.g. C2614")
    project_type: str = Field("", description="type as the exempt list names it (光伏电站, 数据中心 …)")
    stage: Stage
    rebuild: bool = False
    national_major: bool = Field(False, description="国家规划布局的重大项目 (not suspended under 629号)")
    capacity: float | None = Field(None, ge=0)
    capacity_unit: str = ""
    product: str | None = Field(None, description="product key of the energy-efficiency levels file")
    output: float | None = Field(None, ge=0)
    energy_equal_tce: float = Field(ge=0)
    energy_equiv_tce: float = Field(ge=0)
    coal_t: float = Field(0.0, ge=0)
    electricity_10k_kwh: float = Field(0.0, ge=0)
    feedstock_tce: float = Field(0.0, ge=0)
    value_added_10k_yuan: float | None = Field(None, ge=0)
    departments: list[str] = Field(default_factory=list)
    officials: list[Official] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    sample: bool = False

    @field_validator("league", "county")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        if value is not None and not _REGION.match(value):
            msg = "must be a six-digit GB/T 2260 code"
            raise ValueError(msg)
        return value

    @field_validator("industry")
    @classmethod
    def _industry(cls, value: str) -> str:
        if not re.match(r"^[A-T]\d{0,4}$", value):
            msg = "must be a GB/T 4754 code: a section letter and up to four digits (C2614)"
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _checks(self) -> Project:
        if self.county is not None and self.county[:4] != self.league[:4]:
            msg = f"county {self.county} is not in league {self.league}"
            raise ValueError(msg)
        if self.feedstock_tce > self.energy_equiv_tce:
            msg = "feedstock energy exceeds the comprehensive energy use (等价值)"
            raise ValueError(msg)
        if (self.output is None) != (self.product is None):
            msg = "product and output come together"
            raise ValueError(msg)
        return self


def two_high_industry(industry: str, rules: ReviewRules) -> str | None:
    """The 两高 label of ``industry`` (the longest matching prefix of the rules), or None when not 两高."""
    hits = [i for i in rules.two_high.industries if industry.startswith(i.prefix)]
    return max(hits, key=lambda i: len(i.prefix)).label if hits else None


def is_exempt_type(project_type: str, rules: ReviewRules) -> bool:
    """Whether the type is on the published list of types with no separate review (data centres are not)."""
    t = project_type.strip()
    if not t or t in rules.exempt_types.not_exempt:
        return False
    return t in rules.exempt_types.types
