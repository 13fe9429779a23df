"""Early warning: the NDRC barometer levels of the region and each league, and the overview that shows them.

Path of one indicator to a warning: the store's rows (:func:`tanfeng.store.repository_tracking.indicator_series`)
→ the read model (:class:`tanfeng.tracking.series.IndicatorSeries`) → the 629号 levels per league
(:func:`tanfeng.tracking.warning.league_warnings`) → :func:`warnings` / :func:`overview` here → the page.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from tanfeng.reference.indicators import headline_ids, map_ids, statistic_aliases
from tanfeng.services.tracking.common import (
    check_tracked_year,
    load_series,
    parse_period,
    plan_span,
    region_name,
    tracked_plan,
)
from tanfeng.services.tracking.readmodel import cached, cached_json
from tanfeng.services.tracking.schemas import Figure, LeagueWarnings, Provenance, RegionStatus, TargetTrack
from tanfeng.services.tracking.status import BOARD_STATUSES, plan_of, plan_options, status, targets_board
from tanfeng.store import repository_tracking
from tanfeng.tracking.scope import (
    REGION,
    carbon_required_annual_pct,
    intensity_required_annual_pct,
    leagues,
)
from tanfeng.tracking.warning import league_warnings

__all__ = ["BEFORE_BAROMETER", "CARBON_REQUIRED_ANNUAL_PCT", "INTENSITY_REQUIRED_ANNUAL_PCT", "WARNING_DIMENSIONS", "HeadlineRow", "MapRow",
           "Overview", "RegionOverview", "WarningCounts", "barometer_start", "overview", "region_overview", "warning_counts", "warnings",
           "warnings_json"]

INTENSITY_REQUIRED_ANNUAL_PCT = intensity_required_annual_pct()
"""Required yearly change of energy intensity, % (−3.2; ``reference/data/tracking/required_pace.csv``)."""
CARBON_REQUIRED_ANNUAL_PCT = carbon_required_annual_pct()
"""Required yearly change of carbon intensity, % (−3.89; ``reference/data/tracking/required_pace.csv``)."""


def warnings(session: Session, *, period: str, required_intensity_change_pct: float = INTENSITY_REQUIRED_ANNUAL_PCT,
             required_carbon_change_pct: float = CARBON_REQUIRED_ANNUAL_PCT,
             allowed_consumption_growth_pct: float | None = None) -> list[LeagueWarnings]:
    """NDRC barometer levels (发改办环资〔2021〕629号) of the region and each league for the year of ``period``.

    Intensity: the 629号 rule. Total consumption: the inferred rule (flagged), with the growth cap
    ``allowed_consumption_growth_pct`` or, by default, the growth the intensity path allows at the year's real
    GDP growth (``(1 + g)(1 + required) − 1``). Carbon intensity: the 629号 levels by analogy (flagged).
    Consequences of level 1 are attached by the rules. Computed once per version of the tracking data.
    A year before the barometer's first year (:func:`barometer_start`) gives every region without levels and
    with a note (:data:`BEFORE_BAROMETER`); a year outside 2000 to the plan's last target year is refused
    (:class:`InputError` on ``period``).
    """
    return cached(session, "warnings", (period, required_intensity_change_pct, required_carbon_change_pct,
                                        allowed_consumption_growth_pct),
                  lambda: _warnings(session, period, required_intensity_change_pct, required_carbon_change_pct,
                                    allowed_consumption_growth_pct))


def warnings_json(session: Session, *, period: str) -> bytes:
    """:func:`warnings` (at the required paces of the rules) as JSON, serialised once per version of the data."""
    return cached_json(session, "warnings", period, lambda: warnings(session, period=period), list[LeagueWarnings])


def barometer_start(session: Session) -> int:
    """The first year the barometer gives levels for: the base year of the plan tracked (2020). An earlier year
    has figures (statistics, CEADs) but no levels: the pages show it and say so."""
    return plan_span(tracked_plan(session))[0]


def _levels_of_year(session: Session, year: int) -> tuple[list[LeagueWarnings], int | None]:
    """The barometer's levels in ``year`` for a page, with the year the barometer starts when ``year`` is before
    it (no levels then); a year after the plan is refused as :func:`warnings` refuses it."""
    start = barometer_start(session)
    if year < start:
        return [], start
    return warnings(session, period=str(year)), None


def _warnings(session: Session, period: str, required_intensity_change_pct: float,
              required_carbon_change_pct: float, allowed_consumption_growth_pct: float | None) -> list[LeagueWarnings]:
    year = parse_period(period)
    start, end = plan_span(tracked_plan(session))
    check_tracked_year(year, end, field="period")
    codes = [REGION, *leagues()]
    if year < start:
        return _before_barometer(codes, period, year, start)
    series = repository_tracking.indicator_series(session, aliases=statistic_aliases(), regions=codes)
    return league_warnings(series, codes, period, year, required_intensity_change_pct=required_intensity_change_pct,
                           required_carbon_change_pct=required_carbon_change_pct,
                           allowed_consumption_growth_pct=allowed_consumption_growth_pct)


BEFORE_BAROMETER = ("the barometer starts with the base year of the plan, {start}: {year} has figures but no "
                    "warning levels")
"""The note of a year before the barometer's first year (its figures are in ``/api/tracking/status``)."""


