"""The same warehouse on three engines: equal indicator tables, funders' row-level security on PostgreSQL."""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

KEYS = ["indicator", "period_type", "period", "territory_level", "territory_code", "breakdown", "breakdown_value"]
MEASURES = ["numerator", "denominator", "value"]
COUNT_INDICATORS = ("entrees", "entrees_supplementaires")


def _duckdb_indicators(home) -> pd.DataFrame:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute("select * from marts.indicators").fetchdf()
    finally:
        con.close()


def _postgres_query(settings: dict, sql: str, user: str | None = None) -> pd.DataFrame:
    import psycopg2

    con = psycopg2.connect(host=settings["PRIC_PG_HOST"], port=int(settings["PRIC_PG_PORT"]),
                           user=user or settings["PRIC_PG_USER"], dbname=settings["PRIC_PG_DATABASE"])
    try:
        with con.cursor() as cursor:
            cursor.execute(sql)
            return pd.DataFrame(cursor.fetchall(), columns=[c.name for c in cursor.description])
    finally:
        con.close()


def _spark_indicators(home, scratch) -> pd.DataFrame:
    """Through Spark itself: its metastore and warehouse under the run's PRIC_HOME, as dbt left them. Spark writes
    the table out (rather than collecting millions of rows into its driver), pandas reads what it wrote."""
    from pyspark.sql import SparkSession

    spark_dir = home / "spark"
    spark = (SparkSession.builder.master("local[2]").appName("pric-engine-test")
             .config("spark.driver.memory", "2g")
             .config("spark.sql.warehouse.dir", str(spark_dir / "warehouse"))
             .config("javax.jdo.option.ConnectionURL",
                     f"jdbc:derby:;databaseName={spark_dir / 'metastore_db'};create=true")
             .config("spark.ui.enabled", "false")
             .enableHiveSupport().getOrCreate())
    try:
        spark.table("marts.indicators").write.mode("overwrite").parquet(str(scratch / "spark_indicators"))
    finally:
        spark.stop()
    return pd.read_parquet(scratch / "spark_indicators")


@pytest.fixture(scope="module")
def indicators(built, postgres, engines_dir) -> dict[str, pd.DataFrame]:
    tables = {
        "duckdb": _duckdb_indicators(built["duckdb"]),
        "postgres": _postgres_query(postgres, "select * from marts.indicators"),
        "spark": _spark_indicators(built["spark"], engines_dir),
    }
    for name, frame in tables.items():
        for column in MEASURES:
            frame[column] = frame[column].astype("float64")
        frame["is_secret"] = frame["is_secret"].astype("boolean")
        tables[name] = frame.sort_values(KEYS, ignore_index=True)
    return tables


def _latest_extract(home, funder: str):
    folders = sorted(p for p in (home / "exports" / funder).iterdir() if not p.name.startswith("."))
    return folders[-1]


def _compare(reference: pd.DataFrame, other: pd.DataFrame, name: str) -> None:
    assert len(other) == len(reference), f"{name}: {len(other)} rows, DuckDB {len(reference)}"
    merged = reference.merge(other, on=KEYS, how="outer", suffixes=("", f"_{name}"), indicator=True)
    unmatched = merged[merged["_merge"] != "both"]
    assert unmatched.empty, f"{name}: cells on one engine only:\n{unmatched[KEYS + ['_merge']].head(20)}"
    is_count = merged["indicator"].isin(COUNT_INDICATORS)
    for column in MEASURES:
        mine, theirs = merged[column].to_numpy(), merged[f"{column}_{name}"].to_numpy()
        both_null = np.isnan(mine) & np.isnan(theirs)
        # Counts exact; rates and other ratios to 1e-9 (relative, for costs in euros).
        close = np.isclose(mine, theirs, rtol=1e-9, atol=1e-12) | both_null
        exact = (mine == theirs) | both_null
        wrong = merged[~np.where(is_count, exact, close)]
        assert wrong.empty, f"{name}: {len(wrong)} cells differ on {column}:\n{wrong.head(10).to_string()}"
    differs = merged[merged["is_secret"] != merged[f"is_secret_{name}"]]
    assert differs.empty, f"{name}: secrecy differs on {len(differs)} cells"


def test_postgres_and_spark_build_the_same_indicators_as_duckdb(indicators):
    reference = indicators["duckdb"]
    assert len(reference) > 100_000  # the demo zone: every indicator, period, level and breakdown
    assert set(reference["indicator"]) >= {"entrees", "part_peu_qualifies", "taux_acces_emploi_6m"}
    for name in ("postgres", "spark"):
        _compare(reference, indicators[name], name)
    print("\n".join(f"{name:9} {len(frame):>10,} rows, {frame['indicator'].nunique()} indicators, "
                    f"{int(frame['is_secret'].sum()):,} secret cells" for name, frame in indicators.items()))


def test_every_target_publishes_the_same_funder_extracts(built):
    """Checks and delivery run unchanged on every target: same extracts, row for row."""
    for funder in ("conseil_regional", "france_travail", "cpf"):
        frames = {}
        for target, home in built.items():
            frames[target] = pd.read_parquet(_latest_extract(home, funder) / "indicateurs.parquet").sort_values(KEYS, ignore_index=True)
        for target in ("postgres", "spark"):
            pd.testing.assert_frame_equal(frames["duckdb"], frames[target], check_dtype=False, rtol=1e-9)


def test_postgres_funder_roles_see_only_their_rows(built, postgres):
    published = "delivery.indicateurs_publies"
    everything = _postgres_query(postgres, f"select count(*) as n from {published}")["n"][0]
    for funder, codes in (("france_travail", {"4"}), ("agefiph", {"7"}), ("etat", {"11", "12", "13", "19"})):
        seen = _postgres_query(postgres, f"select * from {published}", user=f"pric_{funder}")
        assert 0 < len(seen) < everything
        assert set(seen["breakdown"]) == {"financeur"}
        assert set(seen["breakdown_value"]) <= codes
        # The same rows as the funder's own extract.
        assert len(seen) == len(pd.read_parquet(_latest_extract(built["postgres"], funder) / "indicateurs.parquet"))
    region = _postgres_query(postgres, f"select distinct indicator, breakdown from {published}",
                             user="pric_conseil_regional")
    assert "taux_remplissage" in set(region["indicator"])
    # No rows of another funder, and no way round the policy: a funder cannot read the marts.
    cpf = _postgres_query(postgres, f"select count(*) as n from {published}", user="pric_cpf")
    assert cpf["n"][0] == 0
    import psycopg2

    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        _postgres_query(postgres, "select count(*) from marts.indicators", user="pric_france_travail")
