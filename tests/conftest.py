"""Shared test fixtures. Real public files are read in place from ../shared/realdata (or $PRIC_REALDATA)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
REALDATA = Path(os.environ.get("PRIC_REALDATA", REPO.parent / "shared" / "realdata"))
# Session fixtures that run the whole pipeline once (tests/pipeline/conftest.py). `make test` spreads the tests over
# two processes (pytest-xdist, --dist loadgroup); each process would run such a fixture again for its own tests, so
# the tests of one fixture are sent to one process.
PIPELINE_RUNS = ("tiny_run", "generated_run")

# A pytest-xdist worker runs as `python -c`: its __main__ has neither a spec nor a file, which PySpark (imported by
# Great Expectations when the `engines` extra is installed) takes for a doctest run without Spark Connect, and
# exits the process (pyspark.sql.connect.utils.check_dependencies). This file stands in as the worker's main file.
_main = sys.modules["__main__"]
if os.environ.get("PYTEST_XDIST_WORKER") and _main.__spec__ is None and not hasattr(_main, "__file__"):
    _main.__file__ = __file__


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own hook reads the groups
def pytest_collection_modifyitems(items):
    for item in items:
        runs = [name for name in PIPELINE_RUNS if name in getattr(item, "fixturenames", ())]
        if runs:
            item.add_marker(pytest.mark.xdist_group(runs[0]))


def pytest_configure(config):
    """pytest-xdist 3.8 marks a grouped test by a suffix on its node id, which pytest 9.2 no longer lets it change:
    the groups are then silently ignored (pytest-xdist issue 1386) and each process runs every pipeline fixture."""
    if config.getoption("dist", "no") != "loadgroup":
        return
    from importlib.metadata import version

    pytest_version = tuple(int(part) for part in version("pytest").split(".")[:2])
    xdist_version = tuple(int(part) for part in version("pytest-xdist").split(".")[:2])
    if pytest_version >= (9, 2) and xdist_version <= (3, 8):
        raise pytest.UsageError(f"pytest-xdist {version('pytest-xdist')} ignores --dist loadgroup under pytest "
                                f"{version('pytest')}: install the versions pinned in pyproject.toml")


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"real public files not found at {REALDATA} (set PRIC_REALDATA to their folder)")
    return REALDATA


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()
