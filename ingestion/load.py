"""Load one feed from the landing zone into its raw table, the same way for every feed.

For each file: skip it when this exact version is already loaded; otherwise read it (`ingestion.read`), check the
columns, send bad rows to quarantine with their line, column and reason, and replace that file's rows in the raw
table. A file that cannot be read is rejected whole; the other files still load. Files are committed a few at a
time (`ROWS_PER_INSERT`): their rows, quarantine lines and manifest records in one transaction, so that a batch
is in the warehouse whole or not at all, and a rerun loads again only what was not committed.
"""
from __future__ import annotations

import re
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ingestion import manifest
from ingestion.feeds import FeedSpec, LoadContext
from ingestion.read import ReadResult, RejectedFile, file_order

READ_TABLE = "landing_read"  # the temp tables a file is read into are named from it
# DuckDB stores a table in row groups of 122,880 rows. Each insert statement fills its own, the last one partly
# (an insert below one row group is appended into the table's last group instead), and any later checkpoint merges
# up to four neighbouring groups into three wherever their rows fit: after inserts of one to three row groups each
# (a France Travail month is 170,000 rows), that rewrites and compresses the whole table once more: 18 s for the
# national France Travail table, paid by whichever process checkpoints next (dbt's, at the end of the first
# build). Files are therefore inserted together until a batch holds three row groups: no four neighbours then
# hold two partly filled groups, and nothing is left to merge.
ROW_GROUP_ROWS = 122_880
ROWS_PER_INSERT = 3 * ROW_GROUP_ROWS
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
    with tempfile.TemporaryDirectory(prefix="pric_read_") as workdir:
        report.files.extend(_load_files(con, feed, to_load, context, Path(workdir), loaded_at, archive_root))
        manifest.refresh_current(con, feed)
    return report


def _load_files(
    con: duckdb.DuckDBPyConnection,
    feed: FeedSpec,
    landing_files: list[manifest.LandingFile],
    context: LoadContext,
    workdir: Path,
    loaded_at: datetime,
    archive_root: Path | None,
) -> list[FileOutcome]:
    """Load files side by side, each worker on its own connection to the warehouse, committing batches of files.

    One file of a monthly extract is too small to keep DuckDB's threads busy (its insert fills one or two row
    groups), so a single stream of files leaves cores idle. Files of one feed never touch the same rows (each
    replaces its own), so the workers' transactions do not conflict. A worker reads and checks files into temp
    tables until they hold `ROWS_PER_INSERT` rows, then commits them in one insert. Outcomes come back in the
    files' order."""
    workers = max(1, min(manifest.PARALLEL_FILES, len(landing_files)))
    outcomes: list[FileOutcome | None] = [None] * len(landing_files)
    queue = iter(enumerate(landing_files))
    lock = threading.Lock()

    def work(worker: int, cursor: duckdb.DuckDBPyConnection) -> None:
        batch: list[tuple[int, manifest.LandingFile, ReadResult | RejectedFile]] = []
        try:
            while True:
                with lock:
                    index, landing_file = next(queue, (None, None))
                if landing_file is not None:
                    manifest.archive(landing_file, feed, archive_root)
                    name = f"{READ_TABLE}_{worker}_{len(batch)}"
                    batch.append((index, landing_file, _stage(cursor, feed, landing_file, context, workdir, name)))
                staged_rows = sum(s.rows_read for _, _, s in batch if isinstance(s, ReadResult))
                if batch and (landing_file is None or staged_rows >= ROWS_PER_INSERT):
                    for (index, _, _), outcome in zip(batch, _commit(cursor, feed, batch, loaded_at)):
                        outcomes[index] = outcome
                    _drop_staged(cursor, batch)
                    batch = []
                if landing_file is None:
                    return
        finally:
            _drop_staged(cursor, batch)

    if workers == 1:
        work(0, con)
        return outcomes

    def work_on_own_connection(worker: int) -> None:
        cursor = con.cursor()  # a connection of its own: its own transaction and temp tables, same settings
        try:
            work(worker, cursor)
        finally:
            cursor.close()

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"load-{feed.name}") as pool:
        for done in [pool.submit(work_on_own_connection, worker) for worker in range(workers)]:
            done.result()  # a failure in any worker is raised here, after the others stopped
    return outcomes


def _stage(
    con: duckdb.DuckDBPyConnection,
    feed: FeedSpec,
    landing_file: manifest.LandingFile,
    context: LoadContext,
    workdir: Path,
    name: str,
) -> ReadResult | RejectedFile:
    """Read and check one file into temp tables named from `name`, outside any transaction, so that a parser
    error never aborts the load's transaction; a file that cannot be loaded comes back as its rejection."""
    try:
        return _read_and_check(con, feed, landing_file, context, workdir, name)
    except RejectedFile as exc:
        for table in (name, f"{name}_rejects"):  # what the reader made of it before it was rejected
            con.execute(f"drop table if exists {table}")
        return exc


