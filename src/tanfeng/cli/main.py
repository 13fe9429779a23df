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
    workers: int = typer.Option(None, "--workers", min=1,
                                help="Server processes (default: TANFENG_WORKERS or 1); the database connections "
                                     "(TANFENG_DB_CONNECTIONS) are shared out between them."),
    access_log: bool = typer.Option(False, "--access-log/--no-access-log",
                                    help="Log every request (off by default: it costs time on every request)."),
) -> None:
    """Serve the dashboard and the API (OpenAPI docs at /docs)."""
    import os

    import uvicorn

    from tanfeng.config import get_settings, pool_size
    from tanfeng.web.app import create_app

    settings = get_settings()
    listen_host, listen_port = host or settings.host, port or settings.port
    n = workers or settings.workers
    settings = settings.model_copy(update={"workers": n})
    typer.echo(f"tanfeng: serving http://{listen_host}:{listen_port}/ (API docs at /docs) with {n} worker"
               f"{'s' if n > 1 else ''}, {pool_size(settings)} database connections each")
    if n == 1:
        uvicorn.run(create_app(settings), host=listen_host, port=listen_port, log_level="info", access_log=access_log)
        return
    os.environ["TANFENG_WORKERS"] = str(n)  # each worker process builds its app from the environment
    uvicorn.run("tanfeng.web.app:create_app", factory=True, host=listen_host, port=listen_port, workers=n,
                log_level="info", access_log=access_log)


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    """Entry point of the console script."""
    app()
