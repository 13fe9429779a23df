"""The architecture contracts: domain packages are pure; layers run adapters → services → store → domain.

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


def _contract(name_start: str) -> dict[str, object]:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    return next(c for c in contracts["contracts"] if str(c["name"]).startswith(name_start))


def test_layers_run_from_adapters_down_to_errors() -> None:
    layers = [str(layer) for layer in _contract("Layers")["layers"]]  # type: ignore[attr-defined]
    assert layers[0].split(" : ") == ["tanfeng.web", "tanfeng.cli"]
    assert layers[1] == "tanfeng.services"
    assert "tanfeng.store" in layers[2]
    assert "tanfeng.reports" in layers[2]
    domain = layers[3].split(" : ")
    assert {"tanfeng.plan", "tanfeng.accounting", "tanfeng.tracking", "tanfeng.enterprises"} <= set(domain)
    assert layers[4] == "tanfeng.reference"
    assert "tanfeng.errors" in layers[5]


def test_a_layer_violation_is_reported(tmp_path: Path) -> None:
    # control: services import the store, so a layering that puts the store above services must break
    config = tmp_path / "layers.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "tanfeng"\n\n'
        '[[tool.importlinter.contracts]]\nname = "control"\ntype = "layers"\n'
        'layers = ["tanfeng.store", "tanfeng.services"]\n',
        encoding="utf-8",
    )
    result = _run(config)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout


def test_an_adapter_reaching_the_store_is_reported(tmp_path: Path) -> None:
    # control: the web app does open sessions from the store's engine module, so forbidding it must break
    config = tmp_path / "adapters.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "tanfeng"\n\n'
        '[[tool.importlinter.contracts]]\nname = "control"\ntype = "forbidden"\n'
        'source_modules = ["tanfeng.web"]\nforbidden_modules = ["tanfeng.store.engine"]\n',
        encoding="utf-8",
    )
    result = _run(config)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout


def test_every_table_and_repository_module_is_out_of_the_adapters_reach() -> None:
    store = ROOT / "src" / "tanfeng" / "store"
    modules = {f"tanfeng.store.{p.stem}" for p in store.glob("*.py") if p.stem.startswith(("models", "repository"))}
    forbidden = set(_contract("Adapters reach records")["forbidden_modules"])  # type: ignore[arg-type]
    assert modules - forbidden == set()
