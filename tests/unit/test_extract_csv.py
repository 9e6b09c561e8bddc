"""The extracts' CSV writer (DuckDB COPY) writes what French Excel expects, exactly as pandas' `to_csv` did."""
from __future__ import annotations

import duckdb
import pandas as pd

from dagster_project.publish.extracts import write_csv


def test_same_bytes_as_pandas_with_separators_quotes_and_empty_cells(tmp_path):
    rows = 3000  # more than one DuckDB vector, so that row order is exercised on an unordered connection
    frame = pd.DataFrame({
        "indicator": (["a;b", 'q"x', None, "é → œ", "plain"] * rows)[:rows],
        "value": [i / 7 if i % 5 else float("nan") for i in range(rows)],
        "big": [1e-7, 12345678.5, 3.0] * (rows // 3),
        "count": pd.array([None if i % 4 == 0 else i for i in range(rows)], dtype="Int64"),
        "is_secret": [i % 3 == 0 for i in range(rows)],
    })
    con = duckdb.connect(config={"preserve_insertion_order": "false", "threads": "2"})
    write_csv(con, frame, tmp_path / "duckdb.csv")
    frame.to_csv(tmp_path / "pandas.csv", sep=";", decimal=",", index=False, encoding="utf-8-sig",
                 lineterminator="\r\n")
    written = (tmp_path / "duckdb.csv").read_bytes()
    assert written.startswith(b"\xef\xbb\xbfindicator;value;big;count;is_secret\r\n")
    assert written == (tmp_path / "pandas.csv").read_bytes()
    assert not list(tmp_path.glob("*.body"))  # the scratch file is gone


def test_empty_table_keeps_its_header(tmp_path):
    frame = pd.DataFrame({"mois": pd.Series([], dtype="string"), "entrees": pd.array([], dtype="Int64")})
    write_csv(duckdb.connect(), frame, tmp_path / "flux.csv")
    assert (tmp_path / "flux.csv").read_bytes() == b"\xef\xbb\xbfmois;entrees\r\n"
