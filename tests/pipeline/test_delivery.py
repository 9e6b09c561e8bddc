"""Delivery on the tiny hand-written zone: each funder sees only its scope, files and manifest agree, and the BI
snapshot can be held open by a reader while the next run publishes."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.landing import ft_row, write_ft_file
from tests.pipeline.conftest import TINY_ZONE_SETTINGS, run_pipeline

SCOPES = {"conseil_regional": {"2"}, "france_travail": {"4"}, "agefiph": {"7"}, "opco": {"16"},
          "etat": {"11", "12", "13", "19"}, "cpf": set()}
REGION_INDICATORS = {"cout_moyen_entree", "cout_horaire", "taux_remplissage"}


def latest(home: Path, funder: str) -> Path:
    return sorted((home / "exports" / funder).iterdir())[-1]


def test_no_row_of_another_funder(tiny_run):
    home = tiny_run[1]
    for funder, codes in SCOPES.items():
        rows = pd.read_parquet(latest(home, funder) / "indicateurs.parquet")
        own = rows[rows["breakdown"] == "financeur"]
        assert set(own["breakdown_value"]) <= codes, funder
        others = rows[rows["breakdown"] != "financeur"]
        assert others.empty or (funder == "conseil_regional" and set(others["indicator"]) <= REGION_INDICATORS)
    france_travail = pd.read_parquet(latest(home, "france_travail") / "indicateurs.parquet")
    assert len(france_travail) > 0


def test_manifest_matches_files_and_formats(tiny_run):
    folder = latest(tiny_run[1], "france_travail")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        assert hashlib.sha256((folder / entry["name"]).read_bytes()).hexdigest() == entry["sha256"]
    csv_bytes = (folder / "indicateurs.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf") and b"\r\n" in csv_bytes  # Excel-friendly
    parquet = pd.read_parquet(folder / "indicateurs.parquet")
    csv = pd.read_csv(folder / "indicateurs.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert len(csv) == len(parquet) == next(e["rows"] for e in manifest["files"] if e["name"] == "indicateurs.csv")
    assert csv["value"].sum() == pytest.approx(parquet["value"].sum())
    from openpyxl import load_workbook

    book = load_workbook(folder / "france_travail.xlsx", read_only=True)
    assert book.sheetnames == ["Lisez-moi", "indicateurs", "flux"]
    readme = " ".join(str(c) for row in book["Lisez-moi"].iter_rows(values_only=True) for c in row if c)
    assert "Secret statistique" in readme and "inférieur à 5" in readme


def test_snapshot_is_public_marts_only(tiny_run):
    con = duckdb.connect(str(tiny_run[1] / "serving" / "warehouse.duckdb"), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        assert {"indicateurs", "territoires", "financeurs", "metiers"} <= tables
        columns = {r[0] for r in con.execute("select column_name from information_schema.columns").fetchall()}
        assert not {"person_key", "entry_id", "record_id"} & columns
        leaked = con.execute("select count(*) from indicateurs where is_secret and value is not null").fetchone()
        assert leaked == (0,)
    finally:
        con.close()


@pytest.fixture(scope="module")
def duckdb_1x(tmp_path_factory) -> Path:
    """DuckDB 1.1.3 installed aside: the version BI drivers still ship."""
    target = tmp_path_factory.mktemp("duckdb1")
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target),
                              "duckdb==1.1.3"], capture_output=True, text=True)
    if install.returncode != 0:
        pytest.skip(f"could not install duckdb 1.1.3 from the package registry: {install.stderr[-300:]}")
    return target


def rows_read_by_duckdb_1x(duckdb_1x: Path, database: Path) -> tuple[str, int]:
    script = ("import sys, duckdb; c = duckdb.connect(sys.argv[1], read_only=True); "
              "print(duckdb.__version__, c.execute('select count(*) from indicateurs').fetchone()[0])")
    done = subprocess.run([sys.executable, "-c", script, str(database)],
                          capture_output=True, text=True, env={"PYTHONPATH": str(duckdb_1x)})
    assert done.returncode == 0, done.stderr[-1000:]
    version, rows = done.stdout.split()
    return version, int(rows)


def test_a_reader_holding_the_snapshot_does_not_stop_a_run(tiny_run, tmp_path, duckdb_1x):
    landing, home = tmp_path / "landing", tmp_path / "home"
    shutil.copytree(tiny_run[0], landing)
    shutil.copytree(tiny_run[1], home, ignore=shutil.ignore_patterns("dagster"))
    reader = duckdb.connect(str(home / "serving" / "warehouse.duckdb"), read_only=True)
    before = reader.execute("select count(*) from indicateurs").fetchone()
    # A new month arrives and the next run publishes while the BI tool keeps its connection.
    # (One of its records starts in 2020, a year already published: partitions of the snapshot change.)
    write_ft_file(landing / "france_travail/stagiaires/stagiaires_pe_202102.csv",
                  [ft_row("1000000077", "S77", "2021-02-01", dc_commune_residence="88160"),
                   ft_row("1000000078", "S78", "2020-01-20", dc_commune_residence="51454")], "2021-03-05")
    assert run_pipeline(landing, home, **TINY_ZONE_SETTINGS) == 0
    assert reader.execute("select count(*) from indicateurs").fetchone() == before  # still reads its version
    reader.close()
    # The new snapshot is the previous one patched where partitions were published again: the same rows as the
    # published table, in a file DuckDB 1.x still opens.
    fresh = duckdb.connect(str(home / "serving" / "warehouse.duckdb"), read_only=True)
    assert fresh.execute("select count(*) from indicateurs").fetchone() != before  # the new month is there
    patched = fresh.execute("select * from indicateurs order by all").fetchdf()
    assert fresh.execute("select rows_replaced_since_whole_write > 0 from publication.etat").fetchone() == (True,)
    fresh.close()
    warehouse = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    published = warehouse.execute("select * from delivery.indicateurs_publies order by all").fetchdf()
    warehouse.close()
    pd.testing.assert_frame_equal(patched, published)
    version, rows = rows_read_by_duckdb_1x(duckdb_1x, home / "serving" / "warehouse.duckdb")
    assert version.startswith("1.") and rows == len(published)


def test_snapshot_opens_with_duckdb_1x(tiny_run, duckdb_1x):
    version, rows = rows_read_by_duckdb_1x(duckdb_1x, tiny_run[1] / "serving" / "warehouse.duckdb")
    assert version.startswith("1.") and rows > 0
