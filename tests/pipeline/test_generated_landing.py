"""`pric generate` then `pric run` on every feed: each feed loads, a second run changes no count, and the
generator is deterministic for a seed."""
from __future__ import annotations

import hashlib
from pathlib import Path

from dagster_project import cli
from ingestion import registry
from tests.pipeline.conftest import query, run_dbt, run_pipeline


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generator_is_deterministic(generated_run, tmp_path):
    landing, _, args = generated_run
    again = tmp_path / "again"
    assert cli.main([a if a != str(landing) else str(again) for a in args]) == 0
    first, second = tree_digest(landing), tree_digest(again)
    # Workbooks carry their creation time inside the zip; every other file is byte-identical.
    assert {k for k in first if not k.endswith(".xlsx")} == {k for k in second if not k.endswith(".xlsx")}
    assert all(first[k] == second[k] for k in first if not k.endswith(".xlsx"))


def test_every_feed_loads_and_every_indicator_is_published(generated_run):
    _, home, _ = generated_run
    per_feed = dict(query(home, "select feed, count(*) from raw.ingestion__manifest where status = 'loaded' "
                                "group by feed"))
    assert set(per_feed) == {feed.name for feed in registry.FEEDS}
    published = {row[0] for row in query(home, "select distinct indicator from marts.indicators")}
    assert published == {
        "entrees", "entrees_supplementaires", "part_peu_qualifies", "part_jeunes", "part_qpv", "part_rsa",
        "part_th", "taux_acces_emploi_6m", "taux_emploi_durable_6m", "taux_acces_formation",
        "part_metiers_en_tension", "couverture_besoins", "cout_moyen_entree", "cout_horaire",
        "taux_parcours_enchaines", "taux_remplissage",
    }
    levels = dict(query(home, "select indicator, string_agg(distinct territory_level, ',' order by territory_level) "
                              "from marts.indicators group by indicator"))
    assert levels["entrees"] == "bassin,departement,maison_de_la_region,region"
    assert levels["taux_acces_formation"] == "departement,region"
    assert levels["taux_remplissage"] == "bassin,region"


def test_a_rerun_changes_nothing(generated_run):
    landing, home, _ = generated_run
    counts_sql = """select (select count(*) from raw.ingestion__manifest),
                           (select count(*) from raw.ingestion__quarantine),
                           (select count(*) from marts.fct_entrees),
                           (select count(*) from marts.indicators),
                           (select sum(numerator) from marts.indicators where indicator = 'entrees')"""
    before = query(home, counts_sql)
    assert run_pipeline(landing, home) == 0
    assert query(home, counts_sql) == before


def test_dbt_docs_generate(generated_run):
    _, home, _ = generated_run
    target = home / "dbt-docs"
    done = run_dbt(home, target, "docs", "generate")
    assert done.returncode == 0, done.stdout[-2000:]
    assert (target / "index.html").exists() and (target / "catalog.json").stat().st_size > 10_000
