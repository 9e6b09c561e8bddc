"""The SQL engine dbt builds the warehouse on: `duckdb` (embedded default), `postgres` or `spark` (docs/scaling.md).

Ingestion always reads, checks and quarantines in the local DuckDB file (`raw` schema, manifest, build state): it is
the landing-side workspace whatever the target. What differs is how the raw layer reaches the engine:

- duckdb: dbt reads the raw tables where ingestion wrote them, in the same file;
- postgres: each raw table is copied into the server's `raw` schema with COPY, in one transaction per table;
- spark: each raw table is written as Parquet under `$PRIC_SPARK_DIR/raw/<table>/`, and dbt registers those folders
  as tables `raw.<table>` when it starts (macro `register_raw_sources`).

After dbt, the relations that the Python steps read (checks, extracts, BI snapshot) are copied back from the
engine into the local file, under the same names, so that those steps run unchanged on every target. The settings
come from the environment when a run starts: `PRIC_TARGET`, `PRIC_PG_*`, `PRIC_SPARK_DIR`.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import duckdb

TARGETS = ("duckdb", "postgres", "spark")

# What the Python steps read from the warehouse besides the `marts` and `reference` schemas (copied whole).
READ_BACK_RELATIONS = (
    "intermediate.int_entrees__rattachement",
    "intermediate.int_stagiaires__enregistrements",
)
READ_BACK_SCHEMAS = ("marts", "reference")

# DuckDB column types as PostgreSQL spells them (raw tables hold text, integers, doubles, booleans, dates).
_POSTGRES_TYPES = {
    "VARCHAR": "text", "BIGINT": "bigint", "INTEGER": "integer", "SMALLINT": "smallint", "DOUBLE": "double precision",
    "FLOAT": "real", "BOOLEAN": "boolean", "DATE": "date", "TIMESTAMP": "timestamp", "HUGEINT": "numeric",
}
# PostgreSQL types read back into DuckDB (numeric: sums of integers; the indicators table holds doubles).
_DUCKDB_TYPES = {
    "text": "VARCHAR", "character varying": "VARCHAR", "character": "VARCHAR", "bigint": "BIGINT",
    "integer": "INTEGER", "smallint": "SMALLINT", "double precision": "DOUBLE", "real": "FLOAT",
    "numeric": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE", "timestamp without time zone": "TIMESTAMP",
    "timestamp with time zone": "TIMESTAMPTZ", "uuid": "UUID",
}


class EngineError(RuntimeError):
    """The target engine is unreachable or misconfigured; the message says which setting to look at."""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class PostgresSettings:
    host: str
    port: int
    user: str
    password: str
    database: str

    @classmethod
    def from_environment(cls) -> "PostgresSettings":
        return cls(
            host=os.environ.get("PRIC_PG_HOST", "127.0.0.1"),
            port=int(os.environ.get("PRIC_PG_PORT", "5432")),
            user=os.environ.get("PRIC_PG_USER", "postgres"),
            password=os.environ.get("PRIC_PG_PASSWORD", ""),
            database=os.environ.get("PRIC_PG_DATABASE", "pric"),
        )

    def connect(self, user: str | None = None):
        try:
            import psycopg2
        except ImportError as exc:
            raise EngineError("the postgres target needs the engines extra: pip install -e '.[engines]'") from exc

        try:
            return psycopg2.connect(host=self.host, port=self.port, user=user or self.user,
                                    password=self.password or None, dbname=self.database)
        except psycopg2.OperationalError as exc:
            raise EngineError(f"cannot reach PostgreSQL at {self.host}:{self.port} database {self.database} as "
                              f"{user or self.user} (PRIC_PG_HOST, PRIC_PG_PORT, PRIC_PG_DATABASE, PRIC_PG_USER): "
                              f"{str(exc).strip()}") from exc


@dataclass(frozen=True)
class Target:
    name: str
    home: Path

    @classmethod
    def from_environment(cls, home: Path | None = None) -> "Target":
        name = os.environ.get("PRIC_TARGET", "duckdb")
        if name not in TARGETS:
            raise EngineError(f"PRIC_TARGET={name!r}: expected one of {', '.join(TARGETS)}")
        return cls(name, Path(home or os.environ.get("PRIC_HOME", "data")).resolve())

    @property
    def is_embedded(self) -> bool:
        return self.name == "duckdb"

    @property
    def supports_delete(self) -> bool:
        """Incremental builds delete the rows they rebuild; Spark's Parquet tables have no DELETE (Delta would)."""
        return self.name != "spark"

    @property
    def spark_dir(self) -> Path:
        return Path(os.environ.get("PRIC_SPARK_DIR") or self.home / "spark").resolve()

    # -- raw layer: local DuckDB -> engine ---------------------------------------------------------------------
    def publish_raw(self, con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        """Make every raw table visible to the engine; returns rows shipped per table (nothing for duckdb)."""
        tables = [row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw' and table_type = 'BASE TABLE' "
            "order by 1").fetchall()]
        if self.name == "postgres":
            return _publish_raw_postgres(con, tables, PostgresSettings.from_environment())
        if self.name == "spark":
            return _publish_raw_spark(con, tables, self.spark_dir / "raw")
        return {}

    # -- what the Python steps read: engine -> local DuckDB ----------------------------------------------------
    def read_back(self, con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        """Copy the published marts (and the few other relations the checks read) into the local file."""
        if self.name == "postgres":
            return _read_back_postgres(con, PostgresSettings.from_environment())
        if self.name == "spark":
            return _read_back_spark(con, self.spark_dir / "warehouse")
        return {}


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ? "
        "order by ordinal_position", [schema, table]).fetchall()


