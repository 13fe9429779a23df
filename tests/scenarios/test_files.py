"""Scenario files: inheritance, and bad files refused whole with file, line and field."""

from __future__ import annotations

import pytest

from tanfeng.errors import InputError
from tanfeng.scenarios import files


def test_builtin_chain_inherits_and_overrides(scenario_files) -> None:
    enhanced = files.resolve("enhanced", scenario_files)
    assert enhanced.chain == ("bau", "plan", "enhanced")
    levers = {lv.id: lv for lv in enhanced.levers}
    assert levers["new_energy_buildout"].path[2030] == 32  # overridden
    assert "nev_share" in levers
    assert "ccus_coal_power" in levers
    assert enhanced.electricity_accounting == "production"
    assert all(lv.target is None or lv.target.startswith("im2022.") for lv in enhanced.levers)


GOOD = """name: child
title_zh: 子情景
title_en: Child
parent: bau
description: test
levers:
  - id: one
    name_zh: 一
    kind: intensity
    sector: transport
    path: {2030: 10}
    source: test
    certainty: R
"""


def test_a_good_child_parses() -> None:
    sc = files.parse_scenario(GOOD, file="child.yaml")
    assert sc.levers[0].path == {2030: 10}


@pytest.mark.parametrize(("old", "new", "line", "field"), [
    ("sector: transport", "sector: shipping", 10, "levers.0.sector"),
    ("path: {2030: 10}", "path: {2030: 120}", 11, "levers.0.path"),
    ("kind: intensity", "kind: magic", 9, "levers.0.kind"),
    ("certainty: R", "certainty: R\n    colour: red", 14, "levers.0.colour"),
])
def test_bad_files_name_line_and_field(old: str, new: str, line: int, field: str) -> None:
    with pytest.raises(InputError) as exc:
        files.parse_scenario(GOOD.replace(old, new), file="child.yaml")
    assert exc.value.location is not None
    assert exc.value.location.file == "child.yaml"
    assert exc.value.location.field == field
    assert exc.value.location.line == line


def test_yaml_syntax_error_has_a_line() -> None:
    with pytest.raises(InputError) as exc:
        files.parse_scenario("name: x\n  bad: [", file="x.yaml")
    assert exc.value.location is not None
    assert exc.value.location.line is not None


def test_unknown_parent_is_refused(scenario_files) -> None:
    child = files.parse_scenario(GOOD.replace("parent: bau", "parent: nowhere"), file="child.yaml")
    with pytest.raises(InputError, match="nowhere"):
        files.resolve("child", {**scenario_files, "child": child}, origin={"child": "child.yaml"})


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f"])
def test_a_control_character_is_an_input_error_with_its_line(char: str) -> None:
    with pytest.raises(InputError) as err:
        files.parse_scenario(f"name: a\ntitle_zh: 控{char}制\n", file="x.yaml")
    assert err.value.location is not None
    assert err.value.location.line == 2
    assert f"U+{ord(char):04X}" in err.value.message
