"""Dual-control status of the region and its leagues, and the board of every plan target."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from tanfeng.plan.model import Plan
from tanfeng.reference.regions import get_region
from tanfeng.services import plans as plans_service
from tanfeng.services.tracking.common import (
    check_tracked_year,
    load_series,
    plan_span,
    region_name,
    tracked_plan,
)
from tanfeng.services.tracking.readmodel import cached, cached_json
from tanfeng.services.tracking.schemas import RegionStatus, TargetTrack
from tanfeng.store import repository
from tanfeng.tracking.figures import region_status, track_target
from tanfeng.tracking.scope import REGION, leagues
from tanfeng.tracking.series import IndicatorSeries

__all__ = ["BOARD_STATUSES", "Board", "BoardRow", "board", "plan_of", "plan_options", "status", "status_json",
           "targets_board", "targets_board_json", "year_options"]

BOARD_STATUSES = ("on_track", "behind", "achieved", "missed", "no_data", "no_path")
"""The statuses the target board can be filtered by, in the order it lists them."""


def status(session: Session, *, region: str | None = None, year: int | None = None,
           plan: str | None = None) -> list[RegionStatus]:
    """The region and its leagues (or one of them) in ``year`` (default: the latest year with energy data), with
    the targets of ``plan`` (default: the plan tracked) scoped to each.

    Computed once per version of the tracking data (:mod:`tanfeng.services.tracking.readmodel`).

    Raises
    ------
    InputError
        GDP without a constant 2020 price base (intensity is refused), a year outside the plan.
    NotFoundError
        ``plan`` is not stored.
    """
    return cached(session, "status", (region, year, plan), lambda: _status(session, region, year, plan))


def status_json(session: Session, *, region: str | None = None, year: int | None = None) -> bytes:
    """:func:`status` as JSON, serialised once per version of the tracking data."""
    return cached_json(session, "status", (region, year), lambda: status(session, region=region, year=year),
                       list[RegionStatus])


def plan_of(session: Session, plan: str | None) -> Plan:
    """The stored plan ``plan``, or the plan tracked when None (:class:`NotFoundError` for an unknown id)."""
    return tracked_plan(session) if plan is None else plans_service.get_plan(session, plan)


def plan_options(session: Session) -> list[tuple[str, str]]:
    """Every stored plan as (id, title（region）), the plan tracked first: the options of a plan filter."""
    return [(p.id, f"{p.title}（{region_name(p.region)}）") for p in _plans(session, None)]


def _status(session: Session, region: str | None, year: int | None, plan_id: str | None) -> list[RegionStatus]:
    codes = [region] if region is not None else [REGION, *leagues()]
    for c in codes:
        get_region(c)
    series = load_series(session, codes)
    y = year if year is not None else series.latest_year()
    plan = plan_of(session, plan_id)
    _start, end = plan_span(plan)
    check_tracked_year(y, end, field="year")
    return [region_status(series, plan, c, y) for c in codes]


def year_options(session: Session, *, plan: str | None = None, chosen: int | None = None) -> list[int]:
    """The years a page's year selector offers, newest first: every year from 2000 in which the region tracked or a
    league has an energy-consumption value (the indicator the latest year is chosen by: statistics and the sample
    go back before the plan's base year), the target years of ``plan`` (the plan tracked when None), and
    ``chosen`` (the year on screen) so the selection stays in the list."""
    data: list[int] = cached(session, "data_years", None, lambda: _data_years(session))
    p = plan_of(session, plan)
    targets = {t.year for t in p.targets if t.year is not None}
    return sorted({*data, *targets, *([chosen] if chosen is not None else [])}, reverse=True)


def _data_years(session: Session) -> list[int]:
    codes = [REGION, *leagues()]
    series = load_series(session, codes)
    return sorted({y for c in codes for y in series.annual(c, "energy_consumption") if y >= 2000})


def _plans(session: Session, plan: str | None) -> list[Plan]:
    """The plan asked for, or every stored plan (the tracked one first)."""
    if plan is not None:
        return [plans_service.get_plan(session, plan)]
    first = tracked_plan(session)
    return [first, *(plans_service.get_plan(session, p) for p in repository.list_plan_ids(session) if p != first.id)]


def targets_board(session: Session, *, year: int | None = None, plan: str | None = None) -> list[TargetTrack]:
    """Every target of every stored plan (or of ``plan``) with status, progress and its sparkline series, each for
    the region it is scoped to.

    A target scoped to several leagues (呼和浩特、包头主城区) is shown once per league; a scope that names
    no region code (城区常住人口100万以上的城市) has no data. Computed once per version of the tracking data.

    Raises
    ------
    NotFoundError
        ``plan`` is not stored.
    """
    return cached(session, "targets_board", (year, plan), lambda: _targets_board(session, year, plan))


def targets_board_json(session: Session, *, year: int | None = None, plan: str | None = None) -> bytes:
    """:func:`targets_board` as JSON, serialised once per version of the tracking data."""
    return cached_json(session, "targets_board", (year, plan), lambda: targets_board(session, year=year, plan=plan),
                       list[TargetTrack])


def _targets_board(session: Session, year: int | None, plan: str | None) -> list[TargetTrack]:
    plans = _plans(session, plan)
    series = load_series(session)
    y = year if year is not None else series.latest_year()
    out: list[TargetTrack] = []
    for p in plans:
        out.extend(t.model_copy(update={"plan_id": p.id}) for t in _plan_tracks(p, series, y))
    return out


def _plan_tracks(plan: Plan, series: IndicatorSeries, y: int) -> list[TargetTrack]:
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
    """A target on the board with the labels of its plan, action and scope, its progress bar (0–100 %), and the
    higher plan's target it restates."""

    action_label: str
    scope_label: str
    bar: float | None
    plan_label: str = ""
    plan_status: str = "reviewed"
    restates: str | None = None
    """``plan_id:target_id`` of the higher plan's target this one restates."""
    restates_label: str | None = None


class Board(BaseModel):
    """The target board: its rows and the options of its filters (action, league, status)."""

    model_config = ConfigDict(extra="forbid")

    rows: list[BoardRow]
    action_options: list[tuple[str, str]]
    league_options: list[tuple[str, str]]
    status_options: list[str]
    plan_options: list[tuple[str, str]] = []
    plan: str | None = None
    sample: bool


def _action_labels(plan: Plan) -> dict[str, str]:
    labels = {a.id: f"({a.numeral}) {a.title}" for a in plan.actions}
    labels.update({p.id: p.title for p in plan.parts})
    labels["main"] = next((p.title for p in plan.parts if p.kind == "main_targets"), "主要目标")
    return labels


def board(session: Session, *, year: int | None = None, plan: str | None = None) -> Board:
    """:func:`targets_board` with the labels the board shows, the options of its filters (plan, action, league,
    status) and each target's link to the higher plan's target it restates (computed once per version of the
    tracking data)."""
    return cached(session, "board", (year, plan), lambda: _board(session, year, plan))


def _board(session: Session, year: int | None, plan: str | None) -> Board:
    tracks = targets_board(session, year=year, plan=plan)
    stored = {p.id: p for p in _plans(session, None)}
    actions: dict[str, str] = {}
    for p in reversed(list(stored.values())):
        actions.update(_action_labels(p))
    links = {(lk.plan_id, lk.target_id): lk for pid in stored for lk in plans_service.target_links(session, pid)}
    labels = dict(plan_options(session))
    rows = []
    for t in tracks:
        link = links.get((t.plan_id or "", t.target_id))
        rows.append(BoardRow(
            **t.model_dump(), action_label=actions.get(t.action or "", t.action or ""),
            scope_label=region_name(t.scope),
            bar=None if t.progress_ratio is None else max(0.0, min(100.0, t.progress_ratio * 100)),
            plan_label=labels.get(t.plan_id or "", t.plan_id or ""),
            plan_status=stored[t.plan_id].status if t.plan_id in stored else "reviewed",
            restates=None if link is None else f"{link.parent_plan_id}:{link.parent_target_id}",
            restates_label=None if link is None else f"{link.parent_plan_title} {link.parent_target_id}"))
    used = [a for a in dict.fromkeys(t.action for t in tracks) if a]
    scopes = sorted({t.scope for t in tracks if t.scope.isdigit()})
    return Board(rows=rows, action_options=[(a, actions.get(a, a)) for a in used],
                 league_options=[(c, region_name(c)) for c in scopes], status_options=list(BOARD_STATUSES),
                 plan_options=[(pid, labels[pid]) for pid in stored], plan=plan,
                 sample=any(t.sample for t in tracks))
