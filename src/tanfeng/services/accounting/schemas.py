"""What the accounting use cases take and give: requests, options, stored runs, their lines, explanations."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from tanfeng.reference.factors import FactorRecord

__all__ = [
    "CombustionRequest",
    "ConversionOut",
    "ElectricityConversion",
    "ElectricityRequest",
    "Explanation",
    "InventoryOptions",
    "RecomputeResult",
    "RunDetail",
    "RunInfo",
    "RunKind",
    "RunLine",
]

RunKind = Literal["inventory", "enterprise", "combustion", "electricity"]
ElectricityConversion = Literal["equivalent", "equal"]


class InventoryOptions(BaseModel):
    """Choices of a regional inventory (every one is recorded with the run)."""

    factor_set: str = Field("china", description="combustion factor set: china, ipcc2006 or mee2013")
    electricity_region: str | None = Field(
        None, description="grid-factor region for the consumption-based total (e.g. 150000); none skips it")
    electricity_factors: dict[int, float] | None = Field(
        None, description="or the grid factor per year given by the caller, tCO2/MWh")
    heat_factor_version: str = "mee-guideline-2013"
    electricity_conversion: ElectricityConversion = Field(
        "equivalent", description="electricity in the tce totals: equivalent (当量值) or equal (等价值)")
    supply_coal_rate: float | None = Field(None, ge=0, description="for equal: the year's supply coal rate, gce/kWh")


class CombustionRequest(BaseModel):
    """A fuel burnt: what the combustion calculation takes."""

    value: float = Field(ge=0)
    unit: str
    product: str
    factors: str = "china"
    ncv: float | None = Field(None, ge=0)
    ncv_unit: str | None = None
    carbon_content: float | None = Field(None, ge=0, description="tC/TJ")
    oxidation: float | None = Field(None, gt=0, le=1)
    gwp_set: str | None = None


class ElectricityRequest(BaseModel):
    """Electricity used: what the indirect-emission calculation takes."""

    value: float = Field(ge=0)
    unit: str = "MWh"
    region: str
    year: int = Field(ge=1949, le=2100)
    kind: str = "average"


class ConversionOut(BaseModel):
    """A quantity converted to standard coal, in the unit asked for, with the coefficient and its source."""

    input_value: float
    input_unit: str
    product: str
    product_zh: str
    value: float
    unit: str
    value_tce: float
    coefficient: float
    coefficient_unit: str
    method: str
    electricity_method: str | None
    supply_coal_rate_gce_per_kwh: float | None
    factor: FactorRecord | None
    source: str


class RunInfo(BaseModel):
    """A stored run in a listing: what it is about, the choices and the headline totals."""

    id: int
    kind: str
    region: str | None
    unit_id: str | None
    year: int | None
    method: str
    factor_set: str | None
    factor_versions: list[str]
    gwp_set: str | None
    electricity_conversion: str | None
    source_name: str | None
    input_digest: str
    tco2: float | None
    tco2e: float | None
    energy_tce: float | None
    engine_version: str
    created_by: str
    created_at: datetime
    status: str


class RunDetail(RunInfo):
    """A stored run with its inputs and the engine's result."""

    inputs: dict[str, Any]
    result: dict[str, Any]
    lines: int


class RunLine(BaseModel):
    """One line of a run: activity × factor = tCO2 (tCO2e, tce)."""

    run_id: int
    line_no: int
    category: str
    region: str | None
    year: int | None
    sector: str | None
    product: str | None
    gas: str | None
    activity: float
    activity_unit: str
    factor_id: str | None
    factor_value: float | None
    factor_unit: str | None
    factor_source: str | None
    factor_confidence: str | None
    formula: str | None
    tco2: float | None
    tco2e: float | None
    tce: float | None


class RecomputeResult(BaseModel):
    """The engine run again on a run's stored inputs, compared with the stored result."""

    run_id: int
    equal: bool
    differences: list[str]
    engine_version: str
    stored_engine_version: str
    result: dict[str, Any]


class Explanation(BaseModel):
    """One line of a run explained: the factor records behind it, their sources and the arithmetic."""

    run_id: int
    kind: str
    method: str
    line: RunLine
    factors: list[FactorRecord]
    arithmetic: str
    inputs: dict[str, Any]
