"""`pric generate` then `pric run` on every feed: each feed loads, a second run changes no count, and the
generator is deterministic for a seed."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dagster_project import cli
from ingestion import registry
from tests.pipeline.conftest import query, run_pipeline


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory, realdata):
    base = tmp_path_factory.mktemp("generated")
    landing = base / "landing"
    args = ["generate", "--out", str(landing), "--scale", "300", "--years", "2019-2020", "--seed", "7",
            "--references", str(realdata)]
    assert cli.main(args) == 0
    return base, landing, args


def test_generator_is_deterministic(generated, tmp_path):
    _, landing, args = generated
    again = tmp_path / "again"
    assert cli.main([a if a != str(landing) else str(again) for a in args]) == 0
    first, second = tree_digest(landing), tree_digest(again)
    # Workbooks carry their creation time inside the zip; every other file is byte-identical.
    assert {k for k in first if not k.endswith(".xlsx")} == {k for k in second if not k.endswith(".xlsx")}
    assert all(first[k] == second[k] for k in first if not k.endswith(".xlsx"))


def test_every_feed_loads_and_a_rerun_changes_nothing(generated):
    base, landing, _ = generated
    home = base / "home"
    assert run_pipeline(landing, home) == 0
    per_feed = dict(query(home, "select feed, count(*) from raw.ingestion__manifest where status = 'loaded' "
                                "group by feed"))
    assert set(per_feed) == {feed.name for feed in registry.FEEDS}
    counts_sql = """select (select count(*) from raw.ingestion__manifest),
                           (select count(*) from raw.ingestion__quarantine),
                           (select count(*) from marts.fct_entrees),
                           (select sum(numerator) from marts.indicators where indicator = 'entrees')"""
    before = query(home, counts_sql)
    region_rows = query(home, "select count(*) from staging.stg_financeurs__region_stagiaires")[0][0]
    assert region_rows > 0
    assert run_pipeline(landing, home) == 0
    assert query(home, counts_sql) == before
