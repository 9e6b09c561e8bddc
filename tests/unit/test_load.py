"""Loading a feed: lineage, quarantine, idempotence, new versions and supersession (feeds.md)."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.feeds import LoadContext
from ingestion.france_travail.stagiaires import FEED
from ingestion.load import load_feed
from ingestion.read import file_sha256 as real_sha256
from tests.landing import EMAIL, NAME, PHONE, ft_row, set_arrival, write_ft_file

CONTEXT = LoadContext(pseudo_key=b"test-key")
FOLDER = Path("france_travail/stagiaires")


def counts(con):
    return con.execute(
        "select (select count(*) from raw.france_travail__stagiaires),"
        " (select count(*) from raw.ingestion__quarantine),"
        " (select count(*) from raw.ingestion__manifest)"
    ).fetchone()


def test_rows_carry_lineage_and_no_personal_data(con, tmp_path):
    write_ft_file(tmp_path / FOLDER / "stagiaires_pe_201901.csv",
                  [ft_row("1111111111", "S1", "2019-01-07", dd_datenaissance="1999-03-01 00:00:00.0")], "2019-02-05")
    report = load_feed(con, FEED, tmp_path, CONTEXT)
    assert report.count("loaded") == 1
    row = con.execute("select * from raw.france_travail__stagiaires").fetchdf().iloc[0]
    assert row["_source_file"] == "france_travail/stagiaires/stagiaires_pe_201901.csv"
    assert row["_source_line"] == 2 and row["_period"] == "2019-01" and len(row["_file_sha256"]) == 64
    assert row["age_debut"] == 19 and row["jours_depuis_anniversaire"] == 312
    columns = set(row.index)
    assert not columns & {"dn_individu_national", "dd_datenaissance", "c_nomcorrespondance", "c_adresseemail"}
    assert row["individu_hmac"] != "1111111111" and len(row["individu_hmac"]) == 64
    everything = " ".join(str(v) for v in row.values)
    for personal in (NAME, EMAIL, PHONE, "1111111111", "1999-03-01"):
        assert personal not in everything


def test_bad_rows_go_to_quarantine_with_line_column_and_reason(con, tmp_path):
    rows = [
        ft_row("1", "S1", "2019-01-07"),
        ft_row("2", "S2", "2019-02-31"),  # no such date
        ft_row("3", "S3", "2019-01-09", dc_niveauformation_id="XYZ"),  # unknown code: loads, flagged
        ft_row("1", "S1", "2019-01-07"),  # duplicate of line 2
        ft_row("4", "NULL", "2019-01-10"),  # no session number
    ]
    write_ft_file(tmp_path / FOLDER / "stagiaires_pe_201901.csv", rows, "2019-02-05", trailer="5|S5|2019")
    report = load_feed(con, FEED, tmp_path, CONTEXT)
    outcome = report.files[0]
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined, outcome.values_flagged) == (6, 2, 4, 1)
    found = con.execute(
        "select line, column_name, reason, action from raw.ingestion__quarantine order by line, column_name"
    ).fetchall()
    assert (3, "dd_datedebutplanformation", "start date is not a date (expected YYYY-MM-DD ...)", "row_rejected") in found
    assert (4, "dc_niveauformation_id", "unknown training level code", "value_flagged") in found
    assert any(line == 5 and "duplicate record" in reason and "line 2" in reason for line, _, reason, _ in found)
    assert any(line == 6 and column == "dc_numeroicsession" for line, column, _, _ in found)
    assert any(line == 7 and "MISSING COLUMNS" in reason for line, _, reason, _ in found)
    # The unparseable line holds a name and an e-mail: it is not copied into the warehouse.
    assert con.execute("select count(*) from raw.ingestion__quarantine where value like '%DUPONT%'").fetchone()[0] == 0


def test_same_file_twice_changes_nothing(con, tmp_path):
    path = write_ft_file(tmp_path / FOLDER / "stagiaires_pe_201901.csv",
                         [ft_row("1", "S1", "2019-01-07"), ft_row("2", "S2", "2019-02-31")], "2019-02-05")
    load_feed(con, FEED, tmp_path, CONTEXT)
    before = counts(con)
    second = load_feed(con, FEED, tmp_path, CONTEXT)
    assert second.count("unchanged") == 1 and counts(con) == before
    # The same content dropped again under a copy's name is a new file of the same period, and supersedes it.
    (tmp_path / FOLDER / "stagiaires_pe_201901 (1).csv").write_bytes(path.read_bytes())
    set_arrival(tmp_path / FOLDER / "stagiaires_pe_201901 (1).csv", "2019-02-06")
    load_feed(con, FEED, tmp_path, CONTEXT)
    current = con.execute(
        "select file_name from raw.ingestion__manifest where is_current").fetchall()
    assert current == [("stagiaires_pe_201901 (1).csv",)]


def test_a_file_is_hashed_again_only_when_its_size_or_time_changed(con, tmp_path, monkeypatch):
    from ingestion import manifest

    path = write_ft_file(tmp_path / FOLDER / "stagiaires_pe_201901.csv", [ft_row("1", "S1", "2019-01-07")],
                         "2019-02-05")
    load_feed(con, FEED, tmp_path, CONTEXT)
    hashed = []
    monkeypatch.setattr(manifest, "file_sha256", lambda p: hashed.append(p.name) or real_sha256(p))
    assert load_feed(con, FEED, tmp_path, CONTEXT).count("unchanged") == 1 and hashed == []
    # Touched, same bytes: read and hashed again, found unchanged.
    set_arrival(path, "2019-02-06")
    assert load_feed(con, FEED, tmp_path, CONTEXT).count("unchanged") == 1 and hashed == [path.name]
    # Rewritten to the same size and put back to the recorded time: trusted as unchanged (the documented price)...
    write_ft_file(path, [ft_row("2", "S1", "2019-01-07")], "2019-02-05")
    assert load_feed(con, FEED, tmp_path, CONTEXT).count("unchanged") == 1
    # ...unless PRIC_VERIFY_CHECKSUMS=1 asks for every file to be hashed again.
    monkeypatch.setenv("PRIC_VERIFY_CHECKSUMS", "1")
    assert load_feed(con, FEED, tmp_path, CONTEXT).count("loaded") == 1
    assert con.execute("select count(*) from raw.france_travail__stagiaires").fetchone()[0] == 1


def test_new_version_of_a_file_replaces_its_rows(con, tmp_path):
    path = tmp_path / FOLDER / "stagiaires_pe_201901.csv"
    write_ft_file(path, [ft_row("1", "S1", "2019-01-07"), ft_row("2", "S2", "2019-01-08")], "2019-02-05")
    load_feed(con, FEED, tmp_path, CONTEXT)
    write_ft_file(path, [ft_row("1", "S1", "2019-01-07")], "2019-02-20")
    report = load_feed(con, FEED, tmp_path, CONTEXT)
    assert report.count("loaded") == 1
    assert counts(con) == (1, 0, 1)


def test_later_file_of_the_same_month_supersedes(con, tmp_path):
    write_ft_file(tmp_path / FOLDER / "stagiaires_pe_201902.csv", [ft_row("1", "S1", "2019-02-01")], "2019-03-05")
    write_ft_file(tmp_path / FOLDER / "stagiaires_pe_201902_v2.csv", [ft_row("2", "S2", "2019-02-02")], "2019-03-09")
    write_ft_file(tmp_path / FOLDER / "stagiaires_pe_201901.csv", [ft_row("3", "S3", "2019-01-02")], "2019-02-05")
    load_feed(con, FEED, tmp_path, CONTEXT)
    current = con.execute(
        "select period, file_name from raw.ingestion__manifest where is_current order by period").fetchall()
    assert current == [("2019-01", "stagiaires_pe_201901.csv"), ("2019-02", "stagiaires_pe_201902_v2.csv")]
    # The superseded file stays in the raw table (the archive); staging reads only current files.
    assert counts(con)[0] == 3


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("stagiaires_pe_201903.csv", "", "empty file"),
        ("stagiaires_pe_201904.csv", "dn_individu_national|dc_numeroicsession\n1|S1\n",
         "missing column(s) dd_datedebutplanformation, dc_formacode_ppal_id"),
        ("stagiaires_sans_periode.csv", "a|b\n1|2\n", "states no period"),
    ],
)
def test_unreadable_file_is_rejected_and_the_others_load(con, tmp_path, name, content, reason):
    write_ft_file(tmp_path / FOLDER / "stagiaires_pe_201901.csv", [ft_row("1", "S1", "2019-01-07")], "2019-02-05")
    bad = tmp_path / FOLDER / name
    bad.write_text(content, encoding="utf-8")
    report = load_feed(con, FEED, tmp_path, CONTEXT)
    assert report.count("loaded") == 1 and len(report.rejected) == 1
    assert reason in report.rejected[0].message
    assert report.rejected[0].file_path.endswith(name)
    status = con.execute("select status, message from raw.ingestion__manifest where file_name = ?", [name]).fetchone()
    assert status[0] == "rejected" and reason in status[1]
    assert counts(con)[0] == 1


def test_a_run_over_some_months_still_rejects_a_file_that_states_no_period(con, tmp_path):
    """A partitioned run (a month's run, a backfill) loads its months' files only, but a file whose name states no
    month belongs to no partition: every run reports it rather than none."""
    write_ft_file(tmp_path / FOLDER / "stagiaires_pe_201901.csv", [ft_row("1", "S1", "2019-01-07")], "2019-02-05")
    write_ft_file(tmp_path / FOLDER / "stagiaires_pe_201902.csv", [ft_row("2", "S2", "2019-02-07")], "2019-03-05")
    (tmp_path / FOLDER / "stagiaires_sans_periode.csv").write_text("a|b\n1|2\n", encoding="utf-8")
    report = load_feed(con, FEED, tmp_path, CONTEXT, periods=frozenset({"2019-02"}))
    assert [f.file_path.rsplit("/", 1)[1] for f in report.files if f.status == "loaded"] == ["stagiaires_pe_201902.csv"]
    assert [f.file_path.rsplit("/", 1)[1] for f in report.rejected] == ["stagiaires_sans_periode.csv"]


def test_every_file_version_is_archived_as_received(con, tmp_path):
    path = write_ft_file(tmp_path / "landing" / FOLDER / "stagiaires_pe_201901.csv",
                         [ft_row("1", "S1", "2019-01-07")], "2019-02-05")
    original = path.read_bytes()
    load_feed(con, FEED, tmp_path / "landing", CONTEXT, archive_root=tmp_path / "archive")
    write_ft_file(path, [ft_row("2", "S2", "2019-01-08")], "2019-02-20")
    load_feed(con, FEED, tmp_path / "landing", CONTEXT, archive_root=tmp_path / "archive")
    archived = sorted((tmp_path / "archive" / FOLDER).iterdir())
    assert len(archived) == 2
    assert original in [p.read_bytes() for p in archived]


def test_a_changed_workbook_reloads(con, tmp_path):
    """A new version of a workbook replaces its rows (DuckDB must not be left with a pending result between files)."""
    from openpyxl import Workbook

    from ingestion import registry

    feed = registry.by_name("financeurs__region_commandes")
    header = ["Numéro Action", "Intitulé", "Formacode", "Code ROME Visé", "Bassin", "Dispositif", "Places achetées",
              "Heures par stagiaire", "Montant engagé (€)", "Financement PRIC"]
    folder = tmp_path / feed.folder
    folder.mkdir(parents=True)
    for year, places in ((2018, 10), (2019, 12), (2019, 1)):
        book = Workbook()
        book.active.append(header)
        book.active.append([f"A{year}", "t", "31734", "N1103", "4401", "PRIC", places, 400, 1000.5, "Oui"])
        book.save(folder / f"commandes_{year}.xlsx")
        set_arrival(folder / f"commandes_{year}.xlsx", f"{year}-03-0{places % 9 + 1}")
        load_feed(con, feed, tmp_path, CONTEXT)
    places = con.execute('select "Places achetées" from raw.financeurs__region_commandes order by 1').fetchall()
    assert places == [("1",), ("10",)]


def test_files_loaded_side_by_side_give_what_one_at_a_time_gives(tmp_path, monkeypatch):
    """Several files, some with bad lines (whose line numbers depend on the read keeping the file's order), one
    replaced by a new version: two loading connections leave the same rows, quarantine and manifest as one."""
    import duckdb

    from ingestion import manifest

    def landing(version: int) -> Path:
        root = tmp_path / "landing"
        for month in range(1, 7):
            rows = [ft_row(f"{month}{i:04d}", f"S{i}", f"2019-{month:02d}-{1 + i % 27:02d}") for i in range(3000)]
            rows[10 * month] = rows[200] = ft_row("9", "S9", "2019-02-31")  # not a date: quarantined at its line
            if month == 3 and version == 2:
                rows = rows[:1000]
            path = write_ft_file(root / FOLDER / f"stagiaires_pe_2019{month:02d}.csv", rows,
                                 f"2019-{month + 1:02d}-05")
            if month % 2:  # a truncated line in the middle: the lines after it are numbered past it
                lines = path.read_text(encoding="utf-8").split("\n")
                path.write_text("\n".join(lines[:100] + ["5|S5|2019"] + lines[100:]), encoding="utf-8")
                set_arrival(path, f"2019-{month + 1:02d}-05")
        return root

    def load_with(workers: int) -> dict[str, list]:
        monkeypatch.setattr(manifest, "PARALLEL_FILES", workers)
        con = duckdb.connect(str(tmp_path / f"warehouse_{workers}.duckdb"))
        for version in (1, 2):
            report = load_feed(con, FEED, landing(version), CONTEXT)
            assert report.count("rejected") == 0
        assert con.execute("select current_setting('preserve_insertion_order')").fetchone()[0] is False
        return {
            "rows": con.execute("select * exclude (_loaded_at) from raw.france_travail__stagiaires "
                                "order by _source_file, _source_line").fetchall(),
            "quarantine": con.execute("select * exclude (quarantined_at) from raw.ingestion__quarantine "
                                      "order by file_path, line, column_name").fetchall(),
            "manifest": con.execute("select * exclude (loaded_at) from raw.ingestion__manifest "
                                    "order by file_path").fetchall(),
        }

    one_at_a_time, side_by_side = load_with(1), load_with(2)
    assert len(one_at_a_time["rows"]) == 5 * 2998 + 998  # two bad rows a file
    found = {(path[-10:-4], line) for _, path, _, line, *_ in one_at_a_time["quarantine"]}
    assert {("201902", 22), ("201902", 202), ("201903", 32), ("201903", 101), ("201903", 203)} <= found
    assert side_by_side == one_at_a_time


def test_a_load_leaves_no_row_groups_for_a_later_checkpoint_to_merge(tmp_path, monkeypatch):
    """Monthly files of one to three DuckDB row groups each (a France Travail month is 170,000 rows), inserted one
    by one, leave partly filled row groups that the next checkpoint merges, rewriting the whole table (18 s at
    national scale, in dbt's process). Batched, the load leaves nothing to merge: a checkpoint keeps every group.
    (One loading connection, so that the files fall into whole batches: with two, each one's last batch may be
    short, and its last groups merged with a neighbour's.)"""
    import duckdb

    from ingestion import manifest

    from ingestion.france_travail.stagiaires import ALL_COLUMNS
    from ingestion.load import ROW_GROUP_ROWS

    landing = tmp_path / "landing"
    (landing / FOLDER).mkdir(parents=True)
    template = ft_row("0", "S0", "2019-01-07")
    writer = duckdb.connect()
    for month in range(1, 7):
        path = landing / FOLDER / f"stagiaires_pe_2019{month:02d}.csv"
        values = {**{c: f"'{v}'" for c, v in template.items()},
                  "dn_individu_national": f"'{month}-' || range", "dc_numeroicsession": "'S' || range"}
        select = ", ".join(f"{values[c]} as {c}" for c in ALL_COLUMNS)
        writer.execute(f"copy (select {select} from range({ROW_GROUP_ROWS + 8_000})) to '{path}' "
                       "(header, delimiter '|', quote '')")
        set_arrival(path, f"2019-{month + 1:02d}-05")
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setattr(manifest, "PARALLEL_FILES", 1)
    con = duckdb.connect(str(warehouse))
    report = load_feed(con, FEED, landing, CONTEXT)
    assert report.count("loaded") == 6
    con.close()

    con = duckdb.connect(str(warehouse))
    groups = "select count(distinct row_group_id) from pragma_storage_info('raw.france_travail__stagiaires')"
    before = con.execute(groups).fetchone()[0]
    con.execute("create table touched as select 1 as x")  # any write: the checkpoint goes over every table
    con.execute("checkpoint")
    assert con.execute(groups).fetchone()[0] == before
    assert con.execute("select count(*) from raw.france_travail__stagiaires").fetchone()[0] == 6 * (
        ROW_GROUP_ROWS + 8_000)
