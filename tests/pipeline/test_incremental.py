"""Adding a month, or a corrected month, updates the warehouse incrementally to exactly what a full refresh gives."""
from __future__ import annotations

import os
import time

import duckdb
import pandas as pd
import pytest

from benchmarks.run import UPDATED_IN_PLACE
from dagster_project import cli
from ingestion.generate.months import copy_without_month, release_month
from tests.pipeline.conftest import run_pipeline

# The tables compared and their keys are the benchmark's (UPDATED_IN_PLACE), which makes the same check at
# national scale.


def _tables(home) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return {
            table: con.execute(f"select * from {table} order by {', '.join(key) if key else 'all'}").fetchdf()
            for table, key in UPDATED_IN_PLACE.items()
        }
    finally:
        con.close()


def _published_afresh(home) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The published table as the runs left it, and secrecy applied again to the whole of marts.indicators."""
    from dagster_project.publish.extracts import ADDITIVE_COUNTS, PUBLISHED_TABLE, TERRITORY_REGIONS_SQL
    from dagster_project.publish.secrecy import apply_secondary_suppression

    key = ", ".join(UPDATED_IN_PLACE[PUBLISHED_TABLE])
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        con.execute(f"create temp view territory_regions as {TERRITORY_REGIONS_SQL}")
        apply_secondary_suppression(con, "marts.indicators", "territory_regions", ADDITIVE_COUNTS, "afresh",
                                    temporary=True)
        return (con.execute(f"select * from {PUBLISHED_TABLE} order by {key}").fetchdf(),
                con.execute(f"select * from afresh order by {key}").fetchdf())
    finally:
        con.close()


def _builds(home) -> list[tuple]:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute("select full_refresh from raw.ingestion__dbt_builds order by started_at").fetchall()
    finally:
        con.close()


def _full_parses(home) -> list[bool]:
    """For each dbt invocation kept in the home, oldest first: whether dbt parsed the whole project again (its
    event I024, "Unable to do partial parsing", in the invocation's JSON log)."""
    logs = sorted((home / "dbt" / "runs").glob("*/dbt.log"))
    return ['"code": "I024"' in log.read_text(encoding="utf-8") for log in logs]


def _tests_of_changed_rows(home) -> list[bool]:
    """For each dbt invocation kept in the home, oldest first: whether its unique test on fct_entrees read only the
    changed persons' rows (config where "__changed_persons__", macros/changed_rows_tests.sql)."""
    compiled = sorted((home / "dbt" / "runs").glob("*/compiled/**/unique_fct_entrees_entry_id.sql"))
    return ["int_personnes__modifiees" in sql.read_text(encoding="utf-8") for sql in compiled]


def _tests_of_changed_files(home) -> list[bool]:
    """For each dbt invocation kept in the home, oldest first: whether the not-null test of the hirings' staging
    view read only the files loaded since the last build (config where "__changed_files__")."""
    compiled = sorted((home / "dbt" / "runs").glob(
        "*/compiled/**/not_null_stg_france_travail__reprises_emploi_hiring_date.sql"))
    return ["ingestion__manifest" in sql.read_text(encoding="utf-8") for sql in compiled]


def _tests_of_recomputed_indicators(home) -> list[bool]:
    """For each dbt invocation kept in the home, oldest first: whether the unique test of `indicators` read only
    the families and years the build rewrote (config where "__recomputed_indicators__")."""
    compiled = sorted((home / "dbt" / "runs").glob("*/compiled/**/unique_combination_indicators_*.sql"))
    return ["substr(indicators.period, 1, 4) in ('" in sql.read_text(encoding="utf-8") for sql in compiled]


def _records_without_person(home) -> tuple[int, int]:
    """Records without a person key that the last build rebuilt, and all of them."""
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            "select count(*) filter (where record_id in (select record_id from "
            "intermediate.int_enregistrements_sans_personne__modifies)), count(*) "
            "from intermediate.int_stagiaires__enregistrements where person_key is null").fetchone()
    finally:
        con.close()


def _assert_same(incremental: dict[str, pd.DataFrame], full: dict[str, pd.DataFrame]) -> None:
    different = [t for t in UPDATED_IN_PLACE if incremental[t].shape != full[t].shape]
    assert not different, f"row counts differ in {different}: " + ", ".join(
        f"{t} {len(incremental[t])} incremental vs {len(full[t])} full" for t in different)
    for table in UPDATED_IN_PLACE:
        pd.testing.assert_frame_equal(incremental[table].reset_index(drop=True), full[table].reset_index(drop=True),
                                      check_exact=False, rtol=1e-9, obj=table)


