"""Roles, resources and the authorization decision.

Who may do what is data: ``data/permissions.csv`` has one row per (role, resource) and one column per
action; each cell is a *scope* that says on which records of that resource the role may do the action:

==========  ==================================================================================
scope       the role may act on …
==========  ==================================================================================
``any``     every record
``own``     records of its own tenant: a league officer its league and the league's counties, a
            county officer its county, a department what the plan assigns to it (the record's
            ``departments`` contain its department code), an enterprise or meter gateway its own
            unit
``below``   records strictly below its own region (a league officer: its counties, not the league's
            own records) — used for review, so nobody approves their own report
``region``  region-level records (the record's region code is a province-level code, ``xx0000``)
``self``    its own user account and credentials
``-``       nothing
==========  ==================================================================================

A cell may join scopes with ``|`` (``own|region``). Anything the file does not allow is denied. The file
is checked when it is read: every role has a row for every resource, every cell is a known scope, and
tenant scopes (``own``, ``below``) appear only for roles that have a tenant.

Region codes are GB/T 2260 codes. A county belongs to the league whose code is the county's first four
digits followed by ``00`` (150102 belongs to 150100). Two leagues changed code when they became cities;
records may still carry the old code, so codes are mapped to the current ones before comparison
(:data:`LEGACY_LEAGUE_CODES`, or the catalogue's full mapping passed as ``legacy_codes``).

Examples
--------
>>> officer = Principal(user_id="u1", role=Role.LEAGUE, region_code="150100")
>>> authorize(officer, Action.UPDATE, Resource(kind=ResourceKind.REGION_DATA, region_code="150102")).allowed
True
>>> authorize(officer, Action.UPDATE, Resource(kind=ResourceKind.REGION_DATA, region_code="150202")).allowed
False
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from enum import StrEnum
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tanfeng.errors import PermissionDeniedError, ReferenceDataError, at

__all__ = [
    "LEGACY_LEAGUE_CODES",
    "PERMISSIONS_FILE",
    "Action",
    "Cell",
    "Decision",
    "PermissionMatrix",
    "Principal",
    "Resource",
    "ResourceKind",
    "Role",
    "Scope",
    "authorize",
    "league_of",
    "load_permissions",
    "parse_permissions",
    "render_matrix_markdown",
    "require",
]

PERMISSIONS_FILE = "permissions.csv"
"""Name of the role/permission matrix inside ``tanfeng/access/data``."""

# GB/T 2260 (行政区划代码): 乌兰察布盟 152600 became 乌兰察布市 150900 (2003) and 巴彦淖尔盟 152800 became
# 巴彦淖尔市 150800 (2003). Records and accounts created before may still carry the old league codes.
LEGACY_LEAGUE_CODES: Mapping[str, str] = {"152600": "150900", "152800": "150800"}
"""Legacy league code → current league code (GB/T 2260), applied before any comparison."""

_CODE = re.compile(r"^\d{6}$")


class Role(StrEnum):
    """What a principal is; each role is one row block of the permission matrix."""

    REGION_ADMIN = "region_admin"
    """自治区 administrator: everything (the audit log stays append-only)."""
    OFFICE = "office"
    """Leading-group office (领导小组办公室): reads all, manages dispatch, reviews region reports."""
    DEPARTMENT = "department"
    """A department (能源局, 生态环境厅, 统计局, 工信厅, 发展改革委 …): what the plan assigns to it."""
    LEAGUE = "league"
    """League/city officer (盟市): its league and its counties."""
    COUNTY = "county"
    """County officer (旗县区): its county."""
    ENTERPRISE = "enterprise"
    """Enterprise reporter (重点用能单位): its own unit."""
    AUDITOR = "auditor"
    """Auditor: reads everything except credentials, writes nothing."""
    MACHINE = "machine"
    """Meter gateway token: ingest for one unit, nothing else."""
    PUBLIC = "public"
    """Anyone, not logged in: the plan and published aggregates."""


class Action(StrEnum):
    """What a principal wants to do."""

    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    SUBMIT = "submit"
    REVIEW = "review"
    """Review or approve (审核) something submitted."""
    DELETE = "delete"
    INGEST = "ingest"
    """Push meter readings or measurements."""
    ADMIN = "admin"
    """Manage: assign, reassign, reset, publish anchors."""


class ResourceKind(StrEnum):
    """The kinds of things the platform guards."""

    PLAN = "plan"
    """The implementation plan (public read)."""
    AGGREGATE = "aggregate"
    """Published aggregates (public read)."""
    REGION_DATA = "region_data"
    """Indicators and reports of a region (``region_code``)."""
    ENTERPRISE_DATA = "enterprise_data"
    """An enterprise unit's data (``unit_id`` and the unit's county or league in ``region_code``)."""
    DISPATCH = "dispatch"
    """Dispatch (调度) entries, by responsible unit: a region, departments or an enterprise unit."""
    USER = "user"
    """User accounts (``owner_user_id`` is the account)."""
    CREDENTIAL = "credential"
    """Password hashes and API tokens of an account: the secrets auditors do not read."""
    AUDIT_LOG = "audit_log"
    """The audit trail: append-only, for everyone."""
    PROJECT = "project"
    """A fixed-asset investment project of the 清单 (``region_code`` its county or league, ``unit_id`` its owner)."""
    ASSESSMENT = "assessment"
    """The leagues' comprehensive assessment (``region_code`` the league)."""
    REGISTRY = "registry"
    """Registry accounts (energy-use rights, allowances, credits): an enterprise's (``unit_id``) or a region's."""
    POWER_STUDY = "power_study"
    """Power-system studies (新型电力系统): read the shipped studies, run (create) a dispatch."""


