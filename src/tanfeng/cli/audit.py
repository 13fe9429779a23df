"""``tanfeng audit``: The tamper-evident audit trail: verify the hash chain, list entries, print the anchor.

``tanfeng audit verify`` exits 1 and names the first bad entry when the chain is broken; pass anchors
published earlier (``--anchor SEQ:HASH``, repeatable) to also catch a rewritten or truncated log. It
re-hashes the entries added since the last verification (checkpoints kept in the store) and checks the older
ones by their numbers and checkpoints; ``--full`` re-hashes every entry from the first (run it on a schedule:
only it sees a field changed before the last checkpoint with the entry's hash left as it was).
"""

from __future__ import annotations

from typing import Any

import typer

from tanfeng.audit import Anchor
from tanfeng.cli.hints import hint_on
from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit, to_json
from tanfeng.cli.session import store_session
from tanfeng.errors import AuditChainError
from tanfeng.services import audit as service

__all__ = ["LOG_COLUMNS", "app"]

app = typer.Typer(help="The tamper-evident audit trail: verify the hash chain, list entries.", no_args_is_help=True)

LOG_COLUMNS = ["seq", "ts", "actor", "actor_role", "client_address", "action", "entity", "entity_id"]

_ANCHOR_OPTION: Any = typer.Option(None, "--anchor", "-a",
                                   help="A published anchor SEQ:HASH the log must still reach and match "
                                        "(repeatable).")
_FROM_OPTION: Any = typer.Option(None, "--from", help="Verify only the entries after this anchor SEQ:HASH.")
_FULL_OPTION: Any = typer.Option(False, "--full", help="Re-hash every entry from the first, not only those added "
                                                      "since the last verification.")
_ENTITY_OPTION: Any = typer.Option(None, "--entity", "-e", help="Only entries about this entity (plan, user …).")
_ID_OPTION: Any = typer.Option(None, "--id", help="Only entries about this entity id.")
_LIMIT_OPTION: Any = typer.Option(None, "--limit", "-n", min=1, help="Only the newest N entries.")


@app.command("verify")
def verify_cmd(anchor: list[str] | None = _ANCHOR_OPTION, start: str | None = _FROM_OPTION,
               full: bool = _FULL_OPTION, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Check the hash chain (from the last checkpoint; --full: every entry); exit status 1 and the first bad
    entry when it is broken."""
    anchors = [Anchor.parse(a) for a in anchor or []]
    start_anchor = Anchor.parse(start) if start else None
    with store_session() as session:
        if full or start_anchor is not None:
            result = service.verify_chain(session, anchors, start=start_anchor)
        else:
            result = service.verify_incremental(session, anchors)
    if fmt is OutputFormat.json:
        typer.echo(to_json(result.model_dump(mode="json")))
    elif result.ok:
        typer.echo(f"ok: {result.message}")
        if result.last is not None:
            typer.echo(f"anchor to publish: {result.last}")
    else:
        typer.echo(f"BROKEN: {result.kind} at seq {result.first_bad_seq}: {result.message}", err=True)
    if not result.ok:
        raise typer.Exit(1)


@app.command("log")
def log_cmd(entity: str | None = _ENTITY_OPTION, entity_id: str | None = _ID_OPTION,
            limit: int | None = _LIMIT_OPTION, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """List audit entries, oldest first (JSON also has before, after and the hashes)."""
    with store_session() as session:
        rows = service.entries(session, entity=entity, entity_id=entity_id, limit=limit)
    emit([r.model_dump(mode="json") for r in rows], fmt, columns=None if fmt is OutputFormat.json else LOG_COLUMNS,
         title="audit log")


@app.command("anchor")
def anchor_cmd(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Verify the chain and print its current anchor (SEQ:HASH) to publish outside the database."""
    with store_session() as session, hint_on(AuditChainError, "run `tanfeng audit verify` and investigate "
                                                               "before publishing"):
        current = service.current_anchor(session)
    if fmt is OutputFormat.json:
        typer.echo(to_json(None if current is None else {"seq": current.seq, "hash": current.hash,
                                                         "anchor": str(current)}))
    else:
        typer.echo(str(current) if current is not None else "the audit log is empty: no anchor yet")
