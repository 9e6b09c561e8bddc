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
