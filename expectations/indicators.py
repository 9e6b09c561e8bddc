"""Suite guarding the published `indicators` table (indicators.md, "Publication")."""
from __future__ import annotations

import pandas as pd

from expectations import SuiteOutcome, run_suite

KEY = ["indicator", "period_type", "period", "territory_level", "territory_code", "breakdown", "breakdown_value"]
COUNT_INDICATORS = ["entrees"]
RATIO_INDICATORS = ["part_peu_qualifies", "part_jeunes", "part_qpv", "part_rsa", "part_th"]


def expectations() -> list:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    ratio_rows = Column("denominator").is_not_null()  # ratios carry a denominator, counts none
    count_rows = Column("denominator").is_null()

    checks = [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in KEY + ["is_secret"]]
    checks += [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=KEY),
        gxe.ExpectColumnValuesToBeInSet(column="indicator", value_set=COUNT_INDICATORS + RATIO_INDICATORS),
        gxe.ExpectColumnValuesToBeInSet(column="period_type", value_set=["year", "quarter", "month"]),
        gxe.ExpectColumnValuesToBeInSet(column="territory_level", value_set=["region", "departement", "bassin"]),
        # No negative counts, anywhere.
        gxe.ExpectColumnValuesToBeBetween(column="numerator", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="denominator", min_value=0),
        # Rates are fractions in [0, 1], with numerator <= denominator.
        gxe.ExpectColumnValuesToBeBetween(
            column="value", min_value=0, max_value=1, row_condition=ratio_rows
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="denominator", column_B="numerator", or_equal=True, ignore_row_if="either_value_is_missing"
        ),
        # Counts: value = numerator, no denominator; ratios have one.
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="value", column_B="numerator", row_condition=count_rows
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="indicator", value_set=COUNT_INDICATORS, row_condition=count_rows
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="indicator", value_set=RATIO_INDICATORS, row_condition=ratio_rows
        ),
    ]
    return checks


def validate(frame: pd.DataFrame) -> SuiteOutcome:
    return run_suite("indicators", expectations(), frame)
