"""The project's `unique_combination` dbt test: DuckDB's version (grouping by a hash first) finds exactly the
duplicates the portable version finds, NULLs included, and nothing on a clean table."""
from __future__ import annotations

from pathlib import Path

import duckdb
import jinja2
import pytest

MACROS = Path(__file__).resolve().parents[2] / "dbt/macros/unique_combination.sql"


def failures_sql(engine: str, model: str, columns: list[str]) -> str:
    """The macro's SQL, rendered with plain Jinja."""
    module = jinja2.Environment().from_string(MACROS.read_text(encoding="utf-8")).module
    return getattr(module, f"{engine}__unique_combination_failures")(model, columns)


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("""create table t as select * from (values
        ('a', 1, 'x'), ('a', 1, 'y'), ('a', 2, 'x'), ('a', 2, 'x'), ('a', 2, 'x'),
        (null, 1, 'x'), (null, 1, 'x'), ('b', null, null), ('b', null, null), ('b', null, 'z')) as v(k1, k2, k3)""")
    return con


def run(con, engine, model, columns):
    return sorted(con.execute(failures_sql(engine, model, columns)).fetchall(), key=str)


@pytest.mark.parametrize("columns", [["k1", "k2", "k3"], ["k1", "k2"], ["k1"]])
def test_duckdb_version_finds_what_the_portable_one_finds(con, columns):
    expected = run(con, "default", "t", columns)
    assert expected  # the table has duplicates for every choice of columns
    assert run(con, "duckdb", "t", columns) == expected


def test_nothing_on_unique_rows(con):
    con.execute("create table u as select distinct * from t")
    assert run(con, "duckdb", "u", ["k1", "k2", "k3"]) == []
    assert run(con, "duckdb", "(select 1 as k where false)", ["k"]) == []