def _before_barometer(codes: list[str], period: str, year: int, start: int) -> list[LeagueWarnings]:
    """The region and its leagues in a year before the barometer (:func:`barometer_start`): no levels, and a note
    that says why."""
    note = BEFORE_BAROMETER.format(start=start, year=year)
    return [LeagueWarnings(region=c, name=region_name(c), period=period, year=year, intensity=None,
                           intensity_source=None, total=None, total_source=None, carbon=None, carbon_source=None,
                           sample=False, notes=[note]) for c in codes]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


WARNING_DIMENSIONS: dict[str, str] = {
    "intensity": "单位GDP能耗变化率 (同比)",
    "total": "能源消费总量增速 (推定规则)",
    "carbon": "单位GDP二氧化碳排放变化率 (同比, 类推)",
}
"""The barometer's indicators, in the order counts are shown, with the names the pages and the report use."""


class WarningCounts(_Out):
    """How many leagues stand at each 629号 level, by indicator — the one count the overview, the region pages
    and the dispatch report show. The region itself is not counted; a league without a level is not counted."""

    counted: str = "盟市数"
    """What a number counts (leagues), written for the reader."""
    leagues: int
    """How many leagues there are (the most any level can count)."""
    by_indicator: dict[str, dict[int, int]]
    """``intensity`` / ``total`` / ``carbon`` → level (1, 2, 3) → number of leagues."""
    labels: dict[str, str]
    """The indicator names of :data:`WARNING_DIMENSIONS`."""


def warning_counts(ws: list[LeagueWarnings]) -> WarningCounts:
    """Count the leagues of ``ws`` at each level, by indicator (the region's own row is left out)."""
    rows = [w for w in ws if w.region != REGION]
    by: dict[str, dict[int, int]] = {}
    for dim in WARNING_DIMENSIONS:
        levels = [getattr(w, dim).level for w in rows if getattr(w, dim) is not None]
        by[dim] = {lv: sum(1 for x in levels if x == lv) for lv in (1, 2, 3)}
    return WarningCounts(leagues=len(rows), by_indicator=by, labels=dict(WARNING_DIMENSIONS))


class MapRow(_Out):
    """A league on the overview map: its warning level and the figures the map can be coloured by, the year they
    are of and where they come from."""

    code: str
    name: str
    level: int | None
    values: dict[str, float | None]
    units: dict[str, str]
    sample: bool
    change_pct: float | None = None
    """The year-on-year change of energy intensity, %, that gave ``level`` (629号)."""
    year: int | None = None
    provenance: dict[str, list[Provenance]] = {}
    """``warning`` and each indicator of ``values`` → where its value comes from."""


class HeadlineRow(_Out):
    """A main target (主要目标) of the region by indicator, with its 2025 and 2030 targets."""

    indicator: str
    indicator_id: str
    actual: float | None
    actual_year: int | None
    unit: str | None
    sample: bool
    source: str | None
    status: str
    progress: float | None
    rule: str | None = None
    t2025: TargetTrack | None = None
    t2030: TargetTrack | None = None
    provenance: list[Provenance] = []


class Overview(_Out):
    """What the overview page shows: headline figures and targets, warning counts, the league map — for the plan
    tracked, or for the plan chosen (its region, its main targets, its leagues, its targets' statuses)."""

    year: int
    region: RegionStatus
    figures: list[Figure]
    headline: list[HeadlineRow]
    counts: dict[int, int]
    """Leagues at each level of the energy-intensity warning (``warning_counts.by_indicator["intensity"]``)."""
    warning_counts: WarningCounts
    warnings: list[LeagueWarnings]
    map_rows: list[MapRow]
    sample: bool
    plan: str
    """The plan shown (the plan tracked unless one was chosen)."""
    plan_title: str
    plan_status: str = "reviewed"
    plan_options: list[tuple[str, str]] = []
    target_counts: dict[str, int] = {}
    """The plan's targets on the board by status (:data:`BOARD_STATUSES`, in that order)."""
    barometer_from: int | None = None
    """Set when ``year`` is before the barometer's first year (:func:`barometer_start`): that year; no levels."""


def _leagues_under(code: str) -> list[str]:
    """The leagues whose warnings an overview of ``code`` counts: the region's twelve, a league itself, or none
    (a region outside the barometer, e.g. another province or the nation)."""
    if code == REGION:
        return list(leagues())
    return [code] if code in leagues() else []


