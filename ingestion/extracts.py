"""Per-funder extracts of the published indicators: each funder sees only its own scope.

A funder's scope is the rows broken down by its own LHEO funder codes (`dim_financeur.destinataire_extrait`).
Secret cells are emptied (numerator, denominator and value), never shown as zero; nothing personal is in the
`indicators` table to begin with. Each funder's folder is replaced atomically, so a reader never sees half a file.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

PUBLISHED_COLUMNS = (
    "indicator", "period_type", "period", "territory_level", "territory_code", "breakdown", "breakdown_value",
    "numerator", "denominator", "value", "is_secret",
)


@dataclass(frozen=True)
class Extract:
    funder: str
    path: Path
    rows: int


def published_rows_sql(funder_filter: str) -> str:
    """The funder's rows, with secret cells emptied."""
    emptied = ", ".join(
        f"case when is_secret then null else {c} end as {c}" if c in ("numerator", "denominator", "value") else c
        for c in PUBLISHED_COLUMNS
    )
    return f"""
        select {emptied}
        from marts.indicators as i
        where i.breakdown = 'financeur'
          and i.breakdown_value in (
              select code_financeur from marts.dim_financeur where destinataire_extrait = {funder_filter})
        order by indicator, period_type, period, territory_level, territory_code, breakdown_value
    """


def funders(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select distinct destinataire_extrait from marts.dim_financeur "
            "where destinataire_extrait is not null order by 1"
        ).fetchall()
    ]


def write_funder_csv(con: duckdb.DuckDBPyConnection, funder: str, exports_dir: Path) -> Extract:
    target_dir = Path(exports_dir) / funder
    target_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{funder}_", dir=target_dir.parent))
    path = staging / "indicateurs.csv"
    query = published_rows_sql("'" + funder.replace("'", "''") + "'")
    con.execute(f"copy ({query}) to '{path}' (header, delimiter ';')")
    rows = con.execute(f"select count(*) from ({query})").fetchone()[0]
    # Swap the whole folder: the old extract stays complete until the new one is.
    previous = target_dir.with_name(f".{funder}.previous")
    if target_dir.exists():
        os.replace(target_dir, previous)
    os.replace(staging, target_dir)
    shutil.rmtree(previous, ignore_errors=True)
    return Extract(funder, target_dir / "indicateurs.csv", rows)


def write_all(con: duckdb.DuckDBPyConnection, exports_dir: Path, only: str | None = None) -> list[Extract]:
    chosen = [f for f in funders(con) if only is None or f == only]
    return [write_funder_csv(con, funder, exports_dir) for funder in chosen]
