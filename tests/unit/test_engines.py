"""The target setting and the Spark hand-over, without a server (the engines themselves: tests/engines/)."""
from __future__ import annotations

from datetime import date

import duckdb
import pytest

from ingestion.engines import EngineError, Target


def test_unknown_target_is_refused_with_the_choices(monkeypatch, tmp_path):
    monkeypatch.setenv("PRIC_TARGET", "oracle")
    with pytest.raises(EngineError, match="PRIC_TARGET='oracle': expected one of duckdb, postgres, spark"):
        Target.from_environment(tmp_path)


def test_duckdb_is_the_default_and_hands_nothing_over(monkeypatch, tmp_path):
    monkeypatch.delenv("PRIC_TARGET", raising=False)
    target = Target.from_environment(tmp_path)
    assert target.is_embedded and target.supports_delete
    con = duckdb.connect()
    con.execute("create schema raw; create table raw.t as select 1 as a")
    assert target.publish_raw(con) == {} and target.read_back(con) == {}


def test_spark_raw_tables_are_parquet_folders_and_marts_come_back(monkeypatch, tmp_path):
    monkeypatch.setenv("PRIC_SPARK_DIR", str(tmp_path / "spark"))
    target = Target("spark", tmp_path)
    assert not target.supports_delete  # Parquet tables: every build is a full build
    con = duckdb.connect()
    con.execute("create schema raw; create table raw.feed__x as select 'a' as code, 2 as n, date '2019-01-01' as d")
    assert target.publish_raw(con) == {"feed__x": 1}
    written = duckdb.sql(f"select * from read_parquet('{tmp_path}/spark/raw/feed__x/*.parquet')").fetchall()
    assert written == [("a", 2, date(2019, 1, 1))]
    # A Spark managed table is a Parquet folder under <warehouse>/<schema>.db/<table>/; staging is not read back.
    for schema, table in (("marts", "indicators"), ("staging", "stg_x")):
        folder = tmp_path / "spark" / "warehouse" / f"{schema}.db" / table
        folder.mkdir(parents=True)
        duckdb.sql(f"copy (select 'entrees' as indicator, 3.0 as value) to '{folder}/part-0.parquet' (format parquet)")
    assert target.read_back(con) == {"marts.indicators": 1}
    assert con.execute("select indicator, value from marts.indicators").fetchall() == [("entrees", 3.0)]
