"""The root command: help, version, and errors printed as TypeName: message with exit status 1."""

from __future__ import annotations

from typer.testing import CliRunner

from tanfeng import __version__
from tanfeng.cli.main import app


def test_version() -> None:
    result = CliRunner().invoke(app, ["version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == __version__


def test_help_lists_command_groups() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for group in ("plan", "energy", "account", "track"):
        assert group in result.stdout
