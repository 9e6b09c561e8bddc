"""A tiny landing zone written by hand, whose indicator values are worked out in test_tiny_landing.py."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from dagster_project import cli
from ingestion.generate.references import write_references
from tests.landing import ft_row, write_ft_file

FT = Path("france_travail/stagiaires")
TEST_PSEUDO_KEY = "pipeline-test-key"
# The tiny zone quarantines one row of three on purpose, and covers four départements of ten: with the production
# bounds, the file-health and completeness checks would (rightly) stop it.
TINY_ZONE_SETTINGS = {"PRIC_MAX_QUARANTINE_RATE": "0.5", "PRIC_COMPLETENESS_SEVERITY": "warn"}


def write_tiny_landing(root: Path) -> Path:
    write_references(root)  # the COG 2025 files the product ships
    p1 = dict(dd_datenaissance="1999-03-01 00:00:00.0", dc_niveauformation_id="NV5", dc_commune_residence="51454")
    write_ft_file(root / FT / "stagiaires_pe_201901.csv", [
        # P1: two sessions of one training, 3 days apart, co-funded by the Région on the first → one entry.
        ft_row("1000000001", "S1", "2019-01-07", liste_financeur="4;2", **p1),
        ft_row("1000000001", "S2", "2019-01-10", **p1),
        ft_row("1000000002", "S3", "2019-01-15", dc_formacode_ppal_id="22403", dc_niveauformation_id="NV4",
               dc_commune_residence="67482", dd_datenaissance="1980-01-01 00:00:00.0"),
        ft_row("1000000003", "S4", "2019-01-20", dc_niveauformation_id="AFS", dc_commune_residence="08105",
               liste_financeur="4;7", c_boe="O", dd_datenaissance="1990-06-01 00:00:00.0"),
        # Commune 08105 written without its leading zero.
        ft_row("1000000004", "S5", "2019-01-25", dc_formacode_ppal_id="44541", dc_niveauformation_id="NV3",
               dc_commune_residence="8105", liste_financeur="4;16", dd_datenaissance="2000-01-24 00:00:00.0"),
        # P1 again, same Formacode, 13 days after the entry's first start → a new entry.
        ft_row("1000000001", "S6", "2019-01-20", **p1),
    ], arrived="2019-02-05")
    february = [
        # P2's record again, now with its exit date: the latest month's version wins.
        ft_row("1000000002", "S3", "2019-01-15", dc_formacode_ppal_id="22403", dc_niveauformation_id="NV4",
               dc_commune_residence="67482", dd_datenaissance="1980-01-01 00:00:00.0",
               dd_datesortieeffective="2019-02-10 00:00:00.0", c_motifsortie="FIN"),
        ft_row("1000000005", "S7", "2019-02-03", dc_niveauformation_id="CFG", dc_commune_residence="57463",
               liste_financeur="4;2;11", c_qpv="O", dd_datenaissance="1995-02-04 00:00:00.0"),
        ft_row("1000000006", "S8", "2019-02-31"),  # impossible date → quarantine
    ]
    # A first February file with a wrong record, then its correction: only the correction counts.
    write_ft_file(root / FT / "stagiaires_pe_201902.csv",
                  february + [ft_row("1000000009", "S9", "2019-02-04")], arrived="2019-03-05")
    write_ft_file(root / FT / "stagiaires_pe_201902_v2.csv", february, arrived="2019-03-09")
    write_ft_file(root / FT / "stagiaires_pe_202001.csv", [
        ft_row("1000000001", "S11", "2020-01-05", **p1),
        # No person key: each record is an entry of its own.
        ft_row("NULL", "S12", "2020-01-06", liste_financeur="4;2", **p1),
        ft_row("NULL", "S13", "2020-01-06", **p1),
    ], arrived="2020-02-05")
    return root


@pytest.fixture
def restore_environment():
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def run_pipeline(landing: Path, home: Path, *options: str, **settings: str) -> int:
    """`pric run` in this process; `options`: more command-line options (`--full-refresh`); `settings`: environment
    variables for this run only (check bounds…)."""
    saved = dict(os.environ)
    try:
        os.environ.pop("DAGSTER_HOME", None)
        os.environ["PRIC_PSEUDO_KEY"] = TEST_PSEUDO_KEY
        os.environ.update(settings)
        return cli.main(["run", "--landing", str(landing), "--home", str(home), *options])
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """The pipeline run once on the tiny landing zone: (landing, home, exit code)."""
    base = tmp_path_factory.mktemp("tiny")
    landing = write_tiny_landing(base / "landing")
    home = base / "home"
    return landing, home, run_pipeline(landing, home, **TINY_ZONE_SETTINGS)


def query(home: Path, sql: str, params=None):
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def generated_run(tmp_path_factory, realdata):
    """A generated landing zone with every feed (small scale), run once: (landing, home, generate args)."""
    base = tmp_path_factory.mktemp("generated")
    landing = base / "landing"
    args = ["generate", "--out", str(landing), "--scale", "300", "--years", "2018-2021", "--seed", "7",
            "--references", str(realdata)]
    assert cli.main(args) == 0
    home = base / "home"
    assert run_pipeline(landing, home) == 0
    return landing, home, args


def run_dbt(home: Path, target: Path, *args: str):
    """The dbt command on the warehouse under `home`, as a developer runs it; its results go to `target`, not to
    dbt/target, whose manifest is the one Dagster's definitions read."""
    import subprocess

    from dagster_project.project import DBT_DIR, DBT_EXECUTABLE

    env = dict(os.environ, PRIC_HOME=str(home), DBT_PROFILES_DIR=str(DBT_DIR))
    return subprocess.run([DBT_EXECUTABLE, *args, "--project-dir", str(DBT_DIR), "--target-path", str(target)],
                          env=env, capture_output=True, text=True, timeout=600)


def run_summary(home: Path) -> dict:
    import json

    return json.loads((home / "logs" / "last_run.json").read_text(encoding="utf-8"))
