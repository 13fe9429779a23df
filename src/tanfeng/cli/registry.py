"""``tanfeng registry``: accounts, issuance, transfers, surrender (清缴), reversal, statements, verification.

Every command that moves units takes ``--key``, the request's idempotency key: sending the same command
again with the same key prints the transaction it made (``replayed``) and moves nothing.
``tanfeng registry verify`` exits 1 when the ledger does not verify.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer

from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit, to_json
from tanfeng.cli.session import store_session
from tanfeng.errors import InputError, at
from tanfeng.services import registry as service

__all__ = ["ACCOUNT_COLUMNS", "COMPLIANCE_COLUMNS", "STATEMENT_COLUMNS", "TX_COLUMNS", "app"]

app = typer.Typer(help="The registry of energy-use rights, carbon allowances and credits.", no_args_is_help=True)

_ACTOR: Any = typer.Option("cli", "--actor", help="Who the ledger and the audit log name.")
_KEY: Any = typer.Option(..., "--key", "-k", help="Idempotency key of the request (reuse it to retry safely).")
_MEMO: Any = typer.Option(None, "--memo", help="A note kept with the transaction.")
_LEASE_UNTIL: Any = typer.Option(None, "--lease-until", formats=["%Y-%m-%d"], help="A lease's end (YYYY-MM-DD).")
_LINES: Any = typer.Option(..., "--line", help="INSTRUMENT:VINTAGE:AMOUNT (repeatable); offsets (CCER) come from "
                           "the owner's CCER account.")
_ON: Any = typer.Option(None, "--on", formats=["%Y-%m-%d"], help="Surrender date (default today).")
_OUT: Any = typer.Option(None, "--out", help="Write an Excel statement (.xlsx) here.")

ACCOUNT_COLUMNS = ["account", "owner", "instrument", "balance"]
TX_COLUMNS = ["seq", "tx_id", "kind", "idempotency_key", "replayed", "hash"]
STATEMENT_COLUMNS = ["seq", "at", "kind", "serial", "amount", "balance", "memo"]
COMPLIANCE_COLUMNS = ["account", "owner", "instrument", "deadline", "obligation", "surrendered", "offsets",
                      "shortfall", "status"]


def _tx(tx: service.TransactionOut, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        typer.echo(to_json(tx.model_dump(mode="json")))
        return
    emit([tx.model_dump(mode="json")], fmt, columns=TX_COLUMNS, title=f"{tx.kind} {tx.tx_id}")
    emit([e.model_dump(mode="json") for e in tx.entries], fmt, columns=["account", "serial", "amount"])


@app.command("accounts")
def accounts_cmd(instrument: str | None = typer.Option(None, "--instrument", "-i", help="CEA, CCER or EUR."),
                 owner: str | None = typer.Option(None, "--owner", help="Only this owner's accounts."),
                 fmt: OutputFormat = FORMAT_OPTION) -> None:
    """List accounts with their balances (sums of their entries)."""
    with store_session() as session:
        rows = service.list_accounts(session, instrument_code=instrument, owner=owner)
    emit([r.model_dump() for r in rows], fmt, columns=ACCOUNT_COLUMNS, title="registry accounts")


@app.command("open")
def open_cmd(instrument: str = typer.Argument(..., help="CEA, CCER or EUR."),
             owner: str = typer.Argument(..., help="Region or league code, or the enterprise unit's code."),
             name: str = typer.Option(..., "--name", help="The account's name."),
             kind: str = typer.Option("enterprise", "--kind", help="region, league or enterprise."),
             region: str | None = typer.Option(None, "--region", help="The league an enterprise belongs to."),
             actor: str = _ACTOR, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Open an owner's account for an instrument."""
    req = _model(service.OpenAccountRequest, instrument=instrument, owner=owner, name=name, kind=kind, region=region)
    with store_session() as session:
        out = service.open_account(session, req, actor=service.Actor(name=actor))
    emit(out.model_dump(), fmt, columns=ACCOUNT_COLUMNS)


