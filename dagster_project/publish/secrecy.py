"""Statistical secrecy for published forms (indicators.md, "Secrecy"), set-based in DuckDB.

Primary suppression comes from the warehouse (`is_secret`: a count below 5, a ratio whose denominator is below 20).
Secondary suppression makes sure no withheld cell can be computed back from a total of the same table: wherever a
set of cells adds up to a published margin and exactly one of them is withheld, the smallest other cell is withheld
too (or the margin itself, when the withheld cell is its only part); repeated until nothing changes, since a new
withheld cell can expose another margin.

Additive structures of the long table, for count indicators (a ratio is not additive):
  - territory: the départements of a région, and the bassins of a région, add up to the région;
  - time: the months of a year, and the quarters of a year, add up to the year.
Breakdown values are not a margin: an entry counts under each of its funders, schemes or publics, so funders do not
add up to the total. A Région's grouping may cut across départements and is not treated as a margin either.

Each structure is a set of (group, cell, is the margin) memberships; a round is one UPDATE per structure, in a
fixed order, so the loop runs over rounds (a handful), never over rows. Ties between equal cells go to the first in
territory then period order, never to row order: the same table read from any engine publishes the same cells.
"""
from __future__ import annotations

from typing import Iterable

import duckdb

CELLS, MEMBERS = "secrecy_cells", "secrecy_members"
MAX_ROUNDS = 50  # converges in a few rounds; the bound only guards against a bug


def sql_list(values: Iterable[str]) -> str:
    """A SQL list literal of text values, sorted; `(null)` when empty (matches nothing)."""
    values = sorted(values)
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")" if values else "(null)"


def _prepare(con: duckdb.DuckDBPyConnection, source: str, territory_regions: str, additive: set[str]) -> None:
    """Temp tables: the additive cells (with each child territory's région) and their memberships.

    `territory_regions`: a relation (territory_level, territory_code, region_code) giving the région of each
    département and bassin."""
    con.execute(f"""
        create or replace temp table {CELLS} as
        select row_number() over () as cell_id, s.*,
               coalesce(abs(s.numerator), 0) as size,
               coalesce(s.is_secret, false) as withheld,
               cast(null as integer) as withheld_at_step,
               r.region_code as parent_region
        from {source} as s
        left join (select territory_level, territory_code, min(region_code) as region_code
                   from {territory_regions} group by territory_level, territory_code) as r
            on r.territory_level = s.territory_level and r.territory_code = s.territory_code
        where s.indicator in {sql_list(additive)}""")
    base = "indicator || '|' || breakdown || '|' || breakdown_value"
    territory = [
        # children: départements (bassins) of a région, same period; margin: the région's row
        (f"""select {n}, {base} || '|' || period_type || '|' || period || '|{level}|' || parent_region, false, cell_id
             from {CELLS} where territory_level = '{level}' and parent_region is not null
             union all
             select {n}, {base} || '|' || period_type || '|' || period || '|{level}|' || territory_code, true, cell_id
             from {CELLS} where territory_level = 'region'""")
        for n, level in ((1, "departement"), (2, "bassin"))
    ]
    time = [
        # children: months (quarters) of a year, same territory; margin: the year's row
        (f"""select {n}, {base} || '|' || territory_level || '|' || territory_code || '|{sub}|' || substr(period, 1, 4),
                    false, cell_id
             from {CELLS} where period_type = '{sub}'
             union all
             select {n}, {base} || '|' || territory_level || '|' || territory_code || '|{sub}|' || period, true, cell_id
             from {CELLS} where period_type = 'year'""")
        for n, sub in ((3, "month"), (4, "quarter"))
    ]
    con.execute(f"create or replace temp table {MEMBERS} as "
                "select * from (" + " union all ".join(territory + time) + ") as m(structure, group_key, is_margin, "
                "cell_id)")


