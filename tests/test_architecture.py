"""The architecture contract: domain packages import nothing from store, web, cli or analytics.

The contract lives in pyproject.toml (import-linter) and also runs in the test command; here it runs
once more under pytest, next to a control showing that the same machinery reports a broken contract.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def _run(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--no-cache", str(config)], cwd=ROOT, capture_output=True, text=True,
                          check=False)


def test_domain_packages_are_pure() -> None:
    result = _run(ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout
    contract = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    sources = set(contract["contracts"][0]["source_modules"])
    assert {"tanfeng.plan", "tanfeng.accounting", "tanfeng.tracking", "tanfeng.reference"} <= sources
    assert {"tanfeng.store", "tanfeng.web", "tanfeng.cli"} <= set(contract["contracts"][0]["forbidden_modules"])


def test_a_forbidden_import_is_reported(tmp_path: Path) -> None:
    # control: the web layer does import the plan package, so forbidding it must break the contract
    config = tmp_path / "contract.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "tanfeng"\n\n'
        '[[tool.importlinter.contracts]]\nname = "control"\ntype = "forbidden"\n'
        'source_modules = ["tanfeng.web"]\nforbidden_modules = ["tanfeng.plan"]\n',
        encoding="utf-8",
    )
    result = _run(config)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
