"""Opening the DuckDB warehouse. Every connection of the process goes through here, so all use one configuration
(DuckDB refuses a second connection to the same file with a different one), and the dbt profile reads the same
variables: `PRIC_DUCKDB_THREADS` (default 2) and `PRIC_DUCKDB_MEMORY_LIMIT` (default 4GB)."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb


def duckdb_settings() -> dict[str, str]:
    return {
        "threads": os.environ.get("PRIC_DUCKDB_THREADS", "2"),
        "memory_limit": os.environ.get("PRIC_DUCKDB_MEMORY_LIMIT", "4GB"),
    }


def connect(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), read_only=read_only, config=duckdb_settings())
