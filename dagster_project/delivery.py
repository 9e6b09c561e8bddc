"""Delivery assets: what funders receive. They run only after every blocking check on the indicators passed."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

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
