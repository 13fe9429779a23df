"""Online metering of key energy-consuming units: batch ingestion, validation and quality flags,
completeness, and aggregation through Ibis (DuckDB or Spark).

Pure domain code: frames and Ibis expressions in and out; storage and backend choice live elsewhere.
"""
