"""Load a plan from its reviewed YAML file, check it against its source text, and filter its targets.

A plan file (``plans/*.yaml``) is the hand-reviewed form of a carbon-peak implementation plan
(see :mod:`tanfeng.plan.model`). Loading it is all or nothing: the file is parsed, validated against
the schema, its region codes are checked, and every ``source_text`` / measure text / action title that
claims a place in the plan's ``source_file`` is compared with the characters at that place. Any problem
raises :class:`~tanfeng.errors.PlanFileError` (or :class:`~tanfeng.errors.UnknownRegionError`) naming the
file, the line and the field, with a hint; no partly loaded plan is ever returned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from tanfeng.errors import NotFoundError, PlanFileError, TextReadError, UnknownRegionError, at
from tanfeng.plan.model import Comparator, Plan, SourceRef, Target

__all__ = [
    "PLANS_DIR",
    "builtin_plan_path",
    "filter_targets",
    "list_builtin_plans",
    "load_builtin_plan",
    "load_plan",
]

PLANS_DIR = Path(__file__).resolve().parent / "plans"
"""Directory of the plans shipped with the package (YAML next to their source texts)."""

_REGION_CODE = re.compile(r"^\d{6}$")


class _Loader(yaml.SafeLoader):
    """A safe loader that keeps dates as strings (``published: 2022-11-19`` stays text)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# --------------------------------------------------------------------------- YAML with line numbers


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _child(node: yaml.Node, key: str | int) -> tuple[yaml.Node, int] | None:
    """The child of ``node`` at ``key`` and the line where it is named, or None."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == str(key):
                return v, _line(k)
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        item: yaml.Node = node.value[key]
        return item, _line(item)
    return None


def _line_of(root: yaml.Node, loc: Sequence[str | int]) -> int:
    """The line of the field at ``loc`` (a pydantic error location), or of its closest existing parent."""
    node, line = root, _line(root)
    for key in loc:
        found = _child(node, key)
        if found is not None:  # otherwise a missing field or a pydantic-internal step: stay on the parent
            node, line = found
    return line


def _duplicate_keys(node: yaml.Node, path: str = "") -> Iterator[tuple[str, int]]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for k, v in node.value:
            key = str(k.value)
            sub = f"{path}.{key}" if path else key
            if key in seen:
                yield sub, _line(k)
            seen.add(key)
            yield from _duplicate_keys(v, sub)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _duplicate_keys(item, f"{path}.{i}" if path else str(i))


def _parse(path: Path) -> tuple[Any, yaml.Node]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        msg = "plan file not found"
        raise PlanFileError(msg, location=at(path),
                            hint="check the path, or use a built-in plan id") from exc
    except UnicodeDecodeError as exc:
        msg = f"plan file is not UTF-8 ({exc.reason} at byte {exc.start})"
        raise PlanFileError(msg, location=at(path),
                            hint="save the file as UTF-8") from exc
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            msg = "plan file is empty"
            raise PlanFileError(msg, location=at(path, line=1),
                                hint="a plan file is a mapping with id, title, region, parts, targets")
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark is not None else None
        problem = exc.problem or "YAML syntax error"
        msg = f"YAML syntax error: {problem}"
        raise PlanFileError(msg, location=at(path, line=line),
                            hint="check indentation, colons and quotes on that line (quote text containing ': ' or '#')"
                            ) from exc
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        msg = f"a plan file must be a mapping, not {type(data).__name__}"
        raise PlanFileError(msg, location=at(path, line=1),
                            hint="start the file with 'id: …', 'title: …', 'region: …', 'parts: …'")
    for field, line in _duplicate_keys(root):
        msg = "field given twice"
        raise PlanFileError(msg, location=at(path, line=line, field=field),
                            hint="remove one of the two; YAML would silently keep only the last")
    return data, root


# --------------------------------------------------------------------------- schema errors


_COMPARATORS = " ".join(c.value for c in Comparator)


def _hint(err: Mapping[str, Any]) -> str:
    kind = str(err.get("type", ""))
    loc = err.get("loc", ())
    name = str(loc[-1]) if loc else ""
    if kind == "missing":
        return f"add the field '{name}'"
    if kind == "extra_forbidden":
        return f"remove '{name}' or correct its spelling; the schema does not know this field"
    if kind == "enum" and name == "comparator":
        return f"use one of: {_COMPARATORS}"
    if kind in ("enum", "literal_error"):
        expected = (err.get("ctx") or {}).get("expected")
        return f"use one of: {expected}" if expected else "use one of the allowed values"
    if kind.startswith(("int_", "float_")):
        return "write a plain number (no unit, no quotes, no thousands separator)"
    if kind == "string_type":
        return "write text; quote codes such as '150000' so they stay text"
    if kind == "string_pattern_mismatch":
        return "ids use letters, digits, '.', '_' and '-' only"
    if kind in ("list_type", "model_type", "dict_type"):
        return "check the indentation and the '- ' of list items"
    return "see the schema in tanfeng.plan.model"


def _schema_error(path: Path, root: yaml.Node, exc: ValidationError) -> PlanFileError:
    errors = exc.errors()
    first = errors[0]
    loc: tuple[str | int, ...] = tuple(first.get("loc", ()))
    msg = str(first.get("msg", "invalid value"))
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    hint = _hint(first)
    # Plan-wide checks (ids unique, targets linked) carry no location of their own: find the field they name.
    if m := re.search(r"id '([^']+)' is used twice", msg):
        places = [p for p in _scalar_paths(root) if p[0][-1] == "id" and p[2] == m.group(1)]
        if len(places) > 1:
            loc = places[1][0]
            hint = f"the same id is at line {places[0][1]}; give each part, action, measure and target its own id"
    elif m := re.search(r"target '([^']+)' names (action|measure) '([^']+)'", msg):
        for p, _, value in _scalar_paths(root):
            if p[-1] == "id" and value == m.group(1) and len(p) == 3 and p[0] == "targets":
                loc = (*p[:-1], m.group(2))
                break
        hint = f"use the id of an existing {m.group(2)}, or add it"
    field = ".".join(str(p) for p in loc) or None
    return PlanFileError(f"{msg}{more}", location=at(path, line=_line_of(root, loc), field=field), hint=hint)


def _scalar_paths(node: yaml.Node, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], int, str]]:
    """Every scalar of the document with its path, line and text, in document order."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            yield from _scalar_paths(v, (*path, str(k.value)))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _scalar_paths(item, (*path, i))
    elif isinstance(node, yaml.ScalarNode) and path:
        yield path, _line(node), str(node.value)


