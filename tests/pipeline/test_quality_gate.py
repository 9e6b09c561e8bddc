"""The quality gate on corrupted copies of the generated landing zone: each corruption trips the check made for
it, `pric run` exits 1 naming it, and the extracts published by the previous clean run stay byte-identical.
The clean run (conftest `generated_run`) passes every check."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from ingestion.generate.common import set_arrival
from tests.pipeline.conftest import run_pipeline, run_summary


def digest_tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def failed_checks(home: Path) -> set[tuple[str, str, str]]:
    return {(c["asset"], c["check"], c["severity"]) for c in run_summary(home)["checks"] if not c["passed"]}


def test_clean_run_passes_every_check(generated_run):
    _, home, _ = generated_run
    summary = run_summary(home)
    assert summary["success"] and len(summary["checks"]) > 40
    assert failed_checks(home) == set()
    assert (home / "quality/gx/uncommitted/data_docs/local_site/index.html").exists()


@pytest.fixture
def copy_of_clean_run(generated_run, tmp_path):
    landing, home, _ = generated_run
    shutil.copytree(landing, tmp_path / "landing")
    shutil.copytree(home, tmp_path / "home", ignore=shutil.ignore_patterns("dagster"))
    return tmp_path / "landing", tmp_path / "home"


def rewrite_csv(path: Path, change, sep: str, encoding: str, **write) -> None:
    """Rewrite a landing CSV through `change(frame)`, keeping its format and making it arrive later."""
    frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding=encoding)
    change(frame).to_csv(path, sep=sep, index=False, encoding=encoding, **write)
    set_arrival(path, "2025-06-01")


def test_file_level_checks(generated_run, tmp_path, capsys):
    landing, home = tmp_path / "landing", tmp_path / "home"
    shutil.copytree(generated_run[0], landing)
    hirings = landing / "france_travail/reprises_emploi"
    for late in hirings.glob("reprises_emploi_2021*.csv"):  # the feed stops a year early
        late.unlink()
    # A lagging feed is a warning: the run publishes, and says so.
    assert run_pipeline(landing, home) == 0
    assert "warning: check freshness on raw/france_travail__reprises_emploi" in capsys.readouterr().out
    assert ("raw/france_travail__reprises_emploi", "freshness", "WARN") in failed_checks(home)
    exports_before = digest_tree(home / "exports")
    assert exports_before

    def iso_dates(frame):  # a source switching date format halfway: those rows go to quarantine
        half = frame.index[: len(frame) // 2]
        frame.loc[half, "date_embauche"] = pd.to_datetime(frame.loc[half, "date_embauche"],
                                                          format="%d/%m/%Y").dt.strftime("%Y-%m-%d")
        return frame

    rewrite_csv(hirings / "reprises_emploi_201906.csv", iso_dates, ";", "cp1252", lineterminator="\r\n")
    assert run_pipeline(landing, home) == 1
    assert "blocking check failed: quarantine_rate on raw/france_travail__reprises_emploi" in capsys.readouterr().err
    assert ("raw/france_travail__reprises_emploi", "quarantine_rate", "ERROR") in failed_checks(home)
    assert digest_tree(home / "exports") == exports_before


def test_warehouse_level_checks(copy_of_clean_run, capsys):
    landing, home = copy_of_clean_run
    exports_before = digest_tree(home / "exports")
    # The job-seeker stock of 2019 collapses to a handful: entries exceed any plausible share of it.
    for path in (landing / "france_travail/demandeurs_emploi").glob("defm_2019T*.csv"):
        rewrite_csv(path, lambda f: f.assign(nb_demandeurs="1"), ";", "utf-8-sig", lineterminator="\n")
    # No France Travail record of 2019 says who funds it.
    for path in (landing / "france_travail/stagiaires").glob("stagiaires_pe_2019*.csv"):
        rewrite_csv(path, lambda f: f.assign(liste_financeur="NULL"), "|", "utf-8", lineterminator="\n")
    # Nobody living in Haute-Marne (52) enters a training in 2020, in any source.
    for path in (landing / "france_travail/stagiaires").glob("*.csv"):
        rewrite_csv(path, lambda f: f[~(f["dc_commune_residence"].str.startswith("52")
                                        & f["dd_datedebutplanformation"].str.startswith("2020"))],
                    "|", "utf-8", lineterminator="\n")
    for path in (landing / "financeurs/region/stagiaires").glob("*.csv"):
        rewrite_csv(path, lambda f: f[~(f["Code Commune"].str.startswith("52") & f["Date Entree"].str.endswith("2020"))],
                    ";", "cp1252", lineterminator="\r\n")
    # The Région's 2019 orders bought one place per action: far fewer than it filled.
    orders = landing / "financeurs/region/commandes/commandes_2019.xlsx"
    from openpyxl import load_workbook

    book = load_workbook(orders)
    sheet = book.active
    column = [cell.value for cell in sheet[1]].index("Places achetées") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=column, value=1)
    book.save(orders)
    set_arrival(orders, "2025-06-01")
    assert run_pipeline(landing, home) == 1
    err = capsys.readouterr().err
    failed = failed_checks(home)
    assert ("marts/fct_commandes", "reconciliation_orders", "ERROR") in failed, run_summary(home)["failed_steps"]
    assert ("marts/fct_entrees", "reconciliation_entries_vs_stock", "ERROR") in failed
    assert "blocking check failed: reconciliation_entries_vs_stock on marts/fct_entrees" in err
    assert ("marts/indicators", "gx_indicators_funders", "ERROR") in failed
    assert ("marts/indicators", "gx_indicators_completeness", "ERROR") in failed
    assert digest_tree(home / "exports") == exports_before
