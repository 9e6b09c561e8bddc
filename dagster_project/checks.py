"""Great Expectations suites as blocking asset checks: when one fails, nothing downstream (extracts) runs."""

from dagster import AssetCheckExecutionContext, AssetCheckResult, AssetCheckSeverity, MetadataValue, asset_check

from dagster_project.dbt import INDICATORS
from dagster_project.resources import WarehouseResource
from expectations import indicators as indicators_suite


@asset_check(
    asset=INDICATORS,
    name="gx_indicators_suite",
    blocking=True,
    description="Great Expectations suite `indicators` (expectations/indicators.py): keys, rates in [0, 1], "
    "numerator <= denominator, no negative counts, counts vs ratios well formed.",
)
def gx_indicators_suite(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
    with warehouse.connect() as con:
        frame = con.execute("select * from marts.indicators").fetchdf()
        groupings = tuple(row[0] for row in con.execute(
            "select distinct grouping_name from marts.dim_territoire where grouping_name is not null").fetchall())
    outcome = indicators_suite.validate(frame, groupings)
    for failure in outcome.failures:
        context.log.error(f"expectation failed: {failure.describe()}")
    return AssetCheckResult(
        passed=outcome.success,
        severity=AssetCheckSeverity.ERROR,
        metadata={
            "rows_validated": len(frame),
            "expectations_evaluated": outcome.evaluated,
            "expectations_failed": len(outcome.failures),
            "failures": MetadataValue.md("\n".join(f"- {f.describe()}" for f in outcome.failures) or "none"),
            "offending_rows": MetadataValue.text(outcome.offending_rows.head(5).to_string(index=False)),
        },
    )


indicator_checks = [gx_indicators_suite]
