"""A failed check stops publication: `pric run` exits 1 naming it, and the previous extracts stay as they were."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from dagster_project import cli
from tests.pipeline.conftest import TINY_ZONE_SETTINGS, run_pipeline, write_tiny_landing


def digest_tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def published(tmp_path):
    landing = write_tiny_landing(tmp_path / "landing")
    home = tmp_path / "home"
    assert run_pipeline(landing, home, **TINY_ZONE_SETTINGS) == 0
    return landing, home, published_state(home)


def published_state(home: Path) -> dict[str, str]:
    """Checksums of everything published: the funder extracts and the BI snapshot."""
    state = digest_tree(home / "exports")
    state["serving/warehouse.duckdb"] = hashlib.sha256((home / "serving/warehouse.duckdb").read_bytes()).hexdigest()
    return state


def test_failed_gx_expectation_blocks_extracts(published, monkeypatch, capsys):
    import great_expectations.expectations as gxe

    from expectations import indicators

    landing, home, exports_before = published
    original = indicators.expectations
    # The suite as shipped plus one expectation this table cannot meet: the gate must hold.
    monkeypatch.setattr(indicators, "expectations",
                        lambda *args: original(*args) + [gxe.ExpectTableRowCountToBeBetween(min_value=0, max_value=10)])
    # A new month arrives, so the extract would change if it were allowed to run.
    shutil.copy(landing / "france_travail/stagiaires/stagiaires_pe_202001.csv",
                landing / "france_travail/stagiaires/stagiaires_pe_202002.csv")
    assert run_pipeline(landing, home, **TINY_ZONE_SETTINGS) == 1
    err = capsys.readouterr().err
    assert "blocking check failed: gx_indicators_suite on marts/indicators" in err
    assert "expect_table_row_count_to_be_between" in err
    assert published_state(home) == exports_before


def test_failed_dbt_test_blocks_extracts(published, capsys):
    landing, home, exports_before = published
    # A newer COG where département 51 points to a région that does not exist: a relationships test fails.
    cog = landing / "referentiels/cog"
    lines = (cog / "cog-departments@2025.csv").read_text(encoding="utf-8").splitlines()
    broken = [line.replace(",44,Grand Est,", ",99,Nowhere,") if line.startswith("51,") else line for line in lines]
    (cog / "cog-departments@2026.csv").write_text("\n".join(broken) + "\n", encoding="utf-8")
    invocations = set((home / "dbt" / "runs").iterdir())
    assert run_pipeline(landing, home, **TINY_ZONE_SETTINGS) == 1
    err = capsys.readouterr().err
    assert "FAILED" in err and "pric_dbt_assets" in err
    # The failed test is named, and reported after one build: a retry would fail the same way.
    assert "blocking check failed: relationships_stg_referentiels__departements_region_code" in err
    assert "not retried" in err
    assert len(set((home / "dbt" / "runs").iterdir()) - invocations) == 1
    assert published_state(home) == exports_before


def test_bad_usage_exits_2(tmp_path, capsys):
    assert cli.main(["run", "--landing", str(tmp_path / "nowhere"), "--home", str(tmp_path)]) == 2
    assert "landing zone not found" in capsys.readouterr().err
    assert cli.main(["generate", "--out", str(tmp_path), "--years", "2022-2018"]) == 2
    assert cli.main(["indicators", "--home", str(tmp_path / "empty")]) == 2
    with pytest.raises(SystemExit) as caught:
        cli.main(["run", "--no-such-option"])
    assert caught.value.code == 2
