"""Statistical secrecy of published forms, property-based: whatever the counts, after secondary suppression no
published total has exactly one withheld part, every primary secret stays secret, and no count under the
threshold is shown."""
from __future__ import annotations

import duckdb
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dagster_project.publish.secrecy import (
    apply_secondary_suppression,
    exposed_margins,
    publish_changed_partitions,
    record_verified,
    unverified_rows_view,
)

MIN_COUNT = 5
KEY = ["period_type", "period", "territory_level", "territory_code"]


def _connect(frame: pd.DataFrame, regions: dict[str, str]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.register("cells", frame)
    con.register("regions", pd.DataFrame({"territory_level": "departement", "territory_code": list(regions),
                                          "region_code": list(regions.values())}, dtype=object))
    return con


def suppress(frame: pd.DataFrame, regions: dict[str, str], additive=frozenset({"entrees"})) -> pd.DataFrame:
    """The published form of `frame`: secondary suppression applied, secret cells emptied; in `frame`'s order."""
    con = _connect(frame, regions)
    apply_secondary_suppression(con, "cells", "regions", set(additive), "published")
    out = con.execute("select * from published").fetchdf()
    con.close()
    return frame[KEY].merge(out, on=KEY, how="left", validate="one_to_one")


def exposed(frame: pd.DataFrame, regions: dict[str, str]) -> list[str]:
    con = _connect(frame, regions)
    try:
        return exposed_margins(con, "cells", "regions", {"entrees"})
    finally:
        con.close()


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


@settings(max_examples=100, deadline=None)
@given(tables)
def test_no_margin_has_exactly_one_withheld_cell(departement_months):
    frame, regions = table(departement_months)
    primary = frame["is_secret"].to_numpy()
    shown = suppress(frame, regions)
    assert exposed(shown, regions) == []
    assert shown.loc[primary, "is_secret"].all()  # primary secrets stay secret
    assert not ((shown["numerator"] < MIN_COUNT) & shown["numerator"].notna()).any()
    assert shown.loc[shown["is_secret"], ["numerator", "value"]].isna().all().all()
    assert exposed(frame, regions) == [] or shown["is_secret"].sum() > primary.sum()


def test_a_single_withheld_departement_takes_the_smallest_other_with_it():
    frame, regions = table([[3, 10], [12, 10], [15, 10]])  # département 01 has a month of 3
    shown = suppress(frame, regions)
    month1 = shown[(shown["period"] == "2019-01") & (shown["territory_level"] == "departement")]
    assert month1.set_index("territory_code")["is_secret"].to_dict() == {"01": True, "02": True, "03": False}


def test_ratios_are_not_treated_as_additive():
    frame, regions = table([[3, 10], [12, 10]])
    frame["indicator"] = "part_jeunes"
    assert suppress(frame, regions)["is_secret"].tolist() == frame["is_secret"].tolist()


def test_a_withheld_cell_alone_under_its_margin_withholds_the_margin():
    frame, regions = table([[3, 10]])  # a région of one département: the région's January is département 01's
    shown = suppress(frame, regions)
    january = shown[shown["period"] == "2019-01"].set_index("territory_level")["is_secret"].to_dict()
    assert january == {"departement": True, "region": True}
    assert exposed(shown, regions) == []


@settings(max_examples=50, deadline=None)
@given(tables, st.randoms(use_true_random=False))
def test_the_same_table_in_any_row_order_publishes_the_same_cells(departement_months, random):
    """Engines return rows in no set order (found comparing DuckDB, PostgreSQL and Spark): ties between equal
    cells must not be broken by row order."""
    frame, regions = table(departement_months)
    expected = suppress(frame, regions).set_index(KEY)
    order = list(frame.index)
    random.shuffle(order)
    got = suppress(frame.loc[order].reset_index(drop=True), regions).set_index(KEY)
    assert got["is_secret"].sort_index().equals(expected["is_secret"].sort_index())


def partitioned(parts: list[list[list[int]]]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Several partitions of the published table: part k is `table(parts[k])` for year 2019 + k // 2, breakdown
    value `v{k % 2}`, and part 2 also holds ratios (not additive)."""
    frames, regions = [], {}
    for k, departement_months in enumerate(parts):
        frame, part_regions = table(departement_months)
        year = str(2019 + k // 2)
        frame["period"] = frame["period"].str.replace("2019", year)
        frame["breakdown"], frame["breakdown_value"] = "financeur", f"v{k % 2}"
        if k == 2:
            frame["indicator"] = "part_jeunes"
        frames.append(frame)
        regions.update(part_regions)
    return pd.concat(frames, ignore_index=True), regions


def _published(con: duckdb.DuckDBPyConnection, table_name: str) -> pd.DataFrame:
    return con.execute(f"select * from {table_name} order by indicator, breakdown_value, {', '.join(KEY)}").fetchdf()


@settings(max_examples=25, deadline=None)
@given(st.lists(tables, min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_suppressing_only_the_changed_partitions_publishes_what_a_full_suppression_does(parts, random):
    """The incremental publication (secrecy.publish_changed_partitions) after some counts changed, cells
    appeared or vanished equals secondary suppression of the whole new table."""
    before, regions = partitioned(parts)
    after = before.copy()
    for row in random.sample(list(after.index), k=min(len(after), random.randint(0, 3))):
        after.loc[row, "numerator"] = float(random.randint(0, 40))
        after.loc[row, "is_secret"] = after.loc[row, "numerator"] < MIN_COUNT
    if random.random() < 0.3 and len(after) > 1:  # a cell vanishes
        after = after.drop(index=random.choice(list(after.index)))
    con = _connect(before, regions)
    additive = {"entrees"}
    rows, rewritten, total = publish_changed_partitions(con, "cells", "regions", additive, "published")
    assert rewritten == total and rows == len(before)  # a first publication suppresses every partition
    con.unregister("cells")
    con.register("cells", after)
    rows, rewritten, total = publish_changed_partitions(con, "cells", "regions", additive, "published")
    assert rows == len(after)
    changed = (before.merge(after, how="outer", indicator=True).query("_merge != 'both'")
               [["indicator", "breakdown_value", "period"]].assign(year=lambda f: f["period"].str[:4])
               .drop(columns="period").drop_duplicates())
    assert rewritten == len(changed)
    apply_secondary_suppression(con, "cells", "regions", additive, "published_in_full")
    pd.testing.assert_frame_equal(_published(con, "published"), _published(con, "published_in_full"))
    con.close()


def test_an_unchanged_table_is_not_written_again():
    frame, regions = partitioned([[[3, 10], [12, 10]], [[8, 9]]])
    con = _connect(frame, regions)
    publish_changed_partitions(con, "cells", "regions", {"entrees"}, "published")
    assert publish_changed_partitions(con, "cells", "regions", {"entrees"}, "published") == (len(frame), 0, 2)
    con.close()


def test_the_margin_check_reads_only_partitions_not_yet_found_sound():
    frame, regions = partitioned([[[3, 10], [12, 10]], [[8, 9]], [[20, 30]]])
    con = _connect(frame, regions)
    publish_changed_partitions(con, "cells", "regions", {"entrees"}, "published")

    def to_check() -> tuple[tuple[int, int], set[tuple[str, str]]]:
        counts = unverified_rows_view(con, "published", "to_check")
        parts = set(con.execute("select distinct breakdown_value, substr(period, 1, 4) from to_check").fetchall())
        return counts, parts

    assert to_check() == ((3, 3), {("v0", "2019"), ("v1", "2019"), ("v0", "2020")})  # no check recorded yet
    record_verified(con, "published")
    assert to_check() == ((0, 3), set())
    # One count changes: only its partition is published, then checked, again.
    changed = frame.copy()
    changed.loc[(changed["breakdown_value"] == "v1") & (changed["period"] == "2019-01")
                & (changed["territory_level"] == "departement"), "numerator"] = 25.0
    con.unregister("cells")
    con.register("cells", changed)
    publish_changed_partitions(con, "cells", "regions", {"entrees"}, "published")
    assert to_check() == ((1, 3), {("v1", "2019")})
    # A check that failed records nothing: the partition is checked again next time.
    assert to_check() == ((1, 3), {("v1", "2019")})
    record_verified(con, "published")
    # Other territories (another context): everything is published and checked again.
    con.unregister("regions")
    con.register("regions", pd.DataFrame({"territory_level": "departement", "territory_code": list(regions),
                                          "region_code": "11"}, dtype=object))
    publish_changed_partitions(con, "cells", "regions", {"entrees"}, "published")
    assert to_check()[0] == (3, 3)
    con.close()
