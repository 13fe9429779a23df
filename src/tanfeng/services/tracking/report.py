"""The dispatch report (调度报告) of a period: warnings, off-track targets, league levels, missing reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from tanfeng.reports.model import (
    DispatchReport,
    LeagueLevel,
    LevelCount,
    MissingReport,
    OffTrackTarget,
    Point,
    ReportedEntry,
    WarningRow,
)
from tanfeng.services import audit as audit_service
from tanfeng.services.tracking.common import BEIJING, check_in_plan, parse_period, region_name
from tanfeng.services.tracking.dispatch import current_entries, unit_name
from tanfeng.services.tracking.dispatch_progress import missing_reports, period_summary
from tanfeng.services.tracking.schemas import EntryWithHistory, LeagueWarnings, RegionStatus
from tanfeng.services.tracking.status import status
from tanfeng.services.tracking.warnings import warning_counts, warnings
from tanfeng.store import repository_tracking
from tanfeng.store.models import utcnow
from tanfeng.tracking import sample as sample_data
from tanfeng.tracking.scope import PLAN_ID, REGION, required_note
from tanfeng.tracking.trajectory import Status
from tanfeng.tracking.warning import Alert
from tanfeng.units import readable_number

__all__ = ["build_dispatch_report"]


def _audit_anchor(session: Session) -> tuple[str | None, str | None]:
    """The audit chain's current anchor, or None and why it is unavailable."""
    try:
        anchor = audit_service.current_anchor(session)
    except Exception as exc:  # the report still renders and says why there is no anchor
        return None, f"审计锚点不可用 (audit anchor unavailable): {exc}"
    return (str(anchor) if anchor is not None else None), None


def _level_row(w: LeagueWarnings, alert: Alert, name: str, unit: str, consequence: bool) -> WarningRow:
    cons = "; ".join(f"{c.short.split(' (')[0]} ({c.document})" for c in alert.consequences) if consequence else ""
    return WarningRow(region=w.region, region_name=w.name, indicator=name, level=alert.level, value=alert.value_pct,
                      required=alert.reference_pct, unit=unit, consequence=cons)


def _warning_rows(ws: list[LeagueWarnings]) -> tuple[list[WarningRow], list[LeagueLevel]]:
    rows: list[WarningRow] = []
    levels: list[LeagueLevel] = []
    for w in ws:
        if w.intensity is not None:
            rows.append(_level_row(w, w.intensity, "单位GDP能耗变化率 (同比)", "%", True))
        if w.total is not None and w.total.level < 3:
            rows.append(_level_row(w, w.total, "能源消费总量增速 (推定规则)", "%", False))
        if w.carbon is not None and w.carbon.level < 3:
            rows.append(_level_row(w, w.carbon, "单位GDP二氧化碳排放变化率 (同比, 类推)", "%", False))
        if w.region != REGION:
            levels.append(LeagueLevel(code=w.region, name=w.name, level=w.intensity.level if w.intensity else None))
    rows.sort(key=lambda r: (r.region != REGION, r.level, r.region))
    return rows, levels


def _off_track(st: RegionStatus, year: int) -> list[OffTrackTarget]:
    off: list[OffTrackTarget] = []
    for t in st.targets:
        if t.status not in (Status.BEHIND.value, Status.MISSED.value):
            continue
        off.append(OffTrackTarget(
            target_id=t.target_id, name=t.indicator, unit=t.unit or t.target_unit, region=REGION,
            target_year=t.target_year, target_value=None if t.target_value is None else round(t.target_value, 4),
            series=[Point(year=y, value=v) for y, v in t.series if y <= year],
            required_path=[Point(year=y, value=v) for y, v in t.required_path],
            note=f"{year}年状态: {'未达到' if t.status == Status.MISSED.value else '滞后'}"
                 + (" (示例数据)" if t.sample else "")))
    off.sort(key=lambda o: (not o.target_id.startswith(f"{PLAN_ID}.main"), o.target_id))
    return off


def _sources(ws: list[LeagueWarnings], sample: bool, anchor_note: str | None) -> list[str]:
    sources = sorted({s for w in ws for s in (w.intensity_source, w.carbon_source) if s})
    sources = [s for s in sources if not s.startswith("计算: ")][:6]
    if sample:
        smp = sample_data.sample_source(sample_data.DEFAULT_SEED)
        sources = [smp + " — 示例数据, 非官方统计", *(s for s in sources if s != smp)]
    sources += ["预警等级: 发改办环资〔2021〕629号 (能耗强度); 总量与碳排放强度为推定/类推规则", required_note(),
                "目标: 内党发〔2022〕19号《内蒙古自治区碳达峰实施方案》"]
    if anchor_note:
        sources.append(anchor_note)
    return sources


_MEASURE_ZH = {"not_started": "未启动", "in_progress": "推进中", "done": "已完成", "blocked": "受阻"}


def _reported(e: EntryWithHistory) -> ReportedEntry:
    c = e.current
    value = (_MEASURE_ZH.get(c.measure_status, c.measure_status) if c.measure_status is not None
             else f"{readable_number(c.actual_value)} {c.value_unit or ''}".strip() if c.actual_value is not None else "—")
    unit = e.unit_name + (f" ({unit_name(e.league)}下属)" if e.league else "")
    return ReportedEntry(unit=unit, item=e.item_label, value=value, evidence=c.evidence, as_of=c.as_of.isoformat(),
                         entered_by=c.entered_by_name or c.entered_by,
                         entered_at=c.entered_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") + " (北京时间)",
                         late=c.late, attachments=[a.filename for a in e.attachments])


def _counts(ws: list[LeagueWarnings]) -> list[LevelCount]:
    wc = warning_counts(ws)
    return [LevelCount(indicator=wc.labels[dim], counted=wc.counted, levels=levels)
            for dim, levels in wc.by_indicator.items()]


def build_dispatch_report(session: Session, period: str, *, generated_at: datetime | None = None,
                          max_charts: int = 6) -> DispatchReport:
    """The dispatch report of ``period``: warnings table and the leagues counted at each level (the overview's
    count), a chart per off-track region target, league levels for the map, who is expected, missing (逾期 after
    the due date) and what was reported (by display name, with the files attached), the sample flag and the
    audit chain's anchor."""
    year = parse_period(period)
    check_in_plan(session, year)
    ws = warnings(session, period=str(year))
    rows, levels = _warning_rows(ws)
    st = status(session, region=REGION, year=year)[0]
    missing: list[MissingReport]
    entries: list[ReportedEntry] = []
    expected: int | None = None
    reported: int | None = None
    if repository_tracking.get_period(session, period=period) is None:
        missing = [MissingReport(unit="自治区", missing=f"调度期 {period} 尚未开启")]
    else:
        missing = [MissingReport(unit=f"{m.name} ({m.unit})" if m.unit.isdigit() else m.name, missing=m.missing,
                                 overdue=m.overdue) for m in missing_reports(session, period)]
        summary = period_summary(session, period)
        expected, reported = summary.expected_units, summary.reported_units
        entries = [_reported(e) for e in current_entries(session, period)]
    sample = any(w.sample for w in ws) or st.sample
    anchor, anchor_note = _audit_anchor(session)
    return DispatchReport(period=period, generated_at=generated_at or utcnow(), region=REGION,
                          region_name=region_name(REGION), warnings=rows, off_track=_off_track(st, year)[:max_charts],
                          league_levels=levels, counts=_counts(ws), missing_reports=missing, expected_units=expected,
                          reported_units=reported, entries=entries, sample=sample, audit_anchor=anchor,
                          sources=_sources(ws, sample, anchor_note))
