"""The BI snapshot patched in place holds exactly what writing it whole would."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from dagster_project.publish import snapshot
from dagster_project.publish.secrecy import publish_changed_partitions, state_tables

PUBLISHED = snapshot.SNAPSHOT_TABLES[snapshot.PATCHED_TABLE]
ORDER = "indicator, period_type, period, territory_level, territory_code, breakdown, breakdown_value"


def _cells(values: dict[tuple[str, str], float]) -> pd.DataFrame:
    """Indicator cells (one département per région, so that every margin is checked), keyed by (year, breakdown
    value); each key gets the year's row and its January."""
    rows = []
    for (year, value), count in values.items():
        for period_type, period in (("year", year), ("month", f"{year}-01")):
            for level, code in (("region", "52"), ("departement", "44")):
                rows.append({"indicator": "entrees", "period_type": period_type, "period": period,
                             "territory_level": level, "territory_code": code, "breakdown": "financeur",
                             "breakdown_value": value, "numerator": count, "denominator": None, "value": count,
                             "is_secret": count < 5})
    return pd.DataFrame(rows).astype({"denominator": "float64"})


@pytest.fixture
def warehouse():
    con = duckdb.connect()
    con.execute("create schema delivery; create schema marts")
    for source in snapshot.SNAPSHOT_TABLES.values():
        if source != PUBLISHED:
            con.execute(f"create table {source} as select 'a' as code, 'A' as libelle")
    con.execute("create table regions as select 'departement' as territory_level, '44' as territory_code, "
                "'52' as region_code")
    yield con
    con.close()


def _publish(con: duckdb.DuckDBPyConnection, cells: pd.DataFrame) -> int:
    """Publish the registered frame `cells_frame`; returns the partitions suppressed again."""
    con.execute("create or replace table cells as select * from cells_frame")
    return publish_changed_partitions(con, "cells", "regions", {"entrees"}, PUBLISHED)[1]


def _snapshot_rows(path, table: str = snapshot.PATCHED_TABLE) -> pd.DataFrame:
    reader = duckdb.connect(str(path), read_only=True)
    try:
        return reader.execute(f"select * from {table} order by all").fetchdf()
    finally:
        reader.close()


def test_a_snapshot_is_patched_only_where_partitions_were_published_again(warehouse, tmp_path):
    serving = tmp_path / "serving"
    cells_frame = _cells({("2019", "v1"): 30, ("2019", "v2"): 12, ("2020", "v1"): 40})
    warehouse.register("cells_frame", cells_frame)
    _publish(warehouse, cells_frame)
    first = snapshot.publish_snapshot(warehouse, serving)
    assert first.written_whole

    # A month changes 2020 for v1 and brings a new partition; a dimension gains a row.
    cells_frame = _cells({("2019", "v1"): 30, ("2019", "v2"): 12, ("2020", "v1"): 41, ("2020", "v2"): 3})
    warehouse.register("cells_frame", cells_frame)
    assert _publish(warehouse, cells_frame) == 2
    warehouse.execute("insert into marts.dim_financeur values ('b', 'B')")
    second = snapshot.publish_snapshot(warehouse, serving)
    assert not second.written_whole and second.partitions_replaced == 2

    expected = warehouse.execute(f"select * from {PUBLISHED} order by all").fetchdf()
    pd.testing.assert_frame_equal(_snapshot_rows(first.path), expected)
    assert len(_snapshot_rows(first.path, "financeurs")) == 2

    # Nothing published again: nothing replaced, same rows.
    third = snapshot.publish_snapshot(warehouse, serving)
    assert not third.written_whole and third.partitions_replaced == 0
    pd.testing.assert_frame_equal(_snapshot_rows(first.path), expected)


def test_a_snapshot_is_written_whole_once_patches_replaced_as_many_rows_as_it_holds(warehouse, tmp_path):
    """Deleted rows keep their space in the file for a while: whole writes bound its growth."""
    serving = tmp_path / "serving"
    written_whole = []
    for count in (30, 31, 32, 33):  # each publication changes 2019 only: 4 of the 8 rows
        cells_frame = _cells({("2019", "v1"): count, ("2020", "v1"): 50})
        warehouse.register("cells_frame", cells_frame)
        _publish(warehouse, cells_frame)
        written_whole.append(snapshot.publish_snapshot(warehouse, serving).written_whole)
    assert written_whole == [True, False, False, True]
    pd.testing.assert_frame_equal(_snapshot_rows(serving / "warehouse.duckdb"),
                                  warehouse.execute(f"select * from {PUBLISHED} order by all").fetchdf())


def test_a_snapshot_without_its_state_or_under_other_rules_is_written_whole(warehouse, tmp_path):
    serving = tmp_path / "serving"
    cells_frame = _cells({("2019", "v1"): 30})
    warehouse.register("cells_frame", cells_frame)
    _publish(warehouse, cells_frame)
    snapshot.publish_snapshot(warehouse, serving)
    _, context = state_tables(PUBLISHED)
    warehouse.execute(f"update {context} set context = context || '-other-rules'")
    outcome = snapshot.publish_snapshot(warehouse, serving)
    assert outcome.written_whole and "rules" in outcome.reason
    (serving / "warehouse.duckdb").write_bytes(b"not a database")
    outcome = snapshot.publish_snapshot(warehouse, serving)
    assert outcome.written_whole and "unreadable" in outcome.reason
    pd.testing.assert_frame_equal(_snapshot_rows(outcome.path),
                                  warehouse.execute(f"select * from {PUBLISHED} order by all").fetchdf())