def _headline(region: RegionStatus, main: set[str]) -> list[HeadlineRow]:
    """The main targets (those of the parts ``main``; all of the region's targets when none is) by indicator."""
    chosen = [t for t in region.targets if t.action in main] or list(region.targets)
    rows: dict[str, HeadlineRow] = {}
    for t in chosen:
        key = t.indicator_id if t.indicator_id != "unclassified" else t.indicator
        row = rows.setdefault(key, HeadlineRow(
            indicator=t.indicator, indicator_id=t.indicator_id, actual=t.actual, actual_year=t.actual_year,
            unit=t.unit, sample=t.sample, source=t.source, status=t.status, progress=t.progress_ratio, rule=t.rule,
            provenance=t.provenance))
        if t.target_year == 2025:
            row.t2025 = t
            row.status, row.progress, row.rule = t.status, t.progress_ratio, t.rule
        elif t.target_year == 2030:
            row.t2030 = t
            if row.t2025 is None:
                row.status, row.progress, row.rule = t.status, t.progress_ratio, t.rule
    return list(rows.values())


def overview(session: Session, *, year: int | None = None, plan: str | None = None) -> Overview:
    """The headline figures and main targets of a plan's region, the warning counts and map rows of its leagues,
    and its targets by status, in ``year`` (computed once per version of the tracking data).

    ``plan`` None: the plan tracked (Inner Mongolia's region and its twelve leagues). A league's plan counts that
    league; a plan of a region outside the barometer counts no league.

    Raises
    ------
    NotFoundError
        ``plan`` is not stored.
    """
    return cached(session, "overview", (year, plan), lambda: _overview(session, year, plan))


def _overview(session: Session, year: int | None, plan_id: str | None) -> Overview:
    p = plan_of(session, plan_id)
    statuses = status(session, year=year)
    if plan_id is None:
        region, league_status = statuses[0], statuses[1:]
    else:
        y = statuses[0].year
        region = status(session, region=p.region, year=y, plan=p.id)[0]
        league_status = [s for c in _leagues_under(p.region)
                         for s in ([region] if c == p.region else status(session, region=c, year=y, plan=p.id))]
    under = set(_leagues_under(p.region))
    year_levels, barometer_from = _levels_of_year(session, region.year)
    ws = [w for w in year_levels if w.region in under or w.region == p.region]
    wc = warning_counts(ws)
    by_code = {w.region: w for w in ws}
    colour = set(map_ids())
    map_rows: list[MapRow] = []
    for s in league_status:
        w = by_code.get(s.region)
        values: dict[str, Any] = {f.indicator: f.value for f in s.figures if f.indicator in colour}
        prov = {f.indicator: f.provenance for f in s.figures if f.indicator in colour}
        prov["warning"] = w.provenance if w else []
        map_rows.append(MapRow(code=s.region, name=s.name, level=w.intensity.level if w and w.intensity else None,
                               values=values, units={f.indicator: f.unit for f in s.figures if f.indicator in colour},
                               sample=s.sample, change_pct=w.intensity.value_pct if w and w.intensity else None,
                               year=s.year, provenance=prov))
    head = set(headline_ids())
    main = {part.id for part in p.parts if part.kind == "main_targets"}
    board = targets_board(session, year=region.year, plan=p.id)
    target_counts = {s: sum(1 for t in board if t.status == s) for s in BOARD_STATUSES}
    return Overview(year=region.year, region=region, figures=[f for f in region.figures if f.indicator in head],
                    headline=_headline(region, main), counts=wc.by_indicator["intensity"], warning_counts=wc,
                    warnings=ws, map_rows=map_rows,
                    sample=region.sample or any(w.sample for w in ws) or any(s.sample for s in league_status),
                    plan=p.id, plan_title=p.title, plan_status=p.status, plan_options=plan_options(session),
                    target_counts=target_counts, barometer_from=barometer_from)


class RegionOverview(_Out):
    """What a region's page shows: its status (None without energy data) and the levels of the year."""

    status: RegionStatus | None
    warnings: dict[str, LeagueWarnings]
    barometer_from: int | None = None
    """Set when the year shown is before the barometer's first year (:func:`barometer_start`): that year."""
    counts: WarningCounts | None = None
    """The leagues' levels counted (:func:`warning_counts`) on the region's own page; None on a league's or
    county's page."""


def region_overview(session: Session, *, region: str, year: int | None = None) -> RegionOverview:
    """The status of ``region`` in ``year`` and the barometer levels of that year, keyed by region code.

    A region without any energy-consumption value has no status (and no levels). Computed once per version
    of the tracking data.
    """
    return cached(session, "region_overview", (region, year), lambda: _region_overview(session, region, year))


def _region_overview(session: Session, region: str, year: int | None) -> RegionOverview:
    has_data = any(key[1] == "energy_consumption" for key, _ in load_series(session, [region]).items())
    if not has_data:
        return RegionOverview(status=None, warnings={})
    st = status(session, region=region, year=year)[0]
    ws, barometer_from = _levels_of_year(session, st.year)
    return RegionOverview(status=st, warnings={w.region: w for w in ws}, barometer_from=barometer_from,
                          counts=warning_counts(ws) if region == REGION and barometer_from is None else None)
