"""``tanfeng account``: Carbon accounting: combustion, electricity, regional inventory, enterprise reports."""

from __future__ import annotations

import typer

app = typer.Typer(help="Carbon accounting: combustion, electricity, regional inventory, enterprise reports.", no_args_is_help=True)
