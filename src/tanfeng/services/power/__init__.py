"""The new-type power system (新型电力系统): studies on PyPSA, their results, figures and exports.

Callers write ``from tanfeng.services import power as service``. The scenario model reads the power
sector's emissions with :func:`annual_power_emissions`.
"""

from tanfeng.services.power.charts import curtailment_by_measure, dispatch_stack, duration_curves, network_map
from tanfeng.services.power.exports import export_excel, export_netcdf
from tanfeng.services.power.runs import (
    ChannelOut,
    CompareRowOut,
    RunDetailsOut,
    RunOut,
    annual_power_emissions,
    compare_study,
    run_details,
    run_study,
)
from tanfeng.services.power.studies import MEASURES, BusOut, NetworkOut, StudyOut, build_study, list_studies

__all__ = [
    "MEASURES",
    "BusOut",
    "ChannelOut",
    "CompareRowOut",
    "NetworkOut",
    "RunDetailsOut",
    "RunOut",
    "StudyOut",
    "annual_power_emissions",
    "build_study",
    "compare_study",
    "curtailment_by_measure",
    "dispatch_stack",
    "duration_curves",
    "export_excel",
    "export_netcdf",
    "list_studies",
    "network_map",
    "run_details",
    "run_study",
]
