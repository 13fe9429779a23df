"""The sample population (示例数据) stored at a small scale: units and meters in the registry, readings
through the same durable ingestion as real batches."""

from __future__ import annotations

import polars as pl
from sqlalchemy.orm import Session

from tanfeng.config import Settings
from tanfeng.enterprises.sample import SAMPLE_NOTICE, Sample, SampleParams, generate
from tanfeng.errors import InputError
from tanfeng.services import metering
from tanfeng.services.key_units.schemas import SampleLoaded
from tanfeng.store import repository_key_units as repo
from tanfeng.store.models import utcnow
from tanfeng.store.models_enterprises import KeyUnitRow, MeterRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic

__all__ = ["load_sample", "sample_params"]


def sample_params(units: int, days: int, meters_per_unit: int) -> SampleParams:
    """The generator's size for a small store: as many injected faults as the meters allow (1 to 10 per kind)."""
    if units < 1 or days < 1 or meters_per_unit < 4:
        msg = "the sample needs at least 1 unit, 1 day and 4 meters per unit"
        raise InputError(msg)
    n_int, n_cum = units * (meters_per_unit - 3), units * 3
    faults = max(0, min(10, n_int // 7, n_cum // 3))
    return SampleParams(n_units=units, meters_per_unit=meters_per_unit, days=days, faults_per_kind=max(faults, 1))


def _store_registry(session: Session, sample: Sample, *, actor: str, meters_per_unit: int, days: int) -> None:
    """The sample's units that are not registered yet, with their meters (audited as one load)."""
    now = utcnow()
    existing = repo.unit_codes(session)
    with atomic(session, "the sample units"):
        new_units = [r for r in sample.units.iter_rows(named=True) if r["unit_code"] not in existing]
        for r in new_units:
            session.add(KeyUnitRow(code=r["unit_code"], name=r["name"], league=r["league"], county=r["county"],
                                   industry=r["industry"], level=r["level"], products=[r["product"]], contacts=[],
                                   sample=True, created_at=now, updated_at=now))
        session.flush()
        new_codes = {r["unit_code"] for r in new_units}
        for m in sample.meters.iter_rows(named=True):
            if m["unit_code"] in new_codes:
                session.add(MeterRow(meter_id=m["meter_id"], unit_code=m["unit_code"], facility_id=None,
                                     product=m["product"], unit=m["unit"], multiplier=m["multiplier"], kind=m["kind"],
                                     rollover_max=m["rollover_max"], sample=True))
        session.flush()
        record_audit(session, actor=actor, action="load_sample", entity="key_unit", entity_id="sample",
                     after={"units": len(new_units), "meters_per_unit": meters_per_unit, "days": days,
                            "notice": SAMPLE_NOTICE})


def load_sample(session: Session, settings: Settings, *, units: int = 20, days: int = 1, meters_per_unit: int = 20,
                actor: str = "tanfeng units load-sample", bulk: bool = False, derive: bool = True) -> SampleLoaded:
    """Generate the deterministic sample population (示例数据) at a small scale and store it.

    Units and meters go to the registry (``sample = true``), readings go through the same durable ingestion
    as real batches (one batch per unit and day), so loading twice adds nothing. ``bulk`` (large samples):
    one batch per day for all units, flagged afterwards in one pass instead of batch by batch.

    The readings are flagged and rolled up before it returns (``derive``), as ``tanfeng monitor ingest`` does, so
    the first page opened afterwards does not pay for the whole population; ``derive=False`` leaves that to the
    next catch-up (a benchmark times the two steps apart).
    """
    sample = generate(sample_params(units, days, meters_per_unit))
    _store_registry(session, sample, actor=actor, meters_per_unit=meters_per_unit, days=days)
    readings = sample.readings.with_columns(
        unit_code=pl.col("meter_id").str.split("-M").list.first(),
        day=pl.col("ts").dt.convert_time_zone("Asia/Shanghai").dt.date())
    batches = dup = total = 0
    keys = ["day"] if bulk else ["unit_code", "day"]
    for key, part in readings.group_by(*keys, maintain_order=True):
        res = metering.ingest_frame(session, settings, part, source="sample:" + ":".join(map(str, key)), actor=actor,
                                    sample=True, defer_derive=bulk)
        batches += 1
        dup += int(res.duplicate)
        total += res.rows
    if derive:
        metering.catch_up(session, settings)
    return SampleLoaded(units=sample.units.height, meters=sample.meters.height, batches=batches, readings=total,
                        duplicate_batches=dup, start=sample.start, end=sample.end)
