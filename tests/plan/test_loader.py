"""Loading plan files: errors name the file, the line and the field; nothing is half-loaded."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tanfeng.errors import NotFoundError, PlanFileError, TextReadError, UnknownRegionError
from tanfeng.plan.loader import (
    PLANS_DIR,
    builtin_plan_path,
    list_builtin_plans,
    load_builtin_plan,
    load_plan,
)

YAML_NAME = "inner_mongolia_2022.yaml"
SOURCE_NAME = "inner_mongolia_2022.source.txt"
SEED = (PLANS_DIR / SOURCE_NAME).read_text(encoding="utf-8")

# GB/T 2260 codes from policy_rules_and_data.md §1.5 (a few), and the legacy 乌兰察布盟 code.
KNOWN = {"150000": "内蒙古自治区", "150100": "呼和浩特市", "150200": "包头市", "150900": "乌兰察布市"}
LEGACY = {"152600": "150900", "152800": "150800"}

MINIMAL = """\
id: test
title: 测试方案
region: '{region}'
parts:
- id: tasks
  kind: key_tasks
  title: 重点任务
targets:
- id: test.t1
  action: tasks
  indicator: 新型储能装机容量
  indicator_id: new_energy_storage_capacity
  scope: '{scope}'
  scope_regions: [{scope_regions}]
  year: 2025
  comparator: ≥
  value: 500
  unit: 万千瓦
  source_text: 新型储能装机容量达到500万千瓦以上
  source:
    document: 测试
