"""Field-by-field differences between two JSON states, for the history shown on a record's page.

Paths are lists of keys and list indexes; :attr:`FieldChange.pointer` writes them as an RFC 6901 JSON
Pointer (``/targets/0/value``), which is unambiguous for any key, including keys with dots or 汉字.

Dicts are compared key by key (keys in sorted order), lists position by position (an element inserted at
the front shows as changes at every later index and one addition at the end — simple and predictable),
anything else as a whole. ``True`` and ``1`` are different values; ``1`` and ``1.0`` are the same.
A ``None`` state against a dict (a creation or a deletion) lists every field as added or removed.

Examples
--------
>>> [c.pointer for c in diff({"a": 1, "b": {"c": 2}}, {"a": 1, "b": {"c": 3}})]
['/b/c']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeGuard

from pydantic import BaseModel, ConfigDict

__all__ = ["ChangeKind", "FieldChange", "diff"]

ChangeKind = Literal["added", "removed", "changed"]


class FieldChange(BaseModel):
    """One changed field.

    Parameters
    ----------
    path
        Keys and list indexes from the root to the field (empty: the whole value).
    kind
        ``added`` (only in after), ``removed`` (only in before) or ``changed``.
    before, after
        The field's values (``None`` for the side where it does not exist).
    """

    model_config = ConfigDict(frozen=True)

    path: tuple[str | int, ...]
    kind: ChangeKind
    before: Any = None
    after: Any = None

    @property
    def pointer(self) -> str:
        """The path as an RFC 6901 JSON Pointer (``""`` for the root)."""
        return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in self.path)


def _same(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def _is_list(value: object) -> TypeGuard[Sequence[Any]]:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def _walk(before: object, after: object, path: tuple[str | int, ...], out: list[FieldChange]) -> None:
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        for key in sorted(set(before) | set(after), key=str):
            if key not in after:
                out.append(FieldChange(path=(*path, key), kind="removed", before=before[key]))
            elif key not in before:
                out.append(FieldChange(path=(*path, key), kind="added", after=after[key]))
            else:
                _walk(before[key], after[key], (*path, key), out)
        return
    if _is_list(before) and _is_list(after):
        for index in range(max(len(before), len(after))):
            if index >= len(after):
                out.append(FieldChange(path=(*path, index), kind="removed", before=before[index]))
            elif index >= len(before):
                out.append(FieldChange(path=(*path, index), kind="added", after=after[index]))
            else:
                _walk(before[index], after[index], (*path, index), out)
        return
    if not _same(before, after):
        out.append(FieldChange(path=path, kind="changed", before=before, after=after))


def diff(before: object, after: object) -> list[FieldChange]:
    """The changes from ``before`` to ``after`` (nested JSON values), in a stable order.

    Parameters
    ----------
    before, after
        JSON values (dicts, lists, strings, numbers, booleans, ``None``), e.g. an audit entry's
        ``before`` and ``after``.

    Returns
    -------
    list of FieldChange
        Empty when the two are equal.
    """
    if before is None and isinstance(after, Mapping):
        before = {}
    if after is None and isinstance(before, Mapping):
        after = {}
    out: list[FieldChange] = []
    _walk(before, after, (), out)
    return out
