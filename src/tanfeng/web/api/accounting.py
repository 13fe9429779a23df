"""``/api/accounting``: Energy conversion and carbon accounting: combustion, electricity, inventories, enterprise reports, stored results.

Routes compute nothing themselves: they call :mod:`tanfeng.services.accounting`. Bad input is a 422 naming
file, row and field (the app's :class:`~tanfeng.errors.TanfengError` handler); an unknown run is a 404.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from tanfeng.access.policy import Action, Principal, Resource, ResourceKind, authorize
from tanfeng.access.policy import require as require_permission
from tanfeng.accounting.combustion import CombustionResult
from tanfeng.accounting.electricity import ElectricityResult
from tanfeng.errors import FactorNotFoundError, ImportDataError, InputError, NotFoundError, at
from tanfeng.reference.factors import FactorRecord
from tanfeng.services import accounting as service
from tanfeng.web.deps import CurrentPrincipal, LoggedIn, SessionDep, logged_in

__all__ = ["REGION", "CombustionBody", "CombustionOut", "ConvertRequest", "ElectricityBody", "ElectricityOut", "RunId", "combustion", "convert", "create_enterprise_report", "create_inventory", "electricity", "explain", "factors", "get_run", "list_runs", "recompute", "router", "run_lines"]

router = APIRouter(prefix="/api/accounting", tags=["accounting"])

RunId = Annotated[int, Path(ge=1, le=2_147_483_647, description="id of a stored run")]

REGION = "150000"
"""The region a run without a region of its own belongs to (its data is the region's)."""


def _region_resource(region: str | None) -> Resource:
    """The region's data; anything that is not a 6-digit code (a grid such as CN-NORTH, a name) counts as
    the whole region's, which needs the widest right."""
    code = region if region is not None and len(region) == 6 and region.isdigit() else REGION
    return Resource(kind=ResourceKind.REGION_DATA, id=code, region_code=code)


def _run_resource(run: service.RunInfo) -> Resource:
    """A run is its enterprise's data when it has a unit, else its region's."""
    if run.unit_id:
        return Resource(kind=ResourceKind.ENTERPRISE_DATA, id=run.unit_id, unit_id=run.unit_id,
                        region_code=run.region)
    return _region_resource(run.region)


def _may_store(request: Request, principal: Principal, resource: Resource) -> str:
    """Refuse (401/403) unless the principal may create ``resource``; returns the actor for the audit log.

    Stored runs are records, not published aggregates: storing one needs a login or an API token.
    """
    require_permission(logged_in(request, principal), Action.CREATE, resource)
    return principal.user_id


def _readable_run(session: SessionDep, principal: Principal, run_id: int) -> service.RunDetail:
    """The run, when the principal may read it (403 otherwise); an unknown id says where runs are listed."""
    try:
        run = service.get_run(session, run_id)
    except NotFoundError as exc:
        raise NotFoundError(exc.message, location=exc.location, hint="list them with GET /api/accounting/runs") from exc
    require_permission(principal, Action.READ, _run_resource(run))
    return run


@contextmanager
def _lookup_is_input() -> Iterator[None]:
    """A factor that does not exist for the region/year/fuel the caller asked for is bad input (422), not a 500."""
    try:
        yield
    except FactorNotFoundError as exc:
        raise InputError(exc.message, location=exc.location, hint=exc.hint) from exc


class ConvertRequest(BaseModel):
    """A quantity of an energy product to convert to standard coal (GB/T 2589)."""

    value: float = Field(ge=0, examples=[1])
    unit: str = Field(examples=["t"])
    product: str = Field(examples=["原煤"])
    to: str = Field("tce", description="tce, kgce or 万吨标准煤")
    electricity: str = Field("equivalent", description="equivalent (当量值, 0.1229 kgce/kWh) or equal (等价值)")
    supply_coal_rate: float | None = Field(None, ge=0, description="for equal: the year's supply coal rate, gce/kWh")
    lhv: float | None = Field(None, ge=0, description="measured lower heating value")
    lhv_unit: str | None = None
    variant: str = ""


class CombustionBody(service.CombustionRequest):
    """A fuel burnt; ``store`` keeps the calculation as a run."""

    store: bool = False


class ElectricityBody(service.ElectricityRequest):
    """Electricity used; ``store`` keeps the calculation as a run."""

    store: bool = False


class CombustionOut(CombustionResult):
    """The engine's result, and the run id when it was stored."""

    run_id: int | None = None


class ElectricityOut(ElectricityResult):
    """The engine's result, and the run id when it was stored."""

    run_id: int | None = None


@router.post("/convert", response_model=service.ConversionOut)
def convert(body: ConvertRequest) -> service.ConversionOut:
    """Physical quantity → standard coal with the GB/T 2589 coefficient (or the supply coal rate) and its source."""
    return service.convert(body.value, body.unit, body.product, to=body.to, electricity=body.electricity,
                           supply_coal_rate=body.supply_coal_rate, lhv=body.lhv, lhv_unit=body.lhv_unit,
                           variant=body.variant)


@router.post("/combustion", response_model=CombustionOut)
def combustion(body: CombustionBody, request: Request, session: SessionDep,
               principal: CurrentPrincipal) -> CombustionOut:
    """CO2 of a fuel burnt (factor sets china, ipcc2006, mee2013), with every number used and its source."""
    req = service.CombustionRequest.model_validate(body.model_dump(exclude={"store"}))
    with _lookup_is_input():
        if body.store:
            actor = _may_store(request, principal, _region_resource(None))
            run = service.run_combustion(session, req, actor=actor)
            return CombustionOut.model_validate({**run.result, "run_id": run.id})
        return CombustionOut.model_validate(service.combustion(req))


@router.post("/electricity", response_model=ElectricityOut)
def electricity(body: ElectricityBody, request: Request, session: SessionDep,
                principal: CurrentPrincipal) -> ElectricityOut:
    """Indirect CO2 of electricity at the MEE/NBS grid factor of a region and data year."""
    req = service.ElectricityRequest.model_validate(body.model_dump(exclude={"store"}))
    with _lookup_is_input():
        if body.store:
            actor = _may_store(request, principal, _region_resource(req.region))
            run = service.run_electricity(session, req, actor=actor)
            return ElectricityOut.model_validate({**run.result, "run_id": run.id})
        return ElectricityOut.model_validate(service.electricity(req))


@router.post("/inventories", response_model=service.RunDetail, status_code=201)
def create_inventory(
    request: Request,
    session: SessionDep,
    principal: LoggedIn,
    file: Annotated[UploadFile, File(description="Energy balance: CSV or .xlsx, NBS layout or long form")],
    region: Annotated[str | None, Form(description="region code if the file has no 地区 column")] = None,
    year: Annotated[int | None, Form(ge=1949, le=2100, description="year if the file has no 年份 column")] = None,
    factor_set: Annotated[str, Form()] = "china",
    electricity_region: Annotated[str | None, Form(description="grid-factor region for consumption_based")] = None,
    electricity_conversion: Annotated[str, Form(description="equivalent (当量值) or equal (等价值)")] = "equivalent",
    supply_coal_rate: Annotated[float | None, Form(ge=0, description="gce/kWh, for equal")] = None,
) -> service.RunDetail:
    """Upload a balance table; the inventory is computed and stored as a run (inputs, result, lines).

    Storing needs the right to create the region's data: the region given in the form, else the whole region
    (150000) — a league officer names their league.
    """
    actor = _may_store(request, principal, _region_resource(region or None))
    if electricity_conversion not in ("equivalent", "equal"):
        msg = f"electricity_conversion must be 'equivalent' or 'equal', not '{electricity_conversion}'"
        raise InputError(msg, location=at(field="electricity_conversion"))
    options = service.InventoryOptions(factor_set=factor_set, electricity_region=electricity_region or None,
                                       electricity_conversion=electricity_conversion,
                                       supply_coal_rate=supply_coal_rate)
    data = file.file.read()
    with _lookup_is_input():
        return service.run_inventory_upload(session, data, file.filename, region=region or None, year=year,
                                            options=options, actor=actor)


_ENTERPRISE_BODY: dict[str, Any] = {
    "requestBody": {"content": {
        "application/json": {"schema": {"type": "object", "description": "an EnterpriseReport (see the engine)"}},
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary", "description": "205-1 .xlsx or a JSON report"},
            "enterprise": {"type": "string"}, "year": {"type": "integer"},
            "sector": {"type": "string", "default": "generic"}, "region": {"type": "string"}},
            "required": ["file"]}}}, "required": True},
}


