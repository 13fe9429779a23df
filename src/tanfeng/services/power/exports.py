"""Use cases: a solved study as an Excel workbook or as a PyPSA netCDF file analysts open in PyPSA."""

from __future__ import annotations

import io
import tempfile
import warnings
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from tanfeng.cells import xlsx_safe
from tanfeng.power.data import HOURS_PER_YEAR
from tanfeng.power.profiles import SYNTHETIC_NOTE
from tanfeng.services.power._cache import solved

__all__ = ["export_excel", "export_netcdf", "hourly_by_carrier"]


def hourly_by_carrier(study_id: str, *, hours: int, start: int, data_dir: Path | None = None,
                      split_storage: bool = False) -> pd.DataFrame:
    """Hourly dispatch (MW) summed by carrier.

    Storage and demand response are their net output (negative = charging), or with ``split_storage`` two
    columns each: ``<carrier>`` the discharge (≥ 0) and ``<carrier>_charge`` the charging (≤ 0), as
    dispatch plots draw them (charging below the zero axis).
    """
    built, _ = solved(study_id, hours=hours, start=start, data_dir=data_dir)
    n = built.network
    gen = n.generators_t.p.T.groupby(n.generators.carrier).sum().T
    frame = gen.drop(columns=[c for c in ("export",) if c in gen.columns])
    if len(n.storage_units) and split_storage:
        carriers = n.storage_units.carrier
        out = n.storage_units_t.p_dispatch.T.groupby(carriers).sum().T
        charge = -n.storage_units_t.p_store.T.groupby(carriers).sum().T
        frame = frame.join(out).join(charge.add_suffix("_charge"))
    elif len(n.storage_units):
        sto = n.storage_units_t.p.T.groupby(n.storage_units.carrier).sum().T
        frame = frame.join(sto)
    frame["load"] = n.loads_t.p_set.sum(axis=1)
    frame["export"] = -gen["export"] if "export" in gen.columns else 0.0
    return pd.DataFrame(frame)


def export_excel(study_id: str, *, hours: int = HOURS_PER_YEAR, start: int = 0,
                 data_dir: Path | None = None) -> bytes:
    """A workbook: 说明 (sources and the synthetic-profile note), 结果 (summary), 通道, 逐时出力."""
    built, result = solved(study_id, hours=hours, start=start, data_dir=data_dir)
    wb = Workbook()
    note = wb.active
    assert note is not None  # a new workbook always has its first sheet
    note.title = "说明"
    for line in (f"tanfeng power study {study_id} ({built.study.title_zh}), year {built.study.year}",
                 f"horizon: {hours} h from hour {start}", SYNTHETIC_NOTE,
                 "sources: tanfeng/power/data/SOURCES.md and the source column of every data file",
                 "units: objective CNY over the horizon; energy TWh; shares and rates %; CO2 MtCO2"):
        note.append([line])
    summary = wb.create_sheet("结果")
    summary.append(["field", "value"])
    for key, value in result.details().items():
        if not isinstance(value, dict | list):
            summary.append([key, value])
        elif isinstance(value, dict):
            for sub, v in value.items():
                summary.append([f"{key}.{sub}", v])
    channels = wb.create_sheet("通道")
    channels.append(["name", "name_zh", "flow_twh", "renewable_share_pct", "re_share_min_pct"])
    for c in result.channels:
        channels.append([c.name, c.name_zh, c.flow_twh, c.renewable_share_pct, c.re_share_min_pct])
    hourly = wb.create_sheet("逐时出力")
    frame = hourly_by_carrier(study_id, hours=hours, start=start, data_dir=data_dir)
    hourly.append(["hour", *[f"{c} (MW)" for c in frame.columns]])
    for hour, row in frame.iterrows():
        hourly.append([int(str(hour)), *[round(float(v), 3) for v in row]])
    for sheet in (summary, channels, hourly):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    xlsx_safe(wb).save(buf)
    return buf.getvalue()


def export_netcdf(study_id: str, *, hours: int = HOURS_PER_YEAR, start: int = 0,
                  data_dir: Path | None = None) -> bytes:
    """The solved PyPSA network as netCDF (``pypsa.Network("file.nc")`` opens it)."""
    built, _ = solved(study_id, hours=hours, start=start, data_dir=data_dir)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{study_id}.nc"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            built.network.export_to_netcdf(path)
        return path.read_bytes()
