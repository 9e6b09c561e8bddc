"""The shared reading layer: every landing file goes through here, whatever its feed.

It copes with what real public files do (encodings, BOMs, separators, `NULL` markers, truncated or ragged lines) and
hands back a DuckDB temp table of text columns with the source line of each row, plus the rows it could not parse.
Typing, renaming and validation happen afterwards, in SQL, per feed (`ingestion.load`).
"""
from __future__ import annotations

import codecs
import datetime
import csv
import hashlib
import io
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

CHUNK = 1 << 20


class RejectedFile(Exception):
    """A file that cannot be read at all. The message names the file and says why."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class CsvFormat:
    """How a feed's delimited files are written. The encoding is detected (see `detect_encoding`)."""

    delimiter: str = ";"
    null_markers: tuple[str, ...] = ("",)
    quote: str = '"'
    # Files without a header line (the FAP;PCS;ROME table) name their columns here.
    column_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class XlsxFormat:
    """Where the data sits in a workbook: the sheet (regex on its name, case-insensitive; the first match wins)
    and the header row, found as the first row within `max_header_row` whose cells match every regex of
    `header_cells` (so title and note rows above it, merged or not, are skipped). Below it, rows whose first
    non-empty cell starts with one of `footer_prefixes` (a `Total` row, a `Source :` note) are not data."""

    sheet_pattern: str
    header_cells: tuple[str, ...]
    footer_prefixes: tuple[str, ...] = ("total", "source")
    max_header_row: int = 30


