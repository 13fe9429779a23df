"""Scenario files (YAML): schema, line-precise validation, inheritance (BAU → 规划情景 → 强化情景).

A file names its ``parent``; a child stores only what differs: driver fields it overrides, levers it adds
or replaces (same ``id``) and levers it removes (``remove_levers``). Every lever names the plan target it
stands for (``target``, an id of ``plan/plans/inner_mongolia_2022.yaml``) where one exists, and its own
``source``. A bad file is refused whole with its file, line and field; a set of files is checked entirely
before any is returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tanfeng.errors import InputError, at
from tanfeng.scenarios.catalog import Catalog, load_catalog

__all__ = [
    "Drivers",
    "Kind",
    "Lever",
    "Reach",
    "ResolvedScenario",
    "ScenarioFile",
    "Uncertainty",
    "builtin_files",
    "load_builtin",
    "parse_scenario",
    "resolve",
]

Kind = Literal["activity", "intensity", "mix", "factor"]
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when present (same marks, much faster), else PyYAML's."""


class Reach(BaseModel):
    """What the lever reaches, in the plan target's own terms (compared with the target)."""

    model_config = ConfigDict(extra="forbid")
    year: int
    value: float
    unit: str


class Lever(BaseModel):
    """One measure: a % change of one model term along a path of years, for some or all regions."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str | None = None
    kind: Kind
    sector: str
    fuel: str | None = None
    to_fuel: str | None = None
    path: dict[int, float]
    """Year → % (reduction for activity, intensity and factor; share of ``fuel`` moved to ``to_fuel`` for mix)."""
    regions: list[str] | None = None
    target: str | None = None
    reaches: Reach | None = None
    source: str
    source_zh: str | None = None
    """The source note in Chinese, shown on Chinese pages (``source`` elsewhere)."""
    certainty: Literal["P", "S", "R"]

    @field_validator("path")
    @classmethod
    def _path(cls, v: dict[int, float]) -> dict[int, float]:
        if not v:
            msg = "a path needs at least one year"
            raise ValueError(msg)
        for year, pct in v.items():
            if not 2000 <= year <= 2100 or not 0.0 <= pct < 100.0:
                msg = f"{year}: {pct} — years 2000–2100, values 0 ≤ % < 100"
                raise ValueError(msg)
        return dict(sorted(v.items()))


class Drivers(BaseModel):
    """Drivers of the no-lever path; in a child, only those it overrides."""

    model_config = ConfigDict(extra="forbid")
    gdp_growth_pct: dict[int, float] | None = None
    export_share: dict[int, float] | None = None
    """Share of the power-and-heat sector's emissions that serve exported electricity (0–1)."""
    source: str | None = None
    source_zh: str | None = None


class Uncertainty(BaseModel):
    """Spread of the Monte Carlo draws."""

    model_config = ConfigDict(extra="forbid")
    gdp_growth_sd_pp: float = Field(ge=0)
    intensity_change_sd_pp: float = Field(ge=0)
    source: str


