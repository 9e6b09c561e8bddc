"""Opening the DuckDB warehouse. Every connection of the process goes through here, so all use one configuration
(DuckDB refuses a second connection to the same file with a different one), and the dbt profile reads the same
variables: `PRIC_DUCKDB_THREADS` (default 2) and `PRIC_DUCKDB_MEMORY_LIMIT` (default 3GB: with the Python process
around it, a run stays under 4 GiB). Insertion order is not kept (every output that needs an order sorts), which
lets DuckDB stream large writes; past the memory limit it spills to `warehouse.duckdb.tmp` beside the file instead
of failing."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb


def duckdb_settings(path: Path) -> dict[str, str]:
    return {
        "threads": os.environ.get("PRIC_DUCKDB_THREADS", "2"),
        "memory_limit": os.environ.get("PRIC_DUCKDB_MEMORY_LIMIT", "3GB"),
        "preserve_insertion_order": "false",
        # DuckDB's own default for a database file, written out so that it is visible and the same for dbt.
        "temp_directory": str(Path(path).resolve()) + ".tmp",
        # A load commits once per file: at DuckDB's default (16 MB of WAL) nearly every commit checkpointed, half of
        # the time of a feed of 60 monthly files. The WAL is checkpointed past 1 GB and when the connection closes.
        "checkpoint_threshold": os.environ.get("PRIC_DUCKDB_CHECKPOINT_THRESHOLD", "1GB"),
    }


def connect(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    settings = duckdb_settings(path)
    return duckdb.connect(str(path), read_only=read_only, config=settings)