@contextmanager
def _scratch() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="pric_engine_"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def copy_table_to_postgres(con: duckdb.DuckDBPyConnection, pg, schema: str, table: str) -> int:
    """Replace `schema.table` on the server by the local table of that name, in one transaction (readers never see
    half a table), then refresh the planner's statistics. Returns the rows copied."""
    columns = _columns(con, schema, table)
    ddl = ", ".join(f"{_quote(name)} {_POSTGRES_TYPES.get(kind.upper(), 'text')}" for name, kind in columns)
    relation = f"{_quote(schema)}.{_quote(table)}"
    with _scratch() as scratch:
        csv_path = scratch / f"{table}.csv"
        con.execute(f"copy {relation} to '{csv_path}' (format csv, header true)")
        with pg.cursor() as cursor, open(csv_path, encoding="utf-8") as data:
            cursor.execute(f"create schema if not exists {_quote(schema)}")
            cursor.execute(f"drop table if exists {relation} cascade")
            cursor.execute(f"create table {relation} ({ddl})")
            cursor.copy_expert(f"copy {relation} from stdin with (format csv, header true)", data)
            rows = cursor.rowcount
        pg.commit()
    with pg.cursor() as cursor:  # without statistics the planner nests loops over the staging views
        cursor.execute(f"analyze {relation}")
    pg.commit()
    return rows


def _publish_raw_postgres(con: duckdb.DuckDBPyConnection, tables: list[str], settings: PostgresSettings
                          ) -> dict[str, int]:
    pg = settings.connect()
    try:
        return {table: copy_table_to_postgres(con, pg, "raw", table) for table in tables}
    finally:
        pg.close()


def _publish_raw_spark(con: duckdb.DuckDBPyConnection, tables: list[str], raw_dir: Path) -> dict[str, int]:
    shipped = {}
    raw_dir.mkdir(parents=True, exist_ok=True)
    for table in tables:
        folder = raw_dir / table
        writing = raw_dir / f".{table}.writing"
        shutil.rmtree(writing, ignore_errors=True)
        writing.mkdir()
        con.execute(f"copy raw.{_quote(table)} to '{writing / 'part-0.parquet'}' (format parquet)")
        shutil.rmtree(folder, ignore_errors=True)
        writing.rename(folder)
        shipped[table] = con.execute(f"select count(*) from raw.{_quote(table)}").fetchone()[0]
    return shipped


def _replace_local(con: duckdb.DuckDBPyConnection, schema: str, table: str, select_sql: str) -> int:
    con.execute(f"create schema if not exists {_quote(schema)}")
    # A view of the same name (dbt's staging on DuckDB) gives way to the copied table.
    kind = con.execute("select table_type from information_schema.tables where table_schema = ? and table_name = ?",
                       [schema, table]).fetchone()
    if kind and kind[0] == "VIEW":
        con.execute(f"drop view {_quote(schema)}.{_quote(table)}")
    con.execute(f"create or replace table {_quote(schema)}.{_quote(table)} as {select_sql}")
    return con.execute(f"select count(*) from {_quote(schema)}.{_quote(table)}").fetchone()[0]


def _read_back_postgres(con: duckdb.DuckDBPyConnection, settings: PostgresSettings) -> dict[str, int]:
    copied = {}
    pg = settings.connect()
    try:
        with _scratch() as scratch, pg.cursor() as cursor:
            schemas = "', '".join(READ_BACK_SCHEMAS)
            cursor.execute(f"select table_schema, table_name from information_schema.tables "
                           f"where table_schema in ('{schemas}') order by 1, 2")
            relations = cursor.fetchall() + [tuple(r.split(".")) for r in READ_BACK_RELATIONS]
            for schema, table in relations:
                cursor.execute("select column_name, data_type from information_schema.columns "
                               "where table_schema = %s and table_name = %s order by ordinal_position",
                               [schema, table])
                columns = cursor.fetchall()
                if not columns:
                    continue
                csv_path = scratch / f"{schema}.{table}.csv"
                with open(csv_path, "w", encoding="utf-8") as out:
                    cursor.copy_expert(f"copy (select * from {_quote(schema)}.{_quote(table)}) to stdout "
                                       f"with (format csv, header true)", out)
                types = ", ".join(f"'{name}': '{_DUCKDB_TYPES.get(kind, 'VARCHAR')}'" for name, kind in columns)
                copied[f"{schema}.{table}"] = _replace_local(
                    con, schema, table,
                    f"select * from read_csv('{csv_path}', header = true, columns = {{{types}}}, "
                    f"nullstr = '', allow_quoted_nulls = false, quote = '\"', escape = '\"')")
    finally:
        pg.close()
    return copied


def _read_back_spark(con: duckdb.DuckDBPyConnection, warehouse_dir: Path) -> dict[str, int]:
    """Spark's managed tables are Parquet folders `<warehouse>/<schema>.db/<table>/`: read them in place."""
    copied = {}
    wanted = {(s, t) for s, t in (r.split(".") for r in READ_BACK_RELATIONS)}
    for schema_dir in sorted(warehouse_dir.glob("*.db")):
        schema = schema_dir.name[:-3]
        for table_dir in sorted(p for p in schema_dir.iterdir() if p.is_dir()):
            if schema not in READ_BACK_SCHEMAS and (schema, table_dir.name) not in wanted:
                continue
            files = [p for p in table_dir.rglob("*.parquet")]
            if not files:
                continue
            copied[f"{schema}.{table_dir.name}"] = _replace_local(
                con, schema, table_dir.name,
                f"select * from read_parquet('{table_dir}/**/*.parquet', hive_partitioning = false)")
    return copied
