"""The shared reading layer: every landing file goes through here, whatever its feed.

It copes with what real public files do (encodings, BOMs, separators, `NULL` markers, truncated or ragged lines) and
hands back a DuckDB temp table of text columns with the source line of each row, plus the rows it could not parse.
Typing, renaming and validation happen afterwards, in SQL, per feed (`ingestion.load`).
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import tempfile
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


@dataclass
class ReadResult:
    table: str  # temp table: one VARCHAR column per header column + `_source_line`
    columns: list[str]
    rows_read: int
    rejects_table: str  # temp table: _source_line, column_name, value, reason
    rows_rejected: int
    encoding: str
    notes: list[str] = field(default_factory=list)


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
    # Real files repeat names (Certif Info's old/new `cer3_libelle`): later copies get `_2`, `_3`, in order.
    seen: dict[str, int] = {}
    unique = []
    for name in columns:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return unique


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
        try:
            # Row order is the file's order: `row_number() over ()` below counts data rows as they come.
            con.execute("set preserve_insertion_order = true")
            con.execute(
                f"""
                create temp table {table}__read as
                select *, row_number() over () as _data_row
                from read_csv({_sql_str(str(readable))}, delim={_sql_str(fmt.delimiter)}, header=true,
                              quote={_sql_str(fmt.quote)}, escape={_sql_str(fmt.quote)}, auto_detect=false,
                              columns={column_spec}, nullstr={nulls}, strict_mode=true, null_padding=false,
                              store_rejects=true, rejects_table={_sql_str(rejects)},
                              rejects_scan={_sql_str(scans)}, max_line_size=10000000)
                """
            )
        except duckdb.Error as exc:
            raise RejectedFile(path, f"unreadable as {fmt.delimiter!r}-separated text: {exc}") from exc
        # A good row's file line = its data-row number + the header + the rejected lines before it.
        con.execute(
            f"""
            create temp table {table} as
            with rejected as (
                select distinct line from {rejects}
            ), ranked as (
                select line, line - 1 - row_number() over (order by line) as good_rows_before
                from rejected
            )
            select r.* exclude (_data_row),
                   r._data_row + 1 + (select count(*) from ranked k where k.good_rows_before < r._data_row)
                       as _source_line
            from {table}__read r
            """
        )
        con.execute(f"drop table {table}__read")
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
    finally:
        if readable != path:
            readable.unlink(missing_ok=True)
    return ReadResult(table, columns, rows_read + rows_rejected, f"{table}_rejects", rows_rejected, encoding)


def read_parquet(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> ReadResult:
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        raise RejectedFile(path, "empty or missing file")
    try:
        con.execute(
            f"create or replace temp table {table} as "
            f"select *, row_number() over () as _source_line from read_parquet({_sql_str(str(path))})"
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
