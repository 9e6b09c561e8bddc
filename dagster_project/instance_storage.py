"""Dagster's SQLite run history, with its connections kept open between events.

Dagster stores each of a run's events (about 1,000 in a national run: steps, materializations, the dbt tests'
check results) as it happens. Its SQLite event log opens a new SQLAlchemy engine and a new SQLite connection for
every write, two or three per event, and closes them after; closing the last connection to a WAL database
checkpoints it, and a new engine compiles every statement again. Measured on this machine with 200 trivial
assets (1,007 events): 13 ms an event with Dagster's class, 4.5 ms with this one, which keeps one engine and one
open connection per database file (the cross-run index and the last few runs' files) and, on a database in WAL
mode, SQLite's `synchronous=NORMAL` (a commit survives a crash of the process; only a power cut can lose the last
few events, never corrupt the file).

The files, tables and schema are Dagster's own: a home written by the default storage is read and extended as is,
and `dagster dev` reads it through this class too (`pric run` names it in `dagster.yaml`, `STORAGE_CONFIG`).
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

import yaml
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage, _event_logs_directory
from dagster._serdes import ConfigurableClassData
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

# The block `pric run` writes into dagster.yaml: the default SQLite storage, in $DAGSTER_HOME as Dagster lays it out,
# through the classes below.
STORAGE_CONFIG = """storage:
  custom:
    module: dagster_project.instance_storage
    class: PricSqliteStorage
    config:
      base_dir:
        env: DAGSTER_HOME
"""

# How many databases keep an open connection: the index and the runs written or read last. A long-lived process
# (the UI, the daemon) reading many runs holds at most this many files open.
KEPT_DATABASES = 4


def _wal_commits_without_sync(dbapi_connection, _record) -> None:
    # synchronous=NORMAL is durable against a crash of the process only in WAL mode; Dagster creates every
    # database in WAL mode, and one that is not keeps SQLite's default (FULL).
    cursor = dbapi_connection.cursor()
    try:
        if cursor.execute("pragma journal_mode").fetchone()[0].lower() == "wal":
            cursor.execute("pragma synchronous=NORMAL")
    finally:
        cursor.close()


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` with one engine and one open connection per database, for the last few used."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        # Called under self._db_lock, which is held for as long as a connection is in use: an engine evicted
        # here has none checked out.
        engine = self._engines.pop(shard, None)
        if engine is None:
            engine = create_engine(
                self.conn_string_for_shard(shard),
                # One connection stays open; a second one at the same time (Dagster's schema set-up opens one
                # inside another) is opened and closed as before.
                poolclass=QueuePool,
                pool_size=1,
                max_overflow=-1,
                # Any thread may use it, one at a time: every use holds self._db_lock.
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            event.listen(engine, "connect", _wal_commits_without_sync)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
                # A new database is switched to WAL by _initdb, after its first connection was opened.
                engine.dispose()
        self._engines[shard] = engine
        while len(self._engines) > KEPT_DATABASES:
            _, oldest = self._engines.popitem(last=False)
            oldest.dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            with self._engine(shard).connect() as conn:
                with conn.begin():
                    yield conn

    def _dispose_engines(self) -> None:
        with self._db_lock:
            while self._engines:
                _, engine = self._engines.popitem()
                engine.dispose()

    def wipe(self) -> None:
        # The run files are deleted: no connection may stay open on them.
        self._dispose_engines()
        super().wipe()

    def upgrade(self) -> None:
        self._dispose_engines()
        super().upgrade()

    def dispose(self) -> None:
        super().dispose()
        self._dispose_engines()


class PricSqliteStorage(DagsterSqliteStorage):
    """Dagster's default SQLite storage (runs, event logs, schedules under one directory), with the event log above."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        # Dagster's constructor also makes its own event log object (it opens no connection unless the index
        # file is missing, which the next line would otherwise create): replaced before any use.
        super().__init__(base_dir, inst_data=inst_data)
        self._event_log_storage = PooledSqliteEventLogStorage(_event_logs_directory(base_dir))

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PricSqliteStorage:
        return cls.from_local(inst_data=inst_data, **config_value)

    @property
    def event_storage_data(self) -> ConfigurableClassData | None:
        return ConfigurableClassData(
            __name__,
            PooledSqliteEventLogStorage.__name__,
            yaml.dump({"base_dir": _event_logs_directory(self.base_dir)}, default_flow_style=False),
        )
