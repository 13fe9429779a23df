"""Scenario versions: stored, superseded, audited; a bad file leaves the store as it was."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tanfeng.errors import InputError
from tanfeng.services import scenarios as service
from tanfeng.store import repository_scenarios
from tanfeng.store.models import AuditRow
from tanfeng.store.models_scenarios import ScenarioVersionRow


def _audits(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditRow)) or 0)


def test_builtin_then_new_version_is_audited(session: Session) -> None:
    saved = service.load_builtin(session, actor="test")
    assert [s["name"] for s in saved] == ["bau", "plan", "enhanced"]
    assert all(s["version"] == 1 for s in saved)
    assert all(not s["changed"] for s in service.load_builtin(session, actor="test"))
    audits = _audits(session)
    text = repository_scenarios.current_scenario(session, name="plan").text  # type: ignore[union-attr]
    changed = service.save_scenario(session, text.replace("path: {2025: 3, 2030: 10}", "path: {2025: 4, 2030: 12}"),
                                    file="plan.yaml", actor="someone")
    assert changed == {"name": "plan", "version": 2, "changed": True}
    history = repository_scenarios.scenario_history(session, name="plan")
    assert [h.version for h in history] == [1, 2]
    assert history[0].superseded_at is not None
    assert history[1].superseded_at is None
    assert _audits(session) == audits + 1
    shown = service.show_scenario(session, "enhanced")  # the child now inherits version 2
    assert shown["chain"] == ["bau", "plan", "enhanced"]


def test_a_bad_file_writes_nothing(session: Session) -> None:
    service.load_builtin(session, actor="test")
    rows = session.scalar(select(func.count()).select_from(ScenarioVersionRow))
    audits = _audits(session)
    bad = "name: plan\ntitle_zh: x\ntitle_en: x\nparent: bau\ndescription: x\nlevers:\n  - id: Bad Id\n"
    with pytest.raises(InputError) as exc:
        service.save_scenario(session, bad, file="bad.yaml", actor="test")
    assert exc.value.location is not None
    assert exc.value.location.line == 7
    assert session.scalar(select(func.count()).select_from(ScenarioVersionRow)) == rows
    assert _audits(session) == audits


def test_a_parent_that_would_break_a_child_is_refused(session: Session) -> None:
    service.load_builtin(session, actor="test")
    loop = "name: bau\ntitle_zh: x\ntitle_en: x\nparent: enhanced\ndescription: x\n"
    with pytest.raises(InputError, match="loops"):
        service.save_scenario(session, loop, file="loop.yaml", actor="test")
