"""Load one feed from the landing zone into its raw table, the same way for every feed.

For each file: skip it when this exact version is already loaded; otherwise read it (`ingestion.read`), check the
columns, send bad rows to quarantine with their line, column and reason, and replace that file's rows in the raw
table, all in one transaction. A file that cannot be read is rejected whole; the other files still load.
"""
from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ingestion import manifest
from ingestion.feeds import FeedSpec, LoadContext
from ingestion.read import ReadResult, RejectedFile

READ_TABLE = "landing_read"  # the temp table a file is read into
WITHHELD = "(withheld: personal data; see the archived file at this line)"

LINEAGE_COLUMNS = (
    ("_source_file", "varchar"),
    ("_source_line", "bigint"),  # the file's line, or the sheet's row for a workbook
    ("_source_sheet", "varchar"),
    ("_file_sha256", "varchar"),
    ("_period", "varchar"),
    ("_loaded_at", "timestamp"),
)


@dataclass
class FileOutcome:
    file_path: str
    status: str  # loaded | unchanged | rejected
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    values_flagged: int = 0
    message: str | None = None


@dataclass
class FeedReport:
    feed: str
    files: list[FileOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def rejected(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "rejected"]

    def summary(self) -> str:
        loaded = sum(f.rows_loaded for f in self.files)
        quarantined = sum(f.rows_quarantined for f in self.files)
        return (
            f"{self.feed}: {len(self.files)} files ({self.count('loaded')} loaded, {self.count('unchanged')} unchanged, "
            f"{self.count('rejected')} rejected), {loaded} rows loaded, {quarantined} rows quarantined"
        )


def raw_table(feed: FeedSpec) -> str:
    return f"{manifest.RAW_SCHEMA}.{feed.name}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def ensure_raw_table(con: duckdb.DuckDBPyConnection, feed: FeedSpec) -> None:
    manifest.ensure_tables(con)
    columns = [f"{_quote(c)} varchar" for c in feed.columns]
    columns += [f"{_quote(d.name)} {d.sql_type}" for d in feed.derived]
    columns += [f"{name} {sql_type}" for name, sql_type in LINEAGE_COLUMNS]
    con.execute(f"create table if not exists {raw_table(feed)} ({', '.join(columns)})")


def load_feed(
    con: duckdb.DuckDBPyConnection,
    feed: FeedSpec,
    landing_root: Path,
    context: LoadContext,
    archive_root: Path | None = None,
    loaded_at: datetime | None = None,
    siblings: tuple[FeedSpec, ...] = (),
    periods: frozenset[str] | None = None,
) -> FeedReport:
    """`siblings`: the other feeds whose files land in the same folder (see `manifest.discover`). `periods`: load
    only the files of these periods (a partitioned run: months such as `2019-09`); all files when None."""
    ensure_raw_table(con, feed)
    loaded_at = loaded_at or datetime.now(timezone.utc).replace(tzinfo=None)
    report = FeedReport(feed.name)
    to_load = []
    for landing_file in manifest.discover(Path(landing_root), feed, siblings, manifest.known_versions(con, feed)):
        # A file whose name states no period belongs to every run, to be rejected with a message about its name.
        if periods is not None and landing_file.period is not None and landing_file.period not in periods:
            continue
        if manifest.already_loaded(con, feed, landing_file):
            report.files.append(FileOutcome(landing_file.relative_path, "unchanged"))
        else:
            to_load.append(landing_file)
    # A load that only adds files checkpoints without DuckDB's vacuum (see `_appended_only`).
    appends_only = not any(manifest.holds_rows(con, feed, landing_file) for landing_file in to_load)
    with _appended_only(con, appends_only), tempfile.TemporaryDirectory(prefix="pric_read_") as workdir:
        report.files.extend(_load_files(con, feed, to_load, context, Path(workdir), loaded_at, archive_root))
        manifest.refresh_current(con, feed)
    return report


@contextmanager
def _appended_only(con: duckdb.DuckDBPyConnection, appends_only: bool) -> Iterator[None]:
    """Checkpoint the load's writes without merging row groups, when the load deleted no raw rows.

    Each file's insert ends in a partly filled row group. DuckDB's checkpoint vacuum merges such neighbours, which
    rewrites and compresses the whole table a second time: 14 s of a 55 s France Travail load of 60 files. The
    merge only saves a few row groups; it matters where rows were deleted (their space is reclaimed), so a load
    that replaces a file's earlier version keeps it. `max_vacuum_tasks` is a setting of the whole database: on
    for every other writer of the process (dbt's incremental deletes, the published table's partitions)."""
    if not appends_only:
        yield
        return
    con.execute("set max_vacuum_tasks = 0")
    try:
        yield
        con.execute("checkpoint")  # now, while vacuum is off; the connection's close then has nothing to write
    finally:
        con.execute("reset max_vacuum_tasks")


def _load_files(
    con: duckdb.DuckDBPyConnection,
    feed: FeedSpec,
    landing_files: list[manifest.LandingFile],
    context: LoadContext,
    workdir: Path,
    loaded_at: datetime,
    archive_root: Path | None,
) -> list[FileOutcome]:
    """Load files side by side, each in its own transaction on its own connection to the warehouse.

    One file of a monthly extract is too small to keep DuckDB's threads busy (its insert fills one or two row
    groups), so a single stream of files leaves cores idle. Files of one feed never touch the same rows (each
    replaces its own), so their transactions do not conflict. Outcomes come back in the files' order."""
    workers = max(1, min(manifest.PARALLEL_FILES, len(landing_files)))

    def load(landing_file: manifest.LandingFile, cursor: duckdb.DuckDBPyConnection) -> FileOutcome:
        manifest.archive(landing_file, feed, archive_root)
        return _load_file(cursor, feed, landing_file, context, workdir, loaded_at)

    if workers == 1:
        return [load(landing_file, con) for landing_file in landing_files]
    outcomes: list[FileOutcome | None] = [None] * len(landing_files)
    queue = iter(enumerate(landing_files))
    lock = threading.Lock()

    def work() -> None:
        cursor = con.cursor()  # a connection of its own: its own transaction and temp tables, same settings
        try:
            while True:
                with lock:
                    index, landing_file = next(queue, (None, None))
                if landing_file is None:
                    return
                outcomes[index] = load(landing_file, cursor)
        finally:
            cursor.close()

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"load-{feed.name}") as pool:
        for done in [pool.submit(work) for _ in range(workers)]:
            done.result()  # a failure in any worker is raised here, after the others stopped
    return outcomes


