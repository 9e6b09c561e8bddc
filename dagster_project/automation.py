"""When the pipeline runs by itself: a sensor on the landing zone and a monthly schedule.

Both start `full_run` for a range of months: the monthly feeds load the files of those months (one step each,
single-run backfill), the other feeds whatever is new, then one dbt build updates what changed (incremental) and
the checks and extracts follow. Two runs never write the warehouse at once: the `warehouse` pool and the run queue
(`pric` writes both limits into the Dagster instance configuration, dagster.yaml).
"""
from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from dagster import (
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SkipReason,
    schedule,
    sensor,
)

from dagster_project.ingestion import MONTHLY
from ingestion import manifest, registry
from ingestion.read import file_sha256
from ingestion.warehouse import connect

RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def month_range_tags(first: str, last: str) -> dict[str, str]:
    """Run tags of a ranged run over months `YYYY-MM-01` (Dagster's monthly partition keys)."""
    return {RANGE_START: first, RANGE_END: last}


def all_months_tags(now: datetime | None = None) -> dict[str, str]:
    keys = MONTHLY.get_partition_keys(current_time=now or datetime.now(timezone.utc))
    return month_range_tags(keys[0], keys[-1])


def pending_months_tags(warehouse_path: Path, landing_root: Path) -> dict[str, str]:
    """Run tags of `pric run`: the range of months whose monthly files are new or touched since the manifest
    recorded them (size, modification time; every month with a file when PRIC_VERIFY_CHECKSUMS=1 or on a first
    run), as the sensor does. An added month's run then materializes one partition of each monthly feed instead of
    every month since 2015 (1.5 s of Dagster's bookkeeping each). Nothing pending: the latest month, which loads
    nothing new and lets the rest of the run go through; no monthly file at all: every month."""
    monthly = [feed for feed in registry.FEEDS if feed.period_kind == "month"]
    months: set[str] = set()
    with_files: set[str] = set()
    con = connect(warehouse_path) if warehouse_path.exists() else None
    try:
        recorded = con is not None and con.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw' "
            "and table_name = 'ingestion__manifest'").fetchone()[0] == 1
        for feed in monthly:
            known = manifest.known_versions(con, feed) if recorded else {}
            months |= manifest.touched_periods(landing_root, feed, registry.siblings(feed), known)
            with_files |= manifest.touched_periods(landing_root, feed, registry.siblings(feed), {})  # nothing known
    finally:
        if con is not None:
            con.close()
    # Dagster's monthly partitions only (a file dated before 2015 or after next month is in none).
    valid = {key[:7] for key in MONTHLY.get_partition_keys(current_time=datetime.now(timezone.utc))}
    months, with_files = months & valid, with_files & valid
    if not months and not with_files:
        return all_months_tags()
    first, last = (min(months), max(months)) if months else (max(with_files), max(with_files))
    return month_range_tags(f"{first}-01", f"{last}-01")


def landing_state(root: Path, previous: dict[str, list]) -> dict[str, list]:
    """path → [size, mtime, sha256] of every file a feed reads; a file whose size and time did not change keeps its
    checksum from `previous` (hashing gigabytes every 30 s would be wasteful)."""
    state = {}
    patterns = [(feed.folder, feed) for feed in registry.FEEDS]
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if not any(relative.startswith(folder + "/") for folder, _ in patterns):
            continue
        stat = path.stat()
        known = previous.get(relative)
        if known and known[0] == stat.st_size and known[1] == stat.st_mtime:
            state[relative] = known
        else:
            state[relative] = [stat.st_size, stat.st_mtime, file_sha256(path)]
    return state


def changed_months(changed: list[str]) -> list[str]:
    """Monthly partition keys (`2019-09-01`) of the periods changed monthly files state, for the run's range."""
    months = set()
    for relative in changed:
        for feed in registry.FEEDS:
            if feed.period_kind == "month" and relative.startswith(feed.folder + "/"):
                period = feed.period_of(Path(relative).name)
                if period:
                    months.add(f"{period[:7]}-01")
    return sorted(months)


@sensor(job_name="full_run", minimum_interval_seconds=60, default_status=DefaultSensorStatus.STOPPED,
        description="Starts a run when files appear or change in the landing zone (keyed on path and SHA-256).")
def landing_sensor(context: SensorEvaluationContext):
    root = Path(os.environ.get("PRIC_LANDING", ""))
    if not root.is_dir():
        return SkipReason(f"no landing zone at {root!s} (set PRIC_LANDING)")
    previous = json.loads(context.cursor) if context.cursor else {}
    state = landing_state(root, previous)
    changed = sorted(path for path, entry in state.items()
                     if path not in previous or previous[path][2] != entry[2])
    context.update_cursor(json.dumps(state))
    if not changed:
        return SkipReason("no new or changed file")
    months = changed_months(changed)
    tags = month_range_tags(months[0], months[-1]) if months else all_months_tags()
    # The same files with the same contents never start a second run.
    run_key = hashlib.sha256("\n".join(f"{p}:{state[p][2]}" for p in changed).encode()).hexdigest()[:32]
    return RunRequest(run_key=run_key, tags={**tags, "pric/trigger": "landing_sensor",
                                             "pric/changed_files": str(len(changed))})


@schedule(job_name="full_run", cron_schedule="0 6 12 * *", execution_timezone="Europe/Paris",
          default_status=DefaultScheduleStatus.STOPPED,
          description="Monthly run on the 12th, once the sources' monthly files have arrived: loads the previous "
          "month (and anything else new), updates the warehouse, publishes.")
def monthly_schedule(context: ScheduleEvaluationContext):
    scheduled = context.scheduled_execution_time
    previous_month = (scheduled.replace(day=1) - timedelta(days=1)).strftime("%Y-%m-01")
    return RunRequest(run_key=f"monthly-{previous_month}",
                      tags={**month_range_tags(previous_month, previous_month), "pric/trigger": "monthly_schedule"})
