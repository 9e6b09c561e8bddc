"""A funder's flows count each of its entries once, in the month and département it started, and its exit in the
month it ended, whatever the number of the funder's codes the entry carries."""
from __future__ import annotations

from datetime import date

import duckdb

from dagster_project.publish.extracts import Recipient, compute_flows


def test_flows_count_each_entry_once_per_funder():
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute("create table marts.fct_entrees (entry_id varchar, entry_date date, exit_date date, "
                "departement_code varchar)")
    con.execute("create table marts.bridge_entrees_financeurs (entry_id varchar, person_key varchar, "
                "code_financeur varchar)")
    con.executemany("insert into marts.fct_entrees values (?, ?, ?, ?)", [
        ("e1", date(2019, 1, 10), date(2019, 3, 2), "51"),   # France Travail under two of its codes
        ("e2", date(2019, 1, 20), None, "51"),              # France Travail and the Région, still in training
        ("e3", date(2019, 2, 5), date(2019, 2, 25), None),  # no département: not in any flow
        ("e4", date(2019, 2, 7), None, "08"),               # the Région only
    ])
    con.executemany("insert into marts.bridge_entrees_financeurs values (?, ?, ?)", [
        ("e1", "p1", "4"), ("e1", "p1", "10"), ("e2", "p2", "4"), ("e2", "p2", "2"), ("e3", "p3", "4"),
        ("e4", "p4", "2"),
    ])
    chosen = [Recipient("conseil_regional", "Région", ("2",)), Recipient("france_travail", "FT", ("4", "10"))]
    flows = compute_flows(con, chosen)
    rows = {tuple(r) for r in flows[["recipient", "mois", "departement_code", "entrees", "sorties"]]
            .itertuples(index=False)}
    assert rows == {
        ("conseil_regional", "2019-01", "51", 1, 0),
        ("conseil_regional", "2019-02", "08", 1, 0),
        ("france_travail", "2019-01", "51", 2, 0),
        ("france_travail", "2019-03", "51", 0, 1),
    }
