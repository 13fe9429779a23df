"""The exception tree drawn in ``tanfeng.errors``' docstring is the tree of its classes, and nothing else.

A reader learns the errors from that drawing; this test keeps it true when a class is added or moved.
"""

from __future__ import annotations

import inspect
import re

import tanfeng.errors as errors

_NODE = re.compile(r"^(?P<indent>[\s│]*)(?:[├└]── )?(?P<name>[A-Z]\w+(?:Error)?)\b")


def _drawn_tree() -> dict[str, str | None]:
    """Each class named in the drawing with the class it hangs under (None for the root)."""
    doc = errors.__doc__ or ""
    block = doc.split("::", 1)[1].split("\n\n", 2)[1]
    parents: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for line in block.splitlines():
        match = _NODE.match(line)
        if match is None:
            continue
        depth = len(match.group("indent"))
        name = match.group("name")
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[name] = stack[-1][1] if stack else None
        stack.append((depth, name))
    return parents


def _class_tree() -> dict[str, str | None]:
    """Each exception class of the module with its tanfeng base (None for the root)."""
    tree: dict[str, str | None] = {}
    for name, cls in inspect.getmembers(errors, inspect.isclass):
        if cls.__module__ != errors.__name__ or not issubclass(cls, errors.TanfengError):
            continue
        bases = [b.__name__ for b in cls.__bases__ if issubclass(b, errors.TanfengError)]
        tree[name] = bases[0] if bases else None
    return tree


def test_the_drawing_names_every_error_under_its_base() -> None:
    assert _drawn_tree() == _class_tree()


def test_the_drawing_is_read_as_a_tree() -> None:
    # control: the parser sees nesting, so a class drawn at the wrong level would be reported
    drawn = _drawn_tree()
    assert drawn["TanfengError"] is None
    assert drawn["MeterDataError"] == "ImportDataError"
    assert drawn["LockedOutError"] == "AuthError"
    assert drawn["StoreError"] == "TanfengError"


def test_every_error_is_exported() -> None:
    assert set(_class_tree()) <= set(errors.__all__)