def _groups(structure: int | None, changed_since: int | None = None) -> str:
    """Each group of a structure: withheld and shown parts, and whether its margin is shown. With
    `changed_since`, only the groups where a cell was withheld from that step on (no other can have changed)."""
    where = f"where m.structure = {structure}" if structure is not None else "where true"
    if changed_since is not None:
        where += f""" and m.group_key in (
            select d.group_key from {MEMBERS} as d join {CELLS} as c on c.cell_id = d.cell_id
            where d.structure = {structure} and c.withheld_at_step >= {changed_since})"""
    return f"""
        select m.structure, m.group_key,
               count(*) filter (where not m.is_margin and c.withheld) as withheld_parts,
               count(*) filter (where not m.is_margin and not c.withheld) as shown_parts,
               coalesce(bool_or(m.is_margin and not c.withheld), false) as margin_shown
        from {MEMBERS} as m join {CELLS} as c on c.cell_id = m.cell_id
        {where}
        group by m.structure, m.group_key"""


def _one_step(con: duckdb.DuckDBPyConnection, structure: int, step: int, changed_since: int | None) -> int:
    """Withhold, in every exposed group of one structure, the smallest part still shown (or the margin, when the
    withheld part is alone under it). Returns the number of cells newly withheld."""
    return con.execute(f"""
        update {CELLS} set withheld = true, withheld_at_step = {step}
        where cell_id in (
            with exposed as (
                select group_key, shown_parts from ({_groups(structure, changed_since)}) as g
                where margin_shown and withheld_parts = 1
            ),
            candidates as (
                select m.cell_id, m.group_key, m.is_margin, e.shown_parts, c.withheld, c.size,
                       c.territory_code, c.period
                from {MEMBERS} as m
                join exposed as e on e.group_key = m.group_key
                join {CELLS} as c on c.cell_id = m.cell_id
                where m.structure = {structure}
            ),
            smallest as (
                select cell_id, row_number() over (partition by group_key
                                                   order by size, territory_code, period) as rank_in_group
                from candidates where shown_parts > 0 and not is_margin and not withheld
            )
            select cell_id from candidates where shown_parts = 0 and is_margin
            union all
            select cell_id from smallest where rank_in_group = 1
        )""").fetchone()[0]


def apply_secondary_suppression(con: duckdb.DuckDBPyConnection, source: str, territory_regions: str,
                                additive: set[str], target: str, temporary: bool = False) -> int:
    """Create `target`: `source` with secondary suppression applied to `is_secret` (primary flags are kept) and
    every secret cell emptied (numerator, denominator and value null). Returns the rows of `target`.

    `source`: the long table (indicator, period_type, period, territory_level, territory_code, breakdown,
    breakdown_value, numerator, denominator, value, is_secret); `additive`: the count
    indicators whose cells add up. `temporary`: `target` is a temp table."""
    _prepare(con, source, territory_regions, additive)
    structures = (1, 2, 3, 4)
    evaluated_at: dict[int, int] = {}  # the step each structure was last looked at
    step, quiet = 0, 0
    # A group can only become exposed when one of its cells is withheld: after its first look, each structure
    # looks again only at the groups touched since. Done when every structure in turn finds nothing.
    while quiet < len(structures):
        structure = structures[step % len(structures)]
        step += 1
        if step > MAX_ROUNDS * len(structures):
            raise RuntimeError("secondary suppression did not converge")
        changed_since = evaluated_at.get(structure)
        evaluated_at[structure] = step
        quiet = 0 if _one_step(con, structure, step, changed_since) else quiet + 1
    columns = [name for name, in con.execute(f"select column_name from (describe select * from {source})").fetchall()]
    figures = ("numerator", "denominator", "value")

    def published(secret: str) -> str:
        return ", ".join(f"case when {secret} then null else {c} end as {c}" if c in figures
                         else (f"{secret} as is_secret" if c == "is_secret" else c) for c in columns)

    # Cells of other indicators keep their primary flag; additive cells come from the suppression's own table.
    con.execute(f"""
        create or replace {'temp ' if temporary else ''}table {target} as
        select {published('coalesce(is_secret, false)')} from {source}
        where indicator not in {sql_list(additive)} or indicator is null
        union all
        select {published('withheld')} from {CELLS}""")
    rows = con.execute(f"select count(*) from {target}").fetchone()[0]
    con.execute(f"drop table {CELLS}; drop table {MEMBERS}")
    return rows


