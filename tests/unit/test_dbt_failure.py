"""A failed dbt build is retried only when a retry can cure it: a failed test or an SQL error fails again on the
same data and is reported at once (it was retried twice, 20 s and 40 s apart, running the whole build again)."""
from __future__ import annotations

import json

from dagster_project.dbt import build_failure


def _results(tmp_path, *results):
    (tmp_path / "run_results.json").write_text(json.dumps({"results": [
        {"unique_id": unique_id, "status": status, "message": message} for unique_id, status, message in results
    ]}), encoding="utf-8")
    return tmp_path


def test_a_failed_test_is_not_retried_and_is_named(tmp_path):
    failure = build_failure(_results(
        tmp_path,
        ("model.pric.fct_entrees", "success", "OK"),
        ("test.pric.relationships_stg_referentiels__departements_region_code", "fail",
         "Got 1 result, configured to fail if != 0"),
    ))
    assert failure.allow_retries is False
    # `pric run` prints the first line: it names the node.
    assert failure.description.splitlines()[0] == (
        "dbt build failed (not retried: it fails again on the same data): 1 node(s): "
        "relationships_stg_referentiels__departements_region_code")
    assert "relationships_stg_referentiels__departements_region_code (fail): Got 1 result" in failure.description


def test_an_sql_error_is_not_retried(tmp_path):
    failure = build_failure(_results(
        tmp_path, ("model.pric.indicators", "error", "Binder Error: Referenced column \"perod\" not found\nLINE 3"),
    ))
    assert failure.allow_retries is False
    assert "model.pric.indicators (error): Binder Error: Referenced column \"perod\" not found" in failure.description


def test_a_locked_warehouse_is_retried(tmp_path):
    lock = ('IO Error: Could not set lock on file "warehouse.duckdb": Conflicting lock is held in python '
            '(PID 4242). See also https://duckdb.org/docs/stable/connect/concurrency')
    failure = build_failure(_results(tmp_path, ("model.pric.dim_territoire", "error", lock),
                                     ("model.pric.dim_metier", "error", lock)))
    assert failure.allow_retries is True
    # One locked model among real errors: the real errors will fail again.
    assert build_failure(_results(tmp_path, ("model.pric.dim_territoire", "error", lock),
                                  ("test.pric.unique_fct_entrees_entry_id", "fail", "Got 3 results"))
                         ).allow_retries is False


def test_no_results_at_all_is_retried(tmp_path):
    failure = build_failure(tmp_path)  # dbt stopped before writing run_results.json (killed, crashed)
    assert failure.allow_retries is True
    assert "without results" in failure.description
