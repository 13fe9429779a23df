"""``tanfeng user``: Accounts and API tokens: create the first administrator, add users, issue and revoke tokens.

Passwords are asked twice at the prompt (never on the command line) or read from standard input with
``--password-stdin`` for scripts; every new password goes through the password policy. There is no
default password. Every change is in the audit trail, made by ``cli:<operating-system user>``.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

import typer

from tanfeng.cli.hints import hint_on
from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit, to_json
from tanfeng.cli.session import store_session
from tanfeng.errors import InputError, NotFoundError
from tanfeng.services import accounts as service

__all__ = ["TOKEN_COLUMNS", "USER_COLUMNS", "app", "token_app"]

app = typer.Typer(help="Accounts and API tokens: create the first administrator, add users, issue and revoke tokens.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens: issue (shown once) and revoke.", no_args_is_help=True)
app.add_typer(token_app, name="token")

USER_COLUMNS = ["username", "display_name", "role", "region_code", "department_code", "unit_id", "active",
                "has_password"]
TOKEN_COLUMNS = ["prefix", "username", "role", "unit_id", "scopes", "label", "expires_at", "revoked_at"]

_USERNAME: Any = typer.Option(..., "--username", "-u", help="The account's user name (no spaces).")
_NAME: Any = typer.Option(None, "--name", help="Display name, e.g. 张三 (default: the user name).")
_STDIN: Any = typer.Option(False, "--password-stdin", help="Read the password from the first line of standard input.")
_FORCE: Any = typer.Option(False, "--force", help="Create another administrator even if one exists.")
_ROLE: Any = typer.Option(..., "--role", "-r", help="region_admin, office, department, league, county, enterprise, "
                                                    "auditor or machine (meter gateway).")
_REGION: Any = typer.Option(None, "--region", help="League or county code (league and county officers), e.g. 150600.")
_DEPARTMENT: Any = typer.Option(None, "--department", help="Department name as the plan writes it, e.g. 自治区能源局.")
_UNIT: Any = typer.Option(None, "--unit", help="Enterprise unit id (enterprise reporters, meter gateways).")
_SCOPE: Any = typer.Option(..., "--scope", "-s", help="Action the token allows (repeatable), e.g. ingest.")
_TTL: Any = typer.Option(90, "--ttl-days", min=1, help="Days until the token expires.")
_LABEL: Any = typer.Option("", "--label", help="A note, e.g. the gateway's name.")


def _operator() -> service.Actor:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        who = "unknown"
    return service.Actor(name=f"cli:{who}", role="system")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            msg = "--password-stdin: standard input is empty"
            raise InputError(msg)
        return line.rstrip("\r\n")
    first = typer.prompt("Password", hide_input=True)
    second = typer.prompt("Repeat the password", hide_input=True)
    if first != second:
        msg = "the two passwords differ; nothing was created"
        raise InputError(msg)
    return str(first)


@app.command("create-admin")
def create_admin(username: str = _USERNAME, name: str | None = _NAME, password_stdin: bool = _STDIN,
                 force: bool = _FORCE) -> None:
    """Create the first region administrator (refused when one exists, unless --force)."""
    password = _password(password_stdin)
    with store_session() as session:
        user = service.create_admin(session, username=username, password=password, display_name=name,
                                    force=force, actor=_operator())
    typer.echo(f"created administrator {user.username} (role region_admin)")


@app.command("add")
def add(username: str = _USERNAME, role: str = _ROLE, name: str | None = _NAME, region: str | None = _REGION,
        department: str | None = _DEPARTMENT, unit: str | None = _UNIT, password_stdin: bool = _STDIN) -> None:
    """Add an account; people get a password (prompted), meter gateways (role machine) get tokens only."""
    password = None if role == "machine" else _password(password_stdin)
    with store_session() as session:
        user = service.add_user(session, username=username, role=role, password=password, display_name=name,
                                region_code=region, department_code=department, unit_id=unit, actor=_operator())
    typer.echo(f"created {user.username} (role {user.role.value})")


@app.command("list")
def list_cmd(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """List the accounts (never their password hashes)."""
    with store_session() as session:
        users = service.list_users(session)
    emit([u.model_dump(mode="json") for u in users], fmt, columns=None if fmt is OutputFormat.json else USER_COLUMNS,
         title="accounts")


@token_app.command("issue")
def token_issue(username: str = _USERNAME, scope: list[str] = _SCOPE, unit: str | None = _UNIT,
                ttl_days: int = _TTL, label: str = _LABEL, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Issue an API token and print it once (it is not stored and cannot be shown again)."""
    with store_session() as session, hint_on(NotFoundError, "list the accounts with `tanfeng user list`"):
        issued = service.issue_api_token(session, username=username, scopes=scope, unit_id=unit,
                                         ttl_days=ttl_days, label=label, actor=_operator())
    rec = issued.record
    if fmt is OutputFormat.json:
        typer.echo(to_json({"token": issued.token, "prefix": rec.prefix, "role": rec.role.value,
                            "unit_id": rec.unit_id, "scopes": sorted(a.value for a in rec.scopes),
                            "expires_at": rec.expires_at.isoformat()}))
        return
    typer.echo(issued.token)
    typer.echo(f"prefix {rec.prefix}, role {rec.role.value}, scopes {','.join(sorted(a.value for a in rec.scopes))}, "
               f"expires {rec.expires_at.isoformat()} — store the token now: it is not shown again", err=True)


@token_app.command("revoke")
def token_revoke(prefix: str = typer.Argument(..., help="The token's prefix (first 12 characters).")) -> None:
    """Revoke an API token by its prefix."""
    with store_session() as session:
        info = service.revoke_api_token(session, prefix=prefix, actor=_operator())
    typer.echo(f"revoked {info.prefix} ({info.username}) at {info.revoked_at.isoformat() if info.revoked_at else ''}")


@token_app.command("list")
def token_list(username: str | None = typer.Option(None, "--username", "-u", help="Only this account's tokens."),
               fmt: OutputFormat = FORMAT_OPTION) -> None:
    """List API tokens (prefixes only, never the tokens)."""
    with store_session() as session:
        tokens = service.list_tokens(session, username=username)
    emit([t.model_dump(mode="json") for t in tokens], fmt,
         columns=None if fmt is OutputFormat.json else TOKEN_COLUMNS, title="API tokens")
