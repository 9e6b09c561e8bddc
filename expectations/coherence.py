"""Suites on the coherence of the published indicators across rows: completeness, additivity, funders vs total,
and year-over-year jumps. Each builds a small frame from `indicators` (and the territory dimension), then lets GX
judge it, so that its result shows in the Data Docs beside the others."""
from __future__ import annotations

import pandas as pd

from expectations import SuiteOutcome, run_suite

ADDITIVE_COUNTS = ["entrees"]


def _yearly(indicators: pd.DataFrame, indicator: str, breakdown: str = "ensemble") -> pd.DataFrame:
    return indicators[(indicators["indicator"] == indicator) & (indicators["period_type"] == "year")
                      & (indicators["breakdown"] == breakdown)]


def completeness_frame(indicators: pd.DataFrame, territories: pd.DataFrame) -> pd.DataFrame:
    """Every département of every published région has an I1 row for every published year."""
    entries = _yearly(indicators, "entrees")
    regions = entries.loc[entries["territory_level"] == "region", "territory_code"].unique()
    years = entries["period"].unique()
    departements = territories.loc[territories["region_code"].isin(regions), "departement_code"].unique()
    expected = pd.MultiIndex.from_product([years, departements], names=["period", "territory_code"]).to_frame(
        index=False)
    present = entries[entries["territory_level"] == "departement"][["period", "territory_code"]].assign(present=True)
    grid = expected.merge(present, on=["period", "territory_code"], how="left")
    grid["present"] = grid["present"].fillna(False).astype(bool)
    return grid


def additivity_frame(indicators: pd.DataFrame, territories: pd.DataFrame) -> pd.DataFrame:
    """For additive counts, the départements of a région add up to the région (entries without a commune are in
    neither, so the sums match)."""
    map_region = territories[["departement_code", "region_code"]].drop_duplicates()
    rows = []
    for indicator in ADDITIVE_COUNTS:
        counts = indicators[(indicators["indicator"] == indicator) & (indicators["breakdown"] == "ensemble")]
        departements = counts[counts["territory_level"] == "departement"].merge(
            map_region, left_on="territory_code", right_on="departement_code")
        summed = departements.groupby(["period_type", "period", "region_code"], as_index=False)["numerator"].sum()
        regions = counts[counts["territory_level"] == "region"].rename(columns={"territory_code": "region_code"})
        both = regions.merge(summed, on=["period_type", "period", "region_code"], how="left",
                             suffixes=("_region", "_departements"))
        both["indicator"] = indicator
        rows.append(both[["indicator", "period_type", "period", "region_code", "numerator_region",
                          "numerator_departements"]])
    frame = pd.concat(rows, ignore_index=True)
    frame["numerator_departements"] = frame["numerator_departements"].fillna(0.0)
    return frame


def funders_frame(indicators: pd.DataFrame) -> pd.DataFrame:
    """An entry counts under each of its funders: summed over funders, entries are at least the total."""
    entries = indicators[indicators["indicator"] == "entrees"]
    key = ["period_type", "period", "territory_level", "territory_code"]
    total = entries[entries["breakdown"] == "ensemble"][key + ["numerator"]]
    by_funder = entries[entries["breakdown"] == "financeur"].groupby(key, as_index=False)["numerator"].sum()
    both = total.merge(by_funder, on=key, how="left", suffixes=("_total", "_by_funder"))
    both["numerator_by_funder"] = both["numerator_by_funder"].fillna(0.0)
    return both


def yearly_change_frame(indicators: pd.DataFrame) -> pd.DataFrame:
    """Change of I1 from one year to the next at région and département level (cells of 20 entries or more)."""
    entries = _yearly(indicators, "entrees")
    entries = entries[entries["territory_level"].isin(["region", "departement"])].copy()
    entries["year"] = entries["period"].astype(int)
    previous = entries.assign(year=entries["year"] + 1)[["territory_level", "territory_code", "year", "numerator"]]
    both = entries.merge(previous, on=["territory_level", "territory_code", "year"], suffixes=("", "_previous"))
    both = both[(both["numerator_previous"] >= 20) | (both["numerator"] >= 20)]
    both["change"] = both["numerator"] / both["numerator_previous"].where(both["numerator_previous"] > 0)
    return both[["territory_level", "territory_code", "period", "numerator_previous", "numerator", "change"]]


def validate_completeness(indicators, territories, quality_dir=None) -> SuiteOutcome:
    import great_expectations.expectations as gxe

    frame = completeness_frame(indicators, territories)
    return run_suite("indicators_completeness",
                     [gxe.ExpectColumnValuesToBeInSet(column="present", value_set=[True])], frame, quality_dir)


def validate_additivity(indicators, territories, quality_dir=None) -> SuiteOutcome:
    import great_expectations.expectations as gxe

    frame = additivity_frame(indicators, territories)
    return run_suite("indicators_additivity", [
        gxe.ExpectColumnPairValuesToBeEqual(column_A="numerator_region", column_B="numerator_departements"),
    ], frame, quality_dir)


def validate_funders(indicators, quality_dir=None) -> SuiteOutcome:
    import great_expectations.expectations as gxe

    frame = funders_frame(indicators)
    return run_suite("indicators_funders", [
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="numerator_by_funder", column_B="numerator_total",
                                                     or_equal=True),
    ], frame, quality_dir)


def validate_yearly_change(indicators, bound: float, quality_dir=None) -> SuiteOutcome:
    import great_expectations.expectations as gxe

    frame = yearly_change_frame(indicators)
    return run_suite("indicators_yearly_change", [
        gxe.ExpectColumnValuesToBeBetween(column="change", min_value=1 / bound, max_value=bound),
    ], frame, quality_dir)
