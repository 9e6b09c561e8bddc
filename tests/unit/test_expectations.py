"""The GX suite guarding `indicators`: passes on a well-formed table, names what breaks on a bad one."""
from __future__ import annotations

import pandas as pd
import pytest

from expectations import indicators

GOOD = pd.DataFrame(
    [
        ["entrees", "year", "2019", "region", "44", "ensemble", "ensemble", 6.0, None, 6.0, False],
        ["entrees", "year", "2019", "departement", "51", "ensemble", "ensemble", 2.0, None, 2.0, True],
        ["part_peu_qualifies", "year", "2019", "region", "44", "ensemble", "ensemble", 4.0, 6.0, 4 / 6, True],
        ["part_peu_qualifies", "year", "2019", "region", "44", "financeur", "2", 0.0, 2.0, 0.0, True],
    ],
    columns=indicators.KEY + ["numerator", "denominator", "value", "is_secret"],
)


def test_well_formed_table_passes():
    outcome = indicators.validate(GOOD)
    assert outcome.success, [f.describe() for f in outcome.failures]
    assert outcome.evaluated >= 15


@pytest.mark.parametrize(
    "row, column, value, expected",
    [
        (2, "numerator", 7.0, "expect_column_pair_values_a_to_be_greater_than_b"),
        (2, "value", 1.5, "expect_column_values_to_be_between"),
        (0, "numerator", -1.0, "expect_column_values_to_be_between"),
        (1, "value", 3.0, "expect_column_pair_values_to_be_equal"),
        (3, "indicator", "entrees", "expect_column_values_to_be_null"),
        (3, "indicator", "part_inconnue", "expect_column_values_to_be_in_set"),
        (0, "numerator", -2.0, "expect_column_values_to_be_between"),
        (1, "territory_code", None, "expect_column_values_to_not_be_null"),
        (1, "territory_code", "44", "expect_compound_columns_to_be_unique"),
    ],
)
def test_each_broken_rule_fails_the_suite_and_is_named(row, column, value, expected):
    bad = GOOD.copy()
    bad.loc[row, column] = value
    if column == "territory_code" and value == "44":
        bad.loc[row, "territory_level"] = "region"
    outcome = indicators.validate(bad)
    assert not outcome.success
    assert expected in [f.expectation for f in outcome.failures]
    assert len(outcome.offending_rows) >= 1 or expected == "expect_compound_columns_to_be_unique"


def test_quarantine_rates_are_judged_feed_by_feed_in_one_suite(tmp_path):
    from expectations import reconciliation

    files = pd.DataFrame({
        "feed": ["cpf", "cpf", "bmo"],
        "file_path": ["cpf_2019-01.csv", "cpf_2019-02.csv", "bmo_2019.xlsx"],
        "rows_read": [100, 100, 50],
        "rows_quarantined": [0, 30, 1],
    })
    files["quarantine_rate"] = files["rows_quarantined"] / files["rows_read"]
    # A result of the per-feed suites this one replaced: Data Docs must stop showing it.
    stale = tmp_path / "gx" / "uncommitted" / "validations" / "quarantine_financeurs__cpf"
    stale.mkdir(parents=True)

    outcomes = reconciliation.validate_quarantine_rates(files, ["bmo", "cpf", "tension"], 0.05, tmp_path)

    assert {feed: o.success for feed, o in outcomes.items()} == {"bmo": True, "cpf": False, "tension": True}
    assert [(f.unexpected_count, f.examples) for f in outcomes["cpf"].failures] == [(1, [0.3])]
    assert list(outcomes["cpf"].offending_rows["file_path"]) == ["cpf_2019-02.csv"]
    assert outcomes["bmo"].offending_rows.empty and not outcomes["bmo"].failures
    assert not stale.exists()
    assert (tmp_path / "gx" / "uncommitted" / "validations" / reconciliation.QUARANTINE_SUITE).is_dir()