def _enterprise_resource(enterprise: str | None, region: str | None) -> Resource:
    code = region if region is not None and len(region) == 6 and region.isdigit() else None
    return Resource(kind=ResourceKind.ENTERPRISE_DATA, id=enterprise or "(unnamed)", unit_id=enterprise or None,
                    region_code=code)


def _form_int(value: Any, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value))
    except ValueError as exc:
        msg = f"{field} must be a whole number, not '{value}'"
        raise InputError(msg, location=at(field=field)) from exc


@router.post("/enterprise-reports", response_model=service.RunDetail, status_code=201, openapi_extra=_ENTERPRISE_BODY)
async def create_enterprise_report(request: Request, session: SessionDep, principal: LoggedIn) -> service.RunDetail:
    """An enterprise report (form 205-1 .xlsx or JSON, uploaded; or a JSON body) accounted and stored as a run.

    Storing needs the right to create the enterprise's data (its own unit for an enterprise reporter).
    """
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        async with request.form() as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                msg = "no file uploaded"
                raise ImportDataError(msg, location=at(field="file"), hint="send the report as the form field 'file'")
            data = await upload.read()
            filename = upload.filename
            enterprise = form.get("enterprise")
            sector = form.get("sector")
            region = form.get("region")
            kwargs: dict[str, Any] = {
                "enterprise": enterprise if isinstance(enterprise, str) and enterprise else None,
                "year": _form_int(form.get("year"), "year"),
                "sector": sector if isinstance(sector, str) and sector else "generic",
                "region": region if isinstance(region, str) and region else None,
            }

        actor = _may_store(request, principal, _enterprise_resource(kwargs["enterprise"], kwargs["region"]))

        def run_upload() -> service.RunDetail:
            with _lookup_is_input():
                return service.run_enterprise_upload(session, data, filename, actor=actor, **kwargs)

        return await run_in_threadpool(run_upload)
    raw = await request.body()
    try:
        body = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        msg = f"the body is not JSON: {exc}"
        raise ImportDataError(msg, location=at("<json>"),
                              hint="send a JSON report, or upload a file as multipart/form-data") from exc
    if not isinstance(body, dict):
        msg = "the report must be a JSON object"
        raise ImportDataError(msg, location=at("<json>"))

    enterprise = body.get("enterprise")
    region = body.get("region")
    actor = _may_store(request, principal, _enterprise_resource(enterprise if isinstance(enterprise, str) else None,
                                                       region if isinstance(region, str) else None))

    def run_json() -> service.RunDetail:
        with _lookup_is_input():
            return service.run_enterprise(session, body, actor=actor, file_name="<json>")

    return await run_in_threadpool(run_json)


