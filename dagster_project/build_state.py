"""Whether the next dbt build can be incremental, and since when (docs/operations.md).

Every successful build is recorded in `raw.ingestion__dbt_builds` with the time it started and a fingerprint of
what shapes the warehouse (the dbt project's files and the vars passed). The next build is incremental (dbt reads
that time from the table: the files loaded since then name what changed) unless a full refresh is asked for, no
build is recorded, the fingerprint changed, or a file that every entry depends on (a nomenclature, the tension
file) arrived since.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from ingestion import manifest

BUILDS = manifest.DBT_BUILDS
# Feeds that reach every entry (territory, occupation, tension): a new file of theirs means a full rebuild.
FULL_REFRESH_FEEDS = ("referentiels__%", "france_travail__tension")


@dataclass(frozen=True)
class BuildPlan:
    full_refresh: bool
    reason: str
    changed_since: datetime | None
    fingerprint: str


def fingerprint(dbt_dir: Path, dbt_vars: dict) -> str:
    digest = hashlib.sha256(json.dumps(dbt_vars, sort_keys=True).encode())
    files = [dbt_dir / "dbt_project.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        files += sorted(p for p in (dbt_dir / folder).rglob("*") if p.is_file())
    for path in files:
        digest.update(str(path.relative_to(dbt_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def plan(con: duckdb.DuckDBPyConnection, current_fingerprint: str, asked_full_refresh: bool,
         engine_deletes: bool = True) -> BuildPlan:
    """`engine_deletes`: the target can delete the rows an incremental build rebuilds (not Spark on Parquet)."""
    manifest.ensure_tables(con)
    last = con.execute(f"select started_at, fingerprint from {BUILDS} order by started_at desc limit 1").fetchone()
    if asked_full_refresh:
        return BuildPlan(True, "full refresh asked", None, current_fingerprint)
    if not engine_deletes:
        return BuildPlan(True, "the target has no DELETE on its tables: full build", None, current_fingerprint)
    if last is None:
        return BuildPlan(True, "first build", None, current_fingerprint)
    started_at, last_fingerprint = last
    if last_fingerprint != current_fingerprint:
        return BuildPlan(True, "dbt project or vars changed since the last build", None, current_fingerprint)
    conditions = " or ".join("feed like ?" for _ in FULL_REFRESH_FEEDS)
    changed = con.execute(
        f"select string_agg(distinct feed, ', ') from raw.ingestion__manifest "
        f"where loaded_at > ? and status = 'loaded' and ({conditions})",
        [started_at, *FULL_REFRESH_FEEDS]).fetchone()[0]
    if changed:
        return BuildPlan(True, f"reference data changed ({changed})", None, current_fingerprint)
    return BuildPlan(False, f"incremental since {started_at:%Y-%m-%d %H:%M:%S}", started_at, current_fingerprint)


def record(con: duckdb.DuckDBPyConnection, build: BuildPlan, started_at: datetime, finished_at: datetime) -> None:
    manifest.ensure_tables(con)
    con.execute(f"insert into {BUILDS} values (?, ?, ?, ?)",
                [started_at, build.full_refresh, build.fingerprint, finished_at])
