"""Delivery assets: what funders receive. They run only after every blocking check on the indicators passed."""

from dagster import (
    AssetCheckSeverity,
    AssetExecutionContext,
    DagsterEventType,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from dagster_project.dbt import INDICATORS
from dagster_project.resources import WarehouseResource
from ingestion import extracts


@asset(
    deps=[INDICATORS],
    group_name="delivery",
    kinds={"csv"},
    description="One CSV per funder under $PRIC_HOME/exports/<funder>/: that funder's rows only, secret cells "
    "emptied.",
)
def funder_extracts(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    refuse_if_a_check_failed(context)
    with warehouse.connect() as con:
        written = extracts.write_all(con, warehouse.exports_dir)
    for extract in written:
        context.log.info(f"{extract.funder}: {extract.rows} rows -> {extract.path}")
    return MaterializeResult(
        metadata={
            "exports_dir": MetadataValue.path(str(warehouse.exports_dir)),
            "funders": len(written),
            "rows_by_funder": MetadataValue.json({e.funder: e.rows for e in written}),
        }
    )


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
