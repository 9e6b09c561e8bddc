"""Quality checks beside the assets they guard. Blocking ones (severity ERROR) stop everything downstream when they
fail, so nothing is published; warnings are shown in the UI and the run summary but publish anyway.

Every Great Expectations run also refreshes the Data Docs under $PRIC_HOME/quality/.
"""

import pandas as pd
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckKey,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    asset_check,
    multi_asset_check,
)

from dagster_project.dbt import INDICATORS
from dagster_project.ingestion import WAREHOUSE_POOL, raw_asset_key
from dagster_project.resources import WarehouseResource
from expectations import SuiteOutcome, coherence, data_docs_index, reconciliation
from expectations import indicators as indicators_suite
from expectations.settings import QualitySettings
from dagster_project.publish import extracts
from dagster_project.publish.personal_data import PersonalDataFound, check_frame
from dagster_project.publish.secrecy import exposed_margins, record_verified, unverified_rows_view
from ingestion import registry
from ingestion.feeds import FeedSpec

FCT_ENTREES = AssetKey(["marts", "fct_entrees"])
FCT_COMMANDES = AssetKey(["marts", "fct_commandes"])


def _result(
    context: AssetCheckExecutionContext,
    outcome: SuiteOutcome,
    warehouse: WarehouseResource,
    rows: int,
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR,
    **check,  # asset_key and check_name, for a check among several of one step
) -> AssetCheckResult:
    for failure in outcome.failures:
        log = context.log.error if severity == AssetCheckSeverity.ERROR else context.log.warning
        log(f"{outcome.suite}: expectation failed: {failure.describe()}")
    return AssetCheckResult(
        **check,
        passed=outcome.success,
        severity=severity,
        metadata={
            "suite": outcome.suite,
            "rows_validated": rows,
            "expectations_evaluated": outcome.evaluated,
            "expectations_failed": len(outcome.failures),
            "failures": MetadataValue.md("\n".join(f"- {f.describe()}" for f in outcome.failures) or "none"),
            "offending_rows": MetadataValue.text(outcome.offending_rows.head(5).to_string(index=False)),
            "data_docs": MetadataValue.path(str(data_docs_index(warehouse.quality_dir))),
        },
    )


def _indicators(warehouse: WarehouseResource, where: str = "true") -> pd.DataFrame:
    with warehouse.connect() as con:
        return con.execute(f"select * from marts.indicators where {where}").fetchdf()


