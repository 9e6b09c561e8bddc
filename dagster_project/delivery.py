"""Delivery assets: what leaves the warehouse. They run only after every blocking check passed, and refuse to run
after any failed ERROR check of the run.

    marts/indicators ─► indicateurs_publies (secrecy) ─► funder_extracts ─► bi_snapshot
                                                      └► acces_direct_financeurs (PostgreSQL: one role per funder)
"""
from datetime import datetime, timezone

from dagster import (
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    DagsterEventType,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from dagster_project.dbt import INDICATORS
from dagster_project.ingestion import WAREHOUSE_POOL
from dagster_project.progress import PREFIX
from dagster_project.publish import extracts, live, snapshot
from dagster_project.resources import WarehouseResource
from dagster_project.settings import SecrecySettings
from ingestion.engines import PostgresSettings, Target

PUBLISHED = AssetKey(["indicateurs_publies"])


def refuse_if_a_check_failed(context: AssetExecutionContext) -> None:
    """Publish nothing after any failed ERROR check of this run, blocking or not, dbt test or GX suite.

    Dagster's blocking checks stop what is downstream of the checked asset; this also covers a dbt test that
    failed without stopping the dbt step (a known gap when dbt's own exit status does not fail the op)."""
    records = context.instance.get_records_for_run(
        run_id=context.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION, limit=100_000
    ).records
    failed = []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        if not evaluation.passed and evaluation.severity == AssetCheckSeverity.ERROR:
            failed.append(f"{evaluation.check_name} on {'/'.join(evaluation.asset_key.path)}")
    if failed:
        raise Failure(f"not publishing: {len(failed)} check(s) failed in this run: {', '.join(sorted(failed))}")


@asset(deps=[INDICATORS], group_name="delivery", pool=WAREHOUSE_POOL, kinds={"duckdb", "python"},
       description="The indicators as every published form shows them: primary and secondary statistical secrecy "
       "applied, secret cells emptied (delivery.indicateurs_publies).")
def indicateurs_publies(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    refuse_if_a_check_failed(context)
    with warehouse.connect() as con:
        rows, rewritten, partitions = extracts.build_published_table(con)
        # The published table holds the same cells as marts.indicators (secrecy only adds flags): two counts, not a
        # join of two tables of tens of millions of rows.
        secret = con.execute(f"select count(*) from {extracts.PUBLISHED_TABLE} where is_secret").fetchone()[0]
        primary = con.execute("select count(*) from marts.indicators where is_secret").fetchone()[0]
    context.log.info(f"{PREFIX}published: {rewritten:,} of {partitions:,} partitions (indicator × breakdown × "
                     f"year) suppressed and written again")
    return MaterializeResult(metadata={"dagster/row_count": rows, "secret_cells": secret,
                                       "secondary_suppressions": secret - primary,
                                       "partitions_rewritten": rewritten, "partitions": partitions})


@asset(deps=[PUBLISHED], group_name="delivery", pool=WAREHOUSE_POOL, kinds={"parquet", "csv", "excel"},
       description="One folder per funder under $PRIC_HOME/exports/<funder>/<run date>/: its indicators and "
       "aggregated flows only, in Parquet, CSV (; UTF-8 BOM, decimal comma) and XLSX with a Lisez-moi sheet, and a "
       "manifest with checksums.")
def funder_extracts(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    refuse_if_a_check_failed(context)
    settings = SecrecySettings.from_environment()
    run_date = datetime.now(timezone.utc).date()
    with warehouse.connect() as con:
        written = extracts.write_all(con, warehouse.exports_dir, run_date, settings.min_count,
                                     settings.min_denominator)
    for extract in written:
        context.log.info(f"{extract.funder}: {extract.rows} -> {extract.folder}")
    return MaterializeResult(
        metadata={
            "exports_dir": MetadataValue.path(str(warehouse.exports_dir)),
            "run_date": run_date.isoformat(),
            "funders": len(written),
            "rows_by_funder": MetadataValue.json({e.funder: e.rows for e in written}),
        }
    )


@asset(deps=[funder_extracts], group_name="delivery", pool=WAREHOUSE_POOL, kinds={"duckdb"},
       description="Read-only copy of the public marts for BI tools at $PRIC_HOME/serving/warehouse.duckdb, "
       "published atomically after a fully green run, in a storage version DuckDB 1.x opens; a copy of the previous "
       "one with only the partitions published again replaced.")
def bi_snapshot(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    refuse_if_a_check_failed(context)
    with warehouse.connect() as con:
        outcome = snapshot.publish_snapshot(con, warehouse.home_path / "serving")
    context.log.info(f"{PREFIX}BI snapshot {'written whole' if outcome.written_whole else 'patched'}: "
                     f"{outcome.reason}")
    return MaterializeResult(metadata={"path": MetadataValue.path(str(outcome.path)),
                                       "storage_version": snapshot.STORAGE_VERSION,
                                       "written_whole": outcome.written_whole,
                                       "partitions_replaced": outcome.partitions_replaced,
                                       "tables": MetadataValue.json(sorted(snapshot.SNAPSHOT_TABLES))})


@asset(deps=[PUBLISHED], group_name="delivery", pool=WAREHOUSE_POOL, kinds={"postgres"},
       description="On a PostgreSQL target: the published table on the server, with row-level security: each "
       "funder's role pric_<funder> sees only the rows of its extract (docs/delivery.md). Nothing elsewhere.")
def acces_direct_financeurs(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    refuse_if_a_check_failed(context)
    target = Target.from_environment(warehouse.home_path)
    if target.name != "postgres":
        return MaterializeResult(metadata={"target": target.name, "published": False})
    with warehouse.connect() as con:
        rows, roles = live.publish_postgres(con, PostgresSettings.from_environment())
    return MaterializeResult(metadata={"target": target.name, "published": True, "dagster/row_count": rows,
                                       "roles": MetadataValue.json(roles)})