def _correct_month(path) -> None:
    """A source resends a month: some records fewer, one start date moved to the month before."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for k, line in enumerate(lines) if k == 0 or k % 7 != 0]
    moved = kept[1].split("|")
    moved[11] = moved[11][:5] + "05-28 00:00:00.0"  # dd_datedebutplanformation: a day of the month before
    kept[1] = "|".join(moved)
    path.write_text("".join(kept), encoding="utf-8")
    arrival = time.time()
    os.utime(path, (arrival, arrival))


def _change_person_of_a_later_version(month_file, earlier_files, other_files_of_month) -> None:
    """The Région resends a record in a later month (its exit is now known) with another France Travail
    identifier than its earlier version carried (a corrected identifier): the record changes person. The person
    it leaves has no row in that month's files, so only the record's earlier version says they changed."""
    lines = month_file.read_bytes().decode("cp1252").split("\r\n")
    header = lines[0].split(";")
    trainee, action, person = (header.index(c) for c in
                               ("Identifiant Stagiaire", "Numéro Action", "Identifiant France Travail"))
    earlier = {tuple(line.split(";")[k] for k in (trainee, action, person))
               for path in earlier_files for line in path.read_bytes().decode("cp1252").split("\r\n")[1:] if line}
    month_text = "".join(path.read_bytes().decode("cp1252") for path in [month_file, *other_files_of_month])
    row = next(k for k, line in enumerate(lines[1:], 1)
               if line and tuple(line.split(";")[k] for k in (trainee, action, person)) in earlier
               and line.split(";")[person] and month_text.count(line.split(";")[person]) == 1)
    fields = lines[row].split(";")
    fields[person] = "99" + fields[person][2:]
    assert fields[person] not in month_text
    lines[row] = ";".join(fields)
    month_file.write_bytes("\r\n".join(lines).encode("cp1252"))


def _without_identifier(path, records: int) -> None:
    """`records` more records of a Région month without a France Travail identifier (the generator leaves about
    one in twenty so, too few in a month at this scale)."""
    lines = path.read_bytes().decode("cp1252").split("\r\n")
    person = lines[0].split(";").index("Identifiant France Travail")
    for k in [k for k, line in enumerate(lines[1:], 1) if line and line.split(";")[person]][:records]:
        fields = lines[k].split(";")
        fields[person] = ""
        lines[k] = ";".join(fields)
    path.write_bytes("\r\n".join(lines).encode("cp1252"))


def _correct_region_month(path) -> None:
    """The Région resends a month in which records without a France Travail identifier change: one is gone (its
    only version), one gets an identifier, one starts a day later, and a record with an identifier loses it."""
    lines = path.read_bytes().decode("cp1252").split("\r\n")
    header = lines[0].split(";")
    person, start = header.index("Identifiant France Travail"), header.index("Date Entree")
    rows = [k for k, line in enumerate(lines[1:], 1) if line]
    unkeyed = [k for k in rows if not lines[k].split(";")[person]]
    keyed = [k for k in rows if lines[k].split(";")[person]]
    assert len(unkeyed) >= 3 and keyed, "the generated Région month has records with and without an identifier"
    gone, given, moved = unkeyed[:3]
    fields = lines[given].split(";")
    fields[person] = lines[keyed[0]].split(";")[person]  # the person of another record of the month
    lines[given] = ";".join(fields)
    fields = lines[moved].split(";")
    day, month, year = fields[start].split("/")
    fields[start] = f"{int(day) % 28 + 1:02d}/{month}/{year}"
    lines[moved] = ";".join(fields)
    fields = lines[keyed[1]].split(";")
    fields[person] = ""
    lines[keyed[1]] = ";".join(fields)
    del lines[gone]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    arrival = time.time()
    os.utime(path, (arrival, arrival))


@pytest.mark.usefixtures("restore_environment")
def test_adding_a_month_or_a_correction_equals_a_full_refresh(tmp_path, realdata):
    source = tmp_path / "generated"
    assert cli.main(["generate", "--out", str(source), "--scale", "600", "--years", "2018-2019", "--seed", "3",
                     "--references", str(realdata)]) == 0
    landing, home = tmp_path / "landing", tmp_path / "home"
    region = source / "financeurs" / "region" / "stagiaires"
    later = region / "stagiaires_region_201912.csv"
    _change_person_of_a_later_version(later, [path for path in region.glob("*.csv") if path != later],
                                      [path for path in source.rglob("*201912*") if path != later])
    _without_identifier(region / "stagiaires_region_201906.csv", 3)
    held = copy_without_month(source, landing, "201912")
    assert held, "the generated zone has files for 2019-12"
    assert run_pipeline(landing, home) == 0

    release_month(source, landing, "201912")
    assert run_pipeline(landing, home) == 0
    _correct_month(landing / "france_travail" / "stagiaires" / "stagiaires_pe_201906.csv")
    _correct_region_month(landing / "financeurs" / "region" / "stagiaires" / "stagiaires_region_201906.csv")
    assert run_pipeline(landing, home) == 0
    rebuilt, without_person = _records_without_person(home)
    assert 0 < rebuilt < without_person, "records without a person key are rebuilt when their files changed only"
    assert _builds(home) == [(True,), (False,), (False,)], "the second and third builds were incremental"
    assert _full_parses(home)[1:] == [False, False], "the later builds reuse the first one's partial parse"
    assert _tests_of_changed_rows(home) == [False, True, True], "incremental builds test the rows they rewrote"
    assert _tests_of_changed_files(home) == [False, True, True], "and the staging rows of the files they loaded"
    assert _tests_of_recomputed_indicators(home) == [False, True, True], "and the indicators' years they rewrote"
    incremental = _tables(home)
    # Only the partitions whose cells changed were suppressed again: the table equals a suppression of it all.
    published, afresh = _published_afresh(home)
    pd.testing.assert_frame_equal(published, afresh, obj="delivery.indicateurs_publies")

    assert run_pipeline(landing, home, "--full-refresh") == 0
    assert _builds(home)[-1] == (True,)
    assert _tests_of_changed_rows(home)[-1] is False, "a full refresh tests every row"
    assert _tests_of_changed_files(home)[-1] is False
    assert _tests_of_recomputed_indicators(home)[-1] is False
    _assert_same(incremental, _tables(home))
