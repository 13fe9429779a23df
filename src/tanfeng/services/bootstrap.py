"""``tanfeng init``: migrate the store and load the shipped reference data and built-in plans.

Idempotent: a second run finds everything in place, changes nothing and says so. Atomic: the plans are
read and checked before anything is written; regions, statistics, plans and the sample indicator values land
in one transaction.

The sample series (:mod:`tanfeng.tracking.sample`, marked 示例数据) go into ``indicator_values`` with
``sample = true`` and into the Parquet series ``tracking_indicators``; where a real reference statistic exists
for the same region, indicator and year, the real figure is used (with its source) and the sample value is not
stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyarrow as pa
from pydantic import BaseModel

from tanfeng.analytics.series import SeriesStore, statistics_table
from tanfeng.config import Settings
from tanfeng.plan import loader
from tanfeng.plan.model import Plan
from tanfeng.reference.indicators import indicators, statistic_aliases
from tanfeng.reference.regions import Statistic, legacy_codes, load_regions, load_statistics
from tanfeng.services import projects as projects_service
from tanfeng.services import scenarios as scenario_service
from tanfeng.services import tracking
from tanfeng.services.registry import sample as registry_sample
from tanfeng.services.sinks import sample as sinks_sample
from tanfeng.store import make_engine, make_session_factory, repository, upgrade
from tanfeng.tracking import sample as sample_data
from tanfeng.tracking.series import StatisticInput, statistic_observation, top_statistics

__all__ = ["STATISTICS_SERIES", "TRACKING_SERIES", "InitReport", "PlanLoaded", "init", "load_builtin_plans",
           "tracking_table"]

STATISTICS_SERIES = "reference_statistics"
"""Name of the Parquet series that holds the shipped statistics."""
TRACKING_SERIES = "tracking_indicators"
"""Name of the Parquet series of the tracking indicators (sample data, real statistics where they exist)."""


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
    sample_values_written: int = 0
    sample_values_skipped_real: int = 0
    tracking_series: str | None = None
    tracking_series_written: bool = False
    sample_projects_written: int = 0
    """示例数据 projects of the sample project list stored by this run."""
    registry_sample_transactions: int = 0
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
            smp = (tracking.load_sample(session, actor=actor) if tracking.PLAN_ID in {p.id for p in to_store}
                   else None)
            # the sample project list (示例数据) beside the tracking sample
            prj = projects_service.load_sample(session, actor=actor) if smp is not None else None
            # the sample registry (示例数据): accounts and transactions flagged sample, replayed when present
            reg = registry_sample.load_sample(session, actor=actor)
            sinks_sample.load_sample_projects(session, actor=actor)
            # scenario files shipped with the package (versioned and audited like any user's file)
            scen = scenario_service.load_builtin(session, actor=actor)
    finally:
        engine.dispose()
    series = SeriesStore(settings.data_dir)
    table = statistics_table(stats)
    series_written = not series.same_content(STATISTICS_SERIES, table)
    if series_written:
        series.write(STATISTICS_SERIES, table)
    tracking_written = False
    if smp is not None:
        t_table = tracking_table(sample_data.generate_sample(), stats)
        tracking_written = not series.same_content(TRACKING_SERIES, t_table)
        if tracking_written:
            series.write(TRACKING_SERIES, t_table)
    sample_changed = smp is not None and not smp.unchanged and smp.inserted > 0
    changed = (before != after or r.changed or s.changed or series_written or any(p.changed for p in loaded)
               or sample_changed or tracking_written or bool(prj and prj.projects_inserted)
               or reg.transactions_written > 0
               or any(x["changed"] for x in scen))
    return InitReport(
        database=engine.url.render_as_string(hide_password=True), data_dir=str(settings.data_dir),
        migrated_from=before, migrated_to=after, regions_inserted=r.inserted, regions_updated=r.updated,
        regions_unchanged=r.unchanged, statistics_written=s.inserted, statistics_unchanged=s.unchanged,
        series=str(series.path(STATISTICS_SERIES)), series_written=series_written,
        sample_values_written=smp.inserted if smp else 0, sample_values_skipped_real=smp.skipped_real if smp else 0,
        tracking_series=str(series.path(TRACKING_SERIES)) if smp else None, tracking_series_written=tracking_written,
        sample_projects_written=prj.projects_inserted if prj else 0,
        registry_sample_transactions=reg.transactions_written,
        plans=loaded, notices=notices, changed=changed)


def tracking_table(rows: Sequence[sample_data.SampleRow], stats: Sequence[Statistic]) -> pa.Table:
    """The tracking series in long format: the sample rows (示例数据, certainty R, ``sample`` true) with every
    (region, indicator, year) that has a real reference statistic replaced by it (its source and certainty,
    converted to the indicator's unit as the read model does)."""
    units = {i.id: i.unit for i in indicators()}
    picked = top_statistics((StatisticInput(region=st.region, indicator=st.indicator, year=st.year, period=None,
                                            value=st.value, unit=st.unit, source=st.source,
                                            certainty=st.certainty.value, note=st.note, file=st.file)
                             for st in stats if st.period is None), statistic_aliases())
    real = {(r, ind, int(p)): statistic_observation(st, ind, units.get(ind)) for (r, ind, p), st in picked.items()}
    cols: dict[str, list[object]] = {k: [] for k in ("region", "indicator", "year", "value", "unit", "source",
                                                     "certainty", "sample")}
    for row in rows:
        found = real.get((row.region, row.indicator, row.year))
        vals: tuple[object, ...] = ((row.region, row.indicator, row.year, found.value, found.unit, found.source,
                                     found.certainty, False) if found is not None else
                                    (row.region, row.indicator, row.year, row.value, row.unit, row.source, "R", True))
        for k, v in zip(cols, vals, strict=True):
            cols[k].append(v)
    return pa.table({
        "region": pa.array(cols["region"], pa.string()), "indicator": pa.array(cols["indicator"], pa.string()),
        "year": pa.array(cols["year"], pa.int64()), "value": pa.array(cols["value"], pa.float64()),
        "unit": pa.array(cols["unit"], pa.string()), "source": pa.array(cols["source"], pa.string()),
        "certainty": pa.array(cols["certainty"], pa.string()), "sample": pa.array(cols["sample"], pa.bool_()),
    })