class ScenarioFile(BaseModel):
    """One scenario file as written."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    title_zh: str
    title_en: str
    parent: str | None = None
    description: str
    description_zh: str | None = None
    electricity_accounting: Literal["production", "consumption"] | None = None
    drivers: Drivers | None = None
    uncertainty: Uncertainty | None = None
    levers: list[Lever] = Field(default_factory=list)
    remove_levers: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class ResolvedScenario:
    """A scenario with its inheritance applied: everything a run needs."""

    name: str
    title_zh: str
    title_en: str
    parent: str | None
    description: str
    electricity_accounting: str
    gdp_growth_pct: dict[int, float]
    export_share: dict[int, float]
    drivers_source: str
    uncertainty: Uncertainty
    levers: tuple[Lever, ...]
    chain: tuple[str, ...]
    description_zh: str = ""
    drivers_source_zh: str = ""


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _line_of(root: yaml.Node, loc: Sequence[str | int]) -> int:
    node, line = root, _line(root)
    for key in loc:
        found: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if str(k.value) == str(key):
                    found, line = v, _line(k)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
            found = node.value[key]
            line = _line(found)
        if found is None:
            break
        node = found
    return line


def _semantic(sc: ScenarioFile, catalog: Catalog) -> Iterable[tuple[tuple[str | int, ...], str]]:
    regions = {lg.region for lg in catalog.leagues} | {"150000"}
    seen: set[str] = set()
    for i, lever in enumerate(sc.levers):
        where: tuple[str | int, ...] = ("levers", i)
        if lever.id in seen:
            yield (*where, "id"), f"lever '{lever.id}' given twice"
        seen.add(lever.id)
        if lever.sector not in catalog.sector_ids and lever.sector != "*":
            yield (*where, "sector"), f"unknown sector '{lever.sector}' (one of {', '.join(catalog.sector_ids)}, or *)"
        needs_fuel = lever.kind in ("mix", "factor")
        if needs_fuel and lever.fuel not in catalog.fuel_ids:
            yield (*where, "fuel"), f"a {lever.kind} lever needs a fuel among {', '.join(catalog.fuel_ids)}"
        if lever.kind == "mix" and (lever.to_fuel not in catalog.fuel_ids or lever.to_fuel == lever.fuel):
            yield (*where, "to_fuel"), "a mix lever needs to_fuel, another fuel of the catalogue"
        for j, code in enumerate(lever.regions or []):
            if code not in regions:
                yield (*where, "regions", j), f"region '{code}' is not Inner Mongolia or one of its 12 leagues"
    for key in ("gdp_growth_pct", "export_share"):
        path = getattr(sc.drivers, key) if sc.drivers else None
        if key == "export_share" and path and any(not 0.0 <= v < 1.0 for v in path.values()):
            yield ("drivers", key), "export shares lie in [0, 1)"


def parse_scenario(text: str, *, file: str, catalog: Catalog | None = None) -> ScenarioFile:
    """Parse and check one scenario file; raise :class:`InputError` naming file, line and field."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
        data: Any = yaml.load(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = f"YAML syntax error: {exc.problem or 'unreadable'}"
        raise InputError(msg, location=at(file, line=int(mark.line) + 1 if mark else None),
                         hint="check indentation, colons and quotes on that line") from exc
    except yaml.reader.ReaderError as exc:  # a control character the YAML reader refuses (NUL, ESC …)
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        msg = f"the file has a control character (U+{code:04X}) that YAML does not allow"
        raise InputError(msg, location=at(file, line=line), hint="save the file as plain UTF-8 text") from exc
    if root is None or not isinstance(data, dict):
        msg = "a scenario file is a mapping (name, title_zh, title_en, description, levers …)"
        raise InputError(msg, location=at(file, line=1))
    try:
        sc = ScenarioFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or None
        raise InputError(err["msg"], location=at(file, line=_line_of(root, loc), field=field),
                         hint=f"{len(exc.errors())} problem(s) in the file; nothing was loaded") from None
    for loc2, message in _semantic(sc, catalog or load_catalog()):
        raise InputError(message, location=at(file, line=_line_of(root, loc2), field=".".join(map(str, loc2))))
    return sc


def resolve(name: str, files: Mapping[str, ScenarioFile], *, origin: Mapping[str, str] | None = None
            ) -> ResolvedScenario:
    """Apply inheritance from the root down to ``name``."""
    chain: list[ScenarioFile] = []
    current: str | None = name
    while current is not None:
        if current not in files:
            where = at((origin or {}).get(chain[-1].name) if chain else None, field="parent")
            msg = f"scenario '{current}' not found"
            raise InputError(msg, location=where, hint=f"known: {', '.join(sorted(files))}")
        if any(c.name == current for c in chain):
            msg = f"scenario inheritance loops through '{current}'"
            raise InputError(msg, location=at((origin or {}).get(current), field="parent"))
        chain.append(files[current])
        current = files[current].parent
    chain.reverse()
    root = chain[0]
    if root.drivers is None or root.drivers.gdp_growth_pct is None or root.drivers.export_share is None \
            or root.uncertainty is None:
        msg = "the root scenario must give drivers.gdp_growth_pct, drivers.export_share and uncertainty"
        raise InputError(msg, location=at((origin or {}).get(root.name), field="drivers"))
    gdp, export, dsrc = root.drivers.gdp_growth_pct, root.drivers.export_share, root.drivers.source or ""
    dsrc_zh = root.drivers.source_zh or ""
    unc, acc = root.uncertainty, root.electricity_accounting or "production"
    levers: dict[str, Lever] = {}
    for sc in chain:
        if sc.drivers is not None:
            gdp = sc.drivers.gdp_growth_pct or gdp
            export = sc.drivers.export_share or export
            if sc.drivers.source:
                dsrc, dsrc_zh = sc.drivers.source, sc.drivers.source_zh or ""
        unc = sc.uncertainty or unc
        acc = sc.electricity_accounting or acc
        for lever_id in sc.remove_levers:
            levers.pop(lever_id, None)
        for lever in sc.levers:
            levers[lever.id] = lever
    leaf = chain[-1]
    return ResolvedScenario(name=leaf.name, title_zh=leaf.title_zh, title_en=leaf.title_en, parent=leaf.parent,
                            description=leaf.description, electricity_accounting=acc, gdp_growth_pct=gdp,
                            export_share=export, drivers_source=dsrc, uncertainty=unc,
                            levers=tuple(levers.values()), chain=tuple(c.name for c in chain),
                            description_zh=leaf.description_zh or "", drivers_source_zh=dsrc_zh)


def builtin_files() -> dict[str, tuple[str, str]]:
    """Shipped scenario files: name (file stem) → (file label, text)."""
    folder = resources.files("tanfeng.scenarios").joinpath("data", "scenarios")
    out: dict[str, tuple[str, str]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            out[Path(entry.name).stem] = (f"scenarios/data/scenarios/{entry.name}", entry.read_text(encoding="utf-8"))
    return out


def load_builtin() -> dict[str, ScenarioFile]:
    """Every shipped scenario file, checked (all or none)."""
    parsed = {name: parse_scenario(text, file=label) for name, (label, text) in builtin_files().items()}
    for name, sc in parsed.items():
        if sc.name != name:
            msg = f"the file declares name '{sc.name}' but is named '{name}.yaml'"
            raise InputError(msg, location=at(builtin_files()[name][0], field="name"))
    return parsed
