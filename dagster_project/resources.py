"""Resources injected into assets and checks. Everything is read from the environment when a run starts,
never at import: `PRIC_HOME` (warehouse, exports, quality reports), `PRIC_LANDING` (the landing zone)."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
from dagster import ConfigurableResource, EnvVar
from dagster_dbt import DbtCliResource

from dagster_project.project import DBT_EXECUTABLE, dbt_project
from ingestion.warehouse import connect


class WarehouseResource(ConfigurableResource):
    """The DuckDB warehouse under `PRIC_HOME`, and the folders that sit beside it."""

    home: str

    @property
    def home_path(self) -> Path:
        return Path(self.home).resolve()

    @property
    def path(self) -> Path:
        return self.home_path / "warehouse.duckdb"

    @property
    def exports_dir(self) -> Path:
        return self.home_path / "exports"

    @property
    def quality_dir(self) -> Path:
        return self.home_path / "quality"

    @property
    def archive_dir(self) -> Path:
        return self.home_path / "archive"

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        # Opened and closed around each use: the dbt subprocess needs the file free between Python steps.
        con = connect(self.path, read_only=read_only)
        try:
            yield con
        finally:
            con.close()


class LandingResource(ConfigurableResource):
    """The landing zone: one folder per feed, files as the sources send them (feeds.md)."""

    root: str

    @property
    def path(self) -> Path:
        return Path(self.root).resolve()


def default_resources() -> dict:
    return {
        "warehouse": WarehouseResource(home=EnvVar("PRIC_HOME")),
        "landing": LandingResource(root=EnvVar("PRIC_LANDING")),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
    }
