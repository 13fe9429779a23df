"""The dispatch workflow on SQLite and PostgreSQL: one count of expected, reported and missing units; due dates;
逾期; reminders and the notices a unit sees; evidence files; the warning counts the overview, the region page
and the report share. Expected counts are written out by hand from the situation each test builds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tanfeng.access import Principal, Role
from tanfeng.config import Settings
from tanfeng.errors import ConflictError, InputError
from tanfeng.services import bootstrap
from tanfeng.services import tracking as svc
from tanfeng.store import make_engine, make_session_factory
from tanfeng.store.models import AuditRow
from tanfeng.store.models_tracking import DispatchAttachmentRow, DispatchEntryRow

BEFORE_DUE = date(2025, 10, 1)
AFTER_DUE = date(2025, 10, 11)
PDF = b"%PDF-1.4\n% evidence\n"


@pytest.fixture
def settings(engine_url: str, tmp_path: Path) -> Settings:
    s = Settings(database_url=engine_url, data_dir=tmp_path / "data")
    bootstrap.init(s)
    return s


@pytest.fixture
def session(settings: Settings) -> Iterator[Session]:
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as s:
            yield s
    finally:
        engine.dispose()


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _round(session: Session) -> None:
    """2025Q3, due 2025-10-10, expecting the 12 leagues and 自治区能源局. Reported so far:
    呼和浩特 (150100) its scoped target → complete; 包头 (150200) a measure but not its scoped target → incomplete;
    东胜区 (150602, a county of 鄂尔多斯) → a sub-entry, 鄂尔多斯 itself still missing; 自治区能源局 a measure →
    complete; 自治区住建厅 (not expected) a measure → listed, not counted."""
    svc.open_period(session, period="2025Q3", due_date=date(2025, 10, 10), actor="office",
                    departments=["自治区能源局"], today=BEFORE_DUE)
    measure = {"period": "2025Q3", "measure_id": "a01.m2", "measure_status": "in_progress",
               "as_of": date(2025, 9, 30), "actor": "office", "actor_units": {svc.ALL_UNITS}}
    svc.submit_entry(session, period="2025Q3", unit="150100", target_id="im2022.a05.m1.t2", value=33.0,
                     value_unit="%", as_of=date(2025, 9, 30), actor="hohhot", actor_units={"150100"})
    for unit in ("150200", "150602", "自治区能源局", "自治区住建厅"):
        svc.submit_entry(session, unit=unit, **measure)  # type: ignore[arg-type]


def test_reported_plus_missing_is_expected(session: Session) -> None:
    _round(session)
    s = svc.period_summary(session, "2025Q3", today=BEFORE_DUE)
    assert (s.expected_units, s.reported_units, s.missing_units) == (13, 2, 11)
    assert s.entries == 5  # every current entry, the uncounted ones included
    assert (s.overdue_units, s.overdue) == (0, False)
    progress = {u.unit: u for u in svc.unit_progress(session, "2025Q3", today=BEFORE_DUE)}
    assert progress["150100"].reported
    assert progress["自治区能源局"].reported
    assert not progress["150200"].reported
    assert progress["150200"].missing == ["装配式建筑占当年新建建筑面积比例 (im2022.a05.m1.t2, 2025年目标)"]
    assert (progress["150600"].reported, progress["150600"].sub_entries) == (False, 1)
    assert "150602" not in progress
    assert "自治区住建厅" not in progress
    # the same counts on the report
    report = svc.build_dispatch_report(session, "2025Q3")
    assert (report.expected_units, report.reported_units) == (13, 2)
    assert len(report.entries) == 5
    assert {e.entered_by for e in report.entries} == {"hohhot", "office"}  # no account: the name stays


def test_after_the_due_date_the_missing_units_are_overdue(session: Session) -> None:
    _round(session)
    s = svc.period_summary(session, "2025Q3", today=AFTER_DUE)
    assert (s.overdue_units, s.overdue) == (11, True)
    missing = svc.missing_reports(session, "2025Q3", today=AFTER_DUE)
    assert {m.overdue for m in missing} == {True}
    assert len({m.unit for m in missing}) == 11


@pytest.mark.parametrize(("due", "today", "words"), [
    (date(2025, 9, 29), BEFORE_DUE, "before period 2025Q3 ends (2025-09-30)"),
    (date(2025, 10, 10), date(2025, 10, 20), "in the past (today is 2025-10-20)"),
])
def test_a_due_date_before_the_period_ends_or_in_the_past_is_refused(session: Session, due: date, today: date,
                                                                      words: str) -> None:
    before = _count(session, AuditRow)
    with pytest.raises(InputError, match=re.escape(words)) as exc:
        svc.open_period(session, period="2025Q3", due_date=due, actor="office", today=today)
    assert exc.value.location is not None
    assert exc.value.location.field == "due_date"
    session.rollback()
    assert svc.list_periods(session) == []
    assert _count(session, AuditRow) == before


def test_the_period_end_of_a_year_a_quarter_and_a_month() -> None:
    assert svc.period_end("2025") == date(2025, 12, 31)
    assert svc.period_end("2025Q1") == date(2025, 3, 31)
    assert svc.period_end("2024-02") == date(2024, 2, 29)


def test_a_target_scoped_to_other_leagues_is_refused_and_not_offered(session: Session) -> None:
    svc.open_period(session, period="2025Q3", due_date=date(2025, 10, 10), actor="office", today=BEFORE_DUE)
    with pytest.raises(InputError, match="呼和浩特市、包头市"):
        svc.submit_entry(session, period="2025Q3", unit="150600", target_id="im2022.a05.m1.t2", value=30.0,
                         value_unit="%", as_of=date(2025, 9, 30), actor="ordos", actor_units={"150600"})
    session.rollback()
    offered = {k for k, _, _ in svc.item_options(session, "150600")}
    assert "target:im2022.a05.m1.t2" not in offered
    assert "target:im2022.main.t2" in offered
    assert "target:im2022.a05.m1.t2" in {k for k, _, _ in svc.item_options(session, "150102")}  # a Hohhot county


def test_a_reminder_is_a_notice_for_the_unit_until_it_reports(session: Session) -> None:
    _round(session)
    sent = svc.remind(session, period="2025Q3", unit="150600", actor="office", actor_role="office",
                      today=BEFORE_DUE)
    assert sent.message == "请鄂尔多斯市于 2025-10-10 前完成 2025Q3 调度报送。"
    league = Principal(user_id="ordos", role=Role.LEAGUE, region_code="150600")
    county = Principal(user_id="dongsheng", role=Role.COUNTY, region_code="150602")
    other = Principal(user_id="wuhai", role=Role.LEAGUE, region_code="150300")
    assert [n.id for n in svc.notices_for(session, league)] == [sent.id]
    assert [n.id for n in svc.notices_for(session, county)] == [sent.id]
    assert svc.notices_for(session, other) == []
    audit = session.scalars(select(AuditRow).where(AuditRow.entity == "dispatch_reminder")).all()
    assert [(a.actor, a.action, a.entity_id) for a in audit] == [("office", "remind", "2025Q3/150600")]
    with pytest.raises(ConflictError, match="already reported"):
        svc.remind(session, period="2025Q3", unit="150100", actor="office")
    session.rollback()
    svc.submit_entry(session, period="2025Q3", unit="150600", measure_id="a01.m2", measure_status="done",
                     as_of=date(2025, 9, 30), actor="ordos", actor_units={"150600"})
    assert svc.notices_for(session, league) == []  # reported: the notice goes away


@pytest.mark.parametrize(("name", "content", "words"), [
    ("evidence.exe", b"MZ", ".exe is not an accepted evidence type"),
    ("evidence.pdf", b"", "evidence.pdf is empty"),
    ("evidence.pdf", b"<html>", "is not a PDF file"),
    ("table.csv", b"a,b\x00", "NUL"),
    ("table.csv", "统计".encode("gbk"), "not UTF-8"),
    ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "at most 10,485,760"),
])
def test_an_unaccepted_file_is_refused_with_its_name(name: str, content: bytes, words: str) -> None:
    with pytest.raises(InputError, match=words) as exc:
        svc.check_attachment(name, content)
    assert exc.value.location is not None
    assert exc.value.location.field == "attachment"


def test_evidence_is_stored_listed_and_read_back_or_nothing_is_stored(session: Session, settings: Settings) -> None:
    svc.open_period(session, period="2025Q3", due_date=date(2025, 10, 10), actor="office", today=BEFORE_DUE)
    kw = {"period": "2025Q3", "unit": "150600", "measure_id": "a01.m2", "measure_status": "done",
          "as_of": date(2025, 9, 30), "actor": "ordos", "actor_units": {"150600"}}
    before = (_count(session, DispatchEntryRow), _count(session, DispatchAttachmentRow), _count(session, AuditRow))
    with pytest.raises(InputError, match=r"bad\.exe"):
        svc.submit_with_attachments(session, data_dir=settings.data_dir, files=[
            svc.AttachmentFile("ok.pdf", PDF), svc.AttachmentFile("bad.exe", b"MZ")], **kw)  # type: ignore[arg-type]
    session.rollback()
    assert (_count(session, DispatchEntryRow), _count(session, DispatchAttachmentRow),
            _count(session, AuditRow)) == before
    entry = svc.submit_with_attachments(session, data_dir=settings.data_dir,
                                        files=[svc.AttachmentFile("储能项目清单.pdf", PDF)], **kw)  # type: ignore[arg-type]
    listed = svc.current_entries(session, "2025Q3")[0]
    assert [a.filename for a in listed.attachments] == ["储能项目清单.pdf"]
    meta, period, unit, content = svc.read_attachment(session, data_dir=settings.data_dir,
                                                       attachment_id=listed.attachments[0].id)
    assert (meta.entry_id, period, unit, content, meta.size) == (entry.id, "2025Q3", "150600", PDF, len(PDF))
    actions = [a.action for a in session.scalars(select(AuditRow).order_by(AuditRow.id)).all()][-2:]
    assert actions == ["insert", "attach"]


def test_the_overview_the_region_page_and_the_report_count_the_same_leagues(session: Session) -> None:
    svc.load_sample(session, actor="test")
    ov = svc.overview(session, year=2025)
    region = svc.region_overview(session, region="150000", year=2025)
    report = svc.build_dispatch_report(session, "2025")
    # the sample's design: 乌海市 and 阿拉善盟 rise (一级); the 12 leagues are all counted, the region is not
    assert ov.counts[1] == 2
    assert sum(ov.counts.values()) == 12
    assert region.counts is not None
    assert region.counts.by_indicator == ov.warning_counts.by_indicator
    assert report.counts[0].levels == ov.counts
    assert report.counts[0].counted == "盟市数"
    assert [c.indicator for c in report.counts] == list(svc.WARNING_DIMENSIONS.values())
