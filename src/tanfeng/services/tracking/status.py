"""Dual-control status of the region and its leagues, and the board of every plan target."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from tanfeng.errors import InputError, at
from tanfeng.plan.model import Plan
from tanfeng.reference.regions import get_region
from tanfeng.services.tracking.common import load_series, plan_span, region_name, tracked_plan
from tanfeng.services.tracking.readmodel import cached
from tanfeng.services.tracking.schemas import RegionStatus, TargetTrack
from tanfeng.tracking.figures import region_status, track_target
from tanfeng.tracking.scope import REGION, leagues
from tanfeng.tracking.series import IndicatorSeries

__all__ = ["BOARD_STATUSES", "Board", "BoardRow", "board", "status", "targets_board"]

BOARD_STATUSES = ("on_track", "behind", "achieved", "missed", "no_data", "no_path")
"""The statuses the target board can be filtered by, in the order it lists them."""


def status(session: Session, *, region: str | None = None, year: int | None = None) -> list[RegionStatus]:
    """The region and its leagues (or one of them) in ``year`` (default: the latest year with energy data).

    Computed once per version of the tracking data (:mod:`tanfeng.services.tracking.readmodel`).

    Raises
    ------
    InputError
        GDP without a constant 2020 price base (intensity is refused), a year outside the plan.
    """
    return cached(session, "status", (region, year), lambda: _status(session, region, year))


def _status(session: Session, region: str | None, year: int | None) -> list[RegionStatus]:
    codes = [region] if region is not None else [REGION, *leagues()]
    for c in codes:
        get_region(c)
    series = load_series(session, codes)
    y = year if year is not None else series.latest_year()
    plan = tracked_plan(session)
    _start, end = plan_span(plan)
    if not 2000 <= y <= end:
        msg = f"year {y} is outside the years tracked (2000–{end})"
        raise InputError(msg, location=at(field="year"))
    return [region_status(series, plan, c, y) for c in codes]


def targets_board(session: Session, *, year: int | None = None) -> list[TargetTrack]:
    """Every plan target with status, progress and its sparkline series, each for the region it is scoped to.

    A target scoped to several leagues (呼和浩特、包头主城区) is shown once per league; a scope that names
    no region code (城区常住人口100万以上的城市) has no data. Computed once per version of the tracking data.
    """
    return cached(session, "targets_board", year, lambda: _targets_board(session, year))


def _targets_board(session: Session, year: int | None) -> list[TargetTrack]:
    plan = tracked_plan(session)
    series = load_series(session)
    y = year if year is not None else series.latest_year()
    out: list[TargetTrack] = []
    for t in plan.targets:
        codes = list(t.scope_regions) if t.scope_regions else ([t.scope] if t.scope.isdigit() else [])
        if not codes:
            out.append(track_target(t, IndicatorSeries({}), t.scope, y)
                       .model_copy(update={"note": "scope names no region code"}))
        for c in codes:
            track = track_target(t, series, c, y)
            out.append(track.model_copy(update={"scope": c}) if len(codes) > 1 else track)
    return out


class BoardRow(TargetTrack):
    """A target on the board with the labels of its action and scope and its progress bar (0–100 %)."""

    action_label: str
    scope_label: str
    bar: float | None


class Board(BaseModel):
    """The target board: its rows and the options of its filters (action, league, status)."""

    model_config = ConfigDict(extra="forbid")

    rows: list[BoardRow]
    action_options: list[tuple[str, str]]
    league_options: list[tuple[str, str]]
    status_options: list[str]
    sample: bool


def _action_labels(plan: Plan) -> dict[str, str]:
    labels = {a.id: f"({a.numeral}) {a.title}" for a in plan.actions}
    labels.update({p.id: p.title for p in plan.parts})
    labels["main"] = next((p.title for p in plan.parts if p.kind == "main_targets"), "主要目标")
    return labels


def board(session: Session, *, year: int | None = None) -> Board:
    """:func:`targets_board` with the labels the board shows and the options of its filters (computed once per
    version of the tracking data)."""
    return cached(session, "board", year, lambda: _board(session, year))


def _board(session: Session, year: int | None) -> Board:
    tracks = targets_board(session, year=year)
    actions = _action_labels(tracked_plan(session))
    rows = [BoardRow(**t.model_dump(), action_label=actions.get(t.action or "", t.action or ""),
                     scope_label=region_name(t.scope),
                     bar=None if t.progress_ratio is None else max(0.0, min(100.0, t.progress_ratio * 100)))
            for t in tracks]
    used = [a for a in dict.fromkeys(t.action for t in tracks) if a]
    scopes = sorted({t.scope for t in tracks if t.scope.isdigit()})
    return Board(rows=rows, action_options=[(a, actions.get(a, a)) for a in used],
                 league_options=[(c, region_name(c)) for c in scopes], status_options=list(BOARD_STATUSES),
                 sample=any(t.sample for t in tracks))
