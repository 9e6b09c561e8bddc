"""Shared test fixtures. Real public files are read in place from ../shared/realdata (or $PRIC_REALDATA)."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
REALDATA = Path(os.environ.get("PRIC_REALDATA", REPO.parent / "shared" / "realdata"))


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
