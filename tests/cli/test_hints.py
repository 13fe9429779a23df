"""A command adds its own hint to a service error: same type, message and location."""

from __future__ import annotations

import pytest

from tanfeng.cli.hints import hint_on
from tanfeng.errors import ImportDataError, InputError, NotFoundError, at


def test_the_hint_replaces_the_service_one() -> None:
    with pytest.raises(NotFoundError) as err, hint_on(NotFoundError, "`tanfeng units list` shows them"):
        raise NotFoundError("unit 'X' is not in the registry", location=at(field="code"), hint="check the code")
    assert err.value.message == "unit 'X' is not in the registry"
    assert err.value.hint == "`tanfeng units list` shows them"
    assert err.value.location == at(field="code")


def test_other_errors_and_subclasses_pass_unchanged() -> None:
    with pytest.raises(ImportDataError) as err, hint_on(InputError, "a hint"):
        raise ImportDataError("bad cell", hint="the original")
    assert err.value.hint == "the original"
    with pytest.raises(ValueError, match="plain"), hint_on(NotFoundError, "a hint"):
        raise ValueError("plain")