@dataclass
class ReadResult:
    table: str  # temp table: one VARCHAR column per header column + `_source_line`
    columns: list[str]
    rows_read: int
    rejects_table: str  # temp table: _source_line, column_name, value, reason
    rows_rejected: int
    encoding: str
    notes: list[str] = field(default_factory=list)
    sheet: str | None = None  # the workbook sheet the rows come from


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the bytes decode as such, else Windows-1252, else Latin-1.

    Windows-1252 comes before Latin-1 because sources that say "latin-1" often write `œ` and `€` (bytes 0x80-0x9F),
    which Latin-1 silently turns into control characters.
    """
    with open(path, "rb") as handle:
        start = handle.read(2)
    if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):  # Excel's "Unicode text" export
        return "utf-16"
    for encoding in ("utf-8", "cp1252", "latin-1"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as handle:
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"  # unreachable: latin-1 decodes any byte


def _as_utf8(path: Path, encoding: str, workdir: Path) -> Path:
    """DuckDB reads UTF-8 natively; other encodings are transcoded once into a scratch copy (the raw file stays)."""
    if encoding == "utf-8":
        return path
    target = Path(tempfile.mkstemp(prefix="utf8_", suffix=".csv", dir=workdir)[1])
    with open(path, "r", encoding=encoding, newline="") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        for chunk in iter(lambda: src.read(CHUNK), ""):
            dst.write(chunk)
    return target


def _header(path: Path, fmt: CsvFormat) -> list[str]:
    if fmt.column_names:
        return list(fmt.column_names)
    with open(path, "r", encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
    if not first.strip():
        raise RejectedFile(path, "no header line (the first line is empty)")
    row = next(csv.reader(io.StringIO(first), delimiter=fmt.delimiter, quotechar=fmt.quote))
    columns = [name.strip() for name in row]
    if len(columns) < 2:
        raise RejectedFile(
            path, f"header has a single column {columns[0][:60]!r}: not a {fmt.delimiter!r}-separated file"
        )
    blanks = [i + 1 for i, name in enumerate(columns) if not name]
    if blanks:
        raise RejectedFile(path, f"header has empty column names at positions {blanks}")
    return _deduplicated(columns)


def _deduplicated(columns: list[str]) -> list[str]:
    # Real files repeat names (Certif Info's old/new `cer3_libelle`): later copies get `_2`, `_3`, in order.
    seen: dict[str, int] = {}
    unique = []
    for name in columns:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return unique


_order_lock = threading.Lock()
_order_readers: dict[str | None, int] = {}


@contextmanager
def file_order(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Keep rows in the order they are read while this block runs (a file's line numbers depend on it).

    `preserve_insertion_order` is a setting of the whole database, shared by its connections: it is switched on
    by the first read and back to the warehouse's `false` by the last one, so that files read side by side
    (`ingestion.load`) never turn it off under each other."""
    database = con.execute(
        "select path from duckdb_databases() where database_name = current_database()").fetchone()[0]
    with _order_lock:
        if not _order_readers.get(database):
            con.execute("set preserve_insertion_order = true")
        _order_readers[database] = _order_readers.get(database, 0) + 1
    try:
        yield
    finally:
        with _order_lock:
            _order_readers[database] -= 1
            if not _order_readers[database]:
                con.execute("set preserve_insertion_order = false")


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def read_delimited(
    con: duckdb.DuckDBPyConnection, path: Path, fmt: CsvFormat, table: str, workdir: Path
) -> ReadResult:
    """Read one delimited file into temp table `table`, every column as text.

    Rows that do not fit the header (missing or extra fields, a truncated last line, a broken quote) go to
    `<table>_rejects` with their line number; they never stop the other rows from loading.
    """
    path = Path(path)
    if not path.exists():
        raise RejectedFile(path, "file not found")
    if path.stat().st_size == 0:
        raise RejectedFile(path, "empty file (0 bytes)")
    encoding = detect_encoding(path)
    readable = _as_utf8(path, encoding, workdir)
    try:
        columns = _header(readable, fmt)
        column_spec = "{" + ", ".join(f"{_sql_str(c)}: 'VARCHAR'" for c in columns) + "}"
        nulls = "[" + ", ".join(_sql_str(m) for m in fmt.null_markers) + "]"
        rejects, scans = f"{table}_duck_rejects", f"{table}_duck_scans"
        con.execute(f"drop table if exists {table}")
        con.execute(f"drop table if exists {rejects}")
        con.execute(f"drop table if exists {scans}")
        header_lines = 0 if fmt.column_names else 1
        try:
            # Row order is the file's order, so a row's position in the new table (its `rowid`, from 0) counts
            # data rows as they came: the file line as long as no line before was rejected (the usual case;
            # corrected below otherwise). Numbering the rows after the read costs 0.02 s a France Travail month;
            # numbering them in it, `row_number() over ()`, cost 0.5 s (40 % of the read): the window holds every
            # row first. A file with its own `rowid` column hides the position; it is numbered in the read.
            numbered_in_read = "rowid" in (c.lower() for c in columns)
            with file_order(con):
                con.execute(
                    f"""
                    create temp table {table} as
                    select *{f", row_number() over () + {header_lines} as _source_line" if numbered_in_read else ""}
                    from read_csv({_sql_str(str(readable))}, delim={_sql_str(fmt.delimiter)},
                                  header={"false" if fmt.column_names else "true"},
                                  quote={_sql_str(fmt.quote)}, escape={_sql_str(fmt.quote)}, auto_detect=false,
                                  columns={column_spec}, nullstr={nulls}, strict_mode=true, null_padding=false,
                                  store_rejects=true, rejects_table={_sql_str(rejects)},
                                  rejects_scan={_sql_str(scans)}, max_line_size=10000000)
                    """
                )
        except duckdb.Error as exc:
            raise RejectedFile(path, f"unreadable as {fmt.delimiter!r}-separated text: {exc}") from exc
        if not numbered_in_read:
            con.execute(f"alter table {table} add column _source_line bigint")
            con.execute(f"update {table} set _source_line = rowid + 1 + {header_lines}")
        if con.execute(f"select count(*) from {rejects}").fetchone()[0]:
            # A good row's file line = its data-row number + the header + the rejected lines before it. Rewriting
            # the numbers in place costs one pass, only for files that had a bad line.
            con.execute(
                f"""
                update {table} set _source_line = {table}._source_line + shift.rejected_before
                from (
                    select r._source_line, count(k.line) as rejected_before
                    from {table} r
                    join (
                        select line, line - {header_lines} - row_number() over (order by line) as good_rows_before
                        from (select distinct line from {rejects})
                    ) k on k.good_rows_before < r._source_line - {header_lines}
                    group by r._source_line
                ) shift
                where {table}._source_line = shift._source_line
                """
            )
        con.execute(
            f"""
            create or replace temp table {table}_rejects as
            select line::bigint as _source_line,
                   coalesce(column_name, '(line)') as column_name,
                   csv_line as value,
                   'unparseable line: ' || error_type || ' (' || replace(error_message, chr(10), ' ') || ')' as reason
            from (select *, row_number() over (partition by line order by column_idx) as k from {rejects})
            where k = 1
            """
        )
        rows_read = con.execute(f"select count(*) from {table}").fetchone()[0]
        rows_rejected = con.execute(f"select count(*) from {table}_rejects").fetchone()[0]
        notes = []
        # Line breaks bound the physical lines from above in one fast pass; blank lines, which the reader skips,
        # are told apart only when that bound exceeds the records.
        physical = _count_line_breaks(readable) - header_lines
        if rows_read + rows_rejected < physical:
            physical = _count_lines(readable) - header_lines
        if rows_read + rows_rejected < physical:
            # A quote left open swallows the lines after it into one field: say so rather than lose them quietly.
            notes.append(f"the file has {physical} data lines but {rows_read + rows_rejected} records: a quoted field "
                         "runs over several lines (an unclosed quote?); see the quarantine")
    finally:
        if readable != path:
            readable.unlink(missing_ok=True)
    return ReadResult(table, columns, rows_read + rows_rejected, f"{table}_rejects", rows_rejected, encoding,
                      notes)