# --------------------------------------------------------------------------- region codes


def _check_regions(plan: Plan, path: Path, root: yaml.Node, known: Mapping[str, str] | None,
                   legacy: Mapping[str, str] | None, notices: list[str]) -> None:
    def resolve(code: str, loc: tuple[str | int, ...]) -> str:
        field = ".".join(str(p) for p in loc)
        line = _line_of(root, loc)
        if legacy is not None and code in legacy and (known is None or code not in known):
            new = legacy[code]
            name = f" ({known[new]})" if known is not None and new in known else ""
            notices.append(f"{path}, line {line}, field '{field}': legacy region code {code} read as {new}{name}")
            return new
        if not _REGION_CODE.match(code):
            msg = f"'{code}' is not a region code"
            raise UnknownRegionError(msg, location=at(path, line=line, field=field),
                                     hint="use a 6-digit GB/T 2260 code such as 150000")
        if known is not None and code not in known:
            msg = f"unknown region code '{code}'"
            raise UnknownRegionError(msg, location=at(path, line=line, field=field),
                                     hint="use a current GB/T 2260 code (150000 for the region, 150100 … 152900)")
        return code

    plan.region = resolve(plan.region, ("region",))
    for i, t in enumerate(plan.targets):
        if _REGION_CODE.match(t.scope):
            t.scope = resolve(t.scope, ("targets", i, "scope"))
        t.scope_regions = [resolve(c, ("targets", i, "scope_regions", j)) for j, c in enumerate(t.scope_regions)]


# --------------------------------------------------------------------------- source spans


class _Sources:
    """Source texts next to the plan file, read once each."""

    def __init__(self, plan_path: Path) -> None:
        self.base = plan_path.resolve().parent
        self.texts: dict[str, str] = {}

    def get(self, name: str, path: Path, line: int, field: str) -> str:
        if name not in self.texts:
            file = self.base / name
            if Path(name).is_absolute() or ".." in Path(name).parts:
                msg = f"source file '{name}' must be a plain name next to the plan file"
                raise PlanFileError(msg,
                                    location=at(path, line=line, field=field),
                                    hint="ship the source text beside the YAML and give its file name")
            try:
                self.texts[name] = file.read_text(encoding="utf-8")
            except FileNotFoundError as exc:
                msg = f"source file '{name}' not found next to the plan file"
                raise PlanFileError(msg,
                                    location=at(path, line=line, field=field),
                                    hint="put the source text beside the YAML, or correct the name") from exc
            except UnicodeDecodeError as exc:
                msg = f"source file '{name}' is not UTF-8 ({exc.reason} at byte {exc.start})"
                raise TextReadError(msg,
                                    location=at(file), hint="convert the source text to UTF-8") from exc
        return self.texts[name]


