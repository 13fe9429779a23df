"""Field changes between an audit entry's before and after, for the history on a record's page."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tanfeng.access.policy
import tanfeng.audit.chain
import tanfeng.audit.changes
from tanfeng.audit.changes import FieldChange, diff


def _summary(changes: list[FieldChange]) -> list[tuple[str, str, object, object]]:
    return [(c.pointer, c.kind, c.before, c.after) for c in changes]


def test_equal_states_have_no_changes() -> None:
    state = {"指标": "单位GDP能耗", "values": [1, 2, {"a": None}]}
    assert diff(state, {"指标": "单位GDP能耗", "values": [1, 2, {"a": None}]}) == []


def test_nested_changes() -> None:
    before = {"name": "新城区", "targets": [{"year": 2025, "value": 13.5}], "owner": {"dept": "能源局"}}
    after = {"name": "新城区", "targets": [{"year": 2025, "value": 14.0}, {"year": 2030, "value": 20}],
             "owner": {"dept": "统计局", "phone": "0471"}, "status": "submitted"}
    assert _summary(diff(before, after)) == [
        ("/owner/dept", "changed", "能源局", "统计局"),
        ("/owner/phone", "added", None, "0471"),
        ("/status", "added", None, "submitted"),
        ("/targets/0/value", "changed", 13.5, 14.0),
        ("/targets/1", "added", None, {"year": 2030, "value": 20}),
    ]


def test_removed_fields_and_items() -> None:
    assert _summary(diff({"a": [1, 2, 3], "b": 1}, {"a": [1]})) == [
        ("/a/1", "removed", 2, None),
        ("/a/2", "removed", 3, None),
        ("/b", "removed", 1, None),
    ]


def test_creation_and_deletion_list_every_field() -> None:
    assert _summary(diff(None, {"a": 1, "b": "x"})) == [("/a", "added", None, 1), ("/b", "added", None, "x")]
    assert _summary(diff({"a": 1}, None)) == [("/a", "removed", 1, None)]


def test_type_changes_and_scalars() -> None:
    assert _summary(diff({"v": 1}, {"v": True})) == [("/v", "changed", 1, True)]
    assert diff({"v": 1}, {"v": 1.0}) == []
    assert _summary(diff({"v": [1]}, {"v": {"0": 1}})) == [("/v", "changed", [1], {"0": 1})]
    assert _summary(diff("a", "b")) == [("", "changed", "a", "b")]
    assert _summary(diff({"v": "1"}, {"v": 1})) == [("/v", "changed", "1", 1)]


def test_pointer_escapes_slash_and_tilde() -> None:
    change = diff({"a/b": {"~c": 1}}, {"a/b": {"~c": 2}})[0]
    assert change.path == ("a/b", "~c")
    assert change.pointer == "/a~1b/~0c"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-100, 100) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=10)


@settings(deadline=None, max_examples=200)
@given(JSON, JSON)
def test_no_changes_exactly_when_equal(before: object, after: object) -> None:
    # Wrapped, so a top-level None is a value rather than "no record" (creation/deletion).
    changes = diff({"v": before}, {"v": after})
    assert (changes == []) == (_strict(before) == _strict(after))


def _strict(value: object) -> object:
    """A form where True and 1 differ, as diff treats them."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, dict):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strict(v) for v in value]
    return value


@pytest.mark.parametrize("module", [tanfeng.audit.changes, tanfeng.audit.chain, tanfeng.access.policy])
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0
