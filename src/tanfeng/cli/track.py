"""``tanfeng track``: Dual control, target tracking, early warning and decoupling (双控 · 预警)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Dual control, target tracking, early warning and decoupling (双控 · 预警).", no_args_is_help=True)
