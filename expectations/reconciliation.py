"""Reconciliation between sources, and the health of each landing file (quarantine rate)."""
from __future__ import annotations

import pandas as pd

from expectations import FailedExpectation, SuiteOutcome, forget_suites, run_suite

ENTRIES_VS_STOCK_SQL = """
    with entries as (
        select departement_code, cast(extract(year from entry_date) as integer) as year, count(*) as entries
        from marts.fct_entrees
        where has_france_travail_record and departement_code is not null
        group by all
    ), stock as (
        select departement_code, year, sum(job_seekers) / count(distinct quarter) as mean_stock
        from marts.fct_demandeurs_emploi
        where job_seeker_category = 'ABC'
        group by all
        having count(*) filter (where is_withheld) = 0
    )
    select entries.departement_code, entries.year, entries.entries, stock.mean_stock,
           entries.entries / stock.mean_stock as entries_per_job_seeker
    from entries join stock using (departement_code, year)
"""

FILLING_SQL = """
    select year, bassin_code, sum(entries) as entries, sum(places_bought) as places,
           sum(entries) / nullif(sum(places_bought), 0) as filling_rate
    from (
        select o.year, o.bassin_code, o.places_bought,
               (select count(distinct a.entry_id)
                from intermediate.int_stagiaires__enregistrements r
                join intermediate.int_entrees__rattachement a on a.record_id = r.record_id
                where r.source_system = 'region' and r.action_id = o.action_id
                  and extract(year from r.start_date) = o.year) as entries
        from marts.fct_commandes o
    ) as per_order
    group by year, bassin_code
"""

QUARANTINE_SQL = """
    select feed, file_path, rows_read, rows_quarantined,
           case when rows_read > 0 then rows_quarantined / rows_read else 0 end as quarantine_rate
    from raw.ingestion__manifest
    where status = 'loaded' and is_current
"""


def validate_entries_vs_stock(frame: pd.DataFrame, bound: float, quality_dir=None) -> SuiteOutcome:
    import great_expectations.expectations as gxe

    return run_suite("reconciliation_entries_vs_stock", [
        gxe.ExpectColumnValuesToBeBetween(column="entries_per_job_seeker", min_value=0, max_value=bound),
    ], frame, quality_dir)


def validate_filling(frame: pd.DataFrame, bound: float, quality_dir=None) -> SuiteOutcome:
    import great_expectations.expectations as gxe

    return run_suite("reconciliation_orders", [
        gxe.ExpectColumnValuesToBeBetween(column="filling_rate", min_value=0, max_value=bound),
    ], frame, quality_dir)


QUARANTINE_SUITE = "quarantine_rate"


def validate_quarantine_rates(frame: pd.DataFrame, feeds: list[str], bound: float,
                              quality_dir=None) -> dict[str, SuiteOutcome]:
    """Each feed's quarantine rate (a row per current file in `frame`), one outcome per feed, from one validation of
    every feed's files: a suite per feed cost 0.25 s of GX bookkeeping each (4.3 s for 18 feeds), and one
    expectation per feed with a row condition 1.4 s; one expectation whose failing rows are then told apart by
    feed, 0.3 s."""
    import great_expectations.expectations as gxe

    if quality_dir is not None:
        forget_suites(quality_dir, "quarantine_*__*")  # the suites of one feed each that this one replaced
    whole = run_suite(QUARANTINE_SUITE, [
        gxe.ExpectColumnValuesToBeBetween(column="quarantine_rate", min_value=0, max_value=bound),
    ], frame, quality_dir)
    failing = [(failure, frame.loc[failure.unexpected_index]) for failure in whole.failures]
    outcomes = {}
    for feed in feeds:
        failures = [FailedExpectation(failure.expectation, failure.column, len(own), list(own[failure.column])[:3],
                                      list(own.index))
                    for failure, rows in failing if len(own := rows[rows["feed"] == feed])]
        offending = frame.loc[[i for f in failures for i in f.unexpected_index]].reset_index(drop=True)
        outcomes[feed] = SuiteOutcome(QUARANTINE_SUITE, not failures, whole.evaluated, failures, offending)
    return outcomes


def validate_published_secrecy(frame: pd.DataFrame, quality_dir=None) -> SuiteOutcome:
    """In a published form, a secret cell shows no figure: numerator, denominator and value are empty."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    secret = Column("is_secret") == True  # noqa: E712 (a GX condition, not a Python comparison)
    return run_suite("published_secrecy", [
        gxe.ExpectColumnValuesToBeNull(column=column, row_condition=secret)
        for column in ("numerator", "denominator", "value")
    ], frame, quality_dir)
