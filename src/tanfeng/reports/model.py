"""The dispatch report (调度报告) as data: what every renderer draws from.

A :class:`DispatchReport` is built by the caller (a service, the CLI, a test, or
:func:`tanfeng.reports.sample.build_sample_report`) and rendered by :mod:`tanfeng.reports.render`.
"""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

__all__ = [
    "LEVEL_COLOURS",
    "LEVEL_HEX",
    "LEVEL_LABELS",
    "NO_LEVEL_HEX",
    "DispatchReport",
    "LeagueLevel",
    "LevelCount",
    "MissingReport",
    "OffTrackTarget",
    "Point",
    "ReportedEntry",
    "WarningRow",
]


LEVEL_COLOURS: dict[int, str] = {1: "红", 2: "黄", 3: "绿"}
"""Warning level → colour name (发改办环资〔2021〕629号: 一级 red, 二级 yellow, 三级 green)."""
LEVEL_LABELS: dict[int, str] = {1: "一级预警", 2: "二级预警", 3: "三级预警"}
LEVEL_HEX: dict[int, str] = {1: "#D93025", 2: "#F2B705", 3: "#2E9E4F"}
"""Fill colours used by the renderers."""
NO_LEVEL_HEX = "#D0D0D0"

_PERIOD = re.compile(r"^\d{4}(?:Q[1-4]|H[12]|-(?:0[1-9]|1[0-2]))?$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WarningRow(_Model):
    """One row of the warning table."""

    region: str = Field(description="Region or league code (GB/T 2260).")
    region_name: str
    indicator: str = Field(description="Indicator name as shown (Chinese).")
    level: int = Field(ge=1, le=3)
    value: float = Field(description="Observed value in `unit`.")
    required: float | None = Field(default=None, description="Required value (progress line) in `unit`.")
    unit: str
    consequence: str = ""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def colour(self) -> str:
        """红 / 黄 / 绿 for level 1 / 2 / 3."""
        return LEVEL_COLOURS[self.level]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        """一级预警 / 二级预警 / 三级预警."""
        return LEVEL_LABELS[self.level]


class Point(_Model):
    """One (year, value) point of a series."""

    year: int
    value: float


class OffTrackTarget(_Model):
    """A target that is behind its path, with the observed series and the required path."""

    target_id: str
    name: str
    unit: str
    region: str = "150000"
    target_year: int | None = None
    target_value: float | None = None
    series: list[Point]
    required_path: list[Point]
    note: str = ""


class LeagueLevel(_Model):
    """The warning level of a league, for the map (None: no level, drawn grey)."""

    code: str
    name: str
    level: int | None = Field(default=None, ge=1, le=3)


class MissingReport(_Model):
    """A reporting unit that has not reported something for the period."""

    unit: str = Field(description="The reporting unit (league, department or enterprise).")
    missing: str = Field(description="What is missing.")
    overdue: bool = Field(default=False, description="Past the due date: shown as 逾期.")


class ReportedEntry(_Model):
    """An entry a unit reported in the period (its current version)."""

    unit: str = Field(description="The reporting unit, named (a county: with its league).")
    item: str = Field(description="The target or measure, named.")
    value: str = Field(description="The value with its unit, or the measure's status, as shown.")
    evidence: str = ""
    as_of: str
    entered_by: str = Field(description="Who entered it (display name).")
    entered_at: str
    late: bool = Field(default=False, description="Entered after the due date: 逾期.")
    attachments: list[str] = Field(default_factory=list, description="Names of the files attached as evidence.")


class LevelCount(_Model):
    """How many of what (``counted``, e.g. 盟市数) stand at each warning level of one indicator."""

    indicator: str
    counted: str
    levels: dict[int, int]

    @property
    def text(self) -> str:
        """``单位GDP能耗变化率 (同比) · 盟市数: 一级预警 2 · 二级预警 4 · 三级预警 6``."""
        return f"{self.indicator} · {self.counted}: " + " · ".join(
            f"{LEVEL_LABELS[lv]} {n}" for lv, n in sorted(self.levels.items()))


class DispatchReport(_Model):
    """A dispatch report for one period.

    Attributes
    ----------
    period : str
        ``2025``, ``2025Q3``, ``2025H1`` or ``2025-09``.
    generated_at : datetime
        When the report was built.
    region, region_name : str
        The region it covers (e.g. ``150000`` 内蒙古自治区).
    warnings : list of WarningRow
        The warning table (region and leagues).
    off_track : list of OffTrackTarget
        One line chart each.
    league_levels : list of LeagueLevel
        The map's colours.
    counts : list of LevelCount
        Leagues at each level, by indicator (the same count as the overview's); empty for a report built
        without them, whose summary then counts the rows of ``warnings``.
    missing_reports : list of MissingReport
        Units that have not reported.
    expected_units, reported_units : int or None
        The round's expected units and how many reported everything (reported + missing = expected).
    sample : bool
        True when any of the data is sample data: every output then shows 示例数据.
    audit_anchor : str or None
        The audit chain anchor the data were read at, printed in the footer.
    """

    period: str
    generated_at: datetime
    region: str = "150000"
    region_name: str = "内蒙古自治区"
    title: str = "碳达峰调度报告"
    warnings: list[WarningRow] = Field(default_factory=list)
    off_track: list[OffTrackTarget] = Field(default_factory=list)
    league_levels: list[LeagueLevel] = Field(default_factory=list)
    counts: list[LevelCount] = Field(default_factory=list)
    missing_reports: list[MissingReport] = Field(default_factory=list)
    expected_units: int | None = None
    reported_units: int | None = None
    entries: list[ReportedEntry] = Field(default_factory=list)
    sample: bool = False
    audit_anchor: str | None = None
    sources: list[str] = Field(default_factory=list, description="Where the numbers come from.")

    @field_validator("period")
    @classmethod
    def _period(cls, v: str) -> str:
        if not _PERIOD.match(v):
            msg = f"period {v!r} is not a year, quarter (2025Q3), half (2025H1) or month (2025-09)"
            raise ValueError(msg)
        return v

    @property
    def heading(self) -> str:
        """The title line, e.g. ``内蒙古自治区碳达峰调度报告 (2025Q3)``."""
        return f"{self.region_name}{self.title} ({self.period})"

    def level_counts(self) -> dict[int, int]:
        """How many warning rows there are at each level."""
        return {lv: sum(1 for w in self.warnings if w.level == lv) for lv in (1, 2, 3)}
