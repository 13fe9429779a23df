"""The ``tanfeng`` command. Commands are thin: they call the same services the API uses."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from tanfeng import __version__
from tanfeng.cli import account, admin, audit, energy, monitor, plan, report, scenario, track, units, user
from tanfeng.cli import assess as assess_cli
from tanfeng.cli import power as power_cli
from tanfeng.cli import projects as projects_cli
from tanfeng.cli import registry as registry_cli
from tanfeng.cli import sinks as sinks_cli
from tanfeng.errors import TanfengError

__all__ = ["app", "main", "serve", "version"]


class _Root(TyperGroup):
    """Turns every :class:`TanfengError` into ``TypeName: message`` on stderr and exit status 1."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except TanfengError as exc:
            Console(stderr=True).print(f"[red]{type(exc).__name__}[/red]: {exc}", markup=True, highlight=False)
            raise typer.Exit(1) from exc


app = typer.Typer(
    cls=_Root,
    help="tanfeng (碳峰): runs a region's carbon-peak implementation plan.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(plan.app, name="plan")
app.add_typer(energy.app, name="energy")
app.add_typer(account.app, name="account")
app.add_typer(track.app, name="track")
app.add_typer(report.app, name="report")
app.add_typer(units.app, name="units")
app.add_typer(monitor.app, name="monitor")
app.add_typer(user.app, name="user")
app.add_typer(audit.app, name="audit")
app.add_typer(projects_cli.app, name="projects")
app.add_typer(assess_cli.app, name="assess")
app.add_typer(registry_cli.app, name="registry")
app.add_typer(sinks_cli.app, name="sinks")
app.add_typer(scenario.app, name="scenario")
app.add_typer(power_cli.app, name="power")
app.command("init")(admin.init)
app.command("regions")(admin.regions)


@app.command()
def serve(
    host: str = typer.Option(None, "--host", help="Address to listen on (default: TANFENG_HOST or 127.0.0.1)."),
    port: int = typer.Option(None, "--port", help="Port (default: TANFENG_PORT or 8000)."),
) -> None:
    """Serve the dashboard and the API (OpenAPI docs at /docs)."""
    import uvicorn

    from tanfeng.config import get_settings
    from tanfeng.web.app import create_app

    settings = get_settings()
    listen_host, listen_port = host or settings.host, port or settings.port
    typer.echo(f"tanfeng: serving http://{listen_host}:{listen_port}/ (API docs at /docs)")
    # forwarded headers only from TANFENG_FORWARDED_ALLOW_IPS (uvicorn trusts 127.0.0.1 by default); no banner
    uvicorn.run(create_app(settings), host=listen_host, port=listen_port, log_level="info", server_header=False,
                proxy_headers=bool(settings.forwarded_allow_ips), forwarded_allow_ips=settings.forwarded_allow_ips)


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    """Entry point of the console script."""
    app()