def _drop_staged(con: duckdb.DuckDBPyConnection, batch: list) -> None:
    for _, _, staged in batch:
        if isinstance(staged, ReadResult):
            con.execute(f"drop view if exists {staged.table}_rows")
            for table in (f"{staged.table}_findings", staged.rejects_table, staged.table):
                con.execute(f"drop table if exists {table}")


def _commit(
    con: duckdb.DuckDBPyConnection,
    feed: FeedSpec,
    batch: list[tuple[int, manifest.LandingFile, ReadResult | RejectedFile]],
    loaded_at: datetime,
) -> list[FileOutcome]:
    """One transaction for a batch of staged files: each replaces its earlier version's rows and quarantine
    lines, the good rows of all of them go into the raw table in one insert, and each gets its manifest record."""
    con.execute("begin transaction")
    try:
        for _, landing_file, _ in batch:
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
        read = [(landing_file, staged) for _, landing_file, staged in batch if isinstance(staged, ReadResult)]
        if read:
            _insert_rows(con, feed, read, loaded_at)
        outcomes = []
        for _, landing_file, staged in batch:
            if isinstance(staged, RejectedFile):
                outcomes.append(FileOutcome(landing_file.relative_path, "rejected", message=staged.reason))
                manifest.record(
                    con, feed, landing_file, status="rejected", message=staged.reason, encoding=None,
                    rows_read=0, rows_loaded=0, rows_quarantined=0, values_flagged=0, loaded_at=loaded_at,
                )
            else:
                outcomes.append(_record_loaded(con, feed, landing_file, staged, loaded_at))
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return outcomes


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


def _read(con: duckdb.DuckDBPyConnection, feed: FeedSpec, path: Path, workdir: Path, table: str) -> ReadResult:
    result = feed.reader(con, path, table, workdir)
    _apply_aliases(con, feed, result)
    _forward_fill(con, feed, result)
    return result


def _read_and_check(
    con: duckdb.DuckDBPyConnection,
    feed: FeedSpec,
    landing_file: manifest.LandingFile,
    context: LoadContext,
    workdir: Path,
    table: str,
) -> ReadResult:
    """Read the file into temp table `table`; build `<table>_findings` (its bad rows and doubtful values) and
    `<table>_rows` (a view of the raw table's rows to insert, lineage still to add)."""
    if landing_file.period is None:
        raise RejectedFile(
            landing_file.relative_path,
            f"file name does not follow the feed's naming ({feed.file_pattern}); it states no period",
        )
    result = _read(con, feed, landing_file.path, workdir, table)
    missing = [c for c in (feed.required_columns or feed.columns) if c not in result.columns]
    if missing:
        raise RejectedFile(
            landing_file.relative_path,
            f"missing column(s) {', '.join(missing)}; the header has: {', '.join(result.columns[:40])}",
        )
    table = result.table
    findings = f"{table}_findings"

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
    con.execute(f"create or replace temp table {findings} as " + " union all ".join(checks))

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
        create or replace temp view {table}_rows as
        select {selected}, {table}._source_line
        from {table}
        where {table}._source_line not in (
            select _source_line from {findings} where action = 'row_rejected')
        """
    )
    return result


def _insert_rows(
    con: duckdb.DuckDBPyConnection,
    feed: FeedSpec,
    read: list[tuple[manifest.LandingFile, ReadResult]],
    loaded_at: datetime,
) -> None:
    """The good rows of every file of a batch, in one insert (see `ROWS_PER_INSERT`), then their quarantine."""
    data_columns = ", ".join(_quote(c) for c in feed.columns + tuple(d.name for d in feed.derived))
    selects, parameters = [], []
    for landing_file, result in read:
        selects.append(f"select {data_columns}, ? as _source_file, _source_line, ? as _source_sheet, "
                       f"? as _file_sha256, ? as _period, ?::timestamp as _loaded_at from {result.table}_rows")
        parameters += [landing_file.relative_path, result.sheet, landing_file.sha256, landing_file.period, loaded_at]
    # In order: an insert that does not keep it ends in one partly filled row group per thread, not one in all.
    with file_order(con):
        con.execute(f"insert into {raw_table(feed)} " + " union all ".join(selects), parameters)
    for landing_file, result in read:
        con.execute(
            f"""
            insert into {manifest.QUARANTINE}
            select ?, ?, ?, _source_line, column_name, value, reason, action, ?::timestamp
            from {result.table}_findings
            """,
            [feed.name, landing_file.relative_path, landing_file.sha256, loaded_at],
        )


def _record_loaded(
    con: duckdb.DuckDBPyConnection,
    feed: FeedSpec,
    landing_file: manifest.LandingFile,
    result: ReadResult,
    loaded_at: datetime,
) -> FileOutcome:
    # The file's old rows were deleted in this transaction: what its view yields is what the table now holds.
    rows_loaded = con.execute(f"select count(*) from {result.table}_rows").fetchone()[0]
    rows_quarantined, values_flagged = con.execute(
        f"""select count(distinct case when action = 'row_rejected' then _source_line end),
                   count(*) filter (where action = 'value_flagged')
            from {result.table}_findings"""
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
