"""Flat rows of indicator values, barometer levels and the target board for CSV and Excel downloads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tanfeng.reference.indicators import label_of
from tanfeng.services.tracking.common import region_name
from tanfeng.services.tracking.schemas import IndicatorValueOut, LeagueWarnings, RegionStatus, TargetTrack
from tanfeng.units import readable_number

__all__ = ["STATUS_COLUMNS", "board_rows", "board_search_text", "filter_board", "indicator_rows", "status_rows",
           "warning_rows"]

STATUS_COLUMNS = ["region", "name", "year", "kind", "indicator", "label", "value", "unit", "required", "status",
                  "sample", "source"]
"""Columns of the status as a flat table (figures, then targets when asked for)."""


def indicator_rows(values: Sequence[IndicatorValueOut]) -> list[dict[str, Any]]:
    """Values as flat rows for CSV/Excel downloads (the columns a spreadsheet shows)."""
    return [{"region": v.region, "region_name": region_name(v.region), "indicator": v.indicator,
             "indicator_name": label_of(v.indicator), "period": v.period, "value": v.value,
             "unit": v.unit, "source": v.source, "certainty": v.certainty,
             "sample": "示例数据" if v.sample else "", "version": v.version,
             "entered_by": v.entered_by or "", "origin": v.origin} for v in values]


def warning_rows(ws: Sequence[LeagueWarnings]) -> list[dict[str, Any]]:
    """Barometer levels as flat rows for CSV/Excel downloads."""
    out: list[dict[str, Any]] = []
    for w in ws:
        for dim, alert, src in (("energy_intensity", w.intensity, w.intensity_source), ("energy_total", w.total,
                                w.total_source), ("carbon_intensity", w.carbon, w.carbon_source)):
            if alert is None:
                continue
            out.append({"region": w.region, "region_name": w.name, "period": w.period, "dimension": dim,
                        "level": alert.level, "label": alert.label, "colour": alert.colour,
                        "value_pct": round(alert.value_pct, 4),
                        "reference_pct": None if alert.reference_pct is None else round(alert.reference_pct, 4),
                        "unit": "%", "rule": alert.document, "inferred": alert.inferred,
                        "consequences": "; ".join(c.short for c in alert.consequences),
                        "sample": "示例数据" if w.sample else "", "source": src or ""})
    return out


def board_search_text(t: TargetTrack) -> str:
    """What the board's indicator search matches: the indicator's name (Chinese and English), its code and the
    target's id, in lower case."""
    return " ".join(x for x in (t.indicator, t.indicator_en, t.indicator_id, t.target_id) if x).lower()


def filter_board(tracks: Sequence[TargetTrack], *, action: str | None = None, league: str | None = None,
                 status: str | None = None, q: str | None = None) -> list[TargetTrack]:
    """The targets the board's filters show: its action, the region it is tracked for (``league``), its status, and
    a search text contained in :func:`board_search_text` (the page's filters match the same way)."""
    text = (q or "").strip().lower()
    return [t for t in tracks
            if (not action or (t.action or "") == action) and (not league or t.scope == league)
            and (not status or t.status == status) and (not text or text in board_search_text(t))]


def board_rows(tracks: Sequence[TargetTrack]) -> list[dict[str, Any]]:
    """Target board rows (with the sparkline series as text) for CSV/Excel downloads."""
    return [{"target_id": t.target_id, "indicator": t.indicator, "action": t.action or "", "scope": t.scope,
             "scope_name": region_name(t.scope) if t.scope.isdigit() else t.scope,
             "target_year": t.target_year, "target": t.target, "target_unit": t.target_unit, "year": t.actual_year,
             "actual": t.actual, "unit": t.unit or "", "required": None if t.required is None else round(t.required, 4),
             "progress_ratio": None if t.progress_ratio is None else round(t.progress_ratio, 4),
             "required_ratio": None if t.required_ratio is None else round(t.required_ratio, 4),
             "gap": None if t.gap is None else round(t.gap, 4), "years_left": t.years_left, "status": t.status,
             "status_rule": t.rule or "", "series": " ".join(f"{y}:{readable_number(v, grouping=False)}" for y, v in t.series), "sample": "示例数据" if t.sample else "",
             "source": t.source or "", "plan_id": t.plan_id or ""} for t in tracks]


def status_rows(result: Sequence[RegionStatus], *, targets: bool) -> list[dict[str, Any]]:
    """Each region's figures (and, when ``targets``, its plan targets) as rows of :data:`STATUS_COLUMNS`."""
    rows: list[dict[str, Any]] = []
    for r in result:
        for f in r.figures:
            rows.append({"region": r.region, "name": r.name, "year": r.year, "kind": "figure", "indicator": f.indicator,
                         "label": f.label, "value": None if f.value is None else round(f.value, 4), "unit": f.unit,
                         "required": None, "status": None, "sample": "示例数据" if f.sample else "",
                         "source": f.source})
        if targets:
            for t in r.targets:
                rows.append({"region": r.region, "name": r.name, "year": r.year, "kind": "target",
                             "indicator": t.target_id, "label": t.indicator,
                             "value": None if t.actual is None else round(t.actual, 4), "unit": t.unit or t.target_unit,
                             "required": None if t.required is None else round(t.required, 4), "status": t.status,
                             "sample": "示例数据" if t.sample else "", "source": t.source})
    return rows
