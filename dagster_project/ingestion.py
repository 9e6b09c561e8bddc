"""Ingestion assets: one per feed of `ingestion.registry`, grouped by source (france_travail, referentiels, …).

Each asset loads its landing folder into `raw.<feed>` through the shared loader, and reports files, rows and
quarantine as metadata. A file that cannot be read is rejected whole and named in the log; the others load.

Monthly feeds are partitioned by month: a run for a range of months (a backfill) loads the files of those months in
one step (single-run backfill policy), and the dbt build that follows is one invocation. Every asset that writes
the warehouse is in the `warehouse` pool: one writer at a time (DuckDB allows one writing process).
"""

import warnings

from dagster import (
    AssetExecutionContext,
    BetaWarning,
    Backoff,
    BackfillPolicy,
    MonthlyPartitionsDefinition,
    RetryPolicy,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    MaterializeResult,
    MetadataValue,
    asset,
)

from dagster_project.progress import PREFIX
from dagster_project.resources import LandingResource, WarehouseResource
from ingestion import registry
from ingestion.feeds import FeedSpec, LoadContext
from ingestion.load import load_feed
from ingestion.pseudonymise import load_key


# Months from well before the Pact's baseline (2018) to the current month, whose file may arrive early.
MONTHLY = MonthlyPartitionsDefinition(start_date="2015-01-01", end_offset=1)
WAREHOUSE_POOL = "warehouse"
# Transient failures (a file still being copied, the warehouse briefly locked by a reader's tool) are retried.
TRANSIENT_RETRIES = RetryPolicy(max_retries=2, delay=20, backoff=Backoff.EXPONENTIAL)


def raw_asset_key(feed_name: str) -> AssetKey:
    return AssetKey(["raw", feed_name])


def months_of_run(context: AssetExecutionContext) -> frozenset[str] | None:
    """The periods (`2019-09`) a partitioned run covers; None for an unpartitioned asset (all files)."""
    if context.assets_def.partitions_def is None or not context.has_partition_key_range:
        return None
    keys = MONTHLY.get_partition_keys_in_range(context.partition_key_range)
    return frozenset(key[:7] for key in keys)


def _feed_asset(feed: FeedSpec) -> AssetsDefinition:
    @asset(
        key=raw_asset_key(feed.name),
        group_name=feed.source,
        description=f"{feed.description}. Landing folder `{feed.folder}/`.",
        kinds={"duckdb", "python"},
        metadata={"landing_folder": feed.folder, "file_pattern": feed.file_pattern},
        partitions_def=MONTHLY if feed.period_kind == "month" else None,
        backfill_policy=BackfillPolicy.single_run() if feed.period_kind == "month" else None,
        retry_policy=TRANSIENT_RETRIES,
        pool=WAREHOUSE_POOL,
    )
    def _load(
        context: AssetExecutionContext, warehouse: WarehouseResource, landing: LandingResource
    ) -> MaterializeResult:
        key = load_key(warehouse.home_path, create=True)
        with warehouse.connect() as con:
            report = load_feed(
                con,
                feed,
                landing.path,
                LoadContext(pseudo_key=key),
                archive_root=warehouse.archive_dir,
                siblings=registry.siblings(feed),
                periods=months_of_run(context),
            )
            rows_in_table = con.execute(f"select count(*) from raw.{feed.name}").fetchone()[0]
        context.log.info(PREFIX + report.summary())
        for rejected in report.rejected:
            context.log.warning(f"rejected {rejected.file_path}: {rejected.message}")
        return MaterializeResult(
            metadata={
                "files_seen": len(report.files),
                "files_loaded": report.count("loaded"),
                "files_unchanged": report.count("unchanged"),
                "files_rejected": report.count("rejected"),
                "rows_loaded": sum(f.rows_loaded for f in report.files),
                "rows_quarantined": sum(f.rows_quarantined for f in report.files),
                "values_flagged": sum(f.values_flagged for f in report.files),
                "rows_in_raw_table": rows_in_table,
                "rejected_files": MetadataValue.md(
                    "\n".join(f"- `{f.file_path}`: {f.message}" for f in report.rejected) or "none"
                ),
            }
        )

    return _load


# `backfill_policy` is a beta parameter of Dagster's; its warning, once per monthly feed, would open every
# `pric run` output. The single-run policy is what makes a backfill one step (above).
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=BetaWarning, message="Parameter `backfill_policy`")
    feed_assets = [_feed_asset(feed) for feed in registry.FEEDS]

# Written by every feed asset as it loads (ingestion/manifest.py); declared so it shows in the lineage with its role.
load_manifest = AssetSpec(
    key=raw_asset_key("ingestion__manifest"),
    group_name="ingestion",
    description="One row per landing file version: checksum, period, status, rows loaded and quarantined, and "
    "which file is current for its period. Written by every feed asset.",
    kinds={"duckdb"},
)
