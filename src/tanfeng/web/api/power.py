"""``/api/power``: new-type power system (新型电力系统) studies on PyPSA.

Reading the shipped studies and their networks needs ``read`` on ``power_study``; anything that solves
a dispatch (run, compare, figures, exports) needs ``create``, because a solve costs seconds to minutes.
The horizon defaults to one week (168 h) on the API; ``hours=8760`` runs the whole year. Wind and solar
profiles are synthetic (calibrated to full-load hours); every answer carries that note or links to it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from tanfeng.access import Action, Principal, Resource, ResourceKind
from tanfeng.access import require as require_permission
from tanfeng.services import power as service
from tanfeng.web.deps import LoggedIn
from tanfeng.web.downloads import XLSX, file_response

__all__ = [
    "HoursQ",
    "StartQ",
    "StudyPath",
    "build_study",
    "compare_study",
    "curtailment_by_measure",
    "dispatch_stack",
    "duration_curves",
    "export_nc",
    "export_xlsx",
    "list_studies",
    "network_map",
    "router",
    "run_details",
    "run_study",
]

router = APIRouter(prefix="/api/power", tags=["power"])

_STUDY = Resource(kind=ResourceKind.POWER_STUDY, id="power studies", region_code="150000")
StudyPath = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,40}$", description="Study id, e.g. im2g-2025")]
HoursQ = Annotated[int, Query(ge=1, le=8760, description="Hours to dispatch (168 = a week, 8760 = the year)")]
StartQ = Annotated[int, Query(ge=0, le=8759, description="First hour (0 = 1 January 00:00)")]


def _may(principal: Principal, action: Action) -> None:
    require_permission(principal, action, _STUDY)


@router.get("/studies", response_model=list[service.StudyOut])
def list_studies(principal: LoggedIn) -> list[service.StudyOut]:
    """The shipped studies (at least the two-grid study for 2025 and 2030)."""
    _may(principal, Action.READ)
    return service.list_studies()


@router.get("/studies/{study_id}", response_model=service.NetworkOut)
def build_study(study_id: StudyPath, principal: LoggedIn, hours: HoursQ = 168, start: StartQ = 0) -> service.NetworkOut:
    """The study's network: buses (with coordinates), links, capacities by carrier (nothing solved)."""
    _may(principal, Action.READ)
    return service.build_study(study_id, hours=min(hours, 8760 - start), start=start)


@router.get("/studies/{study_id}/map", response_model=dict[str, Any])
def network_map(study_id: StudyPath, principal: LoggedIn) -> dict[str, Any]:
    """Buses and links for the league map."""
    _may(principal, Action.READ)
    return service.network_map(study_id)


@router.post("/studies/{study_id}/run", response_model=service.RunOut)
def run_study(study_id: StudyPath, principal: LoggedIn, hours: HoursQ = 168, start: StartQ = 0,
              measure_off: Annotated[list[str] | None, Query(description=f"One of {', '.join(service.MEASURES)}")] = None,
              ) -> service.RunOut:
    """Hourly dispatch: the same JSON as ``tanfeng power run --format json``."""
    _may(principal, Action.CREATE)
    return service.run_study(study_id, hours=min(hours, 8760 - start), start=start,
                             measures_off=frozenset(measure_off or ()))


@router.post("/studies/{study_id}/compare", response_model=list[service.CompareRowOut])
def compare_study(study_id: StudyPath, principal: LoggedIn, hours: HoursQ = 168,
                  start: StartQ = 0) -> list[service.CompareRowOut]:
    """One row per measure switched off, with the change from the full study."""
    _may(principal, Action.CREATE)
    return service.compare_study(study_id, hours=min(hours, 8760 - start), start=start)


@router.get("/studies/{study_id}/details", response_model=service.RunDetailsOut)
def run_details(study_id: StudyPath, principal: LoggedIn, hours: HoursQ = 168,
                start: StartQ = 0) -> service.RunDetailsOut:
    """A run with generation, coal hours at minimum load, storage cycles and mean prices."""
    _may(principal, Action.CREATE)
    return service.run_details(study_id, hours=min(hours, 8760 - start), start=start)


@router.get("/studies/{study_id}/dispatch", response_model=dict[str, Any])
def dispatch_stack(study_id: StudyPath, principal: LoggedIn,
                   week: Annotated[int, Query(ge=0, le=51, description="Week of the year, 0…51")] = 0) -> dict[str, Any]:
    """Hourly output by carrier (MW) for one week: the dispatch stack."""
    _may(principal, Action.CREATE)
    return service.dispatch_stack(study_id, week=week)


@router.get("/studies/{study_id}/duration", response_model=dict[str, Any])
def duration_curves(study_id: StudyPath, principal: LoggedIn, hours: HoursQ = 168,
                    start: StartQ = 0) -> dict[str, Any]:
    """Load, net load and coal output sorted high to low (MW)."""
    _may(principal, Action.CREATE)
    return service.duration_curves(study_id, hours=min(hours, 8760 - start), start=start)


@router.get("/studies/{study_id}/curtailment", response_model=dict[str, Any])
def curtailment_by_measure(study_id: StudyPath, principal: LoggedIn, hours: HoursQ = 168,
                           start: StartQ = 0) -> dict[str, Any]:
    """Curtailment (TWh) by carrier, full study and each measure switched off."""
    _may(principal, Action.CREATE)
    return service.curtailment_by_measure(study_id, hours=min(hours, 8760 - start), start=start)


@router.get("/studies/{study_id}/export.xlsx", response_class=Response)
def export_xlsx(study_id: StudyPath, principal: LoggedIn, hours: HoursQ = 168, start: StartQ = 0) -> Response:
    """The solved study as an Excel workbook (说明, 结果, 通道, 逐时出力)."""
    _may(principal, Action.CREATE)
    content = service.export_excel(study_id, hours=min(hours, 8760 - start), start=start)
    return file_response(content, XLSX, f"power-{study_id}.xlsx")


@router.get("/studies/{study_id}/export.nc", response_class=Response)
def export_nc(study_id: StudyPath, principal: LoggedIn, hours: HoursQ = 168, start: StartQ = 0) -> Response:
    """The solved PyPSA network as netCDF (open with ``pypsa.Network("file.nc")``)."""
    _may(principal, Action.CREATE)
    content = service.export_netcdf(study_id, hours=min(hours, 8760 - start), start=start)
    return file_response(content, "application/x-netcdf", f"power-{study_id}.nc")
