"""Resources injected into assets and checks. Everything is read from the environment when a run starts,
never at import: `PRIC_HOME` (warehouse, exports, quality reports), `PRIC_LANDING` (the landing zone)."""
from __future__ import annotations

import importlib.metadata
import sys
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Iterator

import duckdb
from dagster import ConfigurableResource, EnvVar
from dagster_dbt import DbtCliResource
from packaging import version

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


class PricDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource, without two things it does before every dbt invocation that this project has no
    use for: running `dbt --version` in a subprocess (1.8 s), and loading a dbt adapter into this process (2.6 s)
    for its row-count and column-metadata helpers, which dagster_project/dbt.py does not call (it counts rows on
    its own connection: DuckDB refuses a second configuration of the warehouse in one process)."""

    @cached_property
    def _cli_version(self) -> version.Version:
        if Path(self.dbt_executable).parent == Path(sys.executable).parent:  # the dbt-core installed here
            return version.parse(importlib.metadata.version("dbt-core"))
        return DbtCliResource._cli_version.func(self)

    def _initialize_dbt_core_adapter(self, args):
        return None


def default_resources() -> dict:
    return {
        "warehouse": WarehouseResource(home=EnvVar("PRIC_HOME")),
        "landing": LandingResource(root=EnvVar("PRIC_LANDING")),
        "dbt": PricDbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
    }
