"""Forest and grassland carbon sinks (pure): IPCC 2006 Vol. 4 equations with their defaults in data, the
region's and leagues' annual sink driven by the plan's targets, and forestry carbon projects' lifecycle.
"""

from tanfeng.sinks.carbon import (
    CO2_PER_C,
    Parameter,
    conversion_gain_tc,
    forest_stock_tc,
    gain_loss_tc,
    load_parameters,
    parameter,
    stock_difference_tc,
)
from tanfeng.sinks.net import NetYear, inventory_net, scenario_net
from tanfeng.sinks.projects import STEPS, ForestryProject, ProjectStep, advance, register
from tanfeng.sinks.region import (
    METHOD_ZH,
    SinkAccount,
    account,
    driver_years,
    forest_drivers,
    load_region_data,
    sources_zh,
)

__all__ = [
    "CO2_PER_C",
    "METHOD_ZH",
    "STEPS",
    "ForestryProject",
    "NetYear",
    "Parameter",
    "ProjectStep",
    "SinkAccount",
    "account",
    "advance",
    "conversion_gain_tc",
    "driver_years",
    "forest_drivers",
    "forest_stock_tc",
    "gain_loss_tc",
    "inventory_net",
    "load_parameters",
    "load_region_data",
    "parameter",
    "register",
    "scenario_net",
    "sources_zh",
    "stock_difference_tc",
]