@router.get("/runs", response_model=list[service.RunInfo])
def list_runs(session: SessionDep, principal: LoggedIn,
              kind: Annotated[str | None, Query(description="inventory, enterprise, combustion, electricity")] = None,
              region: Annotated[str | None, Query()] = None,
              year: Annotated[int | None, Query(ge=1949, le=2100)] = None) -> list[service.RunInfo]:
    """Stored runs the caller may read, oldest first, with their choices and headline totals."""
    return [run for run in service.list_runs(session, kind=kind, region=region, year=year)
            if authorize(principal, Action.READ, _run_resource(run)).allowed]


@router.get("/runs/{run_id}", response_model=service.RunDetail)
def get_run(run_id: RunId, session: SessionDep, principal: LoggedIn) -> service.RunDetail:
    """A stored run: inputs, choices, the engine's result."""
    return _readable_run(session, principal, run_id)


@router.get("/runs/{run_id}/lines", response_model=list[service.RunLine])
def run_lines(run_id: RunId, session: SessionDep, principal: LoggedIn,
              category: Annotated[str | None, Query(description="combustion, process, energy_consumption …")] = None,
              ) -> list[service.RunLine]:
    """A run line by line: activity × factor (id, value, unit, source, confidence) = tCO2, tCO2e or tce."""
    _readable_run(session, principal, run_id)
    return service.list_lines(session, run_id, category=category)


@router.get("/runs/{run_id}/explain", response_model=service.Explanation)
def explain(run_id: RunId, session: SessionDep, principal: LoggedIn,
            line: Annotated[int, Query(ge=1)] = 1) -> service.Explanation:
    """One line explained: the factor records behind it, their sources and the arithmetic."""
    _readable_run(session, principal, run_id)
    return service.explain(session, run_id, line)


@router.post("/runs/{run_id}/recompute", response_model=service.RecomputeResult)
def recompute(run_id: RunId, session: SessionDep, principal: LoggedIn) -> service.RecomputeResult:
    """Run the engine again on the stored inputs; says whether the result equals the stored one (nothing is written)."""
    _readable_run(session, principal, run_id)
    with _lookup_is_input():
        return service.recompute(session, run_id)


@router.get("/factors", response_model=list[FactorRecord])
def factors(what: Annotated[str | None, Query(description="coal_coefficient, co2_ef, grid_co2, gwp …")] = None,
            key: Annotated[str | None, Query()] = None,
            region: Annotated[str | None, Query(description="CN, CN-NORTH, 150000 or 内蒙古")] = None,
            year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
            version: Annotated[str | None, Query()] = None) -> list[FactorRecord]:
    """Rows of the factor library with their sources and confidence."""
    return service.list_factors(what=what, key=key, region=region, year=year, version=version)
