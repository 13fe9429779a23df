"""Key energy-consuming units (重点用能单位): registry, benchmarks, sample population.

Pure domain code: pydantic models and polars frames in, the same out; nothing from store, web,
cli or analytics.
"""
