"""The layout rules a newcomer can rely on: small modules and functions, explicit public names.

- no module in ``src/tanfeng`` is over 600 lines and no function over 80 (generated migrations included);
- every module says what it offers in ``__all__``, and ``__all__`` names exactly its public definitions
  (route handlers and CLI commands are reached through their router or app, so they need not be listed).
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "tanfeng"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
_REACHED_THROUGH = {"get", "post", "put", "patch", "delete", "head", "api_route", "command", "callback",
                    "middleware", "exception_handler", "on_event", "websocket", "route"}


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _registered(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> bool:
    """Whether a definition is a route handler or CLI command (``@router.get(...)``, ``@app.command()``)."""
    for deco in node.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        if isinstance(target, ast.Attribute) and target.attr in _REACHED_THROUGH:
            return True
    return False


def _public_definitions(tree: ast.Module) -> tuple[set[str], list[str] | None]:
    names: set[str] = set()
    declared: list[str] | None = None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if not _registered(node):
                names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id == "__all__" and node.value is not None:
                    declared = list(ast.literal_eval(node.value))
                elif isinstance(target, ast.Name):
                    names.add(target.id)
    return {n for n in names if not n.startswith("_")}, declared


def _migration(path: Path) -> bool:
    return "migrations" in path.relative_to(SRC).parts


def test_no_module_over_600_lines() -> None:
    long = {str(p.relative_to(SRC)): n for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_over_80_lines() -> None:
    long: dict[str, int] = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(SRC)}::{node.name}"] = length
    assert long == {}


@pytest.mark.parametrize("path", [p for p in _modules() if not _migration(p)],
                         ids=lambda p: str(p.relative_to(SRC)))
def test_all_names_exactly_the_public_definitions(path: Path) -> None:
    public, declared = _public_definitions(ast.parse(path.read_text(encoding="utf-8")))
    if declared is None:
        assert not public, f"{path.relative_to(SRC)} defines {sorted(public)} but has no __all__"
        return
    assert len(declared) == len(set(declared)), "a name is listed twice"
    assert sorted(public - set(declared)) == [], "public definitions missing from __all__"
    module = importlib.import_module(_module_name(path))
    assert [n for n in declared if not hasattr(module, n)] == [], "__all__ names what the module lacks"


def test_the_rules_see_what_they_check() -> None:
    # control: a module without __all__, a forgotten name and a route handler are told apart
    tree = ast.parse("import x\n\n__all__ = ['a']\n\ndef a(): pass\n\nclass B: pass\n\n"
                     "@router.get('/x')\ndef handler(): pass\n\n_private = 1\nLIMIT = 2\n")
    public, declared = _public_definitions(tree)
    assert declared == ["a"]
    assert public == {"a", "B", "LIMIT"}