def _load_file(
    con: duckdb.DuckDBPyConnection,
    feed: FeedSpec,
    landing_file: manifest.LandingFile,
    context: LoadContext,
    workdir: Path,
    loaded_at: datetime,
) -> FileOutcome:
    # Read and check first, into temp tables, so that a parser error never aborts the load transaction.
    try:
        staged = _read_and_check(con, feed, landing_file, context, workdir)
    except RejectedFile as exc:
        staged = exc
    con.execute("begin transaction")
    try:
        # A new version of a file replaces that file's rows: nothing from the old version survives, except the
        # names of the persons it held, for the next incremental build.
        # (A file seen for the first time has no rows to replace: no scan of the raw table for it.)
        if manifest.holds_rows(con, feed, landing_file):
            manifest.remember_replaced_persons(con, feed, raw_table(feed), landing_file.relative_path, loaded_at)
            con.execute(f"delete from {raw_table(feed)} where _source_file = ?", [landing_file.relative_path])
        con.execute(
            f"delete from {manifest.QUARANTINE} where feed = ? and file_path = ?",
            [feed.name, landing_file.relative_path],
        )
        if isinstance(staged, RejectedFile):
            outcome = FileOutcome(landing_file.relative_path, "rejected", message=staged.reason)
            manifest.record(
                con, feed, landing_file, status="rejected", message=staged.reason, encoding=None,
                rows_read=0, rows_loaded=0, rows_quarantined=0, values_flagged=0, loaded_at=loaded_at,
            )
        else:
            outcome = _insert(con, feed, landing_file, staged, loaded_at)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        con.execute("drop view if exists landing_rows")
        con.execute(f"drop table if exists {READ_TABLE}")
    return outcome


