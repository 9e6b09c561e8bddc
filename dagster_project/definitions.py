"""The one Definitions object of the project: feeds → dbt warehouse → checks → extracts."""
from __future__ import annotations

from dagster import AssetSelection, Definitions, colored_console_logger, define_asset_job

from dagster_project.automation import landing_sensor, monthly_schedule
from dagster_project.checks import indicator_checks
from dagster_project.dbt import pric_dbt_assets
from dagster_project.delivery import acces_direct_financeurs, bi_snapshot, funder_extracts, indicateurs_publies
from dagster_project.ingestion import feed_assets, load_manifest
from dagster_project.progress import progress_logger
from dagster_project.resources import default_resources

# Everything, in dependency order: what `pric run` executes.
full_run = define_asset_job("full_run", selection=AssetSelection.all())

defs = Definitions(
    assets=[load_manifest, *feed_assets, pric_dbt_assets, indicateurs_publies, funder_extracts, bi_snapshot,
            acces_direct_financeurs],
    asset_checks=indicator_checks,
    jobs=[full_run],
    sensors=[landing_sensor],
    schedules=[monthly_schedule],
    resources=default_resources(),
    loggers={"console": colored_console_logger, "progress": progress_logger},
)