def exposed_margins(con: duckdb.DuckDBPyConnection, source: str, territory_regions: str,
                    additive: set[str]) -> list[str]:
    """Margins of additive cells whose total is shown while exactly one of their parts is withheld: a withheld
    cell anyone could compute back. Empty once secondary suppression is applied."""
    _prepare(con, source, territory_regions, additive)
    try:
        return [row[0] for row in con.execute(
            f"select group_key from ({_groups(None)}) where margin_shown and withheld_parts = 1 "
            "order by group_key").fetchall()]
    finally:
        con.execute(f"drop table {CELLS}; drop table {MEMBERS}")


# Secrecy is decided within a partition: every margin group above (territory: same period; time: months and
# quarters of one year) lies inside one indicator × breakdown × breakdown value × year, and ties are broken
# inside a group. So a partition whose cells did not change publishes the same cells, and only the partitions
# whose cells changed need suppressing again.
PARTITION = ("indicator", "breakdown", "breakdown_value")
PARTITION_YEAR = "substr(period, 1, 4)"
# Bump when the suppression rules change: every partition is then suppressed again.
RULES_VERSION = "2"


def state_tables(target: str) -> tuple[str, str]:
    """The tables where `publish_changed_partitions` keeps the state of `target`: its partition fingerprints and
    its context (rules version, additive indicators, territories). The BI snapshot reads them too."""
    return f"{target}__partitions", f"{target}__context"


def _partition_prints(con: duckdb.DuckDBPyConnection, source: str, into: str) -> None:
    """One row per partition of `source` with a fingerprint of its cells (order-independent: a sum of row
    hashes), in temp table `into`."""
    con.execute(f"""
        create or replace temp table {into} as
        select {', '.join(PARTITION)}, {PARTITION_YEAR} as year, count(*) as cells,
               cast(sum(hash(period_type, period, territory_level, territory_code, numerator, denominator,
                             is_secret)) as varchar) as fingerprint
        from {source}
        group by all""")


def _short(table: str) -> str:
    return table.split(".")[-1]


