"""One local Spark session for the monitoring tests (start-up is the expensive part)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    with warnings.catch_warnings():
        # pyspark warns at import that it does not fully support pandas >= 3
        warnings.simplefilter("ignore", FutureWarning)
        from pyspark.sql import SparkSession

        spark = (SparkSession.builder.master("local[1]").appName("tanfeng-monitoring-tests")
                 .config("spark.ui.enabled", "false")
                 .config("spark.sql.session.timeZone", "UTC")
                 .config("spark.sql.shuffle.partitions", "1")
                 .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    yield spark
    spark.stop()