def _indicators_to_validate(warehouse: WarehouseResource, max_rows: int) -> pd.DataFrame:
    """The whole table when it fits `max_rows`; else every yearly région row (each indicator, breakdown and year)
    and about `max_rows` of the others: those whose key hashes to 0 modulo total / max_rows. At national scale the
    table holds tens of millions of rows, which pandas-based GX would take minutes and gigabytes to read; its row
    rules (unique key, ratio bounds, not null, known values) are also dbt tests, run in SQL on every row. The sample
    depends on the rows' keys only, not on their order on disk: an incremental build and a full refresh of the same
    data validate the same rows (a reservoir sample also took 5 s of scanning at national scale, this 1.4 s)."""
    with warehouse.connect() as con:
        total = con.execute("select count(*) from marts.indicators").fetchone()[0]
        if total <= max_rows:
            return con.execute("select * from marts.indicators").fetchdf()
        always = "period_type = 'year' and territory_level = 'region'"
        key = "indicator, period_type, period, territory_level, territory_code, breakdown, breakdown_value"
        modulus = -(-total // max(1, max_rows))
        return con.execute(
            f"select * from marts.indicators where {always} or hash({key}) % {modulus} = 0").fetchdf()


def _territories(warehouse: WarehouseResource) -> pd.DataFrame:
    with warehouse.connect() as con:
        return con.execute(
            "select distinct departement_code, region_code, grouping_name from marts.dim_territoire").fetchdf()


@asset_check(asset=INDICATORS, name="gx_indicators_suite", blocking=True, pool=WAREHOUSE_POOL,
             description="GX suite `indicators`: keys, known indicators and levels, shares in [0, 1] with "
             "numerator <= denominator, no negative counts, counts without denominator.")
def gx_indicators_suite(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
    frame = _indicators_to_validate(warehouse, QualitySettings.from_environment().gx_max_rows)
    groupings = tuple(_territories(warehouse)["grouping_name"].dropna().unique())
    return _result(context, indicators_suite.validate(frame, groupings, warehouse.quality_dir), warehouse, len(frame))


@asset_check(asset=INDICATORS, name="gx_indicators_completeness", blocking=True, pool=WAREHOUSE_POOL,
             description="Every département of each published région has its yearly I1 row, every year "
             "(PRIC_COMPLETENESS_SEVERITY=warn makes it a warning for partial landing zones).")
def gx_indicators_completeness(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
    frame = _indicators(warehouse, "indicator = 'entrees' and breakdown = 'ensemble' and period_type = 'year'")
    outcome = coherence.validate_completeness(frame, _territories(warehouse), warehouse.quality_dir)
    warn_only = QualitySettings.from_environment().completeness_severity == "warn"
    return _result(context, outcome, warehouse, len(frame),
                   AssetCheckSeverity.WARN if warn_only else AssetCheckSeverity.ERROR)


@asset_check(asset=INDICATORS, name="gx_indicators_additivity", blocking=True, pool=WAREHOUSE_POOL,
             description="For additive counts, the départements of a région add up to the région.")
def gx_indicators_additivity(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
    frame = _indicators(warehouse, "indicator = 'entrees' and breakdown = 'ensemble' "
                                   "and territory_level in ('region', 'departement')")
    outcome = coherence.validate_additivity(frame, _territories(warehouse), warehouse.quality_dir)
    return _result(context, outcome, warehouse, len(frame))


@asset_check(asset=INDICATORS, name="gx_indicators_funders", blocking=True, pool=WAREHOUSE_POOL,
             description="Entries summed over funders are at least the entries in total (each counts under each "
             "of its funders).")
def gx_indicators_funders(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
    frame = _indicators(warehouse, "indicator = 'entrees' and breakdown in ('ensemble', 'financeur')")
    return _result(context, coherence.validate_funders(frame, warehouse.quality_dir), warehouse, len(frame))


@asset_check(asset=INDICATORS, name="gx_indicators_yearly_change", blocking=False, pool=WAREHOUSE_POOL,
             description="Flags a yearly change of entries beyond PRIC_MAX_YEARLY_CHANGE (a warning: a real change "
             "in policy can do it).")
def gx_indicators_yearly_change(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
    frame = _indicators(warehouse, "indicator = 'entrees' and breakdown = 'ensemble' and period_type = 'year'")
    bound = QualitySettings.from_environment().max_yearly_change
    outcome = coherence.validate_yearly_change(frame, bound, warehouse.quality_dir)
    return _result(context, outcome, warehouse, len(frame), AssetCheckSeverity.WARN)


@asset_check(asset=FCT_ENTREES, name="reconciliation_entries_vs_stock", blocking=True, pool=WAREHOUSE_POOL,
             description="France Travail entries of a year cannot exceed a plausible share of the département's "
             "mean ABC job-seeker stock (PRIC_MAX_ENTRIES_PER_STOCK).")
def reconciliation_entries_vs_stock(context: AssetCheckExecutionContext,
                                    warehouse: WarehouseResource) -> AssetCheckResult:
    with warehouse.connect() as con:
        frame = con.execute(reconciliation.ENTRIES_VS_STOCK_SQL).fetchdf()
    bound = QualitySettings.from_environment().max_entries_per_job_seeker
    outcome = reconciliation.validate_entries_vs_stock(frame, bound, warehouse.quality_dir)
    return _result(context, outcome, warehouse, len(frame))


@asset_check(asset=FCT_COMMANDES, name="reconciliation_orders", blocking=True, pool=WAREHOUSE_POOL,
             description="Région entries on the year's ordered actions stay within PRIC_MAX_FILLING_RATE times the "
             "places bought, by bassin.")
def reconciliation_orders(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
    with warehouse.connect() as con:
        frame = con.execute(reconciliation.FILLING_SQL).fetchdf()
    bound = QualitySettings.from_environment().max_filling_rate
    return _result(context, reconciliation.validate_filling(frame, bound, warehouse.quality_dir), warehouse, len(frame))


def _latest_extract_tables(warehouse: WarehouseResource, table: str = "*",
                           columns: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The tables named `table` (every one by default) of every funder's latest extract folder, read back from
    their Parquet files: only `columns` when given."""
    tables = {}
    for funder_dir in sorted(p for p in warehouse.exports_dir.glob("*") if p.is_dir() and not p.name.startswith(".")):
        runs = sorted(p for p in funder_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
        if runs:
            for path in sorted(runs[-1].glob(f"{table}.parquet")):
                tables[f"{funder_dir.name}/{runs[-1].name}/{path.stem}"] = pd.read_parquet(path, columns=columns)
    return tables


@asset_check(asset=AssetKey(["funder_extracts"]), name="no_secret_cell_shown", blocking=True, pool=WAREHOUSE_POOL,
             description="No funder extract shows a figure in a secret cell (numerator, denominator, value empty).")
def no_secret_cell_shown(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
    # The four columns the rule reads: the whole tables (1.9 M rows at national scale) took 6.5 s to read and
    # validate, these 1 s.
    columns = ["is_secret", "numerator", "denominator", "value"]
    frames = list(_latest_extract_tables(warehouse, "indicateurs", columns).values())
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    frame["is_secret"] = frame["is_secret"].astype(bool)
    outcome = reconciliation.validate_published_secrecy(frame, warehouse.quality_dir)
    return _result(context, outcome, warehouse, len(frame))


@asset_check(asset=AssetKey(["funder_extracts"]), name="no_personal_data", blocking=True, pool=WAREHOUSE_POOL,
             description="Every column and value of every extract: no person key (hashed or not), name, e-mail, "
             "phone, birth date, nor territory finer than the bassin.")
def no_personal_data(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
    groupings = set(_territories(warehouse)["grouping_name"].dropna())
    tables = _latest_extract_tables(warehouse)
    try:
        for name, frame in tables.items():
            check_frame(name, frame, groupings)
    except PersonalDataFound as exc:
        context.log.error(str(exc))
        return AssetCheckResult(passed=False, severity=AssetCheckSeverity.ERROR, metadata={"found": str(exc)})
    return AssetCheckResult(passed=True, metadata={"tables_checked": len(tables),
                                                   "rows_checked": sum(len(f) for f in tables.values())})


@asset_check(asset=AssetKey(["indicateurs_publies"]), name="no_cell_computable_from_a_margin", blocking=True, pool=WAREHOUSE_POOL,
             description="Secondary secrecy holds: no published total has exactly one withheld part (départements "
             "or bassins of a région, months or quarters of a year).")
def no_cell_computable_from_a_margin(context: AssetCheckExecutionContext,
                                     warehouse: WarehouseResource) -> AssetCheckResult:
    # Only the partitions not yet found sound under their current fingerprint (secrecy.unverified_rows_view): a
    # monthly run checks what it published again, not the whole history.
    with warehouse.connect() as con:
        con.execute(f"create or replace temp view territory_regions as {extracts.TERRITORY_REGIONS_SQL}")
        to_check, partitions = unverified_rows_view(con, extracts.PUBLISHED_TABLE, "rows_to_check")
        exposed = exposed_margins(con, "rows_to_check", "territory_regions", extracts.ADDITIVE_COUNTS)
        cells = con.execute("select count(*) from rows_to_check where indicator in "
                            f"{tuple(sorted(extracts.ADDITIVE_COUNTS))}").fetchone()[0]
        con.execute("drop view rows_to_check")
        if not exposed and to_check >= 0:
            record_verified(con, extracts.PUBLISHED_TABLE)
        con.execute("drop table if exists unverified_partitions")
    return AssetCheckResult(passed=not exposed, severity=AssetCheckSeverity.ERROR,
                            metadata={"cells_checked": cells, "exposed_margins": len(exposed),
                                      "partitions_checked": "all" if to_check < 0 else f"{to_check} of {partitions}",
                                      "examples": MetadataValue.json(exposed[:5])})


MONTHS_ALLOWED = {"month": 1, "quarter": 3, "year": 12}


def _feed_check_specs() -> list[AssetCheckSpec]:
    specs = []
    for feed in registry.FEEDS:
        specs.append(AssetCheckSpec(
            "quarantine_rate", asset=raw_asset_key(feed.name), blocking=True,
            description="No current file of the feed sends more than PRIC_MAX_QUARANTINE_RATE of its rows to "
            "quarantine: beyond it, the file's format has probably changed."))
        if feed.period_kind in MONTHS_ALLOWED:
            specs.append(AssetCheckSpec(
                "freshness", asset=raw_asset_key(feed.name), blocking=False,
                description=f"The feed's latest period is no more than {MONTHS_ALLOWED[feed.period_kind]} month(s) "
                "behind the France Travail trainee extract's latest month (a warning)."))
    return specs


@multi_asset_check(specs=_feed_check_specs(), can_subset=True, pool=WAREHOUSE_POOL, name="feed_checks",
                   description="Each feed's quarantine rate (blocking) and freshness (a warning).")
def feed_checks(context: AssetCheckExecutionContext, warehouse: WarehouseResource):
    # Every feed's checks in one step: each check reads a few manifest rows, and Dagster's bookkeeping of a step of
    # its own (0.12 s) cost more than the check. Each result still belongs to its feed's asset, and a failed
    # quarantine rate still blocks what is downstream of that feed.
    feeds = {raw_asset_key(feed.name): feed for feed in registry.FEEDS}
    bound = QualitySettings.from_environment().max_quarantine_rate
    selected = sorted(context.selected_asset_check_keys, key=lambda k: (k.asset_key.to_user_string(), k.name))
    with warehouse.connect() as con:
        latest = dict(con.execute(
            "select feed, max(period) from raw.ingestion__manifest where status = 'loaded' and is_current "
            "group by feed").fetchall())
        files = con.execute(reconciliation.QUARANTINE_SQL).fetchdf()
    rated = [feeds[key.asset_key].name for key in selected if key.name == "quarantine_rate"]
    outcomes = reconciliation.validate_quarantine_rates(files, rated, bound, warehouse.quality_dir) if rated else {}
    for key in selected:
        feed = feeds[key.asset_key]
        if key.name == "quarantine_rate":
            yield _result(context, outcomes[feed.name], warehouse, int((files["feed"] == feed.name).sum()),
                          asset_key=key.asset_key, check_name=key.name)
        else:
            yield _freshness(feed, latest, key)


def _freshness(feed: FeedSpec, latest: dict[str, str], key: AssetCheckKey) -> AssetCheckResult:
    reference, own = latest.get("france_travail__stagiaires"), latest.get(feed.name)
    lag = _months_between(own, reference, feed.period_kind) if own and reference else None
    passed = lag is not None and lag <= MONTHS_ALLOWED[feed.period_kind]
    return AssetCheckResult(
        asset_key=key.asset_key, check_name=key.name, passed=passed, severity=AssetCheckSeverity.WARN,
        metadata={"latest_period": own or "none", "reference_month": reference or "none",
                  "months_behind": lag if lag is not None else -1},
    )


def _months_between(period: str, reference_month: str, kind: str) -> int:
    """Months from the end of `period` (2019-09, 2019-T3, 2019) to the reference month (2019-12)."""
    year = int(period[:4])
    end_month = {"month": lambda: int(period[5:7]), "quarter": lambda: 3 * int(period[-1]), "year": lambda: 12}[kind]()
    ref_year, ref_month = int(reference_month[:4]), int(reference_month[5:7])
    return (ref_year - year) * 12 + ref_month - end_month


indicator_checks = [
    gx_indicators_suite, gx_indicators_completeness, gx_indicators_additivity, gx_indicators_funders,
    gx_indicators_yearly_change, reconciliation_entries_vs_stock, reconciliation_orders, no_secret_cell_shown,
    no_personal_data, no_cell_computable_from_a_margin, feed_checks,
]
