"""The load manifest and the quarantine: what every landing file was, and what became of each of its rows.

One manifest row per file version (feed, path, checksum). A file already loaded with the same checksum is skipped;
a changed file replaces its own rows; for each feed and period the file that arrived last (modification time,
then name) is flagged `is_current`, and only current files feed the warehouse. Superseded files stay in the raw
archive and in the raw tables.
"""
from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ingestion.feeds import FeedSpec
from ingestion.read import file_sha256

RAW_SCHEMA = "raw"
MANIFEST = f"{RAW_SCHEMA}.ingestion__manifest"
QUARANTINE = f"{RAW_SCHEMA}.ingestion__quarantine"
REPLACED_PERSONS = f"{RAW_SCHEMA}.ingestion__personnes_remplacees"
# Every dbt build that succeeded (dagster_project/build_state.py); created here with the other raw tables because
# dbt reads it (int_personnes__modifiees), even on a first full build.
DBT_BUILDS = f"{RAW_SCHEMA}.ingestion__dbt_builds"
# Files hashed, and loaded (ingestion.load), side by side; 1 takes them one after the other.
PARALLEL_FILES = max(1, int(os.environ.get("PRIC_LOAD_WORKERS", "2")))


@dataclass(frozen=True)
class LandingFile:
    path: Path
    relative_path: str  # relative to the landing root, with `/`
    name: str
    period: str | None  # None: the name does not match the feed's pattern
    sha256: str
    size_bytes: int
    modified_at: datetime


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    # The persons whose rows a new version of a file replaced: an incremental build must rebuild them even when
    # the new version no longer names them (dbt: int_personnes__modifiees).
    con.execute(
        f"""
        create table if not exists {REPLACED_PERSONS} (
            feed varchar not null,
            file_path varchar not null,
            person_key varchar not null,
            replaced_at timestamp not null
        )
        """
    )
    con.execute(
        f"""
        create table if not exists {MANIFEST} (
            feed varchar not null,
            file_path varchar not null,
            file_name varchar not null,
            period varchar,
            sha256 varchar not null,
            size_bytes bigint not null,
            modified_at timestamp not null,
            status varchar not null,          -- loaded | rejected
            message varchar,
            encoding varchar,
            rows_read bigint,
            rows_loaded bigint,
            rows_quarantined bigint,
            values_flagged bigint,
            loaded_at timestamp not null,
            is_current boolean not null default false,
            primary key (feed, file_path)
        )
        """
    )
    con.execute(
        f"""
        create table if not exists {DBT_BUILDS} (
            started_at timestamp not null,
            full_refresh boolean not null,
            fingerprint varchar not null,
            finished_at timestamp not null
        )
        """
    )
    con.execute(
        f"""
        create table if not exists {QUARANTINE} (
            feed varchar not null,
            file_path varchar not null,
            sha256 varchar not null,
            line bigint,
            column_name varchar,
            value varchar,
            reason varchar not null,
            action varchar not null,          -- row_rejected | value_flagged
            quarantined_at timestamp not null
        )
        """
    )


def discover(
    landing_root: Path,
    feed: FeedSpec,
    siblings: tuple[FeedSpec, ...] = (),
    known: dict[str, tuple[int, datetime, str]] | None = None,
) -> list[LandingFile]:
    """The feed's files: those in its folder, except the ones another feed sharing the folder claims by name.

    A file nobody claims stays with the feed, to be rejected with a message about its name. `known` (from
    `known_versions`): a file whose size and modification time are those the manifest recorded keeps its recorded
    checksum instead of being read again, as the landing sensor does and as rsync and git do."""
    paths = _feed_paths(landing_root, feed, siblings)
    known = known or {}
    stats = {path: path.stat() for path in paths}

    def checksum(path: Path) -> str:
        recorded = _recorded_checksum(known, path.relative_to(landing_root).as_posix(), stats[path])
        return recorded or file_sha256(path)

    # A new or touched file is hashed (a version is its checksum): side by side, as hashlib frees the GIL.
    with ThreadPoolExecutor(max_workers=PARALLEL_FILES) as pool:
        checksums = list(pool.map(checksum, paths))
    found = []
    for path, sha256 in zip(paths, checksums):
        found.append(
            LandingFile(
                path=path,
                relative_path=path.relative_to(landing_root).as_posix(),
                name=path.name,
                period=feed.period_of(path.name),
                sha256=sha256,
                size_bytes=stats[path].st_size,
                modified_at=_modified_at(stats[path]),
            )
        )
    return found


def touched_periods(landing_root: Path, feed: FeedSpec, siblings: tuple[FeedSpec, ...],
                    known: dict[str, tuple[int, datetime, str]]) -> set[str | None]:
    """The periods of the feed's files that are new, or whose size or modification time is not what the manifest
    recorded (`known`): the ones a run must look at. Reads no file; None for a name without a period."""
    return {feed.period_of(path.name) for path in _feed_paths(landing_root, feed, siblings)
            if _recorded_checksum(known, path.relative_to(landing_root).as_posix(), path.stat()) is None}


def _feed_paths(landing_root: Path, feed: FeedSpec, siblings: tuple[FeedSpec, ...]) -> list[Path]:
    # A folder pattern (`observatoires/*`) spans one folder per branch, read as one feed.
    folders = sorted(Path(landing_root).glob(feed.folder)) if "*" in feed.folder else [Path(landing_root) / feed.folder]
    files = [p for folder in folders if folder.is_dir() for p in folder.iterdir()]
    return [path for path in sorted(p for p in files if p.is_file() and not p.name.startswith("."))
            if feed.claims(path.name) or not any(other.claims(path.name) for other in siblings)]


