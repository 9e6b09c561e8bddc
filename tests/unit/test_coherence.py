"""The coherence suites on frames small enough to read: each passes on a coherent table and fails on a broken one."""
from __future__ import annotations

import pandas as pd

from expectations import coherence

COLUMNS = ["indicator", "period_type", "period", "territory_level", "territory_code", "breakdown", "breakdown_value",
           "numerator", "denominator", "value", "is_secret"]
TERRITORIES = pd.DataFrame({"departement_code": ["08", "10"], "region_code": ["44", "44"]})


def table(rows):
    return pd.DataFrame([r + [None, float(r[-1]), r[-1] < 5] for r in rows],
                        columns=COLUMNS[:7] + ["numerator", "denominator", "value", "is_secret"])


COHERENT = table([
    ["entrees", "year", "2019", "region", "44", "ensemble", "ensemble", 30.0],
    ["entrees", "year", "2019", "departement", "08", "ensemble", "ensemble", 10.0],
    ["entrees", "year", "2019", "departement", "10", "ensemble", "ensemble", 20.0],
    ["entrees", "year", "2019", "region", "44", "financeur", "4", 30.0],
    ["entrees", "year", "2019", "region", "44", "financeur", "2", 5.0],
    ["entrees", "year", "2019", "departement", "08", "financeur", "4", 10.0],
    ["entrees", "year", "2019", "departement", "10", "financeur", "4", 20.0],
    ["entrees", "year", "2020", "departement", "08", "financeur", "4", 13.0],
    ["entrees", "year", "2020", "departement", "10", "financeur", "4", 20.0],
    ["entrees", "year", "2020", "region", "44", "ensemble", "ensemble", 33.0],
    ["entrees", "year", "2020", "departement", "08", "ensemble", "ensemble", 13.0],
    ["entrees", "year", "2020", "departement", "10", "ensemble", "ensemble", 20.0],
    ["entrees", "year", "2020", "region", "44", "financeur", "4", 33.0],
])


def test_coherent_table_passes_every_suite():
    assert coherence.validate_completeness(COHERENT, TERRITORIES).success
    assert coherence.validate_additivity(COHERENT, TERRITORIES).success
    assert coherence.validate_funders(COHERENT).success
    assert coherence.validate_yearly_change(COHERENT, bound=2.0).success


def test_missing_departement_year_fails_completeness():
    broken = COHERENT[~((COHERENT["territory_code"] == "10") & (COHERENT["period"] == "2020"))]
    outcome = coherence.validate_completeness(broken, TERRITORIES)
    assert not outcome.success and outcome.failures[0].unexpected_count == 1


def test_departements_not_adding_up_fail_additivity():
    broken = COHERENT.copy()
    broken.loc[(broken["territory_code"] == "08") & (broken["period"] == "2019"), "numerator"] = 11.0
    assert not coherence.validate_additivity(broken, TERRITORIES).success


def test_funders_below_total_fail():
    broken = COHERENT.copy()
    broken.loc[(broken["breakdown_value"] == "4") & (broken["period"] == "2020"), "numerator"] = 30.0
    assert not coherence.validate_funders(broken).success


def test_yearly_jump_is_flagged():
    jumped = COHERENT.copy()
    jumped.loc[(jumped["territory_level"] == "region") & (jumped["period"] == "2020")
               & (jumped["breakdown"] == "ensemble"), "numerator"] = 100.0
    outcome = coherence.validate_yearly_change(jumped, bound=2.0)
    assert not outcome.success and outcome.failures[0].column == "change"


def test_published_secret_cells_show_no_figure():
    from expectations.reconciliation import validate_published_secrecy

    published = pd.DataFrame({"is_secret": [True, False], "numerator": [None, 30.0], "denominator": [None, None],
                              "value": [None, 30.0]})
    assert validate_published_secrecy(published).success
    leaked = published.assign(numerator=[3.0, 30.0])
    outcome = validate_published_secrecy(leaked)
    assert not outcome.success and outcome.failures[0].column == "numerator"
