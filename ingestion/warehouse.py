"""Opening the DuckDB warehouse. Every connection in the process goes through here, so all use one configuration
(DuckDB refuses a second connection to the same file with a different one)."""
from __future__ import annotations

from pathlib import Path

import duckdb


def connect(path: Path | str, *, threads: int = 2, memory_limit: str = "4GB", read_only: bool = False):
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(
        str(path), read_only=read_only, config={"threads": threads, "memory_limit": memory_limit}
    )
