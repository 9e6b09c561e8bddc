"""The shared reader on real public files and on the quirks real files have."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingestion.read import CsvFormat, RejectedFile, detect_encoding, read_delimited

PIPE_NULL = CsvFormat(delimiter="|", null_markers=("NULL", ""))


def rows(con, result):
    return con.execute(f"select * from {result.table} order by _source_line").fetchdf()


def test_france_travail_extract_layout(con, realdata, tmp_path):
    result = read_delimited(con, realdata / "pe-stagiaires-format" / "stagiaires-pe.csv", PIPE_NULL, "t", tmp_path)
    frame = rows(con, result)
    assert len(result.columns) == 38
    assert result.columns[6] == "dn_individu_national"
    assert result.rows_read == 5 and result.rows_rejected == 0
    assert frame["_source_line"].tolist() == [2, 3, 4, 5, 6]
    # `NULL` is missing, codes keep their text form, `;` inside a field is not a separator here.
    assert frame["dc_siretorganismeformateur"].isna().iloc[0]
    assert frame["liste_financeur"].iloc[0] == "4;7"
    assert frame["dd_datedebutplanformation"].iloc[0] == "2018-05-22 00:00:00.0"
    assert frame["dn_individu_national"].iloc[0] == "1111111111"


def test_null_markers_become_missing(con, realdata, tmp_path):
    path = realdata / "pe-stagiaires-format" / "stagiaires-pe-with-NULL.csv"
    frame = rows(con, read_delimited(con, path, PIPE_NULL, "t", tmp_path))
    assert len(frame) == 1
    assert frame["dc_insee_lieuformation"].isna().all()
    assert frame["c_telephone2"].isna().all()
    assert frame["dc_cp_lieuformation"].iloc[0] == "91130"


def test_region_file_french_headers(con, realdata, tmp_path):
    path = realdata / "pe-stagiaires-format" / "stagiaires-idf.csv"
    result = read_delimited(con, path, CsvFormat(delimiter=";"), "t", tmp_path)
    frame = rows(con, result)
    assert result.columns[:3] == ["Identifiant Stagiaire", "Identifiant Composante", "Raison Sociale"]
    assert "Individu.Nom" in result.columns and "Numéro Action" in result.columns
    assert len(frame) == 5
    assert frame["Date Entree"].iloc[0] == "15/03/2017"
    assert frame["SIRET"].iloc[0] == "77568497000673"  # long codes stay text
    assert frame["Id Session DOKELIO"].isna().all()  # trailing empty field


def test_quoted_labels(con, realdata, tmp_path):
    path = realdata / "pe-stagiaires-format" / "certifinfos.csv"
    result = read_delimited(con, path, CsvFormat(delimiter=";"), "t", tmp_path)
    assert result.rows_read == 2 and result.rows_rejected == 0
    # The header repeats `cer3_libelle` and `cer3_etat` (old code, new code): the second copies get `_2`.
    assert result.columns == ["cer3_code", "cer3_libelle", "cer3_etat", "cer3_codenew", "cer3_libelle_2", "cer3_etat_2"]
    frame = rows(con, result)
    assert frame["cer3_codenew"].tolist() == ["74037", "80104"]
    assert frame["cer3_libelle_2"].iloc[1].startswith("Master sciences humaines et sociales")  # quotes removed


def test_windows_1252_keeps_oe(con, tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes("code;libelle\n1;Main-d'\u0153uvre \u20ac\n".encode("cp1252"))
    assert detect_encoding(path) == "cp1252"
    frame = rows(con, read_delimited(con, path, CsvFormat(), "t", tmp_path))
    assert frame["libelle"].iloc[0] == "Main-d'\u0153uvre \u20ac"


def test_utf8_bom_is_not_part_of_first_column(con, tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes("\ufeffcode;nb\n01;12 300\n".encode("utf-8"))
    result = read_delimited(con, path, CsvFormat(), "t", tmp_path)
    assert result.columns == ["code", "nb"]
    assert rows(con, result)["code"].iloc[0] == "01"


def test_ragged_and_truncated_lines_go_to_rejects_with_their_line(con, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("a;b;c\n1;x;y\n2;only-two\n3;x;y;extra\n4;x;y\n5;trunc", encoding="utf-8")
    result = read_delimited(con, path, CsvFormat(), "t", tmp_path)
    good = rows(con, result)
    rejects = con.execute(f"select * from {result.rejects_table} order by _source_line").fetchdf()
    assert good["a"].tolist() == ["1", "4"]
    assert good["_source_line"].tolist() == [2, 5]
    assert rejects["_source_line"].tolist() == [3, 4, 6]
    assert rejects["reason"].str.contains("MISSING COLUMNS").tolist() == [True, False, True]
    assert result.rows_read == 5 and result.rows_rejected == 3


def test_lines_of_a_file_read_in_parallel_are_its_own(tmp_path):
    # 80 MB: DuckDB reads it in chunks on several threads (in a smaller file, rows come back in order anyway). Each
    # row's line is still its line, also after a rejected line and in a file with its own `rowid` column.
    path = tmp_path / "f.csv"
    padding = "x" * 120
    lines = [f"{n};{padding}" for n in range(2, 600_002)]
    lines[300_000] = "bad"  # line 300,002
    with duckdb.connect(config={"threads": 4, "preserve_insertion_order": False}) as con:
        for header, name in (("n;v", "t"), ("n;rowid", "u")):
            path.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
            result = read_delimited(con, path, CsvFormat(), name, tmp_path)
            assert result.rows_read == 600_000 and result.rows_rejected == 1
            assert con.execute(f"select count(*) from {name} where n::bigint <> _source_line").fetchone()[0] == 0
            assert con.execute(f"select _source_line from {name}_rejects").fetchall() == [(300_002,)]


@pytest.mark.parametrize(
    "content, records, noted",
    [
        ("a;b\n1;x\n\n2;y\n\n\n3;z\n", 3, False),  # blank lines are not lost records
        ('a;b\n1;"open\n2;y\n3;z\n', 1, True),  # an unclosed quote swallows the lines after it
    ],
)
def test_lines_swallowed_by_a_quote_are_noted_blank_lines_are_not(con, tmp_path, content, records, noted):
    path = tmp_path / "f.csv"
    path.write_text(content, encoding="utf-8", newline="")
    result = read_delimited(con, path, CsvFormat(), "t", tmp_path)
    assert result.rows_read == records
    assert any("unclosed quote" in note for note in result.notes) == noted


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty file"),
        (b"\n1;2\n", "no header line"),
        (b"just one column\nvalue\n", "single column"),
        (b"a;;c\n1;2;3\n", "empty column names"),
    ],
)
def test_unreadable_files_are_rejected_whole_with_a_reason(con, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(RejectedFile) as caught:
        read_delimited(con, path, CsvFormat(), "t", tmp_path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_header_only_file_reads_zero_rows(con, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("a;b\n", encoding="utf-8")
    result = read_delimited(con, path, CsvFormat(), "t", tmp_path)
    assert result.rows_read == 0
