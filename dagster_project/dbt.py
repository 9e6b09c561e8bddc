"""The dbt project as Dagster assets: every model and seed an asset, every dbt test an asset check.

dbt sources map onto the ingestion assets (`raw/<source>__<table>`), so lineage runs from each landing folder to
each indicator. Groups follow the dbt folders: staging by source, then intermediate, core, indicateurs.
"""

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping, Optional

import json
import os
import re
import shutil
import uuid

from dagster import AssetCheckResult, AssetExecutionContext, AssetKey, Config, Failure, Output
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from dagster_project import build_state, progress
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


def _report_progress(event) -> None:
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
    progress.show(f"dbt {name}{shown}")


PARTIAL_PARSE = "partial_parse.msgpack"
# dbt's target folders of the last invocations kept under $PRIC_HOME/dbt/runs (compiled SQL, run_results.json).
KEPT_INVOCATIONS = 5


def _invocation_target(home: Path) -> Path:
    """A fresh target folder for one dbt invocation, under the home it builds, holding the partial parse that the
    last successful build there left: dbt then parses only the files changed since (3 s less than a full parse,
    which dbt does when the profile, here the warehouse's path, differs from the repository's `pric prepare`)."""
    runs = home / "dbt" / "runs"
    target = runs / f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    target.mkdir(parents=True)
    saved = home / "dbt" / PARTIAL_PARSE
    if saved.exists():
        shutil.copyfile(saved, target / PARTIAL_PARSE)
    return target


def _keep_partial_parse(home: Path, target: Path) -> None:
    """Save the invocation's partial parse for the next one, and drop all but the last invocations' folders."""
    parsed = target / PARTIAL_PARSE
    if parsed.exists():
        saved = home / "dbt" / PARTIAL_PARSE
        staging = saved.with_suffix(".tmp")
        shutil.copyfile(parsed, staging)
        os.replace(staging, saved)  # whole or not at all: a later run never reads half a file
    runs = sorted(p for p in target.parent.iterdir() if p.is_dir())
    for old in runs[:-KEPT_INVOCATIONS]:
        shutil.rmtree(old, ignore_errors=True)


# What a retry can cure: the warehouse file locked by another process (a BI tool opened it read-write), a database
# server out of reach. A failed test or an SQL error fails again on the same data: it is reported at once.
TRANSIENT_ERROR = re.compile(r"could not set lock|conflicting lock|connection refused|could not connect|"
                             r"server closed the connection|resource temporarily unavailable", re.IGNORECASE)


def build_failure(target_path: Path) -> Failure:
    """Why a dbt build failed, from its run_results.json: each failed test or model with dbt's message. Retried
    (the step's retry policy) only when every error is one a retry can cure, or when dbt wrote no results at all
    (it stopped before running anything: a crash, a killed process)."""
    results_file = target_path / "run_results.json"
    try:
        results = json.loads(results_file.read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):
        return Failure(description=f"dbt build failed without results ({results_file} missing or unreadable); "
                                   "see the dbt log", allow_retries=True)
    failed = [r for r in results if r.get("status") in ("error", "fail", "runtime error")]
    transient = bool(failed) and all(r["status"] == "error" and TRANSIENT_ERROR.search(r.get("message") or "")
                                     for r in failed)
    # The first line is what `pric run` prints: which nodes failed, by name; dbt's message for each follows.
    names = ", ".join(r["unique_id"].split(".")[2] for r in failed[:3]) + (" …" if len(failed) > 3 else "")
    verdict = "retried: the error may pass" if transient else "not retried: it fails again on the same data"
    details = [f"{r['unique_id']} ({r['status']}): {((r.get('message') or '').strip().splitlines() or [''])[0]}"
               for r in failed[:10]]
    return Failure(
        description="\n".join([f"dbt build failed ({verdict}): {len(failed)} node(s): {names}", *details]),
        allow_retries=transient or not failed,
    )


class DbtBuildConfig(Config):
    # Rebuild every model from scratch instead of updating the changed persons, months and years.
    full_refresh: bool = False


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=translator, pool=WAREHOUSE_POOL,
            retry_policy=TRANSIENT_RETRIES)
def pric_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource,
                    config: DbtBuildConfig):
    # Incremental unless a full refresh is due (build_state); dbt reads since when in raw.ingestion__dbt_builds.
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
    # Unit tests check the models' logic on fixed inputs: `make test` runs them (tests/pipeline/test_tiny_landing.py,
    # dbt test --select test_type:unit), as dbt Labs advises; in every production build they would only add
    # one query each in front of the model they gate.
    args = ["build", "--exclude-resource-type", "unit_test"]
    if build.full_refresh:
        args.append("--full-refresh")
    # The same vars on every build, incremental or not, so that dbt's partial parse carries over (--full-refresh
    # is a flag, not part of what dbt compares).
    dbt_vars["incremental_builds"] = True
    target_path = _invocation_target(warehouse.home_path)
    started_at = datetime.now(timezone.utc).replace(tzinfo=None)
    # Events are held until dbt has finished and released the warehouse, then each model's output gets its row
    # count. (Not dagster-dbt's `.fetch_row_counts()`: it opens the warehouse through dbt's adapter inside this
    # process, with another DuckDB configuration than ours, which DuckDB then refuses for the rest of the run.)
    # Not raised by dagster-dbt: the events are recorded first (a failed test shows as its failed check), then
    # build_failure says whether a retry can help.
    invocation = dbt.cli([*args, "--vars", json.dumps(dbt_vars)], context=context, target_path=target_path,
                         raise_on_error=False)
    context.log.info(f"{PREFIX}dbt build ({build.reason})")
    events = []
    for event in invocation.stream():  # live, one line per model and test as dbt finishes it
        events.append(event)
        _report_progress(event)
    # What follows (row counts, one event per model and test recorded by Dagster) shows in the step's duration.
    context.log.info(f"{PREFIX}dbt finished: {len(events)} results to record")
    succeeded = invocation.is_successful()
    with warehouse.connect() as con:
        if succeeded:
            build_state.record(con, build, started_at, datetime.now(timezone.utc).replace(tzinfo=None))
            _keep_partial_parse(warehouse.home_path, target_path)
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
    if not succeeded:
        raise build_failure(target_path)


# Models in a custom schema get it as key prefix (dagster-dbt's default): the published table is marts/indicators.
INDICATORS = AssetKey(["marts", "indicators"])