"""


def edited_copy(tmp_path: Path, edit: Callable[[str], str]) -> Path:
    """The built-in plan and its source text copied to ``tmp_path``, the YAML changed by ``edit``."""
    text = (PLANS_DIR / YAML_NAME).read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text, "the edit did not change the file"
    shutil.copy(PLANS_DIR / SOURCE_NAME, tmp_path / SOURCE_NAME)
    path = tmp_path / YAML_NAME
    path.write_text(changed, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line of ``path`` that contains ``needle``."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


def minimal(tmp_path: Path, region: str = "150000", scope: str = "150000", scope_regions: str = "") -> Path:
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL.format(region=region, scope=scope, scope_regions=scope_regions), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- built-in plans


def test_builtin_plan_ships_inside_the_package() -> None:
    assert "im2022" in list_builtin_plans()
    path = builtin_plan_path("im2022")
    assert path.name == YAML_NAME
    assert path.parent.name == "plans"
    assert path.parent.parent.name == "plan"
    assert (path.parent / SOURCE_NAME).is_file()


def test_unknown_builtin_plan_lists_the_known_ones() -> None:
    with pytest.raises(NotFoundError, match="im2022"):
        builtin_plan_path("nope")


def test_builtin_plan_loads_with_region_codes_checked() -> None:
    notices: list[str] = []
    plan = load_builtin_plan(known_regions=KNOWN, legacy_codes=LEGACY, notices=notices)
    assert plan.region == "150000"
    assert notices == []


# --------------------------------------------------------------------------- schema errors


def test_bad_type_names_file_line_and_field(tmp_path: Path) -> None:
    path = edited_copy(tmp_path, lambda s: s.replace("  value: 500\n", "  value: lots\n", 1))
    with pytest.raises(PlanFileError) as info:
        load_plan(path)
    loc = info.value.location
    assert loc is not None
    assert loc.file == str(path)
    assert loc.line == line_of(path, "value: lots")
    assert loc.field == "targets.0.value"
    assert info.value.hint
    assert YAML_NAME in str(info.value)
    assert f"line {loc.line}" in str(info.value)


def test_missing_field_names_the_item(tmp_path: Path) -> None:
    path = edited_copy(tmp_path, lambda s: s.replace("    title: 节能降碳增效行动\n", "", 1))
    with pytest.raises(PlanFileError) as info:
        load_plan(path)
    loc = info.value.location
    assert loc is not None
    assert loc.field == "parts.1.actions.1.title"
    assert loc.line == line_of(path, "  - id: a02")
    assert "title" in (info.value.hint or "")


def test_bad_comparator_lists_the_allowed_ones(tmp_path: Path) -> None:
    path = edited_copy(tmp_path, lambda s: s.replace("  comparator: ≈\n", "  comparator: about\n", 1))
    with pytest.raises(PlanFileError) as info:
        load_plan(path)
    loc = info.value.location
    assert loc is not None
    assert loc.field == "targets.1.comparator"
    assert loc.line == line_of(path, "comparator: about")
    assert "≈" in (info.value.hint or "")
    assert "decrease_by" in (info.value.hint or "")


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    path = edited_copy(tmp_path, lambda s: s.replace("  unit: 万千瓦\n", "  unit: 万千瓦\n  units: kW\n", 1))
    with pytest.raises(PlanFileError) as info:
        load_plan(path)
    loc = info.value.location
    assert loc is not None
    assert loc.field == "targets.0.units"
    assert loc.line == line_of(path, "units: kW")


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = edited_copy(tmp_path, lambda s: s.replace("document_number: 内党发〔2022〕19号",
                                                      "document_number: 内党发: 19号", 1))
    with pytest.raises(PlanFileError, match="YAML syntax error") as info:
        load_plan(path)
    loc = info.value.location
    assert loc is not None
    assert loc.file == str(path)
    assert loc.line == line_of(path, "内党发: 19号")


def test_field_given_twice_is_refused(tmp_path: Path) -> None:
    path = edited_copy(tmp_path, lambda s: s.replace("region: '150000'\n", "region: '150000'\nregion: '150100'\n", 1))
    with pytest.raises(PlanFileError, match="twice") as info:
        load_plan(path)
    loc = info.value.location
    assert loc is not None
    assert loc.field == "region"
    assert loc.line == line_of(path, "region: '150100'")


def test_missing_plan_file(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="not found"):
        load_plan(tmp_path / "nothing.yaml")


def test_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(PlanFileError, match="mapping"):
        load_plan(path)


def test_dates_stay_text(tmp_path: Path) -> None:
    path = edited_copy(tmp_path, lambda s: s.replace("published: 2022-11\n", "published: 2022-11-19\n", 1))
    assert load_plan(path).published == "2022-11-19"


# --------------------------------------------------------------------------- source spans


def test_source_text_not_at_its_offsets_is_refused(tmp_path: Path) -> None:
    true_start = SEED.index("到2025年,新型储能装机容量达到500万千瓦以上")
    path = edited_copy(tmp_path, lambda s: s.replace(f"    start: {true_start}\n", f"    start: {true_start + 1}\n", 1))
    with pytest.raises(PlanFileError) as info:
        load_plan(path)
    loc = info.value.location
    assert loc is not None
    assert loc.field == "targets.0.source_text"
    assert loc.line == line_of(path, "source_text: 到2025年,新型储能装机容量达到500万千瓦以上")
    assert f"start {true_start}," in (info.value.hint or "")


def test_source_text_that_is_not_in_the_file_is_refused(tmp_path: Path) -> None:
    path = edited_copy(tmp_path, lambda s: s.replace(
        "source_text: 到2025年,新型储能装机容量达到500", "source_text: 到2025年,新型储能装机容量达到600", 1))
    with pytest.raises(PlanFileError, match="source_text does not match") as info:
        load_plan(path)
    assert "not in the source file" in (info.value.hint or "")


def test_wrong_line_is_refused(tmp_path: Path) -> None:
    line = SEED.count("\n", 0, SEED.index("到2025年,新型储能装机容量达到500万千瓦以上")) + 1
    path = edited_copy(tmp_path, lambda s: s.replace(f"    line: {line}\n    start: ", f"    line: {line + 1}\n    start: ", 1))
    with pytest.raises(PlanFileError, match="line") as info:
        load_plan(path)
    assert info.value.hint == f"write line: {line}"


def test_measure_text_not_at_its_offsets_is_refused(tmp_path: Path) -> None:
    path = edited_copy(tmp_path, lambda s: s.replace("text: 严格控制煤炭消费。改善煤电装机结构", "text: 严格控制煤炭消费。优化煤电装机结构", 1))
    with pytest.raises(PlanFileError) as info:
        load_plan(path)
    loc = info.value.location
    assert loc is not None
    assert loc.field == "parts.1.actions.0.measures.2.text"
    assert loc.line == line_of(path, "text: 严格控制煤炭消费。优化煤电装机结构")
    assert "differs from the file" in (info.value.hint or "")


def test_missing_source_file_is_refused(tmp_path: Path) -> None:
    path = edited_copy(tmp_path, lambda s: s.replace(f"source_file: {SOURCE_NAME}", "source_file: other.txt", 1))
    with pytest.raises(PlanFileError, match=r"other\.txt") as info:
        load_plan(path)
    loc = info.value.location
    assert loc is not None
    assert loc.line == line_of(path, "source_file: other.txt")


# --------------------------------------------------------------------------- region codes


def test_unknown_region_is_refused(tmp_path: Path) -> None:
    path = minimal(tmp_path, region="159999")
    with pytest.raises(UnknownRegionError, match="159999") as info:
        load_plan(path, known_regions=KNOWN, legacy_codes=LEGACY)
    loc = info.value.location
    assert loc is not None
    assert loc.field == "region"
    assert loc.line == 3


def test_unknown_scope_region_is_refused(tmp_path: Path) -> None:
    path = minimal(tmp_path, scope_regions="'150100', '150199'")
    with pytest.raises(UnknownRegionError) as info:
        load_plan(path, known_regions=KNOWN)
    loc = info.value.location
    assert loc is not None
    assert loc.field == "targets.0.scope_regions.1"
    assert loc.line == line_of(path, "scope_regions")


def test_a_region_that_is_not_a_code_is_refused_without_a_catalogue(tmp_path: Path) -> None:
    with pytest.raises(UnknownRegionError, match="not a region code"):
        load_plan(minimal(tmp_path, region="内蒙古"))


def test_legacy_code_is_mapped_with_a_notice(tmp_path: Path) -> None:
    path = minimal(tmp_path, scope="152600", scope_regions="'152600', '150100'")
    notices: list[str] = []
    plan = load_plan(path, known_regions=KNOWN, legacy_codes=LEGACY, notices=notices)
    t = plan.targets[0]
    assert t.scope == "150900"
    assert t.scope_regions == ["150900", "150100"]
    assert len(notices) == 2
    assert all("152600" in n and "150900" in n and "乌兰察布市" in n for n in notices)
    assert f"line {line_of(path, 'scope:')}" in notices[0]
    assert "targets.0.scope_regions.0" in notices[1]


def test_legacy_code_is_refused_without_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(UnknownRegionError, match="152600"):
        load_plan(minimal(tmp_path, region="152600"), known_regions=KNOWN)


def test_an_id_used_twice_points_at_the_second_one(tmp_path: Path) -> None:
    path = edited_copy(tmp_path, lambda s: s.replace("- id: im2022.a01.m2.t2\n", "- id: im2022.a01.m2.t1\n", 1))
    with pytest.raises(PlanFileError, match="used twice") as info:
        load_plan(path)
    loc = info.value.location
    assert loc is not None
    assert loc.field == "targets.1.id"
    lines = path.read_text(encoding="utf-8").splitlines()
    first, second = [i for i, line in enumerate(lines, 1) if line == "- id: im2022.a01.m2.t1"]
    assert loc.line == second
    assert f"line {first}" in (info.value.hint or "")


def test_a_target_under_a_missing_action_is_refused(tmp_path: Path) -> None:
    path = edited_copy(tmp_path, lambda s: s.replace("  action: a05\n", "  action: a55\n", 1))
    with pytest.raises(PlanFileError, match="a55") as info:
        load_plan(path)
    loc = info.value.location
    assert loc is not None
    assert loc.field is not None
    assert loc.field.endswith(".action")
    assert loc.line == line_of(path, "action: a55")


def test_source_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = edited_copy(tmp_path, lambda s: s.replace("id: im2022\n", "id: im2022x\n", 1))
    (tmp_path / SOURCE_NAME).write_bytes(SEED.encode("gb18030"))
    with pytest.raises(TextReadError, match="UTF-8"):
        load_plan(path)