def _where(text: str, expected: str, joined: bool, given_start: int) -> str:
    if not expected:
        return "give the span of the text in the source file"
    probe = expected if not joined else expected[:8]
    idx = text.find(probe)
    if idx < 0:
        return "the text is not in the source file; copy it verbatim from there"
    line = text.count("\n", 0, idx) + 1
    if joined:
        if idx == given_start:
            return "the text differs from the file inside the span; copy the item verbatim from the file"
        return f"the text starts at offset {idx} (line {line}); correct start/end/line"
    return f"the text stands at start {idx}, end {idx + len(expected)}, line {line}; correct the span (or the text)"


def _check_span(src: SourceRef, expected: str, *, joined: bool, path: Path, root: yaml.Node,
                loc: tuple[str | int, ...], text_field: str, sources: _Sources) -> None:
    """Check that ``expected`` stands at ``src.start:src.end`` (and ``src.line``) of its source file."""
    name = src.file
    if name is None:
        return
    src_loc = (*loc, "source")
    field = ".".join(str(p) for p in (*loc, text_field))
    text = sources.get(name, path, _line_of(root, (*src_loc, "file")), ".".join(str(p) for p in (*src_loc, "file")))
    if src.start is None or src.end is None or src.line is None:
        missing = [k for k in ("line", "start", "end") if getattr(src, k) is None]
        msg = f"source names file '{name}' but not its {', '.join(missing)}"
        raise PlanFileError(msg,
                            location=at(path, line=_line_of(root, src_loc), field=".".join(map(str, src_loc))),
                            hint="give line, start and end of the text in the file")
    if src.end > len(text):
        msg = f"source span {src.start}:{src.end} runs past the end of '{name}' ({len(text)} characters)"
        raise PlanFileError(msg,
                            location=at(path, line=_line_of(root, (*src_loc, "end")), field=field),
                            hint=_where(text, expected, joined, src.start))
    raw = text[src.start:src.end]
    found = raw.replace("\n", "") if joined else raw
    if found != expected:
        shown = raw if len(raw) <= 40 else raw[:37] + "…"
        msg = f"{text_field} does not match '{name}' at {src.start}:{src.end} (the file has '{shown}')"
        raise PlanFileError(msg,
                            location=at(path, line=_line_of(root, (*loc, text_field)), field=field),
                            hint=_where(text, expected, joined, src.start))
    line = text.count("\n", 0, src.start) + 1
    if line != src.line:
        msg = f"source line {src.line} is wrong: offset {src.start} is on line {line} of '{name}'"
        raise PlanFileError(msg,
                            location=at(path, line=_line_of(root, (*src_loc, "line")),
                                        field=".".join(str(p) for p in (*src_loc, "line"))),
                            hint=f"write line: {line}")


def _check_sources(plan: Plan, path: Path, root: yaml.Node) -> None:
    sources = _Sources(path)
    if plan.source_file is not None:
        sources.get(plan.source_file, path, _line_of(root, ("source_file",)), "source_file")
    common: dict[str, Any] = {"path": path, "root": root, "sources": sources}
    for p, part in enumerate(plan.parts):
        for a, action in enumerate(part.actions):
            aloc: tuple[str | int, ...] = ("parts", p, "actions", a)
            _check_span(action.source, action.title, joined=False, loc=aloc, text_field="title", **common)
            for m, measure in enumerate(action.measures):
                _check_span(measure.source, measure.text, joined=True, loc=(*aloc, "measures", m),
                            text_field="text", **common)
        for m, measure in enumerate(part.measures):
            _check_span(measure.source, measure.text, joined=True, loc=("parts", p, "measures", m),
                        text_field="text", **common)
    for i, target in enumerate(plan.targets):
        _check_span(target.source, target.source_text, joined=False, loc=("targets", i), text_field="source_text",
                    **common)


# --------------------------------------------------------------------------- public API


