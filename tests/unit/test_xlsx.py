"""The extracts' XLSX writer, read back by two independent readers (openpyxl and calamine)."""
from __future__ import annotations

import math

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from dagster_project.publish import xlsx

TRICKY = "a & <b> \"c\" 'd' é → \x01 end "


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "indicator": ["entrees", TRICKY, None, "taux"],
        "numerator": [12.0, float("nan"), 3.5, 1e-7],
        "rows": pd.array([1, None, 3, 2**40], dtype="Int64"),
        "is_secret": [False, True, False, True],
        "day": pd.to_datetime(["2019-01-31", None, "2020-02-29", "2021-12-01"]).date,
    })


def test_values_types_and_empty_cells_read_back_in_place(tmp_path, frame):
    path = tmp_path / "book.xlsx"
    sheets = xlsx.write_workbook(duckdb.connect(), path, {"indicateurs": frame}, [["Lisez-moi"], [], ["Clé", "x < y"]])
    assert sheets == ["Lisez-moi", "indicateurs"]

    book = load_workbook(path, read_only=True)
    assert book.sheetnames == sheets
    rows = [list(r) for r in book["indicateurs"].iter_rows(values_only=True)]
    assert rows[0] == ["indicator", "numerator", "rows", "is_secret", "day"]
    assert rows[1] == ["entrees", 12, 1, False, "2019-01-31"]
    # XML cannot carry control characters: they are dropped, the rest of the text is kept exactly.
    assert rows[2] == [TRICKY.replace("\x01", ""), None, None, True, None]
    assert rows[3] == [None, 3.5, 3, False, "2020-02-29"]
    assert rows[4][1] == pytest.approx(1e-7) and rows[4][2] == 2**40
    readme = [list(r) for r in book["Lisez-moi"].iter_rows(values_only=True)]
    assert readme[2] == ["Clé", "x < y"]

    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("indicateurs").to_python()
    assert calamine[1][:4] == ["entrees", 12.0, 1.0, False]
    assert calamine[2][0] == TRICKY.replace("\x01", "") and calamine[2][3] is True


def test_a_table_longer_than_a_sheet_continues_on_the_next(tmp_path, frame, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    path = tmp_path / "long.xlsx"
    sheets = xlsx.write_workbook(duckdb.connect(), path, {"flux": frame, "vide": frame.head(0)})
    assert sheets == ["flux", "flux_2", "vide"]
    book = load_workbook(path, read_only=True)
    first = [r[0] for r in book["flux"].iter_rows(values_only=True)]
    second = [r[0] for r in book["flux_2"].iter_rows(values_only=True)]
    assert first == ["indicator", "entrees", TRICKY.replace("\x01", ""), None] and second == ["indicator", "taux"]
    assert [list(r) for r in book["vide"].iter_rows(values_only=True)] == [list(frame.columns)]


def test_numbers_keep_full_precision(tmp_path):
    values = [math.pi, 1 / 3, 123456789.123456789, -0.0, 5e300]
    path = tmp_path / "precision.xlsx"
    xlsx.write_workbook(duckdb.connect(), path, {"t": pd.DataFrame({"v": values})})
    read = [r[0] for r in load_workbook(path, read_only=True)["t"].iter_rows(min_row=2, values_only=True)]
    assert read == values


def test_each_distinct_text_is_stored_once_for_the_whole_workbook(tmp_path, frame):
    import re
    import zipfile

    path = tmp_path / "shared.xlsx"
    repeated = pd.concat([frame] * 50, ignore_index=True)
    xlsx.write_workbook(duckdb.connect(), path, {"a": repeated, "b": frame.assign(extra="entrees")})
    with zipfile.ZipFile(path) as book:
        shared = book.read("xl/sharedStrings.xml").decode()
    texts = re.findall(r"<t xml:space=\"preserve\">(.*?)</t>", shared, flags=re.S)
    assert len(texts) == len(set(texts)) == 6  # entrees, the tricky text, taux and the three dates
    book = load_workbook(path, read_only=True)
    assert [r[5] for r in book["b"].iter_rows(min_row=2, values_only=True)] == ["entrees"] * 4
    assert [r[0] for r in book["a"].iter_rows(min_row=199, values_only=True)] == [TRICKY.replace("\x01", ""), None,
                                                                                   "taux"]
