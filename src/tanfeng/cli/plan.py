"""``tanfeng plan``: The plan as data: show it, list its targets, draft one from a text (规划/方案)."""

from __future__ import annotations

import typer

app = typer.Typer(help="The plan as data: show it, list its targets, draft one from a text (规划/方案).", no_args_is_help=True)