class Scope(StrEnum):
    """On which records a cell of the matrix lets a role act (see the module docstring)."""

    ANY = "any"
    OWN = "own"
    BELOW = "below"
    REGION = "region"
    SELF = "self"


_TENANT_ROLES = frozenset({Role.DEPARTMENT, Role.LEAGUE, Role.COUNTY, Role.ENTERPRISE, Role.MACHINE})
_REGION_ROLES = frozenset({Role.LEAGUE, Role.COUNTY})
_NO_ACCOUNT_ROLES = frozenset({Role.PUBLIC})


def _check_code(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not _CODE.match(value):
        msg = f"{what} must be a 6-digit GB/T 2260 code such as 150102, got {value!r}"
        raise ValueError(msg)
    return value


def _current(code: str, legacy: Mapping[str, str]) -> str:
    return legacy.get(code, code)


def league_of(code: str, legacy_codes: Mapping[str, str] = LEGACY_LEAGUE_CODES) -> str | None:
    """The current code of the league a league or county code belongs to.

    Parameters
    ----------
    code
        A 6-digit GB/T 2260 code.
    legacy_codes
        Legacy → current code mapping applied to the code and to its league.

    Returns
    -------
    str or None
        The league's current code; ``None`` for a province-level code (``xx0000``).

    Examples
    --------
    >>> league_of("150102")
    '150100'
    >>> league_of("152601")
    '150900'
    """
    code = _current(code, legacy_codes)
    if code.endswith("0000"):
        return None
    return _current(code[:4] + "00", legacy_codes)


class Principal(BaseModel):
    """Who is acting: a logged-in user, a machine token, or the public.

    Parameters
    ----------
    user_id
        Account id (for a token: the account that owns it; for the public: ``"anonymous"``).
    role
        The role.
    region_code
        League officers: their league code (``xxxx00``); county officers: their county code.
    department_code
        Departments: their code, the same string the plan uses in ``departments``.
    unit_id
        Enterprise reporters and meter gateways: their enterprise unit id.
    token_scopes
        For a request made with an API token: the actions the token allows. Scopes only restrict: the
        role's matrix still decides. ``None`` for an interactive session. Meter gateways need
        ``{ingest}``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    user_id: str = Field(min_length=1)
    role: Role
    region_code: str | None = None
    department_code: str | None = None
    unit_id: str | None = None
    token_scopes: frozenset[Action] | None = None

    @field_validator("region_code")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        return _check_code(value, "region_code")

    @model_validator(mode="after")
    def _fits_role(self) -> Principal:
        role = self.role
        code = self.region_code
        if role is Role.LEAGUE and (code is None or not code.endswith("00") or code.endswith("0000")):
            msg = f"a league officer needs region_code of a league (e.g. 150100), got {code!r}"
            raise ValueError(msg)
        if role is Role.COUNTY and (code is None or code.endswith("00")):
            msg = f"a county officer needs region_code of a county (e.g. 150102), got {code!r}"
            raise ValueError(msg)
        if role not in _REGION_ROLES and code is not None:
            msg = f"region_code is only for league and county officers, not for role {role.value}"
            raise ValueError(msg)
        if role is Role.DEPARTMENT and not (self.department_code and self.department_code.strip()):
            msg = "a department principal needs its department_code (the name the plan uses, e.g. 自治区能源局)"
            raise ValueError(msg)
        if role in (Role.ENTERPRISE, Role.MACHINE) and not (self.unit_id and self.unit_id.strip()):
            msg = f"role {role.value} needs the unit_id of its enterprise unit"
            raise ValueError(msg)
        if role is Role.MACHINE and (not self.token_scopes or not self.token_scopes <= {Action.INGEST}):
            msg = "a meter gateway (role machine) needs token_scopes {ingest} and nothing more"
            raise ValueError(msg)
        return self

    @classmethod
    def anonymous(cls) -> Principal:
        """The public: someone who is not logged in."""
        return cls(user_id="anonymous", role=Role.PUBLIC)

    def describe(self) -> str:
        """A short human description used in decision reasons, e.g. ``league officer of 150100``."""
        match self.role:
            case Role.LEAGUE:
                return f"league officer of {self.region_code}"
            case Role.COUNTY:
                return f"county officer of {self.region_code}"
            case Role.DEPARTMENT:
                return f"department {self.department_code}"
            case Role.ENTERPRISE:
                return f"enterprise reporter of unit {self.unit_id}"
            case Role.MACHINE:
                return f"meter gateway of unit {self.unit_id}"
            case Role.PUBLIC:
                return "the public"
            case _:
                return self.role.value


class Resource(BaseModel):
    """What is acted on: its kind and the attributes scoping rules look at.

    Parameters
    ----------
    kind
        The resource kind.
    id
        The record's id, for messages only.
    region_code
        Region data: the region; enterprise data: the unit's county (or league); dispatch: the
        responsible region, if any.
    unit_id
        Enterprise data: the unit; dispatch: the responsible enterprise unit, if any.
    departments
        Departments the plan assigns the record to (responsible departments).
    owner_user_id
        Users and credentials: the account.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ResourceKind
    id: str | None = None
    region_code: str | None = None
    unit_id: str | None = None
    departments: tuple[str, ...] = ()
    owner_user_id: str | None = None

    @field_validator("region_code")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        return _check_code(value, "region_code")

    def describe(self) -> str:
        """A short human description used in decision reasons."""
        parts = [self.kind.value]
        if self.id:
            parts.append(self.id)
        if self.region_code:
            parts.append(f"of region {self.region_code}")
        if self.unit_id:
            parts.append(f"of unit {self.unit_id}")
        if self.departments:
            parts.append(f"assigned to {'/'.join(self.departments)}")
        if self.owner_user_id:
            parts.append(f"of account {self.owner_user_id}")
        return " ".join(parts)


class Decision(BaseModel):
    """The outcome of :func:`authorize`: allowed or not, and why (safe to show to the principal)."""

    model_config = ConfigDict(frozen=True)

    allowed: bool
    reason: str


Cell = frozenset[Scope]
"""The scopes of one matrix cell; empty means denied."""


class PermissionMatrix(BaseModel):
    """The role × resource × action matrix, as read from the data file."""

    model_config = ConfigDict(frozen=True)

    cells: dict[tuple[Role, ResourceKind, Action], Cell]

    def scopes(self, role: Role, resource: ResourceKind, action: Action) -> Cell:
        """The scopes of one cell (empty: denied)."""
        return self.cells.get((role, resource, action), frozenset())


def _parse_cell(text: str, role: Role, where: str) -> Cell:
    text = text.strip()
    if text in ("-", ""):
        return frozenset()
    scopes: set[Scope] = set()
    for part in text.split("|"):
        try:
            scope = Scope(part.strip())
        except ValueError:
            msg = f"unknown scope {part.strip()!r}; use one of {', '.join(s.value for s in Scope)} or '-'"
            raise ReferenceDataError(msg, location=at(PERMISSIONS_FILE, field=where)) from None
        if scope in (Scope.OWN, Scope.BELOW) and role not in _TENANT_ROLES:
            msg = f"scope {scope.value!r} needs a role with a tenant; role {role.value} has none"
            raise ReferenceDataError(msg, location=at(PERMISSIONS_FILE, field=where))
        if scope is Scope.BELOW and role not in _REGION_ROLES:
            msg = f"scope 'below' is only for league and county officers, not {role.value}"
            raise ReferenceDataError(msg, location=at(PERMISSIONS_FILE, field=where))
        if scope is Scope.SELF and role in _NO_ACCOUNT_ROLES:
            msg = f"scope 'self' needs an account; role {role.value} has none"
            raise ReferenceDataError(msg, location=at(PERMISSIONS_FILE, field=where))
        scopes.add(scope)
    return frozenset(scopes)


def parse_permissions(text: str, *, source: str = PERMISSIONS_FILE) -> PermissionMatrix:
    """Read a permission matrix from CSV text (see :data:`PERMISSIONS_FILE` for the format).

    Raises
    ------
    ReferenceDataError
        A missing or duplicate row, an unknown role, resource, action or scope, or a rule that breaks an
        invariant (the audit log is append-only).
    """
    reader = csv.DictReader(io.StringIO(text))
    expected = ["role", "resource", *(a.value for a in Action)]
    if reader.fieldnames != expected:
        msg = f"header must be {','.join(expected)}, got {','.join(reader.fieldnames or [])}"
        raise ReferenceDataError(msg, location=at(source, line=1))
    cells: dict[tuple[Role, ResourceKind, Action], Cell] = {}
    seen: set[tuple[Role, ResourceKind]] = set()
    for line, row in enumerate(reader, start=2):
        try:
            role = Role(row["role"].strip())
            kind = ResourceKind(row["resource"].strip())
        except ValueError as exc:
            msg = f"unknown role or resource: {exc}"
            raise ReferenceDataError(msg, location=at(source, line=line)) from None
        if (role, kind) in seen:
            msg = f"duplicate row for role {role.value}, resource {kind.value}"
            raise ReferenceDataError(msg, location=at(source, line=line))
        seen.add((role, kind))
        for action in Action:
            cell = _parse_cell(row[action.value] or "", role, f"{role.value}/{kind.value}/{action.value}")
            if cell:
                cells[(role, kind, action)] = cell
            if kind is ResourceKind.AUDIT_LOG and action in (Action.CREATE, Action.UPDATE, Action.DELETE) and cell:
                msg = (f"the audit log is append-only: role {role.value} may not {action.value} it "
                       f"(entries are appended by the system, never by a request)")
                raise ReferenceDataError(msg, location=at(source, line=line))
    missing = [f"{r.value}/{k.value}" for r in Role for k in ResourceKind if (r, k) not in seen]
    if missing:
        msg = f"no row for {', '.join(missing)}; every role needs a row for every resource"
        raise ReferenceDataError(msg, location=at(source))
    return PermissionMatrix(cells=cells)


@cache
def load_permissions() -> PermissionMatrix:
    """The shipped permission matrix (``tanfeng/access/data/permissions.csv``), read once."""
    text = resources.files("tanfeng.access").joinpath("data", PERMISSIONS_FILE).read_text(encoding="utf-8")
    return parse_permissions(text)


def _in_scope(scope: Scope, principal: Principal, resource: Resource,
              legacy: Mapping[str, str]) -> tuple[bool, str]:
    """Whether ``resource`` is within ``scope`` for ``principal``; the text says which rule matched or failed."""
    if scope is Scope.ANY:
        return True, "any record"
    if scope is Scope.SELF:
        ok = resource.owner_user_id is not None and resource.owner_user_id == principal.user_id
        return ok, "its own account"
    code = _current(resource.region_code, legacy) if resource.region_code else None
    if scope is Scope.REGION:
        return code is not None and code.endswith("0000"), "region-level records"
    role = principal.role
    if role in _REGION_ROLES:
        mine = _current(principal.region_code or "", legacy)
        if code is None:
            return False, "records of its own region (this record has no region code)"
        if role is Role.COUNTY:
            # A county has nothing below it at region level; "below" only reaches its enterprises' data.
            if scope is Scope.BELOW:
                ok = resource.kind is ResourceKind.ENTERPRISE_DATA and code == mine
                return ok, "records below its county"
            return code == mine, "records of its own county"
        within = code == mine or (not code.endswith("00") and league_of(code, legacy) == mine)
        if scope is Scope.BELOW:
            below = within and (code != mine or resource.kind is ResourceKind.ENTERPRISE_DATA)
            return below, "records of its counties (not the league's own)"
        return within, "records of its league and its counties"
    if role is Role.DEPARTMENT:
        ok = principal.department_code is not None and principal.department_code.strip() in {
            d.strip() for d in resource.departments}
        return ok, "records the plan assigns to it"
    if role in (Role.ENTERPRISE, Role.MACHINE):
        ok = resource.unit_id is not None and resource.unit_id == principal.unit_id
        return ok, "records of its own unit"
    return False, "records of its own tenant"


def authorize(principal: Principal, action: Action, resource: Resource, *,
              matrix: PermissionMatrix | None = None,
              legacy_codes: Mapping[str, str] = LEGACY_LEAGUE_CODES) -> Decision:
    """Decide whether ``principal`` may do ``action`` on ``resource``.

    Parameters
    ----------
    principal
        Who acts.
    action
        What they want to do.
    resource
        On what; its attributes (region code, unit id, departments, owner) drive the scoping rules.
    matrix
        The permission matrix; the shipped one (:func:`load_permissions`) when not given.
    legacy_codes
        Legacy → current GB/T 2260 codes applied to every region code before comparison; pass
        ``tanfeng.reference.regions.legacy_codes()`` for the catalogue's full mapping.

    Returns
    -------
    Decision
        ``allowed`` and a ``reason`` that names the rule, fit to show the principal.
    """
    matrix = matrix if matrix is not None else load_permissions()
    who = principal.describe()
    what = resource.describe()
    if principal.token_scopes is not None and action not in principal.token_scopes:
        allowed = ", ".join(sorted(a.value for a in principal.token_scopes)) or "nothing"
        return Decision(allowed=False, reason=(
            f"denied: this API token of {who} allows {allowed}, not {action.value}"))
    scopes = matrix.scopes(principal.role, resource.kind, action)
    if not scopes:
        return Decision(allowed=False, reason=(
            f"denied: role {principal.role.value} may not {action.value} {resource.kind.value} at all"))
    tried: list[str] = []
    for scope in sorted(scopes):
        ok, rule = _in_scope(scope, principal, resource, legacy_codes)
        if ok:
            return Decision(allowed=True, reason=f"allowed: {who} may {action.value} {rule} ({what})")
        tried.append(rule)
    return Decision(allowed=False, reason=(
        f"denied: {who} may {action.value} {resource.kind.value} only for {' or '.join(tried)}; "
        f"this is {what}"))


def require(principal: Principal, action: Action, resource: Resource, *,
            matrix: PermissionMatrix | None = None,
            legacy_codes: Mapping[str, str] = LEGACY_LEAGUE_CODES) -> Decision:
    """Like :func:`authorize`, but raise when denied.

    Raises
    ------
    PermissionDeniedError
        The principal may not do this; the message is the decision's reason.
    """
    decision = authorize(principal, action, resource, matrix=matrix, legacy_codes=legacy_codes)
    if not decision.allowed:
        raise PermissionDeniedError(decision.reason)
    return decision


def render_matrix_markdown(matrix: PermissionMatrix | None = None) -> str:
    """The matrix as Markdown tables, one per resource (this is what ``docs/security.md`` shows)."""
    matrix = matrix if matrix is not None else load_permissions()
    out: list[str] = []
    for kind in ResourceKind:
        out.append(f"#### {kind.value}\n")
        out.append("| role | " + " | ".join(a.value for a in Action) + " |")
        out.append("|---|" + "---|" * len(Action))
        for role in Role:
            cells = []
            for action in Action:
                scopes = matrix.scopes(role, kind, action)
                cells.append("\\|".join(s.value for s in Scope if s in scopes) or "–")
            out.append(f"| {role.value} | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)
