"""What a feed is: where its files land, how they are named and read, and what makes one of its rows bad.

Each feed module (`ingestion/france_travail/stagiaires.py`, `ingestion/referentiels/cog.py`, …) declares one
`FeedSpec`; `ingestion.load.load_feed` does the rest the same way for every feed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Literal

from pathlib import Path

import duckdb

from ingestion.read import CsvFormat, ReadResult, XlsxFormat, read_delimited, read_parquet, read_xlsx

Reader = Callable[[duckdb.DuckDBPyConnection, Path, str, Path], ReadResult]


def csv_reader(fmt: CsvFormat) -> Reader:
    return lambda con, path, table, workdir: read_delimited(con, path, fmt, table, workdir)


def xlsx_reader(fmt: XlsxFormat) -> Reader:
    return lambda con, path, table, workdir: read_xlsx(con, path, fmt, table)


def parquet_reader() -> Reader:
    return lambda con, path, table, workdir: read_parquet(con, path, table)


PeriodKind = Literal["month", "quarter", "year", "version"]


@dataclass(frozen=True)
class Rule:
    """A check on one column. `ok` is a SQL predicate over `{v}` (the raw text) that holds for acceptable values.

    `reject`: the row goes to quarantine and does not load (the value cannot be used: a missing key, a bad date).
    `flag`: the row loads and the value is recorded in quarantine as a warning (an unknown code, for instance),
    so that a code list lagging behind the source never removes people from the counts.
    """

    column: str
    ok: str
    reason: str
    action: Literal["reject", "flag"] = "reject"


@dataclass(frozen=True)
class DerivedColumn:
    """A column computed at load time (pseudonymised key, age): SQL over the read table, with its type."""

    name: str
    sql_type: str
    sql: Callable[["LoadContext"], str]


@dataclass(frozen=True)
class LoadContext:
    pseudo_key: bytes


@dataclass(frozen=True)
class FeedSpec:
    name: str  # raw table name, `<source>__<entity>`
    source: str  # Dagster asset group and dbt source name
    folder: str  # relative to the landing root
    file_pattern: str  # regex on the file name; a `period` group when the feed is periodic
    period_kind: PeriodKind
    reader: Reader  # csv_reader(...), xlsx_reader(...), parquet_reader() or a feed's own
    columns: tuple[str, ...]  # source columns kept, as text, in the raw table
    description: str
    # Names a column takes across years or sources (BMO's `BE19`, `BE23`…): canonical name → regex (fullmatch,
    # case-insensitive). The first header matching is renamed to the canonical name before anything else.
    column_aliases: tuple[tuple[str, str], ...] = ()
    forward_fill: tuple[str, ...] = ()  # blank means "same as above" in these columns
    required_columns: tuple[str, ...] = ()  # a file without one of these is rejected whole
    personal_columns: tuple[str, ...] = ()  # read, used by derived columns at most, never stored
    key_columns: tuple[str, ...] = ()  # a record's identity inside one file; repeats go to quarantine
    rules: tuple[Rule, ...] = ()
    derived: tuple[DerivedColumn, ...] = field(default_factory=tuple)

    def claims(self, file_name: str) -> bool:
        return re.fullmatch(self.file_pattern, file_name) is not None

    def period_of(self, file_name: str) -> str | None:
        """The period a file name states, normalised (`2019-09`, `2019-T1`, `2019`, or a reference file's
        vintage); None when the name does not match the feed's pattern."""
        match = re.fullmatch(self.file_pattern, file_name)
        if not match:
            return None
        raw = match.group("period") if "period" in match.groupdict() else ""
        if self.period_kind in ("version", "year"):
            return raw
        if self.period_kind == "month":
            return f"{raw[:4]}-{raw[4:6]}"
        if self.period_kind == "quarter":
            return f"{raw[:4]}-T{raw[-1]}"
        raise ValueError(self.period_kind)


# Reusable value checks (DuckDB SQL: they run in the load step, before dbt).
def is_date(fmt: str) -> str:
    return "{v} is null or try_strptime({v}, '" + fmt + "') is not null"


IS_ISO_DATETIME = "{v} is null or try_cast(substr({v}, 1, 10) as date) is not null"
NOT_BLANK = "{v} is not null and trim({v}) <> ''"


def one_of(*values: str) -> str:
    listed = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return "{v} is null or trim({v}) in (" + listed + ")"


def matches(pattern: str) -> str:
    return "{v} is null or regexp_full_match(trim({v}), '" + pattern + "')"


# Numbers as French sources write them: `12 300`, `1 234,50`, `16,61538462`; markers `*`, `nd`, `NC`, `-` stand for
# a withheld or missing figure and are kept as text (staging reads them as unknown, never as zero).
WITHHELD_MARKERS = ("*", "nd", "NC", "-", "n.d.", "s")
_NUMBER = "-?\\d{1,3}([ \u00a0\u202f]?\\d{3})*(,\\d+)?|-?\\d+([.,]\\d+)?"  # spaces: plain, no-break, narrow


def french_number(markers: bool = True) -> str:
    allowed = " or trim({v}) in (" + ", ".join(f"'{m}'" for m in WITHHELD_MARKERS) + ")" if markers else ""
    return "{v} is null or regexp_full_match(trim({v}), '" + _NUMBER + "')" + allowed


def french_date() -> str:
    """`dd/mm/yyyy`, two digits for day and month, a real calendar date."""
    return ("{v} is null or trim({v}) = '' or (regexp_full_match(trim({v}), '\\d{2}/\\d{2}/\\d{4}') "
            "and try_strptime(trim({v}), '%d/%m/%Y') is not null)")