def _apply_aliases(con: duckdb.DuckDBPyConnection, feed: FeedSpec, result: ReadResult) -> None:
    """Rename columns known under another name to the feed's canonical names (in place in `result`)."""
    for canonical, pattern in feed.column_aliases:
        if canonical in result.columns:
            continue
        match = next((c for c in result.columns if re.fullmatch(pattern, c.strip(), re.IGNORECASE)), None)
        if match is not None:
            con.execute(f"alter table {result.table} rename column {_quote(match)} to {_quote(canonical)}")
            result.columns[result.columns.index(match)] = canonical
            result.notes.append(f"column {match!r} read as {canonical!r}")


def _forward_fill(con: duckdb.DuckDBPyConnection, feed: FeedSpec, result: ReadResult) -> None:
    """Blank cells meaning "same as above" take the last value above them; fully blank rows are separators."""
    blank = " and ".join(f"nullif(trim(cast({_quote(c)} as varchar)), '') is null" for c in result.columns)
    skipped = con.execute(f"delete from {result.table} where {blank}").fetchone()[0]
    if skipped:
        result.notes.append(f"{skipped} blank row(s) skipped")
    if not feed.forward_fill:
        return
    filled = ", ".join(
        f"last_value(nullif(trim({_quote(c)}), '') ignore nulls) over (order by _source_line "
        f"rows between unbounded preceding and current row) as {_quote(c)}"
        for c in feed.forward_fill
    )
    con.execute(
        f"create or replace temp table {result.table} as "
        f"select * replace ({filled}) from {result.table}"
    )


def _read(con: duckdb.DuckDBPyConnection, feed: FeedSpec, path: Path, workdir: Path) -> ReadResult:
    result = feed.reader(con, path, READ_TABLE, workdir)
    _apply_aliases(con, feed, result)
    _forward_fill(con, feed, result)
    return result


def _read_and_check(
    con: duckdb.DuckDBPyConnection,
    feed: FeedSpec,
    landing_file: manifest.LandingFile,
    context: LoadContext,
    workdir: Path,
) -> ReadResult:
    """Read the file into temp tables; build `landing_findings` (its bad rows and doubtful values) and
    `landing_rows` (a view of the raw table's rows to insert, lineage still to add)."""
    if landing_file.period is None:
        raise RejectedFile(
            landing_file.relative_path,
            f"file name does not follow the feed's naming ({feed.file_pattern}); it states no period",
        )
    result = _read(con, feed, landing_file.path, workdir)
    missing = [c for c in (feed.required_columns or feed.columns) if c not in result.columns]
    if missing:
        raise RejectedFile(
            landing_file.relative_path,
            f"missing column(s) {', '.join(missing)}; the header has: {', '.join(result.columns[:40])}",
        )
    table = result.table

    # Every failed check becomes one quarantine line: (line, column, value, reason, action).
    checks = []
    for rule in feed.rules:
        if rule.column not in result.columns:
            continue
        value = f"{table}.{_quote(rule.column)}"
        ok = rule.ok.replace("{v}", value)
        action = "row_rejected" if rule.action == "reject" else "value_flagged"
        shown = f"'{WITHHELD}'" if rule.column in feed.personal_columns else value
        checks.append(
            f"select _source_line, '{rule.column}' as column_name, {shown} as value, "
            f"'{rule.reason.replace(chr(39), chr(39) * 2)}' as reason, '{action}' as action "
            f"from {table} where not coalesce(({ok}), false)"
        )
    if feed.key_columns:
        keys = ", ".join(_quote(c) for c in feed.key_columns)
        shown_key = (f"'{WITHHELD}'" if set(feed.key_columns) & set(feed.personal_columns)
                     else f"concat_ws('|', {keys})")
        checks.append(
            f"""select _source_line, '{"+".join(feed.key_columns)}' as column_name,
                       {shown_key} as value,
                       'duplicate record in this file (same ' || '{", ".join(feed.key_columns)}' ||
                       ' as line ' || first_line || ')' as reason, 'row_rejected' as action
                from (select *, min(_source_line) over (partition by {keys}) as first_line from {table})
                where _source_line > first_line"""
        )
    # An unparseable line of a file holding personal data is not copied: the archived file keeps it.
    line_value = f"'{WITHHELD}'" if feed.personal_columns else "value"
    checks.append(
        f"select _source_line, column_name, {line_value}, reason, 'row_rejected' as action "
        f"from {result.rejects_table}"
    )
    con.execute("create or replace temp table landing_findings as " + " union all ".join(checks))

    # Personal columns a file lacks are still referenced by derived columns: give them a typed empty value.
    for column in feed.personal_columns:
        if column not in result.columns:
            con.execute(f"alter table {table} add column {_quote(column)} varchar")
    derived = ", ".join(f"{d.sql(context)} as {_quote(d.name)}" for d in feed.derived)
    kept = ", ".join(f"{table}.{_quote(c)}" if c in result.columns else f"null as {_quote(c)}" for c in feed.columns)
    selected = kept + (", " + derived if derived else "")
    # A view, not a copy: the insert computes the derived columns (pseudonyms, ages) as it writes, in one pass.
    # They use try_cast and never raise, so nothing in it can fail half-way.
    con.execute(
        f"""
        create or replace temp view landing_rows as
        select {selected}, {table}._source_line
        from {table}
        where {table}._source_line not in (
            select _source_line from landing_findings where action = 'row_rejected')
        """
    )
    return result


