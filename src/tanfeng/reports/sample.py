"""A dispatch report built from the sample data (示例数据), for demonstrations and tests."""

from __future__ import annotations

from datetime import datetime

from tanfeng.plan.loader import load_builtin_plan
from tanfeng.reference.regions import get_region
from tanfeng.reports.model import (
    DispatchReport,
    LeagueLevel,
    MissingReport,
    OffTrackTarget,
    Point,
    WarningRow,
)
from tanfeng.tracking.sample import (
    DEFAULT_SEED,
    INTENSITY_REQUIRED_ANNUAL_PCT,
    LEAGUES,
    SampleRow,
    generate_sample,
    sample_source,
    series,
)
from tanfeng.tracking.scope import REGION
from tanfeng.tracking.trajectory import Status, TrajectoryTarget, progress
from tanfeng.tracking.warning import intensity_warning

__all__ = [
    "SAMPLE_MISSING",
    "build_sample_report",
]


SAMPLE_MISSING: tuple[tuple[str, str], ...] = (
    ("阿拉善盟", "2025年第三季度 重点用能单位能耗在线监测数据"),
    ("乌海市", "2025年9月 规模以上工业能源消费快报"),
    ("自治区住房和城乡建设厅", "装配式建筑占当年新建建筑面积比例 (2025年第三季度)"),
)
"""Hand-made missing reports shown in the sample report (示例数据)."""


def build_sample_report(seed: int = DEFAULT_SEED, *, year: int = 2025, period: str = "2025Q3",
                        generated_at: datetime | None = None, audit_anchor: str | None = None,
                        rows: list[SampleRow] | None = None, max_charts: int = 6) -> DispatchReport:
    """A :class:`DispatchReport` from :func:`tanfeng.tracking.sample.generate_sample`.

    Warnings: the energy-intensity change of ``year`` of the region and each league against the
    −3.2 %/a pace (a 15 % fall over 2021–2025), with the levels and consequences of
    发改办环资〔2021〕629号 (:func:`tanfeng.tracking.warning.intensity_warning`). Off-track targets: the
    region's plan targets (``im2022``) that in ``year`` lag their path from 2020, or have missed the
    target without reaching its level.

    Parameters
    ----------
    seed : int
        Seed of the sample generator.
    year : int
        The year evaluated.
    period : str
        The report period shown.
    generated_at : datetime, optional
        Default: 2025-10-15 08:00 (fixed, so the output is reproducible).
    audit_anchor : str, optional
        Printed in the report footer.
    rows : list of SampleRow, optional
        Sample rows already generated with ``seed``.
    max_charts : int
        At most this many off-track targets (the plan's main targets first, then by id).
    """
    data = rows if rows is not None else generate_sample(seed)
    warnings, levels = _sample_warnings(data, year)
    off = _sample_off_track(data, year)
    off.sort(key=lambda o: (not o.target_id.startswith("im2022.main"), o.target_id))
    off = off[:max_charts]
    return DispatchReport(
        period=period,
        generated_at=generated_at or datetime(2025, 10, 15, 8, 0),
        region=REGION,
        region_name=get_region(REGION).name_zh,
        warnings=warnings,
        off_track=off,
        league_levels=levels,
        missing_reports=[MissingReport(unit=u, missing=m) for u, m in SAMPLE_MISSING],
        sample=True,
        audit_anchor=audit_anchor,
        sources=[sample_source(seed),
                 "预警等级: 发改办环资〔2021〕629号; 要求进度 −3.2%/年 为示例假设 (2021–2025 累计下降15%)",
                 "目标: 内党发〔2022〕19号《内蒙古自治区碳达峰实施方案》及内党发〔2022〕8号"],
    )


def _sample_warnings(data: list[SampleRow], year: int) -> tuple[list[WarningRow], list[LeagueLevel]]:
    """The 629号 intensity level of the region and each league in ``year`` (the region first, then by level)."""
    warnings: list[WarningRow] = []
    levels: list[LeagueLevel] = []
    for code in (REGION, *LEAGUES):
        change = series(data, code, "energy_intensity_change_vs_prev_year")[year]
        alert = intensity_warning(change, INTENSITY_REQUIRED_ANNUAL_PCT)
        name = get_region(code).name_zh
        warnings.append(WarningRow(region=code, region_name=name, indicator="单位GDP能耗变化率 (同比)",
                                   level=alert.level, value=change, required=INTENSITY_REQUIRED_ANNUAL_PCT,
                                   unit="%", consequence="; ".join(c.short.split(" (")[0] + f" ({c.document})"
                                                         for c in alert.consequences)))
        if code != REGION:
            levels.append(LeagueLevel(code=code, name=name, level=alert.level))
    warnings.sort(key=lambda w: (w.region != REGION, w.level, w.region))  # the region first, then by level
    return warnings, levels


def _sample_off_track(data: list[SampleRow], year: int) -> list[OffTrackTarget]:
    """The region's plan targets that lag their path from 2020 in ``year``, or missed without reaching it."""
    off: list[OffTrackTarget] = []
    for t in load_builtin_plan("im2022").targets:
        if t.year is None or t.scope != REGION:
            continue
        s = series(data, REGION, t.indicator_id)
        if 2020 not in s or year not in s:
            continue
        try:
            tt = TrajectoryTarget.from_plan(t, baseline_value=s[2020], baseline_year=2020)
        except ValueError:
            continue
        p = progress(tt, year, s[year])
        # behind its path, or missed: the status of tanfeng.tracking.trajectory.progress, as on the pages
        if p.status not in (Status.BEHIND, Status.MISSED):
            continue
        unit = next(r.unit for r in data if r.region == REGION and r.indicator == t.indicator_id)
        pts = [Point(year=y, value=v) for y, v in sorted(s.items()) if 2020 <= y <= year]
        path = [Point(year=y, value=round(tt.required(y), 4)) for y in range(2020, t.year + 1)]
        target_value = tt.target_value
        off.append(OffTrackTarget(target_id=t.id, name=t.indicator, unit=unit, target_year=t.year,
                                  target_value=round(target_value, 4), series=pts, required_path=path,
                                  note=f"{year}年状态: {'未达到' if p.status is Status.MISSED else '滞后'}"))
    return off
