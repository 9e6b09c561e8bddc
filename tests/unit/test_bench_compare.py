"""`make bench` compares the tables an added month updated in place with a full refresh: the comparison must see
every kind of difference (a changed, missing or extra row, a NULL that became a value, NULL keys) and ignore the
last bits of a double."""
from __future__ import annotations

import duckdb
import pytest

from benchmarks.run import _differences, _save

TABLES = {"marts.fct_entrees": ["k", "k2"], "delivery.indicateurs_publies": ["k", "k2"]}


@pytest.fixture()
def warehouse(tmp_path, monkeypatch):
    monkeypatch.setattr("benchmarks.run.UPDATED_IN_PLACE", TABLES)
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts; create schema delivery")
    for table in TABLES:
        con.execute(f"create table {table} (k varchar, k2 varchar, v double, n bigint)")
        con.execute(f"insert into {table} values ('a', null, 1.0, 1), ('b', 'x', 2.0, 2), ('c', 'y', null, 3)")
    con.close()
    return path, _save(path, tmp_path / "saved")


def _change(path, *statements: str) -> None:
    con = duckdb.connect(str(path))
    for statement in statements:
        con.execute(statement)
    con.close()


def _count(path, saved, table="marts.fct_entrees") -> int:
    return _differences(path, saved[table], table, TABLES[table])


def test_identical_tables_and_double_noise_are_equal(warehouse):
    path, saved = warehouse
    _change(path, "update marts.fct_entrees set v = v * (1 + 1e-12)")
    assert _count(path, saved) == 0


@pytest.mark.parametrize("statement", [
    "update marts.fct_entrees set v = 2.5 where k = 'b'",
    "update marts.fct_entrees set n = 5 where k = 'a'",  # a row whose key holds a NULL
    "update marts.fct_entrees set v = 1 where k = 'c'",  # NULL -> value
    "update marts.fct_entrees set v = null where k = 'b'",  # value -> NULL
    "delete from marts.fct_entrees where k = 'a'",
    "insert into marts.fct_entrees values ('d', null, 1, 1)",
    "insert into marts.fct_entrees values (null, 'z', null, null)",  # an extra row whose first key is NULL
])
def test_each_kind_of_difference_counts_one_row(warehouse, statement):
    path, saved = warehouse
    _change(path, statement)
    assert _count(path, saved) == 1
    assert _count(path, saved, "delivery.indicateurs_publies") == 0


@pytest.mark.parametrize("statement, differing", [
    ("select 1", 0),
    ("insert into marts.fct_entrees values ('b', 'x', 2.0, 2)", 1),  # one more copy of a row
    ("update marts.fct_entrees set n = 4 where k = 'c'", 2),  # a row changed: one gone, one new
])
def test_a_table_without_unique_key_is_compared_as_a_multiset_of_rows(warehouse, statement, differing):
    path, saved = warehouse
    _change(path, statement)
    assert _differences(path, saved["marts.fct_entrees"], "marts.fct_entrees", None) == differing
