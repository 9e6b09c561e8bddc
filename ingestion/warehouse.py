"""Opening the DuckDB warehouse. Every connection of the process goes through here, so all use one configuration
(DuckDB refuses a second connection to the same file with a different one), and the dbt profile reads the same
variables: `PRIC_DUCKDB_THREADS` (default 2) and `PRIC_DUCKDB_MEMORY_LIMIT` (default 4GB). Insertion order is not
kept (every output that needs an order sorts), which lets DuckDB stream large writes; past the memory limit it
spills to `$PRIC_HOME/tmp/duckdb` instead of failing."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb


def duckdb_settings() -> dict[str, str]:
    home = Path(os.environ.get("PRIC_HOME", "data")).resolve()
    return {
        "threads": os.environ.get("PRIC_DUCKDB_THREADS", "2"),
        "memory_limit": os.environ.get("PRIC_DUCKDB_MEMORY_LIMIT", "4GB"),
        "preserve_insertion_order": "false",
        "temp_directory": str(home / "tmp" / "duckdb"),
    }


def connect(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    settings = duckdb_settings()
    # DuckDB creates the spill folder's last level only, and fails at its first checkpoint when the rest is missing.
    Path(settings["temp_directory"]).mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), read_only=read_only, config=settings)
