"""The hostile-file corpus (``hostile_corpus.py``, over 60 files generated at test time): each file gets a named
error (type, file, row or line, field) or a correct import, read by the importer it is meant for; and sent to
the services on SQLite and on PostgreSQL, no refusal changes the counts of runs, reports and their versions,
ledger rows, projects, stored files or audit entries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile_corpus import ANY, STORE_KINDS, UNIT, Case, Imported, Refused, corpus
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tanfeng.accounting.importers import read_balance, read_report_205_1, read_report_json
from tanfeng.config import Settings
from tanfeng.enterprises.registry import KeyUnit
from tanfeng.enterprises.workbook import parse_template
from tanfeng.errors import TanfengError
from tanfeng.monitoring.ingest import parse_batch
from tanfeng.plan.textio import read_text_file
from tanfeng.projects.workbook import read_workbook
from tanfeng.services import accounting, key_units, metering, projects
from tanfeng.services.tracking import read_barometer_csv
from tanfeng.store import make_engine, make_session_factory, upgrade
from tanfeng.store.models import AuditRow
from tanfeng.store.models_accounting import AccountingRunRow
from tanfeng.store.models_enterprises import AnnualReportRow, ReadingBatchRow, ReportVersionRow
from tanfeng.store.models_projects import ProjectRow

CASES = corpus()


def test_the_corpus_is_large_and_covers_every_kind_of_hostile_file() -> None:
    names = [c.name for c in CASES]
    assert len(names) >= 60
    assert len(set(names)) == len(names)
    for word in ("dimension", "formula", "empty", "header_only", "huge", "zip_bomb", "nan", "inf", "1e308", "gbk",
                 "utf16", "nul", "nested", "truncated", "wrong_sheet", "merged"):
        assert any(word in n for n in names), word


def _domain(case: Case, data: bytes, folder: Path) -> Any:
    """The importer the file is meant for, without a database."""
    path = Path(case.name)  # relative: the errors name the file as given
    (folder / path).write_bytes(data)
    readers: dict[str, Callable[[], Any]] = {
        "report": lambda: parse_template(data, filename=case.name, code=UNIT),
        "balance": lambda: read_balance(path, region="150000", year=2022),
        "f2051": lambda: read_report_205_1(path, enterprise="示例企业", year=2023),
        "report_json": lambda: read_report_json(path),
        "meter_csv": lambda: parse_batch(data, "csv", source=case.name),
        "meter_json": lambda: parse_batch(data, "json", source=case.name),
        "projects": lambda: read_workbook(data, filename=case.name),
        "barometer": lambda: read_barometer_csv(path),
        "plan": lambda: read_text_file(path),
    }
    return readers[case.kind]()


def _assert_refused(err: TanfengError, expect: Refused) -> None:
    loc = err.location
    assert loc is not None, err
    assert type(err).__name__ == expect.error, err
    assert loc.file == expect.file, err
    for got, want in ((loc.row, expect.row), (loc.field, expect.field), (loc.line, expect.line)):
        if want is not ANY:
            assert got == want, err
    assert expect.match in err.message, err


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_file_gets_a_named_error_or_a_correct_import(case: Case, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    data = case.build()
    if isinstance(case.expect, Refused):
        with pytest.raises(TanfengError) as info:
            _domain(case, data, tmp_path)
        _assert_refused(info.value, case.expect)
    else:
        result = _domain(case, data, tmp_path)
        if case.expect.check is not None:
            case.expect.check(result)


# -- through the services, on both stores ------------------------------------------------------------------

_COUNTED = {"runs": AccountingRunRow, "reports": AnnualReportRow, "report versions": ReportVersionRow,
            "ledger rows": ReadingBatchRow, "projects": ProjectRow, "audit entries": AuditRow}


def _counts(session: Session, data_dir: Path) -> dict[str, int]:
    out = {name: session.scalar(select(func.count()).select_from(table)) or 0 for name, table in _COUNTED.items()}
    out["stored files"] = sum(1 for p in data_dir.rglob("*") if p.is_file()) if data_dir.exists() else 0
    return out


@pytest.fixture
def store(engine_url: str, tmp_path: Path) -> Iterator[tuple[Session, Settings]]:
    upgrade(engine_url)
    settings = Settings(database_url=engine_url, data_dir=tmp_path / "data")
    engine = make_engine(engine_url)
    with make_session_factory(engine)() as session:
        key_units.upsert_unit(session, KeyUnit(code=UNIT, name="示例水泥 (示例数据)", league="150600", county="150602",
                                               industry="C3011", level="autonomous_region"), actor="setup")
        yield session, settings
    engine.dispose()


def _send(case: Case, data: bytes, session: Session, settings: Settings) -> object:
    actor = "hostile-test"
    if case.kind == "report":
        return key_units.upload_report(session, UNIT, data, filename=case.name, actor=actor)
    if case.kind == "balance":
        return accounting.run_inventory_upload(session, data, case.name, region="150000", year=2022,
                                               options=accounting.InventoryOptions(), actor=actor)
    if case.kind in ("f2051", "report_json"):
        return accounting.run_enterprise_upload(session, data, case.name, actor=actor, enterprise="示例企业",
                                                year=2023)
    if case.kind in ("meter_csv", "meter_json"):
        fmt = "csv" if case.kind == "meter_csv" else "json"
        return metering.ingest(session, settings, data, fmt, source=case.name, actor=actor)
    return projects.import_workbook(session, data, filename=case.name, actor=actor)


def test_refusals_leave_the_store_unchanged(store: tuple[Session, Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    session, settings = store
    problems: list[str] = []
    for case in (c for c in CASES if c.kind in STORE_KINDS):
        with monkeypatch.context() as env:
            for key, value in case.env.items():
                env.setenv(key, value)
            data = case.build()
            before = _counts(session, settings.data_dir)
            try:
                _send(case, data, session, settings)
            except TanfengError as err:
                session.rollback()
                after = _counts(session, settings.data_dir)
                if isinstance(case.expect, Imported):
                    problems.append(f"{case.name}: refused ({err}) but should import")
                elif after != before:
                    problems.append(f"{case.name}: refused but the counts changed: {before} → {after}")
                else:
                    try:
                        _assert_refused(err, case.expect)
                    except AssertionError as exc:
                        problems.append(f"{case.name}: {exc}")
                continue
            after = _counts(session, settings.data_dir)
            if isinstance(case.expect, Refused):
                problems.append(f"{case.name}: imported but should be refused")
            elif after["audit entries"] <= before["audit entries"]:
                problems.append(f"{case.name}: imported without an audit entry: {before} → {after}")
    assert problems == []
