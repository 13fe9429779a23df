"""The tracking read model: every write that changes a figure changes what the next read returns.

Reads are answered from memory while the store's version stamp is unchanged
(:mod:`tanfeng.services.tracking.readmodel`); each kind of write — a value recorded, a dispatch entry, a
statistic import, a plan reload — must give a new stamp in its own transaction, so the next read (also
through a second engine, as another worker would) shows the new number. The numbers written and expected
are typed here by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tanfeng.config import Settings
from tanfeng.reference.regions import Certainty, Statistic
from tanfeng.services import bootstrap
from tanfeng.services import plans as plan_service
from tanfeng.services import tracking as svc
from tanfeng.services.tracking.readmodel import READ_MODEL, data_version
from tanfeng.store import make_engine, make_session_factory, repository, repository_tracking
from tanfeng.store.models_readmodel import ReadVersionRow
from tanfeng.store.models_tracking import DispatchEntryRow

LEAGUE = "150300"  # 乌海市


@pytest.fixture
def settings(engine_url: str, tmp_path: Path) -> Settings:
    s = Settings(database_url=engine_url, data_dir=tmp_path / "data")
    bootstrap.init(s)
    return s


@pytest.fixture
def sessions(settings: Settings) -> Iterator[tuple[Session, Session]]:
    """Two sessions on two engines: a writer and a reader, as two worker processes would hold."""
    writer_engine, reader_engine = make_engine(settings.database_url), make_engine(settings.database_url)
    try:
        with make_session_factory(writer_engine)() as w, make_session_factory(reader_engine)() as r:
            yield w, r
    finally:
        writer_engine.dispose()
        reader_engine.dispose()


def _figure(session: Session, indicator: str, year: int) -> float | None:
    st = svc.status(session, region=LEAGUE, year=year)[0]
    return next(f.value for f in st.figures if f.indicator == indicator)


def _fresh(session: Session) -> None:
    """End the reader's transaction, as a request does, so it sees what others committed."""
    session.rollback()


def test_a_read_is_answered_from_memory_until_a_write(sessions: tuple[Session, Session]) -> None:
    _writer, reader = sessions
    first = svc.overview(reader, year=2025)
    hits = READ_MODEL.hits
    again = svc.overview(reader, year=2025)
    assert again is first
    assert READ_MODEL.hits == hits + 1


def test_a_recorded_value_changes_the_next_status(sessions: tuple[Session, Session]) -> None:
    writer, reader = sessions
    svc.status(reader, region=LEAGUE, year=2025)  # warm the cache
    before = data_version(reader)
    svc.record_value(writer, region=LEAGUE, indicator="energy_consumption", period="2025", value=4321.5,
                     unit="万tce", source="乌海市统计局 (test)", actor="tester")
    _fresh(reader)
    assert data_version(reader) != before
    assert _figure(reader, "energy_consumption", 2025) == 4321.5
    svc.record_value(writer, region=LEAGUE, indicator="energy_consumption", period="2025", value=4000.0,
                     unit="万tce", source="乌海市统计局 (更正)", actor="tester")
    _fresh(reader)
    assert _figure(reader, "energy_consumption", 2025) == 4000.0
    league_row = next(m for m in svc.overview(reader, year=2025).map_rows if m.code == LEAGUE)
    assert league_row.values["energy_consumption"] == 4000.0


def test_a_statistic_import_changes_the_next_status(sessions: tuple[Session, Session]) -> None:
    writer, reader = sessions
    assert _figure(reader, "energy_consumption_growth", 2024) != 7.25
    stat = Statistic(region=LEAGUE, indicator="energy_consumption_growth", year=2024, period=None, value=7.25,
                     unit="%", certainty=Certainty("P"), source="乌海市统计公报 (test)", note=None,
                     file="test/wuhai_growth.csv")
    repository.save_statistics(writer, [stat], actor="tester")
    _fresh(reader)
    assert _figure(reader, "energy_consumption_growth", 2024) == 7.25
    # a re-import of the dataset with another value replaces it (a bulk delete, then inserts)
    repository.save_statistics(writer, [Statistic(**{**stat.__dict__, "value": 6.5})], actor="tester")
    _fresh(reader)
    assert _figure(reader, "energy_consumption_growth", 2024) == 6.5


def test_a_dispatch_entry_changes_the_next_changes_list(sessions: tuple[Session, Session]) -> None:
    writer, reader = sessions
    svc.open_period(writer, period="2025Q3", due_date=date(2025, 10, 10), actor="office", today=date(2025, 10, 1))
    _fresh(reader)
    assert svc.changes_since_last_period(reader).changes == []
    kw = {"period": "2025Q3", "unit": "150100", "target_id": "im2022.a05.m1.t2", "value_unit": "%",
          "as_of": date(2025, 9, 30), "actor_units": {"150100"}}
    svc.submit_entry(writer, **kw, value=33.0, evidence="住建局季报", actor="hohhot-1")
    _fresh(reader)
    assert [(c.kind, c.new) for c in svc.changes_since_last_period(reader).changes] == [("dispatch_entry", "33 %")]
    svc.submit_entry(writer, **kw, value=34.5, evidence="更正", actor="hohhot-1")
    _fresh(reader)
    newest = svc.changes_since_last_period(reader).changes[0]
    assert (newest.old, newest.new) == ("33 %", "34.5 %")


def test_a_plan_reload_changes_the_next_board(sessions: tuple[Session, Session]) -> None:
    writer, reader = sessions
    target_id = "im2022.a05.m1.t2"
    board = svc.targets_board(reader, year=2025)
    assert next(t.target for t in board if t.target_id == target_id) != 41.0
    plan = repository.get_plan(writer, "im2022")
    edited = plan.model_copy(update={"targets": [t.model_copy(update={"value": 41.0}) if t.id == target_id else t
                                                 for t in plan.targets]})
    assert repository.save_plan(writer, edited, actor="tester").changed
    _fresh(reader)
    assert next(t.target for t in svc.targets_board(reader, year=2025) if t.target_id == target_id) == 41.0
    assert next(t.value for t in plan_service.list_targets(reader, "im2022") if t.id == target_id) == 41.0
    assert next(r.target for r in svc.board(reader, year=2025).rows if r.target_id == target_id) == 41.0


def test_a_write_rolled_back_leaves_the_version(sessions: tuple[Session, Session]) -> None:
    writer, reader = sessions
    before = data_version(reader)
    writer.begin()
    svc.record_value(writer, region=LEAGUE, indicator="energy_consumption", period="2025", value=1.0,
                     unit="万tce", source="never kept", actor="tester")
    assert data_version(writer) != before  # the writer sees its own new stamp
    writer.rollback()
    _fresh(reader)
    assert data_version(reader) == before
    assert _figure(reader, "energy_consumption", 2025) != 1.0


def test_every_orm_write_to_a_tracked_table_bumps_the_counter(sessions: tuple[Session, Session]) -> None:
    writer, _reader = sessions
    counter = writer.scalar(select(ReadVersionRow.counter))
    svc.open_period(writer, period="2025Q4", due_date=date(2026, 1, 10), actor="office", today=date(2026, 1, 2))
    after_period = writer.scalar(select(ReadVersionRow.counter))
    assert after_period is not None
    assert counter is not None
    assert after_period > counter
    repository_tracking.bump_read_version(writer)
    writer.commit()
    assert writer.scalar(select(ReadVersionRow.counter)) == after_period + 1
    assert writer.scalar(select(DispatchEntryRow.id)) is None