def _insert(
    con: duckdb.DuckDBPyConnection,
    feed: FeedSpec,
    landing_file: manifest.LandingFile,
    result: ReadResult,
    loaded_at: datetime,
) -> FileOutcome:
    data_columns = ", ".join(_quote(c) for c in feed.columns + tuple(d.name for d in feed.derived))
    # The file's old rows were deleted in this transaction: what the insert counts is what the table holds.
    rows_loaded = con.execute(
        f"""
        insert into {raw_table(feed)}
        select {data_columns}, ? as _source_file, _source_line, ? as _source_sheet, ? as _file_sha256,
               ? as _period, ?::timestamp as _loaded_at
        from landing_rows
        """,
        [landing_file.relative_path, result.sheet, landing_file.sha256, landing_file.period, loaded_at],
    ).fetchone()[0]
    con.execute(
        f"""
        insert into {manifest.QUARANTINE}
        select ?, ?, ?, _source_line, column_name, value, reason, action, ?::timestamp
        from landing_findings
        """,
        [feed.name, landing_file.relative_path, landing_file.sha256, loaded_at],
    )
    rows_quarantined, values_flagged = con.execute(
        """select count(distinct case when action = 'row_rejected' then _source_line end),
                  count(*) filter (where action = 'value_flagged')
           from landing_findings"""
    ).fetchone()
    notes = list(result.notes)
    absent = [c for c in feed.columns if c not in result.columns]
    if absent:
        notes.append(f"column(s) absent, loaded as empty: {', '.join(absent)}")
    extra = [c for c in result.columns if c not in feed.columns and c not in feed.personal_columns]
    if extra:
        notes.append(f"extra column(s) ignored: {', '.join(extra)}")
    message = "; ".join(notes) or None
    manifest.record(
        con, feed, landing_file, status="loaded", message=message, encoding=result.encoding,
        rows_read=result.rows_read, rows_loaded=rows_loaded, rows_quarantined=rows_quarantined,
        values_flagged=values_flagged, loaded_at=loaded_at,
    )
    return FileOutcome(
        landing_file.relative_path, "loaded", result.rows_read, rows_loaded, rows_quarantined, values_flagged, message
    )