def _count_line_breaks(path: Path) -> int:
    """Line breaks, plus one for a last line without its own: at least the physical lines, blank ones included."""
    count, last = 0, b"\n"
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (0 if last == b"\n" else 1)


def _count_lines(path: Path) -> int:
    """Non-empty physical lines (a last line without its line break counts); blank lines, however many in a row,
    do not. A line at a time: only run when `_count_line_breaks` found more lines than records."""
    with open(path, "rb") as handle:
        return sum(1 for line in handle if line.rstrip(b"\r\n"))


def read_parquet(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> ReadResult:
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        raise RejectedFile(path, "empty or missing file")
    try:
        con.execute(
            f"create or replace temp table {table} as "
            # The row's position in the file, whatever order the scan returns rows in.
            f"select * exclude (file_row_number), file_row_number + 1 as _source_line "
            f"from read_parquet({_sql_str(str(path))}, file_row_number = true)"
        )
    except duckdb.Error as exc:
        raise RejectedFile(path, f"unreadable as Parquet: {exc}") from exc
    columns = [c for c in con.execute(f"select * from {table} limit 0").fetchdf().columns if c != "_source_line"]
    con.execute(
        f"create or replace temp table {table}_rejects "
        "(_source_line bigint, column_name varchar, value varchar, reason varchar)"
    )
    rows = con.execute(f"select count(*) from {table}").fetchone()[0]
    return ReadResult(table, columns, rows, f"{table}_rejects", 0, "parquet")


def _cell_text(value) -> str | None:
    """A workbook cell as the text a CSV would hold: integers without `.0`, dates in ISO form."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def read_xlsx(con: duckdb.DuckDBPyConnection, path: Path, fmt: XlsxFormat, table: str) -> ReadResult:
    """Read the data block of one sheet into temp table `table`; `_source_line` is the sheet's row number."""
    import re

    from python_calamine import CalamineWorkbook

    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        raise RejectedFile(path, "empty or missing file")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every kind of broken workbook
        raise RejectedFile(path, f"unreadable as a workbook: {exc}") from exc
    sheets = [name for name in workbook.sheet_names if re.search(fmt.sheet_pattern, name, re.IGNORECASE)]
    if not sheets:
        raise RejectedFile(
            path, f"no sheet whose name matches {fmt.sheet_pattern!r}; sheets: {', '.join(workbook.sheet_names)}"
        )
    sheet = sheets[0]
    rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    patterns = [re.compile(p, re.IGNORECASE) for p in fmt.header_cells]
    header_index = None
    for index, row in enumerate(rows[: fmt.max_header_row]):
        cells = [c for c in (_cell_text(v) for v in row) if c]
        if all(any(p.fullmatch(c) for c in cells) for p in patterns):
            header_index = index
            break
    if header_index is None:
        raise RejectedFile(
            path, f"sheet {sheet!r}: no header row with {', '.join(fmt.header_cells)} in its first "
            f"{fmt.max_header_row} rows",
        )
    header = [_cell_text(v) or "" for v in rows[header_index]]
    while header and not header[-1]:
        header.pop()
    named = [(i, name) for i, name in enumerate(header) if name]
    columns = _deduplicated([name for _, name in named])
    records, notes = [], []
    for offset, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        values = [_cell_text(row[i]) if i < len(row) else None for i, _ in named]
        if not any(values):
            continue
        first = next(v for v in values if v)
        if first.lower().startswith(tuple(p.lower() for p in fmt.footer_prefixes)):
            notes.append(f"row {offset} skipped as a footer: {first[:40]!r}")
            continue
        records.append(values + [offset])
    register_rows(con, table, columns, records)
    return ReadResult(table, columns, len(records), f"{table}_rejects", 0, "xlsx", notes, sheet)


def register_rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], records: list[list]) -> None:
    """Rows parsed in Python (workbooks, SAS formats, XML) as temp table `table`: text columns, each record's last
    item its `_source_line`; plus an empty `<table>_rejects`, as `read_delimited` makes."""
    import pandas as pd

    frame = pd.DataFrame(records, columns=list(columns) + ["_source_line"], dtype=object)
    frame["_source_line"] = frame["_source_line"].astype("int64")
    for column in columns:
        frame[column] = frame[column].astype("string")
    # DuckDB refuses register() while an earlier result on the connection is not fully fetched; a new query
    # closes it.
    con.execute("select 1").fetchall()
    con.register("python_rows", frame)
    try:
        con.execute(f"create or replace temp table {table} as select * from python_rows")
    finally:
        con.unregister("python_rows")
    con.execute(
        f"create or replace temp table {table}_rejects "
        "(_source_line bigint, column_name varchar, value varchar, reason varchar)"
    )


def read_text(path: Path) -> str:
    """A whole text file, decoded as `detect_encoding` says, line ends normalised."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        raise RejectedFile(path, "empty or missing file")
    return path.read_text(encoding=detect_encoding(path)).replace("\r\n", "\n").replace("\r", "\n")
