"""``tanfeng init``: migrate the store and load the shipped reference data and built-in plans.

Idempotent: a second run finds everything in place, changes nothing and says so. Atomic: the plans are
read and checked before anything is written; regions, statistics and plans land in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import BaseModel

from tanfeng.analytics.series import SeriesStore, statistics_table
from tanfeng.config import Settings
from tanfeng.plan import loader
from tanfeng.plan.model import Plan
from tanfeng.reference.regions import legacy_codes, load_regions, load_statistics
from tanfeng.store import make_engine, make_session_factory, repository, upgrade

__all__ = ["STATISTICS_SERIES", "InitReport", "PlanLoaded", "init", "load_builtin_plans"]

STATISTICS_SERIES = "reference_statistics"
"""Name of the Parquet series that holds the shipped statistics."""


class PlanLoaded(BaseModel):
    """A plan that ``init`` stored (or found already stored)."""

    id: str
    title: str
    version: int
    targets: int
    changed: bool


class InitReport(BaseModel):
    """What ``init`` did; ``changed`` is False when the store and the series were already up to date."""

    database: str
    data_dir: str
    migrated_from: str | None
    migrated_to: str
    regions_inserted: int
    regions_updated: int
    regions_unchanged: int
    statistics_written: int
    statistics_unchanged: int
    series: str
    series_written: bool
    plans: list[PlanLoaded]
    notices: list[str]
    changed: bool


def load_builtin_plans(notices: list[str] | None = None) -> list[Plan]:
    """Every plan shipped with the package, checked against the region catalogue and its source text."""
    known = {r.code: r.name_zh for r in load_regions()}
    return [loader.load_builtin_plan(plan_id, known_regions=known, legacy_codes=legacy_codes(), notices=notices)
            for plan_id in loader.list_builtin_plans()]


def init(settings: Settings, *, actor: str = "tanfeng init",
         plans: Callable[[list[str]], Sequence[Plan]] | None = None) -> InitReport:
    """Migrate the database, then load regions, statistics (store and Parquet series) and the built-in plans.

    Parameters
    ----------
    settings
        Where the database and the data folder are.
    actor
        Who the audit log names for the changes.
    plans
        Gives the plans to store (it receives a list for notices); default :func:`load_builtin_plans`.
    """
    notices: list[str] = []
    regions = load_regions()
    stats = load_statistics()
    to_store = list((plans or load_builtin_plans)(notices))
    before, after = upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session, session.begin():
            r = repository.save_regions(session, regions, actor=actor)
            s = repository.save_statistics(session, stats, actor=actor)
            loaded: list[PlanLoaded] = []
            for plan in to_store:
                res = repository.save_plan(session, plan, actor=actor)
                loaded.append(PlanLoaded(id=plan.id, title=plan.title, version=res.version,
                                         targets=len(plan.targets), changed=res.changed))
    finally:
        engine.dispose()
    series = SeriesStore(settings.data_dir)
    table = statistics_table(stats)
    series_written = not series.same_content(STATISTICS_SERIES, table)
    if series_written:
        series.write(STATISTICS_SERIES, table)
    changed = (before != after or r.changed or s.changed or series_written or any(p.changed for p in loaded))
    return InitReport(
        database=engine.url.render_as_string(hide_password=True), data_dir=str(settings.data_dir),
        migrated_from=before, migrated_to=after, regions_inserted=r.inserted, regions_updated=r.updated,
        regions_unchanged=r.unchanged, statistics_written=s.inserted, statistics_unchanged=s.unchanged,
        series=str(series.path(STATISTICS_SERIES)), series_written=series_written, plans=loaded, notices=notices,
        changed=changed)
