"""The dbt project as Dagster assets: every model and seed an asset, every dbt test an asset check.

dbt sources map onto the ingestion assets (`raw/<source>__<table>`), so lineage runs from each landing folder to
each indicator. Groups follow the dbt folders: staging by source, then intermediate, core, indicateurs.
"""

from datetime import datetime, timezone
from typing import Any, Mapping, Optional

import json

from dagster import AssetCheckResult, AssetExecutionContext, AssetKey, Config, Output
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from dagster_project import build_state
from dagster_project.ingestion import TRANSIENT_RETRIES, WAREHOUSE_POOL
from dagster_project.progress import PREFIX
from dagster_project.project import DBT_DIR, dbt_project
from dagster_project.resources import WarehouseResource
from dagster_project.settings import SecrecySettings
from ingestion.engines import Target


class PricDbtTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return AssetKey(["raw", dbt_resource_props["identifier"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> Optional[str]:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        if len(fqn) > 2 and fqn[1] == "staging":
            return fqn[2]  # the source: france_travail, referentiels, …
        if len(fqn) > 2 and fqn[1] == "marts":
            return fqn[2]  # core, indicateurs
        return fqn[1] if len(fqn) > 1 else None


translator = PricDbtTranslator(
    settings=DagsterDbtTranslatorSettings(enable_asset_checks=True, enable_source_tests_as_checks=True)
)


def _report_progress(context: AssetExecutionContext, event) -> None:
    """One progress line per dbt model (Output) and test (AssetCheckResult), with dbt's duration."""
    if isinstance(event, Output):
        name = event.output_name
    elif isinstance(event, AssetCheckResult):
        name = f"test {event.check_name}"
    else:
        return
    duration = (event.metadata or {}).get("Execution Duration")
    seconds = getattr(duration, "value", duration)
    shown = f" ({float(seconds):.1f} s)" if seconds is not None else ""
    context.log.info(f"{PREFIX}dbt {name}{shown}")


class DbtBuildConfig(Config):
    # Rebuild every model from scratch instead of updating the changed persons, months and years.
    full_refresh: bool = False


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=translator, pool=WAREHOUSE_POOL,
            retry_policy=TRANSIENT_RETRIES)
def pric_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource,
                    config: DbtBuildConfig):
    # Incremental unless a full refresh is due (build_state): var changed_since names what changed.
    dbt_vars: dict[str, Any] = dict(SecrecySettings.from_environment().dbt_vars())
    target = Target.from_environment(warehouse.home_path)
    with warehouse.connect() as con:
        # A warehouse on another engine starts from nothing: the target is part of what a build depends on.
        build = build_state.plan(con, build_state.fingerprint(DBT_DIR, {**dbt_vars, "target": target.name}),
                                 config.full_refresh, engine_deletes=target.supports_delete)
        if not target.is_embedded:
            shipped = target.publish_raw(con)
            context.log.info(f"{PREFIX}raw layer on {target.name}: {len(shipped)} tables, "
                             f"{sum(shipped.values()):,} rows")
    context.log.info(f"dbt build on {target.name}: {build.reason}")
    args = ["build"]
    if build.full_refresh:
        args.append("--full-refresh")
    else:
        dbt_vars["changed_since"] = build.changed_since.isoformat(sep=" ")
    started_at = datetime.now(timezone.utc).replace(tzinfo=None)
    # Events are held until dbt has finished and released the warehouse, then each model's output gets its row
    # count. (Not dagster-dbt's `.fetch_row_counts()`: it opens the warehouse through dbt's adapter inside this
    # process, with another DuckDB configuration than ours, which DuckDB then refuses for the rest of the run.)
    invocation = dbt.cli([*args, "--vars", json.dumps(dbt_vars)], context=context)
    context.log.info(f"{PREFIX}dbt build ({build.reason})")
    events = []
    for event in invocation.stream():  # live, one line per model and test as dbt finishes it
        events.append(event)
        _report_progress(context, event)
    # What follows (row counts, one event per model and test recorded by Dagster) shows in the step's duration.
    context.log.info(f"{PREFIX}dbt finished: {len(events)} results to record")
    with warehouse.connect() as con:
        if invocation.is_successful():
            build_state.record(con, build, started_at, datetime.now(timezone.utc).replace(tzinfo=None))
            if not target.is_embedded:  # checks, extracts and the snapshot read these from the local file
                copied = target.read_back(con)
                context.log.info(f"{PREFIX}read back from {target.name}: {len(copied)} relations")
        # Tables only: counting a view runs its query again (a staging view reads a whole raw table).
        tables = set(con.execute("select table_schema, table_name from information_schema.tables "
                                 "where table_type = 'BASE TABLE'").fetchall())
        for event in events:
            if isinstance(event, Output) and len(event.output_name.split("__")) >= 2:
                schema, _, table = event.output_name.partition("__")
                if (schema, table) not in tables:
                    yield event
                    continue
                rows = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
                yield event.with_metadata({**event.metadata, "dagster/row_count": rows,
                                           "pric/build": build.reason})
            else:
                yield event


# Models in a custom schema get it as key prefix (dagster-dbt's default): the published table is marts/indicators.
INDICATORS = AssetKey(["marts", "indicators"])
