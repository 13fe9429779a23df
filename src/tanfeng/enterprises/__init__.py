"""Key energy-consuming units (重点用能单位): the rules and calculations, without a database.

==================  =========================================================================================
module              what it holds
==================  =========================================================================================
``registry``        units, facilities and meters; the unified social credit code (GB 32100-2015)
``benchmarks``      energy-efficiency levels (GB grades, 标杆/基准), monitored against reported energy
``annual_report``   what a unit files each year, the workflow states and transitions
``figures``         the figures of an annual report: energy (tce), CO2 (t), budget use, benchmark position
``responsibility``  the yearly responsibility score from the rules file
``workbook``        the annual report as an Excel template: writer and reader
``sample``          a deterministic sample population with injected meter faults (示例数据)
==================  =========================================================================================

Pure domain code: pydantic models and polars frames in, the same out; nothing from store, web,
cli or analytics.
"""
