"""The warehouse against an independent pandas computation of the definitions (benchmarks/pandas_indicators.py),
read straight from the generated landing zone: counts equal to the unit, rates to 1e-9."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from benchmarks.pandas_indicators import compute
from tests.pipeline.conftest import TEST_PSEUDO_KEY

CHECKED = ("entrees", "part_peu_qualifies", "taux_acces_emploi_6m", "taux_emploi_durable_6m")


def test_warehouse_agrees_with_independent_computation(generated_run):
    landing, home, _ = generated_run
    reference = compute(landing, TEST_PSEUDO_KEY.encode())
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        warehouse = con.execute(
            f"""select indicator, period, territory_level, territory_code, numerator, denominator, value
                from marts.indicators
                where period_type = 'year' and breakdown = 'ensemble'
                  and territory_level in ('region', 'departement') and indicator in {CHECKED}"""
        ).fetchdf()
    finally:
        con.close()
    key = ["indicator", "period", "territory_level", "territory_code"]
    merged = reference.merge(warehouse, on=key, how="outer", suffixes=("_ref", "_wh"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head(10)
    assert len(merged) > 40 and set(merged["indicator"]) == set(CHECKED)
    assert (merged["numerator_ref"] == merged["numerator_wh"]).all()
    assert (merged["denominator_ref"].fillna(-1) == merged["denominator_wh"].fillna(-1)).all()
    assert merged["value_wh"].to_numpy() == pytest.approx(merged["value_ref"].to_numpy(), abs=1e-9)