def _tables_of_schema(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    """The names of the tables in `table`'s schema (`main` when it names none)."""
    schema = table.split(".")[0] if "." in table else "main"
    return {name for name, in con.execute(
        "select table_name from information_schema.tables where table_schema = ?", [schema]).fetchall()}


def _same_partition(left: str, right: str) -> str:
    keys = [f"{left}.{c} is not distinct from {right}.{c}" for c in PARTITION]
    return " and ".join(keys + [f"{left}.year is not distinct from {right}.year"])


def changed_partitions_sql(now: str, before: str) -> str:
    """The partitions (keys and year) whose fingerprint differs between two tables of partition fingerprints:
    changed, new or gone."""
    return f"""
        select coalesce(now.indicator, before.indicator) as indicator,
               coalesce(now.breakdown, before.breakdown) as breakdown,
               coalesce(now.breakdown_value, before.breakdown_value) as breakdown_value,
               coalesce(now.year, before.year) as year
        from {now} as now
        full outer join {before} as before on {_same_partition('now', 'before')}
        where now.fingerprint is distinct from before.fingerprint or now.cells is distinct from before.cells"""


def publish_changed_partitions(con: duckdb.DuckDBPyConnection, source: str, territory_regions: str,
                               additive: set[str], target: str) -> tuple[int, int, int]:
    """Keep `target` equal to `apply_secondary_suppression(source)` while suppressing again only the partitions
    (indicator, breakdown, breakdown value, year) whose cells changed since the last publication: `target` rows
    of those partitions are deleted and inserted again; the others are left as they are. Everything is
    suppressed again when `target` or its state is missing, or when the territories or the rules changed.

    The state is `<target>__partitions` (one fingerprint per partition) and `<target>__context`. Returns
    (rows of `target`, partitions suppressed again, partitions in all)."""
    prints, context_table = state_tables(target)
    _partition_prints(con, source, "partition_prints")
    total = con.execute("select count(*) from partition_prints").fetchone()[0]
    context = con.execute(
        f"select '{RULES_VERSION}|{','.join(sorted(additive))}|' || coalesce(cast(sum(hash(territory_level, "
        f"territory_code, region_code)) as varchar), '') from {territory_regions}").fetchone()[0]
    known = _tables_of_schema(con, target)
    previous_context = None
    if {_short(target), _short(prints), _short(context_table)} <= known:
        previous_context = con.execute(f"select context from {context_table}").fetchone()
    if previous_context is None or previous_context[0] != context:
        # The context goes last: a publication stopped half-way is redone in full.
        con.execute(f"drop table if exists {context_table}")
        rows = apply_secondary_suppression(con, source, territory_regions, additive, target)
        con.execute(f"create or replace table {prints} as select * from partition_prints")
        con.execute(f"create or replace table {context_table} as select ? as context", [context])
        con.execute("drop table partition_prints")
        return rows, total, total

    con.execute("create or replace temp table changed_partitions as "
                + changed_partitions_sql("partition_prints", prints))
    changed = con.execute("select count(*) from changed_partitions").fetchone()[0]
    if changed:
        con.execute(f"""
            create or replace temp view changed_cells as
            select cells.* exclude (year) from (select *, {PARTITION_YEAR} as year from {source}) as cells
            semi join changed_partitions as c on {_same_partition('cells', 'c')}""")
        apply_secondary_suppression(con, "changed_cells", territory_regions, additive, "published_changes",
                                    temporary=True)
        con.execute("begin transaction")
        try:
            con.execute(f"""
                delete from {target} as t using changed_partitions as c
                where {' and '.join(f't.{k} is not distinct from c.{k}' for k in PARTITION)}
                  and substr(t.period, 1, 4) is not distinct from c.year""")
            con.execute(f"insert into {target} select * from published_changes")
            con.execute(f"delete from {prints} as p using changed_partitions as c where {_same_partition('p', 'c')}")
            con.execute(f"""insert into {prints} select now.* from partition_prints as now
                            semi join changed_partitions as c on {_same_partition('now', 'c')}""")
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        con.execute("drop table published_changes; drop view changed_cells")
    con.execute("drop table partition_prints; drop table changed_partitions")
    rows = con.execute(f"select count(*) from {target}").fetchone()[0]
    return rows, changed, total


def verified_table(target: str) -> str:
    """Where the margin check of `target` keeps the partitions it found sound: fingerprint, cells and context."""
    return f"{target}__verifiees"


def unverified_rows_view(con: duckdb.DuckDBPyConnection, target: str, view: str) -> tuple[int, int]:
    """Temp view `view`: the rows of `target` in partitions that no margin check passed under their current
    fingerprint and context (every partition when no check was recorded yet; every row, whatever its partition,
    when the publisher's state is missing). A partition is a closed world for secrecy (above): one checked and
    unchanged since needs no second look, and one that failed was never recorded, so it is checked again until it
    passes. Returns (partitions to check, in all), or (-1, -1) when every row is to be checked. The caller drops
    `view` and temp table `unverified_partitions`."""
    prints, context_table = state_tables(target)
    verified = verified_table(target)
    known = _tables_of_schema(con, target)
    if not {_short(prints), _short(context_table)} <= known:
        con.execute(f"create or replace temp view {view} as select * from {target}")
        return -1, -1
    same = _same_partition("p", "v")
    already = "false" if _short(verified) not in known else f"""exists (
            select 1 from {verified} as v
            where {same} and v.fingerprint = p.fingerprint and v.cells = p.cells
              and v.context = (select context from {context_table}))"""
    con.execute(f"""
        create or replace temp table unverified_partitions as
        select p.* from {prints} as p where not {already}""")
    con.execute(f"""
        create or replace temp view {view} as
        select t.* from {target} as t
        semi join unverified_partitions as p
            on {' and '.join(f't.{k} is not distinct from p.{k}' for k in PARTITION)}
           and {PARTITION_YEAR.replace('period', 't.period')} is not distinct from p.year""")
    return (con.execute("select count(*) from unverified_partitions").fetchone()[0],
            con.execute(f"select count(*) from {prints}").fetchone()[0])


def record_verified(con: duckdb.DuckDBPyConnection, target: str) -> None:
    """After a margin check passed: every partition of `target`, as the publisher last fingerprinted it, is sound."""
    prints, context_table = state_tables(target)
    con.execute(f"""create or replace table {verified_table(target)} as
                    select p.*, c.context from {prints} as p cross join {context_table} as c""")
