"""``tanfeng energy``: Energy conversions to standard coal (GB/T 2589)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Energy conversions to standard coal (GB/T 2589).", no_args_is_help=True)
