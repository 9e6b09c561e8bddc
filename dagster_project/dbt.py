"""The dbt project as Dagster assets: every model and seed an asset, every dbt test an asset check.

dbt sources map onto the ingestion assets (`raw/<source>__<table>`), so lineage runs from each landing folder to
each indicator. Groups follow the dbt folders: staging by source, then intermediate, core, indicateurs.
"""

from typing import Any, Mapping, Optional

from dagster import AssetExecutionContext, AssetKey
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from dagster_project.project import dbt_project


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


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=translator)
def pric_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource):
    # Not `.fetch_row_counts()`: it opens the warehouse through dbt's adapter inside this process, with another
    # DuckDB configuration than ours, which DuckDB refuses for the rest of the run.
    yield from dbt.cli(["build"], context=context).stream()


# Models in a custom schema get it as key prefix (dagster-dbt's default): the published table is marts/indicators.
INDICATORS = AssetKey(["marts", "indicators"])