def load_plan(path: str | Path, *, known_regions: Mapping[str, str] | None = None,
              legacy_codes: Mapping[str, str] | None = None, notices: list[str] | None = None) -> Plan:
    """Load and check a plan YAML file.

    Parameters
    ----------
    path
        The plan's YAML file. Its ``source_file`` (if any) is looked up in the same directory.
    known_regions
        Current region codes and their names (GB/T 2260). When given, the plan's ``region``, every 6-digit
        target ``scope`` and every ``scope_regions`` code must be one of them; when omitted, codes are
        only checked to be 6 digits.
    legacy_codes
        Retired codes mapped to their current code (e.g. ``152600`` → ``150900``). A legacy code is
        replaced by its current one and a notice is appended to ``notices``.
    notices
        A list that receives one line per legacy code read (file, line, field, old and new code).

    Returns
    -------
    Plan
        The validated plan.

    Raises
    ------
    PlanFileError
        The file is missing, is not valid YAML, does not match the schema, or a text does not stand at
        its stated place in the source file. The error names the file, line and field.
    UnknownRegionError
        A region code that is neither known nor a legacy code.
    TextReadError
        The source text file is not UTF-8.
    """
    path = Path(path)
    data, root = _parse(path)
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        raise _schema_error(path, root, exc) from exc
    collected: list[str] = []
    _check_regions(plan, path, root, known_regions, legacy_codes, collected)
    _check_sources(plan, path, root)
    if notices is not None:
        notices.extend(collected)
    return plan


def list_builtin_plans() -> list[str]:
    """Ids of the plans shipped with the package, sorted.

    Returns
    -------
    list of str
        Plan ids, e.g. ``["im2022"]``.
    """
    return sorted(_builtin_index())


def _builtin_index() -> dict[str, Path]:
    index: dict[str, Path] = {}
    for file in sorted(PLANS_DIR.glob("*.yaml")):
        with file.open(encoding="utf-8") as fh:
            for raw in fh:
                m = re.match(r"^id:\s*['\"]?([A-Za-z0-9_.\-]+)['\"]?\s*$", raw)
                if m:
                    index[m.group(1)] = file
                    break
    return index


def builtin_plan_path(plan_id: str = "im2022") -> Path:
    """Path of a shipped plan's YAML file.

    Parameters
    ----------
    plan_id
        The plan id (see :func:`list_builtin_plans`).

    Raises
    ------
    NotFoundError
        No shipped plan has that id; the message lists those that exist.
    """
    index = _builtin_index()
    if plan_id not in index:
        msg = f"no built-in plan '{plan_id}'"
        raise NotFoundError(msg,
                            hint=f"built-in plans: {', '.join(sorted(index)) or 'none'}; or pass a YAML file")
    return index[plan_id]


def load_builtin_plan(plan_id: str = "im2022", *, known_regions: Mapping[str, str] | None = None,
                      legacy_codes: Mapping[str, str] | None = None, notices: list[str] | None = None) -> Plan:
    """Load a shipped plan (see :func:`load_plan` for the checks and parameters).

    Parameters
    ----------
    plan_id
        The plan id, ``im2022`` for 《内蒙古自治区碳达峰实施方案》 (内党发〔2022〕19号).
    """
    return load_plan(builtin_plan_path(plan_id), known_regions=known_regions, legacy_codes=legacy_codes,
                     notices=notices)


def filter_targets(plan: Plan, action: str | None = None, year: int | None = None, scope: str | None = None,
                   indicator: str | None = None) -> list[Target]:
    """The plan's targets that match every filter given.

    Parameters
    ----------
    plan
        The plan.
    action
        An action or part id (``a05``, ``main``) or a measure id (``a05.m1``).
    year
        Target year; targets without a year (standing rules) match no year.
    scope
        A region code or named scope; matches the target's ``scope`` or one of its ``scope_regions``.
    indicator
        The ``indicator_id`` exactly, or a substring of the Chinese ``indicator``.

    Returns
    -------
    list of Target
        In the plan's order.
    """
    out: list[Target] = []
    for t in plan.targets:
        if action is not None and action not in (t.action, t.measure):
            continue
        if year is not None and t.year != year:
            continue
        if scope is not None and scope != t.scope and scope not in t.scope_regions:
            continue
        if indicator is not None and indicator != t.indicator_id and indicator not in t.indicator:
            continue
        out.append(t)
    return out
