"""What the row-level GX suite reads of a table too large for pandas: every yearly région row, and a sample of
the others that depends on their keys only."""
from __future__ import annotations

import duckdb

from dagster_project.checks import _indicators_to_validate
from dagster_project.resources import WarehouseResource

ROWS = """
    select 'entrees' as indicator, period_type, period, territory_level, territory_code, 'ensemble' as breakdown,
           'ensemble' as breakdown_value, 1.0 as numerator, null::double as denominator, 1.0 as value,
           false as is_secret
    from (select unnest(['year', 'month']) as period_type) as p,
         (select '20' || lpad(cast(range as varchar), 2, '0') as period from range(10, 30)) as y,
         (select unnest(['region', 'departement']) as territory_level) as l,
         (select cast(range as varchar) as territory_code from range(100)) as t
"""


def _warehouse(tmp_path, order: str) -> WarehouseResource:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("create schema marts")
    con.execute(f"create table marts.indicators as select * from ({ROWS}) order by {order}")
    con.close()
    return WarehouseResource(home=str(tmp_path))


def test_the_sample_keeps_every_yearly_region_row_and_depends_on_keys_not_order(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _indicators_to_validate(_warehouse(tmp_path / "a", "all"), max_rows=1000)
    second = _indicators_to_validate(_warehouse(tmp_path / "b", "random()"), max_rows=1000)
    yearly_regions = first.query("period_type == 'year' and territory_level == 'region'")
    assert len(yearly_regions) == 20 * 100  # every one of them
    others = len(first) - len(yearly_regions)
    assert 500 <= others <= 1500  # about max_rows of the 6,000 others
    key = ["period_type", "period", "territory_level", "territory_code"]
    assert first.sort_values(key).reset_index(drop=True).equals(second.sort_values(key).reset_index(drop=True))


def test_a_table_that_fits_is_read_whole(tmp_path):
    assert len(_indicators_to_validate(_warehouse(tmp_path, "all"), max_rows=10_000)) == 8000
