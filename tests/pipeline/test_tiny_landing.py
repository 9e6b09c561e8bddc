"""End to end through Dagster on a hand-written landing zone (conftest.py), against values worked out by hand.

2019 entries (région 44):
  E1 P1 S1+S2 (51, CAP/BEP = below bac, 19 y.)  funders 4, 2
  E2 P1 S6    (51, below bac, 19 y.)             funder 4   (13 days after E1: a new entry)
  E3 P2 S3    (67, bac, 39 y.)                   funder 4   (exit date from the February correction)
  E4 P3 S4    (08, no schooling, 28 y., disabled worker)  funders 4, 7
  E5 P4 S5    (08 via "8105", bac+2, 19 y.: birthday the day before)  funders 4, 16
  E6 P5 S7    (57, CFG = below bac, 23 y.: birthday the next day, QPV)  funders 4, 2, 11
  P6 S8 (31 February) is quarantined; P9 S9 was in the superseded February file.
2020: P1 S11, and two records without a person key (S12 funders 4, 2; S13), all in 51, below bac: 3 entries.
"""
from __future__ import annotations

import csv

import pytest

from tests.pipeline.conftest import TINY_ZONE_SETTINGS, query, run_dbt, run_pipeline

KEY = "indicator = ? and period_type = ? and period = ? and territory_level = ? and territory_code = ? " \
      "and breakdown = ? and breakdown_value = ?"


def cell(home, indicator, period, level="region", code="44", breakdown="ensemble", value="ensemble"):
    period_type = "year" if len(period) == 4 else ("quarter" if "T" in period else "month")
    rows = query(home, f"select numerator, denominator, value, is_secret from marts.indicators where {KEY}",
                 [indicator, period_type, period, level, code, breakdown, value])
    assert len(rows) == 1, (indicator, period, level, code, breakdown, value, rows)
    return rows[0]


def test_run_succeeds(tiny_run):
    assert tiny_run[2] == 0


@pytest.mark.parametrize(
    "period, level, code, expected",
    [
        ("2019", "region", "44", 6), ("2020", "region", "44", 3),
        ("2019", "departement", "51", 2), ("2019", "departement", "67", 1),
        ("2019", "departement", "08", 2), ("2019", "departement", "57", 1), ("2020", "departement", "51", 3),
        ("2019-T1", "region", "44", 6), ("2019-01", "region", "44", 5), ("2019-02", "region", "44", 1),
    ],
)
def test_i1_entries(tiny_run, period, level, code, expected):
    numerator, denominator, value, is_secret = cell(tiny_run[1], "entrees", period, level, code)
    assert (numerator, denominator, value) == (expected, None, expected)
    assert is_secret == (expected < 5)


@pytest.mark.parametrize(
    "indicator, period, level, code, numerator, denominator",
    [
        ("part_peu_qualifies", "2019", "region", "44", 4, 6),
        ("part_peu_qualifies", "2019", "departement", "08", 1, 2),
        ("part_peu_qualifies", "2019", "departement", "67", 0, 1),
        ("part_peu_qualifies", "2020", "region", "44", 3, 3),
        ("part_jeunes", "2019", "region", "44", 4, 6),
        ("part_qpv", "2019", "region", "44", 1, 6),
        ("part_th", "2019", "region", "44", 1, 6),
        ("part_rsa", "2019", "region", "44", 0, 6),
    ],
)
def test_i3_shares(tiny_run, indicator, period, level, code, numerator, denominator):
    got = cell(tiny_run[1], indicator, period, level, code)
    assert got[0] == numerator and got[1] == denominator
    assert got[2] == pytest.approx(numerator / denominator, abs=1e-12)
    assert got[3] is True  # denominators under 20 are secret


@pytest.mark.parametrize("funder, expected", [("4", 6), ("2", 2), ("7", 1), ("16", 1), ("11", 1)])
def test_entries_by_funder_count_each_entry_under_each_funder(tiny_run, funder, expected):
    assert cell(tiny_run[1], "entrees", "2019", breakdown="financeur", value=funder)[0] == expected


def test_entry_facts(tiny_run):
    home = tiny_run[1]
    assert query(home, "select count(*) from marts.fct_entrees") == [(9,)]
    assert query(home, "select record_count, exit_date from marts.fct_entrees where entry_date = '2019-01-07'") == [
        (2, None)
    ]
    assert query(home, "select cast(exit_date as varchar) from marts.fct_entrees where entry_date = '2019-01-15'") == [
        ("2019-02-10",)
    ]


