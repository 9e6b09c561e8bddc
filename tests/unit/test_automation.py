"""The landing sensor starts one run per new or changed content, for the months it names; the schedule asks for
the previous month."""
from __future__ import annotations

import os
from datetime import datetime, timezone

from dagster import RunRequest, SkipReason, build_schedule_context, build_sensor_context

from dagster_project.automation import RANGE_END, RANGE_START, landing_sensor, monthly_schedule


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_sensor_runs_once_per_content_and_names_the_months(tmp_path, monkeypatch):
    monkeypatch.setenv("PRIC_LANDING", str(tmp_path))
    _write(tmp_path / "france_travail" / "stagiaires" / "stagiaires_pe_201903.csv", "a|b\n")
    _write(tmp_path / "france_travail" / "stagiaires" / "stagiaires_pe_201905.csv", "a|b\n")
    _write(tmp_path / "notes" / "readme.txt", "not a feed")

    first = landing_sensor(build_sensor_context(cursor=None))
    assert isinstance(first, RunRequest)
    assert (first.tags[RANGE_START], first.tags[RANGE_END]) == ("2019-03-01", "2019-05-01")
    assert first.tags["pric/changed_files"] == "2"

    cursor = build_sensor_context(cursor=None)
    landing_sensor(cursor)
    assert isinstance(landing_sensor(build_sensor_context(cursor=cursor.cursor)), SkipReason)

    # Same name, new content (a corrected month): a new run, keyed on the new checksum.
    path = tmp_path / "france_travail" / "stagiaires" / "stagiaires_pe_201905.csv"
    _write(path, "a|b\n1|2\n")
    os.utime(path, (1_900_000_000, 1_900_000_000))
    again = landing_sensor(build_sensor_context(cursor=cursor.cursor))
    assert isinstance(again, RunRequest)
    assert (again.tags[RANGE_START], again.tags[RANGE_END]) == ("2019-05-01", "2019-05-01")
    assert again.run_key != first.run_key


def test_sensor_waits_for_a_landing_zone(tmp_path, monkeypatch):
    monkeypatch.setenv("PRIC_LANDING", str(tmp_path / "missing"))
    assert isinstance(landing_sensor(build_sensor_context()), SkipReason)


def test_monthly_schedule_loads_the_previous_month():
    context = build_schedule_context(scheduled_execution_time=datetime(2023, 2, 12, 6, tzinfo=timezone.utc))
    request = monthly_schedule(context)
    assert (request.tags[RANGE_START], request.tags[RANGE_END]) == ("2023-01-01", "2023-01-01")


def test_pric_run_covers_the_months_whose_files_are_new_or_touched(tmp_path, monkeypatch):
    """`pric run`'s range (automation.pending_months_tags): every month with a file on a first run; then only the
    months whose files the manifest has not recorded with their size and time; the latest month when none."""
    from ingestion import manifest, registry
    from ingestion.warehouse import connect

    from dagster_project.automation import pending_months_tags

    monkeypatch.delenv("PRIC_VERIFY_CHECKSUMS", raising=False)
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    trainees = landing / "france_travail" / "stagiaires"
    for month in ("201903", "201905"):
        _write(trainees / f"stagiaires_pe_{month}.csv", "a|b\n")
    _write(landing / "financeurs" / "cpf" / "cpf_formations_engagees_201904.csv", "a;b\n")

    def months():
        tags = pending_months_tags(warehouse, landing)
        return tags[RANGE_START], tags[RANGE_END]

    assert months() == ("2019-03-01", "2019-05-01")  # first run: no warehouse yet
    feed = registry.by_name("france_travail__stagiaires")
    con = connect(warehouse)
    manifest.ensure_tables(con)
    for found in manifest.discover(landing, feed, registry.siblings(feed)):
        manifest.record(con, feed, found, status="loaded", message=None, encoding="utf-8", rows_read=0,
                        rows_loaded=0, rows_quarantined=0, values_flagged=0, loaded_at=datetime(2020, 1, 1))
    con.close()
    assert months() == ("2019-04-01", "2019-04-01")  # the trainee files are recorded, the CPF one is not

    con = connect(warehouse)
    cpf = registry.by_name("financeurs__cpf")
    for found in manifest.discover(landing, cpf, registry.siblings(cpf)):
        manifest.record(con, cpf, found, status="loaded", message=None, encoding="utf-8", rows_read=0,
                        rows_loaded=0, rows_quarantined=0, values_flagged=0, loaded_at=datetime(2020, 1, 1))
    con.close()
    assert months() == ("2019-05-01", "2019-05-01")  # nothing pending: the latest month, which loads nothing

    os.utime(trainees / "stagiaires_pe_201903.csv", (1_900_000_000, 1_900_000_000))  # touched: looked at again
    assert months() == ("2019-03-01", "2019-03-01")
    monkeypatch.setenv("PRIC_VERIFY_CHECKSUMS", "1")  # every file hashed again: every month
    assert months() == ("2019-03-01", "2019-05-01")


def test_the_instance_retries_crashed_runs_but_not_failed_steps():
    """A run that failed in a step (a blocking check, a failed dbt test) is not re-executed by the instance:
    the steps retry what a retry can cure. A run whose worker crashed is retried."""
    import yaml
    from dagster import DagsterRunStatus, instance_for_test
    from dagster._core.execution.retries import auto_reexecution_should_retry_run
    from dagster._core.events import RunFailureReason
    from dagster._core.storage.dagster_run import DagsterRun

    from dagster_project.cli import INSTANCE_CONFIG

    with instance_for_test(overrides=yaml.safe_load(INSTANCE_CONFIG)) as instance:
        assert instance.run_retries_max_retries == 2

        def retried(reason: RunFailureReason) -> bool:
            run = instance.add_run(DagsterRun(job_name="full_run", status=DagsterRunStatus.FAILURE))
            return auto_reexecution_should_retry_run(instance, run, reason)

        assert retried(RunFailureReason.STEP_FAILURE) is False
        assert retried(RunFailureReason.UNEXPECTED_TERMINATION) is True
