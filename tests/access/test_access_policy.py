"""Authorization: the full role × action × (own, other tenant) matrix, scoping rules and the data file.

The expected outcomes are written out below by hand from the access rules (league: its league and
counties; county: its county; enterprise: itself; department: what the plan assigns it; auditor: reads
all but secrets, writes nothing; office: reads all, manages dispatch; region_admin: everything, audit log
append-only), not computed from ``permissions.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from tanfeng.access.policy import (
    LEGACY_LEAGUE_CODES,
    Action,
    Principal,
    Resource,
    ResourceKind,
    Role,
    Scope,
    authorize,
    league_of,
    load_permissions,
    parse_permissions,
    render_matrix_markdown,
    require,
)
from tanfeng.errors import PermissionDeniedError, ReferenceDataError

ACTIONS = [Action.READ, Action.CREATE, Action.UPDATE, Action.SUBMIT, Action.REVIEW, Action.DELETE,
           Action.INGEST, Action.ADMIN]

# Columns of "own" and "other": read create update submit review delete ingest admin (Y allowed, . denied).
# "own" is a record of the principal's own tenant (league 150100 → county 150102; county 150102; unit E-001;
# department 自治区能源局; its own account); "other" belongs to another tenant (150202 包头, unit E-999,
# 自治区统计局, another account).
EXPECTED = """
role          resource         own       other
region_admin  plan             YYYYYYYY  YYYYYYYY
region_admin  aggregate        YYYYYYYY  YYYYYYYY
region_admin  region_data      YYYYYYYY  YYYYYYYY
region_admin  enterprise_data  YYYYYYYY  YYYYYYYY
region_admin  dispatch         YYYYYYYY  YYYYYYYY
region_admin  user             YYYYYYYY  YYYYYYYY
region_admin  credential       YYYYYYYY  YYYYYYYY
region_admin  audit_log        Y......Y  Y......Y
region_admin  registry         YY.YY..Y  YY.YY..Y
region_admin  power_study      YY......  YY......
office        plan             Y...Y...  Y...Y...
office        aggregate        Y.......  Y.......
office        region_data      Y...Y...  Y...Y...
office        enterprise_data  Y.......  Y.......
office        dispatch         YYYYYY.Y  YYYYYY.Y
office        user             Y.Y.....  Y.......
office        credential       Y.Y.....  ........
office        audit_log        Y.......  Y.......
office        registry         Y.......  Y.......
office        power_study      YY......  YY......
department    plan             Y.......  Y.......
department    aggregate        Y.......  Y.......
department    region_data      YYYY....  ........
department    enterprise_data  Y...Y...  ........
department    dispatch         Y.YY....  ........
department    user             Y.Y.....  ........
department    credential       Y.Y.....  ........
department    audit_log        ........  ........
department    registry         ........  ........
department    power_study      YY......  YY......
league        plan             Y.......  Y.......
league        aggregate        Y.......  Y.......
league        region_data      YYYYY...  ........
league        enterprise_data  Y...Y...  ........
league        dispatch         Y.YY....  ........
league        user             Y.Y.....  ........
league        credential       Y.Y.....  ........
league        audit_log        ........  ........
league        registry         Y.......  ........
league        power_study      Y.......  Y.......
county        plan             Y.......  Y.......
county        aggregate        Y.......  Y.......
county        region_data      YYYY....  ........
county        enterprise_data  Y...Y...  ........
county        dispatch         Y.YY....  ........
county        user             Y.Y.....  ........
county        credential       Y.Y.....  ........
county        audit_log        ........  ........
county        registry         ........  ........
county        power_study      Y.......  Y.......
enterprise    plan             Y.......  Y.......
enterprise    aggregate        Y.......  Y.......
enterprise    region_data      ........  ........
enterprise    enterprise_data  YYYY..Y.  ........
enterprise    dispatch         Y.YY....  ........
enterprise    user             Y.Y.....  ........
enterprise    credential       Y.Y.....  ........
enterprise    audit_log        ........  ........
enterprise    registry         YY.Y....  ........
enterprise    power_study      ........  ........
auditor       plan             Y.......  Y.......
auditor       aggregate        Y.......  Y.......
auditor       region_data      Y.......  Y.......
auditor       enterprise_data  Y.......  Y.......
auditor       dispatch         Y.......  Y.......
auditor       user             Y.......  Y.......
auditor       credential       Y.Y.....  ........
auditor       audit_log        Y.......  Y.......
auditor       registry         Y.......  Y.......
auditor       power_study      Y.......  Y.......
machine       plan             ........  ........
machine       aggregate        ........  ........
machine       region_data      ........  ........
machine       enterprise_data  ......Y.  ........
machine       dispatch         ........  ........
machine       user             ........  ........
machine       credential       ........  ........
machine       audit_log        ........  ........
machine       registry         ........  ........
machine       power_study      ........  ........
public        plan             Y.......  Y.......
public        aggregate        Y.......  Y.......
public        region_data      ........  ........
public        enterprise_data  ........  ........
public        dispatch         ........  ........
public        user             ........  ........
public        credential       ........  ........
public        audit_log        ........  ........
region_admin  project          YYYYYYYY  YYYYYYYY
office        project          Y.......  Y.......
department    project          Y.......  Y.......
league        project          YYYYY...  ........
county        project          YYY.....  ........
enterprise    project          Y.......  ........
auditor       project          Y.......  Y.......
machine       project          ........  ........
public        project          ........  ........
region_admin  assessment       YYYYYYYY  YYYYYYYY
office        assessment       YYY....Y  YYY....Y
department    assessment       Y.......  Y.......
league        assessment       Y.......  Y.......
county        assessment       Y.......  Y.......
enterprise    assessment       ........  ........
auditor       assessment       Y.......  Y.......
machine       assessment       ........  ........
public        assessment       ........  ........
public        registry         ........  ........
public        power_study      ........  ........
"""

PRINCIPALS = {
    Role.REGION_ADMIN: Principal(user_id="admin", role=Role.REGION_ADMIN),
    Role.OFFICE: Principal(user_id="office-1", role=Role.OFFICE),
    Role.DEPARTMENT: Principal(user_id="nyj-1", role=Role.DEPARTMENT, department_code="自治区能源局"),
    Role.LEAGUE: Principal(user_id="hhht-1", role=Role.LEAGUE, region_code="150100"),
    Role.COUNTY: Principal(user_id="xc-1", role=Role.COUNTY, region_code="150102"),
    Role.ENTERPRISE: Principal(user_id="ent-1", role=Role.ENTERPRISE, unit_id="E-001"),
    Role.AUDITOR: Principal(user_id="audit-1", role=Role.AUDITOR),
    Role.MACHINE: Principal(user_id="gw-1", role=Role.MACHINE, unit_id="E-001",
                            token_scopes=frozenset({Action.INGEST})),
    Role.PUBLIC: Principal.anonymous(),
}


def _own(kind: ResourceKind, principal: Principal) -> Resource:
    return Resource(kind=kind, id="own", region_code="150102", unit_id="E-001", departments=("自治区能源局",),
                    owner_user_id=principal.user_id)


def _other(kind: ResourceKind) -> Resource:
    return Resource(kind=kind, id="other", region_code="150202", unit_id="E-999", departments=("自治区统计局",),
                    owner_user_id="someone-else")


def _table() -> list[tuple[Role, ResourceKind, str, str]]:
    rows = []
    for line in EXPECTED.strip().splitlines()[1:]:
        role, kind, own, other = line.split()
        rows.append((Role(role), ResourceKind(kind), own, other))
    return rows


def test_the_expected_table_covers_every_role_and_resource() -> None:
    rows = _table()
    assert {(r, k) for r, k, _, _ in rows} == {(r, k) for r in Role for k in ResourceKind}
    assert len(rows) == len(Role) * len(ResourceKind)
    assert all(len(own) == len(other) == len(ACTIONS) for _, _, own, other in rows)


@pytest.mark.parametrize(("role", "kind", "own", "other"), _table(),
                         ids=[f"{r.value}-{k.value}" for r, k, _, _ in _table()])
def test_authorization_matrix(role: Role, kind: ResourceKind, own: str, other: str) -> None:
    principal = PRINCIPALS[role]
    got_own = "".join("Y" if authorize(principal, a, _own(kind, principal)).allowed else "." for a in ACTIONS)
    got_other = "".join("Y" if authorize(principal, a, _other(kind)).allowed else "." for a in ACTIONS)
    assert (got_own, got_other) == (own, other)


def _region(code: str, kind: ResourceKind = ResourceKind.REGION_DATA) -> Resource:
    return Resource(kind=kind, region_code=code)


def test_league_officer_reaches_its_counties_not_other_leagues() -> None:
    league = PRINCIPALS[Role.LEAGUE]
    assert authorize(league, Action.UPDATE, _region("150100")).allowed  # its own league-level records
    assert authorize(league, Action.UPDATE, _region("150125")).allowed  # 武川县, a county of 呼和浩特
    assert not authorize(league, Action.READ, _region("150200")).allowed  # 包头市
    assert not authorize(league, Action.READ, _region("150000")).allowed  # the region as a whole
    assert not authorize(league, Action.READ, _region("152201")).allowed  # 乌兰浩特市 of 兴安盟


def test_league_officer_reviews_its_counties_but_not_its_own_report() -> None:
    league = PRINCIPALS[Role.LEAGUE]
    assert authorize(league, Action.REVIEW, _region("150102")).allowed
    decision = authorize(league, Action.REVIEW, _region("150100"))
    assert not decision.allowed
    assert "not the league's own" in decision.reason


def test_county_officer_only_its_county() -> None:
    county = PRINCIPALS[Role.COUNTY]
    assert authorize(county, Action.SUBMIT, _region("150102")).allowed
    assert not authorize(county, Action.READ, _region("150103")).allowed  # neighbouring 回民区
    assert not authorize(county, Action.READ, _region("150100")).allowed  # its league
    assert not authorize(county, Action.REVIEW, _region("150102")).allowed  # nobody approves their own report


def test_enterprise_data_is_scoped_by_the_units_county_for_officers() -> None:
    data = Resource(kind=ResourceKind.ENTERPRISE_DATA, unit_id="E-777", region_code="150125")
    assert authorize(PRINCIPALS[Role.LEAGUE], Action.READ, data).allowed
    assert not authorize(PRINCIPALS[Role.COUNTY], Action.READ, data).allowed
    assert not authorize(PRINCIPALS[Role.ENTERPRISE], Action.READ, data).allowed


@pytest.mark.parametrize(("principal_code", "resource_code"), [
    ("150900", "152600"),  # the league's records under its legacy code (乌兰察布盟)
    ("150900", "152601"),  # a county code of the legacy league
    ("152600", "150902"),  # an account created with the legacy code
    ("150800", "152801"),  # 巴彦淖尔: legacy county code
])
def test_legacy_league_codes_are_mapped_before_comparison(principal_code: str, resource_code: str) -> None:
    officer = Principal(user_id="u", role=Role.LEAGUE, region_code=principal_code)
    assert authorize(officer, Action.READ, _region(resource_code)).allowed


def test_legacy_mapping_can_be_passed_in() -> None:
    officer = Principal(user_id="u", role=Role.LEAGUE, region_code="150900")
    assert not authorize(officer, Action.READ, _region("152601"), legacy_codes={}).allowed
    assert authorize(officer, Action.READ, _region("152601"), legacy_codes=LEGACY_LEAGUE_CODES).allowed


def test_league_of() -> None:
    assert league_of("150102") == "150100"
    assert league_of("150100") == "150100"
    assert league_of("152601") == "150900"
    assert league_of("152822") == "150800"
    assert league_of("152921") == "152900"  # 阿拉善盟 kept its 15xx code
    assert league_of("150000") is None


def test_department_sees_what_the_plan_assigns_and_region_aggregates() -> None:
    dept = PRINCIPALS[Role.DEPARTMENT]
    assigned = Resource(kind=ResourceKind.REGION_DATA, region_code="150000",
                        departments=("自治区发展改革委", "自治区能源局"))
    assert authorize(dept, Action.UPDATE, assigned).allowed
    region_level = _region("150000")
    assert authorize(dept, Action.READ, region_level).allowed
    assert not authorize(dept, Action.UPDATE, region_level).allowed
    assert not authorize(dept, Action.READ, _region("150100")).allowed


def test_token_scopes_restrict_a_role_but_never_extend_it() -> None:
    read_only = Principal(user_id="hhht-1", role=Role.LEAGUE, region_code="150100",
                          token_scopes=frozenset({Action.READ}))
    assert authorize(read_only, Action.READ, _region("150102")).allowed
    decision = authorize(read_only, Action.UPDATE, _region("150102"))
    assert not decision.allowed
    assert "token" in decision.reason
    widened = Principal(user_id="ent-1", role=Role.ENTERPRISE, unit_id="E-001",
                        token_scopes=frozenset({Action.DELETE}))
    assert not authorize(widened, Action.DELETE, _own(ResourceKind.ENTERPRISE_DATA, widened)).allowed


def test_require_raises_with_the_reason() -> None:
    county = PRINCIPALS[Role.COUNTY]
    assert require(county, Action.READ, _region("150102")).allowed
    with pytest.raises(PermissionDeniedError, match=r"county officer of 150102 .* own county.*150202"):
        require(county, Action.READ, _region("150202"))


def test_reasons_name_the_rule() -> None:
    decision = authorize(PRINCIPALS[Role.AUDITOR], Action.UPDATE, _region("150102"))
    assert decision.reason == "denied: role auditor may not update region_data at all"
    allowed = authorize(PRINCIPALS[Role.LEAGUE], Action.READ, _region("150102"))
    assert allowed.reason.startswith("allowed: league officer of 150100 may read records of its league")


def test_records_without_the_scoping_attribute_are_denied() -> None:
    assert not authorize(PRINCIPALS[Role.LEAGUE], Action.READ, Resource(kind=ResourceKind.REGION_DATA)).allowed
    assert not authorize(PRINCIPALS[Role.ENTERPRISE], Action.READ,
                         Resource(kind=ResourceKind.ENTERPRISE_DATA)).allowed
    assert not authorize(PRINCIPALS[Role.OFFICE], Action.UPDATE, Resource(kind=ResourceKind.USER)).allowed


@pytest.mark.parametrize(("fields", "message"), [
    ({"role": Role.LEAGUE}, "league officer needs region_code"),
    ({"role": Role.LEAGUE, "region_code": "150102"}, "league officer needs region_code"),
    ({"role": Role.COUNTY, "region_code": "150100"}, "county officer needs region_code"),
    ({"role": Role.COUNTY, "region_code": "15010"}, "6-digit GB/T 2260 code"),
    ({"role": Role.OFFICE, "region_code": "150100"}, "only for league and county"),
    ({"role": Role.DEPARTMENT}, "department_code"),
    ({"role": Role.ENTERPRISE}, "unit_id"),
    ({"role": Role.MACHINE, "unit_id": "E-1"}, "token_scopes"),
    ({"role": Role.MACHINE, "unit_id": "E-1", "token_scopes": frozenset({Action.INGEST, Action.READ})},
     "token_scopes"),
])
def test_principal_must_fit_its_role(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Principal.model_validate({"user_id": "u", **fields})


def test_resource_region_code_is_checked() -> None:
    with pytest.raises(ValidationError, match="6-digit"):
        Resource(kind=ResourceKind.REGION_DATA, region_code="内蒙古")


HEADER = "role,resource,read,create,update,submit,review,delete,ingest,admin\n"


def _full_csv(override: dict[tuple[str, str], str] | None = None) -> str:
    rows = []
    for role in Role:
        for kind in ResourceKind:
            rows.append((override or {}).get((role.value, kind.value), f"{role.value},{kind.value}" + ",-" * 8))
    return HEADER + "\n".join(rows) + "\n"


def test_parse_accepts_an_all_denied_matrix() -> None:
    matrix = parse_permissions(_full_csv())
    assert not authorize(PRINCIPALS[Role.REGION_ADMIN], Action.READ, _region("150100"), matrix=matrix).allowed


@pytest.mark.parametrize(("text", "message"), [
    (_full_csv({("office", "plan"): "office,plan,everything,-,-,-,-,-,-,-"}), "unknown scope 'everything'"),
    (_full_csv({("office", "plan"): "office,plan,own,-,-,-,-,-,-,-"}), "needs a role with a tenant"),
    (_full_csv({("department", "plan"): "department,plan,below,-,-,-,-,-,-,-"}), "only for league and county"),
    (_full_csv({("public", "user"): "public,user,self,-,-,-,-,-,-,-"}), "needs an account"),
    (_full_csv({("region_admin", "audit_log"): "region_admin,audit_log,any,-,any,-,-,-,-,-"}), "append-only"),
    (_full_csv().replace("county,plan,-,-,-,-,-,-,-,-\n", ""), "no row for county/plan"),
    (_full_csv() + "county,plan,-,-,-,-,-,-,-,-\n", "duplicate row"),
    (_full_csv().replace("county,plan", "mayor,plan"), "unknown role"),
    ("role,resource,read\n", "header must be"),
])
def test_parse_refuses_bad_matrix_files(text: str, message: str) -> None:
    with pytest.raises(ReferenceDataError, match=message):
        parse_permissions(text)


def test_shipped_matrix_loads() -> None:
    matrix = load_permissions()
    assert matrix.scopes(Role.MACHINE, ResourceKind.ENTERPRISE_DATA, Action.INGEST)
    assert matrix.scopes(Role.AUDITOR, ResourceKind.CREDENTIAL, Action.READ) == {Scope.SELF}


def test_docs_show_the_shipped_matrix() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "security.md"
    text = docs.read_text(encoding="utf-8")
    assert render_matrix_markdown() in text, "docs/security.md is out of date: paste render_matrix_markdown()"
