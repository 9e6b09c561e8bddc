"""The run history `pric run` configures: Dagster's SQLite files, written through connections kept open. A home it
writes is read by Dagster's own storage and the other way round, a long-lived process keeps a bounded number of
files open, and `pric run` adds the block to an older home without touching one that names its own storage."""
from __future__ import annotations

import dagster as dg
import pytest
import yaml
from dagster import DagsterInstance

from dagster_project import instance_storage
from dagster_project.cli import INSTANCE_CONFIG, _write_instance_config


def _job_definitions():
    @dg.asset
    def upstream() -> dg.MaterializeResult:
        return dg.MaterializeResult(metadata={"rows": 3})

    @dg.asset(deps=[upstream])
    def downstream() -> dg.MaterializeResult:
        return dg.MaterializeResult(metadata={"rows": 2})

    @dg.asset_check(asset=downstream)
    def downstream_has_rows() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    return dg.Definitions(assets=[upstream, downstream], asset_checks=[downstream_has_rows],
                          jobs=[dg.define_asset_job("both", selection="*")])


def _run(instance: DagsterInstance) -> str:
    result = _job_definitions().resolve_job_def("both").execute_in_process(instance=instance)
    assert result.success
    return result.run_id


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    return tmp_path


def test_a_new_home_uses_the_kept_connections_and_dagster_reads_what_they_wrote(home):
    _write_instance_config(home / "dagster.yaml")
    config = yaml.safe_load((home / "dagster.yaml").read_text())
    assert config["storage"]["custom"]["class"] == "PricSqliteStorage"
    assert config["run_retries"]["max_retries"] == 2  # the behaviour block is still there

    with DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.event_log_storage, instance_storage.PooledSqliteEventLogStorage)
        run_id = _run(instance)

    # Dagster's own storage on the same directory: the files and schema are its own.
    (home / "dagster.yaml").write_text(INSTANCE_CONFIG)
    with DagsterInstance.from_config(str(home)) as instance:
        assert type(instance.event_log_storage).__name__ == "SqliteEventLogStorage"
        materialization = instance.get_latest_materialization_event(dg.AssetKey("downstream"))
        assert materialization.run_id == run_id
        assert materialization.asset_materialization.metadata["rows"].value == 2
        check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("downstream"), "downstream_has_rows")])
        assert check[dg.AssetCheckKey(dg.AssetKey("downstream"), "downstream_has_rows")].run_id == run_id
        earlier_run = _run(instance)  # written by Dagster's class...

    _write_instance_config(home / "dagster.yaml")  # ...then the block is appended, as for an older home
    with DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.event_log_storage, instance_storage.PooledSqliteEventLogStorage)
        assert instance.get_run_by_id(earlier_run).is_success
        assert len(instance.all_logs(earlier_run, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)) == 2
        latest = _run(instance)
        assert instance.get_latest_materialization_event(dg.AssetKey("upstream")).run_id == latest


def test_a_long_lived_process_keeps_a_bounded_number_of_files_open(home):
    _write_instance_config(home / "dagster.yaml")
    with DagsterInstance.from_config(str(home)) as instance:
        storage = instance.event_log_storage
        run_ids = [_run(instance) for _ in range(instance_storage.KEPT_DATABASES + 2)]
        assert len(storage._engines) <= instance_storage.KEPT_DATABASES
        # A run whose connection was closed is opened again when read.
        for run_id in run_ids:
            assert len(instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)) == 2
        assert len(storage._engines) <= instance_storage.KEPT_DATABASES

        storage.wipe()  # deletes the run files: the open connections go first
        assert set(storage._engines) <= {"index"}  # the index is emptied, not deleted
        assert instance.get_latest_materialization_event(dg.AssetKey("upstream")) is None
        _run(instance)
        assert instance.get_latest_materialization_event(dg.AssetKey("upstream")) is not None


def test_commits_skip_the_sync_only_in_wal_mode(home, tmp_path):
    _write_instance_config(home / "dagster.yaml")
    with DagsterInstance.from_config(str(home)) as instance:
        run_id = _run(instance)
        with instance.event_log_storage.run_connection(run_id) as conn:
            assert conn.exec_driver_sql("pragma journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("pragma synchronous").scalar() == 1  # NORMAL

    # A database in rollback-journal mode (none that Dagster creates) keeps SQLite's default, FULL.
    import sqlite3

    for mode, expected in (("delete", 2), ("wal", 1)):
        connection = sqlite3.connect(tmp_path / f"{mode}.db")
        connection.execute(f"pragma journal_mode={mode}")
        instance_storage._wal_commits_without_sync(connection, None)
        assert connection.execute("pragma synchronous").fetchone()[0] == expected
        connection.close()


def test_a_home_with_its_own_storage_is_left_alone(home):
    own = INSTANCE_CONFIG + "storage:\n  postgres:\n    postgres_url: postgresql://localhost/dagster\n"
    (home / "dagster.yaml").write_text(own)
    _write_instance_config(home / "dagster.yaml")
    assert (home / "dagster.yaml").read_text() == own
    _write_instance_config(home / "dagster.yaml")  # written once, never twice
    (home / "other").mkdir()
    _write_instance_config(home / "other" / "dagster.yaml")
    _write_instance_config(home / "other" / "dagster.yaml")
    assert (home / "other" / "dagster.yaml").read_text().count("storage:") == 1
