"""The BI snapshot: a read-only copy of the public marts at `$PRIC_HOME/serving/warehouse.duckdb`.

Written aside in a storage version that DuckDB 1.x drivers still open, then renamed over the previous one in one
step: a BI tool holding the old file open keeps reading it undisturbed (on POSIX the old file lives on until it
is closed) and sees the new one at its next connection. Nothing person-level goes in: the published indicators
(secrecy applied) and the dimensions.

A month added changes the published cells of about one year in five: the new file starts as a copy of the previous
one, whose indicator rows are replaced only in the partitions (indicator × breakdown × breakdown value × year)
published again since (the publisher's partition fingerprints, secrecy.publish_changed_partitions). The file keeps
the fingerprints it holds in schema `publication`. It is written whole when it is missing or unreadable, when the
publication rules or this layout changed, and once the rows replaced since the last whole write outnumber the
table's (DuckDB keeps deleted rows' space for a while: this bounds the file's growth).
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dagster_project.publish.secrecy import PARTITION, changed_partitions_sql, state_tables

STORAGE_VERSION = "v1.0.0"
SNAPSHOT_TABLES = {
    "indicateurs": "delivery.indicateurs_publies",
    "territoires": "marts.dim_territoire",
    "financeurs": "marts.dim_financeur",
    "metiers": "marts.dim_metier",
    "formations": "marts.dim_formation",
    "certifications": "marts.dim_certification",
    "dispositifs": "marts.dim_dispositif",
    "niveaux_formation": "marts.dim_niveau_formation",
    "publics": "marts.dim_public",
}
PATCHED_TABLE = "indicateurs"  # the large one, patched by partition; the dimensions are small and copied whole
# Bump when SNAPSHOT_TABLES or what goes in them changes: the next snapshot is then written whole.
LAYOUT_VERSION = "1"
STATE_SCHEMA = "publication"


@dataclass(frozen=True)
class SnapshotOutcome:
    path: Path
    written_whole: bool
    partitions_replaced: int
    reason: str


def publish_snapshot(con: duckdb.DuckDBPyConnection, serving_dir: Path) -> SnapshotOutcome:
    serving_dir = Path(serving_dir)
    serving_dir.mkdir(parents=True, exist_ok=True)
    target = serving_dir / "warehouse.duckdb"
    staging = serving_dir / f".warehouse.{os.getpid()}.writing.duckdb"
    staging.unlink(missing_ok=True)
    outcome, reason = None, "no previous snapshot"
    if target.exists():
        shutil.copyfile(target, staging)
        try:
            outcome, reason = _patch(con, staging, target)
        except duckdb.Error as exc:  # a damaged or foreign file: start again from nothing
            reason = f"previous snapshot unreadable ({exc.__class__.__name__})"
        if outcome is None:
            staging.unlink(missing_ok=True)
    if outcome is None:
        outcome = _write_whole(con, staging, target, reason)
    os.replace(staging, target)
    return outcome


def _source_state(con: duckdb.DuckDBPyConnection) -> tuple[str, str] | None:
    """The publisher's partition fingerprints table and its context, or None when it has none yet."""
    prints, context_table = state_tables(SNAPSHOT_TABLES[PATCHED_TABLE])
    try:
        context = con.execute(f"select context from {context_table}").fetchone()
        con.execute(f"select 1 from {prints} limit 0")
    except duckdb.CatalogException:
        return None
    return (prints, LAYOUT_VERSION + "|" + context[0]) if context else None


def _write_whole(con: duckdb.DuckDBPyConnection, staging: Path, target: Path, reason: str) -> SnapshotOutcome:
    state = _source_state(con)
    con.execute(f"attach '{staging}' as snapshot (storage_version '{STORAGE_VERSION}')")
    try:
        for name, source in SNAPSHOT_TABLES.items():
            con.execute(f"create table snapshot.main.{name} as select * from {source}")
        con.execute("create view snapshot.main.lisez_moi as select 'Indicateurs partagés du PRIC, secret statistique "
                    "appliqué (cellules secrètes vides). Voir docs/indicators.md.' as note")
        if state is not None:
            _save_state(con, state, rows_replaced=0)
    finally:
        con.execute("detach snapshot")
    return SnapshotOutcome(target, True, 0, reason or "written whole")


def _save_state(con: duckdb.DuckDBPyConnection, state: tuple[str, str], rows_replaced: int) -> None:
    prints, context = state
    con.execute(f"create schema if not exists snapshot.{STATE_SCHEMA}")
    con.execute(f"create or replace table snapshot.{STATE_SCHEMA}.partitions as select * from {prints}")
    con.execute(f"create or replace table snapshot.{STATE_SCHEMA}.etat as "
                "select ? as context, cast(? as bigint) as rows_replaced_since_whole_write",
                [context, rows_replaced])


def _patch(con: duckdb.DuckDBPyConnection, staging: Path, target: Path) -> tuple[SnapshotOutcome | None, str]:
    """Bring the copy of the previous snapshot up to date in place: (outcome, why), outcome None when it must be
    written whole instead."""
    state = _source_state(con)
    if state is None:
        return None, "no partition fingerprints from the publisher"
    prints, context = state
    con.execute(f"attach '{staging}' as snapshot")
    try:
        known = {(s, t) for s, t in con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'snapshot'").fetchall()}
        if not {("main", name) for name in SNAPSHOT_TABLES} | {(STATE_SCHEMA, "partitions"),
                                                                 (STATE_SCHEMA, "etat")} <= known:
            return None, "previous snapshot without its publication state"
        previous_context, rows_replaced = con.execute(
            f"select context, rows_replaced_since_whole_write from snapshot.{STATE_SCHEMA}.etat").fetchone()
        if previous_context != context:
            return None, "publication rules, territories or snapshot layout changed"
        con.execute("create or replace temp table snapshot_changed_partitions as "
                    + changed_partitions_sql(prints, f"snapshot.{STATE_SCHEMA}.partitions"))
        changed = con.execute("select count(*) from snapshot_changed_partitions").fetchone()[0]
        table = f"snapshot.main.{PATCHED_TABLE}"

        def in_changed(rows: str) -> str:
            return " and ".join([f"{rows}.{c} is not distinct from c.{c}" for c in PARTITION]
                                + [f"substr({rows}.period, 1, 4) is not distinct from c.year"])

        replaced = con.execute(f"select count(*) from {table} as t semi join snapshot_changed_partitions as c "
                               f"on {in_changed('t')}").fetchone()[0]
        total = con.execute(f"select count(*) from {table}").fetchone()[0]
        if rows_replaced + replaced > total:
            return None, "the rows replaced since the last whole write would outnumber the table's"
        con.execute("begin transaction")
        try:
            con.execute(f"delete from {table} as t using snapshot_changed_partitions as c where {in_changed('t')}")
            con.execute(f"insert into {table} select p.* from {SNAPSHOT_TABLES[PATCHED_TABLE]} as p "
                        f"semi join snapshot_changed_partitions as c on {in_changed('p')}")
            for name, source in SNAPSHOT_TABLES.items():
                if name != PATCHED_TABLE:
                    con.execute(f"create or replace table snapshot.main.{name} as select * from {source}")
            _save_state(con, state, rows_replaced + replaced)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        return SnapshotOutcome(target, False, changed, f"{changed} partitions replaced ({replaced:,} rows)"), ""
    finally:
        con.execute("drop table if exists snapshot_changed_partitions")
        con.execute("detach snapshot")