def _recorded_checksum(known: dict[str, tuple[int, datetime, str]], relative_path: str,
                       stat: os.stat_result) -> str | None:
    """The checksum the manifest recorded for the file, if its size and modification time are still those."""
    size, modified_at, sha256 = known.get(relative_path, (None, None, None))
    return sha256 if size == stat.st_size and modified_at == _modified_at(stat) else None


def _modified_at(stat: os.stat_result) -> datetime:
    return datetime.fromtimestamp(stat.st_mtime, tz=timezone.utc).replace(tzinfo=None)


def known_versions(con: duckdb.DuckDBPyConnection, feed: FeedSpec) -> dict[str, tuple[int, datetime, str]]:
    """path → (size, modification time, checksum) of the feed's files as the manifest last recorded them. Empty when
    `PRIC_VERIFY_CHECKSUMS=1`: every file is then read and hashed again."""
    if os.environ.get("PRIC_VERIFY_CHECKSUMS") == "1":
        return {}
    rows = con.execute(
        f"select file_path, size_bytes, modified_at, sha256 from {MANIFEST} where feed = ?", [feed.name]
    ).fetchall()
    return {path: (size, modified_at, sha256) for path, size, modified_at, sha256 in rows}


def already_loaded(con: duckdb.DuckDBPyConnection, feed: FeedSpec, landing_file: LandingFile) -> bool:
    rows = con.execute(
        f"select sha256 from {MANIFEST} where feed = ? and file_path = ?", [feed.name, landing_file.relative_path]
    ).fetchall()
    return bool(rows) and rows[0][0] == landing_file.sha256


def holds_rows(con: duckdb.DuckDBPyConnection, feed: FeedSpec, landing_file: LandingFile) -> bool:
    """Whether an earlier version of this file was loaded (its rows sit in the raw table); the manifest and the
    raw table are written in one transaction, so the manifest says."""
    return con.execute(
        f"select count(*) from {MANIFEST} where feed = ? and file_path = ? and status = 'loaded'",
        [feed.name, landing_file.relative_path],
    ).fetchone()[0] > 0


def record(
    con: duckdb.DuckDBPyConnection,
    feed: FeedSpec,
    landing_file: LandingFile,
    *,
    status: str,
    message: str | None,
    encoding: str | None,
    rows_read: int,
    rows_loaded: int,
    rows_quarantined: int,
    values_flagged: int,
    loaded_at: datetime,
) -> None:
    con.execute(f"delete from {MANIFEST} where feed = ? and file_path = ?", [feed.name, landing_file.relative_path])
    con.execute(
        f"""insert into {MANIFEST} (feed, file_path, file_name, period, sha256, size_bytes, modified_at, status,
                message, encoding, rows_read, rows_loaded, rows_quarantined, values_flagged, loaded_at, is_current)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false)""",
        [
            feed.name,
            landing_file.relative_path,
            landing_file.name,
            landing_file.period,
            landing_file.sha256,
            landing_file.size_bytes,
            landing_file.modified_at,
            status,
            message,
            encoding,
            rows_read,
            rows_loaded,
            rows_quarantined,
            values_flagged,
            loaded_at,
        ],
    )


def remember_replaced_persons(con: duckdb.DuckDBPyConnection, feed: FeedSpec, table: str, file_path: str,
                              replaced_at: datetime) -> None:
    """Before a file's rows are replaced: keep the person keys they held (feeds with a person key only)."""
    has_person_key = con.execute(
        "select count(*) from information_schema.columns where table_schema || '.' || table_name = ? "
        "and column_name = 'individu_hmac'", [table]).fetchone()[0]
    if has_person_key:
        con.execute(
            f"insert into {REPLACED_PERSONS} select distinct ?, ?, individu_hmac, ? from {table} "
            f"where _source_file = ? and individu_hmac is not null",
            [feed.name, file_path, replaced_at, file_path])


def refresh_current(con: duckdb.DuckDBPyConnection, feed: FeedSpec) -> None:
    """For each period, the loaded file that arrived last is current (modification time, then name).

    A reference feed has one current file per folder: the newest vintage, then the last arrived."""
    # Files of different sub-folders (one per branch observatory) are different series.
    folder = "regexp_replace(file_path, '/[^/]*$', '')"
    if feed.period_kind == "version":
        partition, order = f"partition by {folder}", "period desc, "
    else:
        partition, order = f"partition by {folder}, period", ""
    con.execute(
        f"""
        update {MANIFEST} m set is_current = ranked.rank_in_period = 1
        from (
            select file_path, row_number() over (
                       {partition} order by {order}modified_at desc, file_name desc) as rank_in_period
            from {MANIFEST} where feed = ? and status = 'loaded'
        ) ranked
        where m.feed = ? and m.file_path = ranked.file_path
        """,
        [feed.name, feed.name],
    )
    con.execute(f"update {MANIFEST} set is_current = false where feed = ? and status <> 'loaded'", [feed.name])


def archive(landing_file: LandingFile, feed: FeedSpec, archive_root: Path | None) -> None:
    """Keep every file version as received, whatever later happens to the landing zone."""
    if archive_root is None:
        return
    target = Path(archive_root) / Path(landing_file.relative_path).parent / f"{landing_file.sha256[:16]}__{landing_file.name}"
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    # A copy, not a hard link: a source that rewrites a file in place must not rewrite the archive too.
    tmp = target.with_name(target.name + ".part")
    shutil.copyfile(landing_file.path, tmp)
    os.replace(tmp, target)