def test_manifest_and_quarantine_show_each_file(tiny_run):
    home = tiny_run[1]
    files = dict(query(home, "select file_name, is_current from raw.ingestion__manifest "
                             "where feed = 'france_travail__stagiaires'"))
    assert files == {"stagiaires_pe_201901.csv": True, "stagiaires_pe_201902.csv": False,
                     "stagiaires_pe_201902_v2.csv": True, "stagiaires_pe_202001.csv": True}
    quarantined = query(home, "select file_path, line, column_name from raw.ingestion__quarantine order by 1")
    assert [(path.rsplit("/", 1)[1], line, column) for path, line, column in quarantined] == [
        ("stagiaires_pe_201902.csv", 4, "dd_datedebutplanformation"),
        ("stagiaires_pe_201902_v2.csv", 4, "dd_datedebutplanformation"),
    ]


def test_funder_extract_holds_only_that_funders_rows_with_secret_cells_emptied(tiny_run):
    (folder,) = (tiny_run[1] / "exports" / "conseil_regional").iterdir()
    with open(folder / "indicateurs.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    own = [r for r in rows if r["breakdown"] == "financeur"]
    assert own and {r["breakdown_value"] for r in own} == {"2"}
    assert all(r["indicator"] in {"cout_moyen_entree", "cout_horaire", "taux_remplissage"} for r in rows
               if r["breakdown"] != "financeur")
    region_2019 = [r for r in own if r["indicator"] == "entrees" and r["period"] == "2019"
                   and r["territory_level"] == "region"]
    assert region_2019[0]["is_secret"] == "True" and region_2019[0]["value"] == "" and region_2019[0]["numerator"] == ""
    assert {p.name for p in (tiny_run[1] / "exports").iterdir()} == {
        "agefiph", "conseil_regional", "cpf", "etat", "france_travail", "opco"}
    assert {p.name for p in folder.iterdir()} == {"indicateurs.csv", "indicateurs.parquet", "flux.csv",
                                                   "flux.parquet", "conseil_regional.xlsx", "manifest.json"}


def test_no_personal_data_in_the_warehouse(tiny_run):
    home = tiny_run[1]
    tables = query(home, "select table_schema, table_name from information_schema.tables")
    for schema, table in tables:
        text = query(home, f'select string_agg(cast(t as varchar), \' \') from "{schema}"."{table}" as t')[0][0] or ""
        for personal in ("DUPONT", "jean.dupont", "0611223344", "1000000001", "1999-03-01"):
            assert personal not in text, (schema, table, personal)


def test_second_run_changes_nothing(tiny_run, tmp_path):
    landing, home, _ = tiny_run
    snapshot = "select * from marts.indicators order by all"
    before = (query(home, snapshot), query(home, "select count(*) from raw.france_travail__stagiaires"),
              query(home, "select count(*) from raw.ingestion__quarantine"))
    assert run_pipeline(landing, home, **TINY_ZONE_SETTINGS) == 0
    after = (query(home, snapshot), query(home, "select count(*) from raw.france_travail__stagiaires"),
             query(home, "select count(*) from raw.ingestion__quarantine"))
    assert after == before


def test_the_pric_command_prints_its_run_and_nothing_else(tiny_run, tmp_path):
    """The installed `pric` command, as a user runs it: no library warnings before the run's lines, no teardown
    noise after them (DuckDB's nanobind leak report), and the exit code of the run."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from tests.pipeline.conftest import TEST_PSEUDO_KEY

    landing, home, _ = tiny_run
    copy = tmp_path / "home"
    shutil.copytree(home, copy, ignore=shutil.ignore_patterns("dagster"))
    environment = {key: value for key, value in os.environ.items() if key != "DAGSTER_HOME"}
    environment.update(TINY_ZONE_SETTINGS, PRIC_PSEUDO_KEY=TEST_PSEUDO_KEY)
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("pric")), "run", "--landing", str(landing), "--home", str(copy)],
        capture_output=True, text=True, env=environment, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert " succeeded in " in completed.stdout
    assert "nanobind" not in completed.stderr and "Warning" not in completed.stderr, completed.stderr[:2000]


def test_dbt_unit_tests_pass(tiny_run, tmp_path):
    """The dbt unit tests (dbt/models/**/_*__unit_tests.yml), which production builds leave out
    (dagster_project/dbt.py): run here on a copy of the tiny warehouse, which holds the tables they read the
    columns of. Every one of them must run and pass."""
    import json
    import shutil

    import yaml

    from dagster_project.project import DBT_DIR

    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(tiny_run[1] / "warehouse.duckdb", home / "warehouse.duckdb")
    target = tmp_path / "dbt-target"
    done = run_dbt(home, target, "test", "--select", "test_type:unit")
    assert done.returncode == 0, done.stdout[-3000:]
    results = [r for r in json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
               if r["unique_id"].startswith("unit_test.")]  # not the project's on-run-start hook
    declared = sum(len(yaml.safe_load(path.read_text(encoding="utf-8"))["unit_tests"])
                   for path in DBT_DIR.glob("models/**/_*__unit_tests.yml"))
    assert len(results) == declared >= 17
    assert {r["status"] for r in results} == {"pass"}
