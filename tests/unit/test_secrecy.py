"""Statistical secrecy of published forms, property-based: whatever the counts, after secondary suppression no
published total has exactly one withheld part, every primary secret stays secret, and no count under the
threshold is shown."""
from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dagster_project.publish.secrecy import exposed_groups, published, secondary_suppression

MIN_COUNT = 5


def table(departement_months: list[list[int]]) -> tuple[pd.DataFrame, dict[str, str]]:
    """A région of len(departement_months) départements; each has monthly counts for one year. Rows: every month
    and the year for each département and for the région, like the published long table."""
    rows = []
    departements = [f"{i + 1:02d}" for i in range(len(departement_months))]
    months = len(departement_months[0])
    for code, counts in zip(departements, departement_months):
        for m, count in enumerate(counts):
            rows.append(("month", f"2019-{m + 1:02d}", "departement", code, count))
        rows.append(("year", "2019", "departement", code, sum(counts)))
    for m in range(months):
        rows.append(("month", f"2019-{m + 1:02d}", "region", "44", sum(c[m] for c in departement_months)))
    rows.append(("year", "2019", "region", "44", sum(map(sum, departement_months))))
    frame = pd.DataFrame(rows, columns=["period_type", "period", "territory_level", "territory_code", "numerator"])
    frame = frame.assign(indicator="entrees", breakdown="ensemble", breakdown_value="ensemble",
                         denominator=None, value=frame["numerator"].astype(float))
    frame["numerator"] = frame["numerator"].astype(float)
    frame["is_secret"] = frame["numerator"] < MIN_COUNT
    return frame, {code: "44" for code in departements}


counts = st.integers(min_value=0, max_value=40)
# One département or one month is allowed: the withheld cell is then the whole margin (a région of one
# département, as Paris is).
tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda months: st.lists(st.lists(counts, min_size=months, max_size=months), min_size=1, max_size=6))


@settings(max_examples=200, deadline=None)
@given(tables)
def test_no_margin_has_exactly_one_withheld_cell(departement_months):
    frame, regions = table(departement_months)
    primary = frame["is_secret"].copy()
    frame["is_secret"] = secondary_suppression(frame, regions, {}, {"entrees"})
    assert exposed_groups(frame, regions, {}, {"entrees"}) == []
    assert frame.loc[primary, "is_secret"].all()  # primary secrets stay secret
    shown = published(frame)
    assert not ((shown["numerator"] < MIN_COUNT) & shown["numerator"].notna()).any()
    assert shown.loc[frame["is_secret"], ["numerator", "value"]].isna().all().all()


def test_a_single_withheld_departement_takes_the_smallest_other_with_it():
    frame, regions = table([[3, 10], [12, 10], [15, 10]])  # département 01 has a month of 3
    frame["is_secret"] = secondary_suppression(frame, regions, {}, {"entrees"})
    month1 = frame[(frame["period"] == "2019-01") & (frame["territory_level"] == "departement")]
    assert month1.set_index("territory_code")["is_secret"].to_dict() == {"01": True, "02": True, "03": False}


def test_ratios_are_not_treated_as_additive():
    frame, regions = table([[3, 10], [12, 10]])
    frame["indicator"] = "part_jeunes"
    assert secondary_suppression(frame, regions, {}, {"entrees"}).equals(frame["is_secret"])


def test_a_withheld_cell_alone_under_its_margin_withholds_the_margin():
    frame, regions = table([[3, 10]])  # a région of one département: the région's January is département 01's
    frame["is_secret"] = secondary_suppression(frame, regions, {}, {"entrees"})
    january = frame[frame["period"] == "2019-01"].set_index("territory_level")["is_secret"].to_dict()
    assert january == {"departement": True, "region": True}
    assert exposed_groups(frame, regions, {}, {"entrees"}) == []


@settings(max_examples=100, deadline=None)
@given(tables, st.randoms(use_true_random=False))
def test_the_same_table_in_any_row_order_publishes_the_same_cells(departement_months, random):
    """Engines return rows in no set order (found comparing DuckDB, PostgreSQL and Spark): ties between equal
    cells must not be broken by row order."""
    frame, regions = table(departement_months)
    key = ["period_type", "period", "territory_level", "territory_code"]
    expected = frame.assign(is_secret=secondary_suppression(frame, regions, {}, {"entrees"})).set_index(key)
    order = list(frame.index)
    random.shuffle(order)
    shuffled = frame.loc[order].reset_index(drop=True)
    got = shuffled.assign(is_secret=secondary_suppression(shuffled, regions, {}, {"entrees"})).set_index(key)
    assert got["is_secret"].sort_index().equals(expected["is_secret"].sort_index())
