"""tanfeng.accounting: energy conversion, CO2 accounting (regional and enterprise), uncertainty, importers.

The public API::

    from tanfeng.accounting import to_standard_coal, combustion_co2, electricity_co2
    to_standard_coal(1000, "t", "原煤").value          # 714.3 tce (GB/T 2589)
    combustion_co2(1, "t", "diesel").tco2               # 3.0959 tCO2 (China default table)
    electricity_co2(10_000, "MWh", "内蒙古", 2022).tco2  # 6 849 tCO2 (MEE/NBS 2022)

See docs/accounting.md for the methods, formulas and sources.
"""

from tanfeng.accounting.combustion import FACTOR_SETS, CombustionResult, combustion_co2
from tanfeng.accounting.conversion import ConversionResult, from_standard_coal, to_standard_coal
from tanfeng.accounting.electricity import ElectricityResult, electricity_co2, heat_co2
from tanfeng.accounting.enterprise import EnterpriseReport, EnterpriseResult, enterprise_emissions
from tanfeng.accounting.inventory import Inventory, InventoryResult, regional_inventory
from tanfeng.accounting.uncertainty import UncertaintyResult, enterprise_uncertainty, inventory_uncertainty

__all__ = [
    "FACTOR_SETS",
    "CombustionResult",
    "ConversionResult",
    "ElectricityResult",
    "EnterpriseReport",
    "EnterpriseResult",
    "Inventory",
    "InventoryResult",
    "UncertaintyResult",
    "combustion_co2",
    "electricity_co2",
    "enterprise_emissions",
    "enterprise_uncertainty",
    "from_standard_coal",
    "heat_co2",
    "inventory_uncertainty",
    "regional_inventory",
    "to_standard_coal",
]