def _model(cls: Any, **values: Any) -> Any:
    from pydantic import ValidationError

    try:
        return cls(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        msg = f"{field}: {first['msg']}"
        raise InputError(msg, location=at(field=field)) from None


@app.command("issue")
def issue_cmd(account: str = typer.Argument(..., help="The receiving account."),
              amount: int = typer.Argument(..., help="Whole units (tCO2e or tce)."),
              vintage: int = typer.Option(..., "--vintage", help="The vintage year of the units."),
              basis: str = typer.Option("allocation", "--basis", help="allocation, confirmation (确权), "
                                        "pre_allocation, settlement or credit."),
              key: str = _KEY, memo: str | None = _MEMO, actor: str = _ACTOR,
              fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Issue new units (核发 / 确权 / allocation) into an account: the next serial block."""
    req = _model(service.IssueRequest, idempotency_key=key, account=account, vintage=vintage, amount=amount,
                 basis=basis, memo=memo)
    with store_session() as session:
        tx = service.issue(session, req, actor=service.Actor(name=actor))
    _tx(tx, fmt)


@app.command("allocate")
def allocate_cmd(account: str = typer.Argument(..., help="The power unit's allowance account."),
                 year: int = typer.Option(..., "--year"), unit_class: str = typer.Option(..., "--class",
                                                                                        help="I, II, III or IV."),
                 power_mwh: float = typer.Option(..., "--power-mwh"), heat_gj: float = typer.Option(0.0, "--heat-gj"),
                 load_factor: float = typer.Option(..., "--load-factor"),
                 verified: float = typer.Option(..., "--verified", help="Verified emissions of the year (tCO2)."),
                 previous: float = typer.Option(..., "--previous-verified", help="The previous year's (tCO2)."),
                 stage: str = typer.Option(..., "--stage", help="pre_allocation or settlement."),
                 key: str = _KEY, actor: str = _ACTOR, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Allocate a power unit's allowances by benchmark: the 70 % pre-allocation, or the settlement (多退少补)."""
    req = _model(service.PowerAllocationRequest, idempotency_key=key, account=account, year=year,
                 unit_class=unit_class, power_mwh=power_mwh, heat_gj=heat_gj, load_factor=load_factor,
                 verified_tco2=verified, previous_verified_tco2=previous, stage=stage)
    with store_session() as session:
        out = service.allocate_power(session, req, actor=service.Actor(name=actor))
    if fmt is OutputFormat.json:
        typer.echo(to_json(out.model_dump(mode="json")))
        return
    emit(out.allocation.model_dump(), fmt)
    _tx(out.transaction, fmt)


@app.command("transfer")
def transfer_cmd(source: str = typer.Argument(...), target: str = typer.Argument(...),
                 amount: int = typer.Argument(..., help="Whole units."),
                 vintage: int | None = typer.Option(None, "--vintage", help="Only this vintage (default oldest first)."),
                 kind: str = typer.Option("transfer", "--kind", help="Energy-use rights: incremental, stock or lease."),
                 lease_until: datetime | None = _LEASE_UNTIL,
                 key: str = _KEY, memo: str | None = _MEMO, actor: str = _ACTOR,
                 fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Move units between two accounts of the same instrument."""
    req = _model(service.TransferRequest, idempotency_key=key, source=source, target=target, amount=amount,
                 vintage=vintage, transfer_kind=kind, lease_until=lease_until.date() if lease_until else None,
                 memo=memo)
    with store_session() as session:
        tx = service.transfer(session, req, actor=service.Actor(name=actor))
    _tx(tx, fmt)


def _line(text: str) -> dict[str, Any]:
    parts = text.split(":")
    if len(parts) != 3 or not parts[1].isdigit() or not parts[2].lstrip("-").isdigit():
        msg = f"a surrender line is INSTRUMENT:VINTAGE:AMOUNT (e.g. CEA:2023:1000), got {text!r}"
        raise InputError(msg, location=at(field="line"))
    return {"instrument": parts[0], "vintage": int(parts[1]), "amount": int(parts[2])}


@app.command("surrender")
def surrender_cmd(account: str = typer.Argument(...),
                  year: int = typer.Option(..., "--year", help="The compliance year."),
                  line: list[str] = _LINES, on: datetime | None = _ON,
                  obligation: int | None = typer.Option(None, "--obligation", help="Verified emissions or energy "
                                                        "use; energy-use rights default to the approved report."),
                  source: str | None = typer.Option(None, "--obligation-source"),
                  key: str = _KEY, actor: str = _ACTOR, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Surrender (清缴) units for a compliance year: deadline, vintage and the 5 % offset cap are checked."""
    req = _model(service.SurrenderRequest, idempotency_key=key, account=account, compliance_year=year,
                 on=on.date() if on else date.today(), obligation=obligation, obligation_source=source,
                 lines=[_line(x) for x in line])
    with store_session() as session:
        tx = service.surrender(session, req, actor=service.Actor(name=actor))
    _tx(tx, fmt)


@app.command("reverse")
def reverse_cmd(tx_id: str = typer.Argument(..., help="The transaction to reverse."),
                reason: str = typer.Option(..., "--reason"), key: str = _KEY, actor: str = _ACTOR,
                fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Reverse a transaction by a compensating one (the original stays)."""
    req = _model(service.ReverseRequest, idempotency_key=key, tx_id=tx_id, reason=reason)
    with store_session() as session:
        tx = service.reverse(session, req, actor=service.Actor(name=actor))
    _tx(tx, fmt)


@app.command("verify")
def verify_cmd(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Check the ledger: hash chain, balanced transactions, every serial in one account, supply; exit 1 if broken."""
    with store_session() as session:
        result, message = service.verify(session)
    if fmt is OutputFormat.json:
        typer.echo(to_json(result.model_dump(mode="json")))
    else:
        emit(result.model_dump(), fmt)
        typer.echo(("ok: " if result.ok else "BROKEN: ") + message, err=not result.ok)
    if not result.ok:
        raise typer.Exit(1)


@app.command("statement")
def statement_cmd(account: str = typer.Argument(...),
                  out: Path | None = _OUT,
                  fmt: OutputFormat = FORMAT_OPTION) -> None:
    """An account's entries with the running balance; ``--out FILE.xlsx`` writes the Excel statement."""
    with store_session() as session:
        if out is not None:
            if out.suffix.lower() != ".xlsx":
                msg = "the statement is written as .xlsx"
                raise InputError(msg, location=at(str(out)))
            out.write_bytes(service.statement_workbook(session, account))
            typer.echo(f"wrote {out}")
            return
        _, lines = service.statement(session, account)
    emit([ln.model_dump(mode="json") for ln in lines], fmt, columns=STATEMENT_COLUMNS, title=account)


@app.command("compliance")
def compliance_cmd(year: int = typer.Option(..., "--year", help="The compliance year."),
                   price: float | None = typer.Option(None, "--price", help="Average price (yuan per unit) "
                                                      "for the penalty range."),
                   fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Compliance status per enterprise account: obligation, surrendered, shortfall, deadline."""
    with store_session() as session:
        rows = service.compliance(session, compliance_year=year, today=date.today(), price_yuan=price)
    emit([r.model_dump(mode="json") for r in rows], fmt, columns=COMPLIANCE_COLUMNS, title=f"compliance {year}")
