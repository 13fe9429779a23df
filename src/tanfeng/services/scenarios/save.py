"""Store a scenario file as a new version (audited), and load the shipped files at ``init``."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.orm import Session

from tanfeng.scenarios import files
from tanfeng.services.scenarios.catalogue import entries
from tanfeng.store import repository_scenarios
from tanfeng.store.models import utcnow
from tanfeng.store.models_scenarios import ScenarioVersionRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic, supersede

__all__ = ["load_builtin", "save_scenario"]


def save_scenario(session: Session, text: str, *, file: str, actor: str, builtin: bool = False) -> dict[str, Any]:
    """Check a scenario file (schema, and its inheritance with every known scenario) and store it as the next
    version of its name. An unchanged file stores nothing. Nothing is written when any check fails.

    Returns
    -------
    dict
        ``{name, version, changed}``.
    """
    sc = files.parse_scenario(text, file=file)
    known = {k: e.file for k, e in entries(session).items()}
    labels = {k: e.label for k, e in entries(session).items()}
    known[sc.name] = sc
    labels[sc.name] = file
    for name in known:  # the new file must not break any scenario that inherits from it
        files.resolve(name, known, origin=labels)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    current = repository_scenarios.current_scenario(session, name=sc.name)
    if current is not None and current.sha256 == digest:
        return {"name": sc.name, "version": current.version, "changed": False}
    now = utcnow()
    with atomic(session, f"scenario '{sc.name}'"):
        before = {"version": current.version, "sha256": current.sha256} if current is not None else None
        version = supersede(current, now)
        session.add(ScenarioVersionRow(
            name=sc.name, version=version, parent=sc.parent, title_zh=sc.title_zh, title_en=sc.title_en,
            description=sc.description, text=text, sha256=digest, builtin=builtin, superseded_at=None,
            entered_by=actor, entered_at=now))
        session.flush()
        record_audit(session, actor=actor, action="save", entity="scenario", entity_id=sc.name, before=before,
                     after={"version": version, "sha256": digest, "parent": sc.parent, "file": file})
    return {"name": sc.name, "version": version, "changed": True}


def load_builtin(session: Session, *, actor: str) -> list[dict[str, Any]]:
    """Store the shipped scenario files (parents first); already stored unchanged files are left alone."""
    shipped = files.builtin_files()
    parsed = files.load_builtin()
    order: list[str] = []
    while len(order) < len(parsed):
        ready = [n for n, sc in sorted(parsed.items()) if n not in order and (sc.parent is None or sc.parent in order)]
        if not ready:  # a parent that is not shipped: resolve() names it
            files.resolve(next(n for n in parsed if n not in order), parsed)
        order.extend(ready)
    return [save_scenario(session, shipped[name][1], file=shipped[name][0], actor=actor, builtin=True)
            for name in order]
