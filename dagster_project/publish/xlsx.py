"""XLSX workbooks for the funder extracts, written as a stream: DuckDB renders each row's SpreadsheetML set-based and
Python only copies the rendered text into the zip.

Why not openpyxl or XlsxWriter: both call Python for every cell (8 to 10 thousand rows a second here), which made
the extracts the slowest step at national scale; rendering rows in SQL is one to two orders of magnitude faster. What
is written is the plain core of the format (ECMA-376 part 1, SpreadsheetML): numbers, booleans, text from a shared
strings table, a frozen header row, one default style. The data's text is a few hundred distinct values (indicator,
period, territory, breakdown) repeated over hundreds of thousands of rows: shared, a funder's sheet is 99 MB of XML
instead of 213 MB inline, and renders in half the time. Empty cells are written as `<c/>` so that no value shifts
columns. Excel, LibreOffice, openpyxl and calamine open it (tests/unit/test_xlsx.py reads it back with the latter
two).
"""
from __future__ import annotations

import zipfile
from contextlib import contextmanager
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb
import numpy as np
import pandas as pd

MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows, less the header
ORDINAL = "_xlsx_row"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (f'{_HEAD}<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font>'
           '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill '
           'patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/>'
           '<diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
           'borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
           'xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
           '</cellStyles></styleSheet>')
_FROZEN_HEADER = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                  'state="frozen"/></sheetView></sheetViews>')
_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
            "DECIMAL")
_FLOAT = ("FLOAT", "DOUBLE")
# Characters XML 1.0 does not allow, whatever the escaping.
_ILLEGAL = "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]"


def _text_cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f"<c><v>{value!r}</v></c>"
    return f'<c t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def _python_row(values: list[object]) -> str:
    """A row rendered in Python: for the header and the few lines of a read-me, never for data."""
    return "<row>" + "".join(_text_cell(v) for v in values) + "</row>"


def _is_text(column_type: str) -> bool:
    """Written as shared text: text, and anything else that is not a number or a boolean (dates) as its text."""
    kind = column_type.split("(")[0].upper()
    return kind != "BOOLEAN" and kind not in _NUMERIC and kind not in _FLOAT


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _cell_sql(name: str, column_type: str, shared: str) -> str:
    """The cell of column `name` (of table alias `v`); a text cell refers to its entry `shared`.i of the shared
    strings table, joined on the text."""
    column = f"v.{_quoted(name)}"
    kind = column_type.split("(")[0].upper()
    if _is_text(column_type):
        return f"""case when {shared}.i is null then '<c/>' else '<c t="s"><v>' || {shared}.i || '</v></c>' end"""
    if kind == "BOOLEAN":
        body = f"""'<c t="b"><v>' || case when {column} then '1' else '0' end || '</v></c>'"""
    elif kind in _NUMERIC:
        body = f"'<c><v>' || cast({column} as varchar) || '</v></c>'"
    else:  # FLOAT, DOUBLE: NaN and infinities written empty, as no cell can hold them
        return (f"case when {column} is null or isnan({column}) or isinf({column}) then '<c/>' "
                f"else '<c><v>' || cast({column} as varchar) || '</v></c>' end")
    return f"case when {column} is null then '<c/>' else {body} end"


SHARED_STRINGS = "xlsx_shared_strings"  # temp table (text s, index i) of the workbook being written


def _add_shared_strings(con: duckdb.DuckDBPyConnection, view: str, texts: list[str]) -> None:
    """Number the texts of `view`'s columns `texts` not yet in the shared strings table, after those already there
    (in text order: the same data makes the same file)."""
    if not texts:
        return
    offset = con.execute(f"select count(*) from {SHARED_STRINGS}").fetchone()[0]
    values = " union ".join(f"select cast({_quoted(name)} as varchar) as s from {view}" for name in texts)
    con.execute(f"""insert into {SHARED_STRINGS}
                    select s, {offset} + row_number() over (order by s) - 1
                    from (select s from ({values}) where s is not null except select s from {SHARED_STRINGS})""")


def _clean_text_sql(expression: str) -> str:
    """`expression` as XML text: characters XML cannot carry dropped, markup characters escaped."""
    text = f"regexp_replace({expression}, '{_ILLEGAL}', '', 'g')"
    return f"replace(replace(replace({text}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"


@contextmanager
def numbered_frame(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, view: str):
    """`frame` as DuckDB view `view` with its row number in column ORDINAL (the warehouse connection does not
    preserve insertion order: an output in the frame's order sorts on it). Yields its (column, DuckDB type) pairs,
    ORDINAL left out."""
    con.execute("select 1").fetchall()  # register() needs no pending result on the connection
    con.register(view, frame.assign(**{ORDINAL: np.arange(len(frame))}))
    try:
        yield [(name, kind) for name, kind in con.execute(
            f"select column_name, column_type from (describe select * from {view})").fetchall() if name != ORDINAL]
    finally:
        con.unregister(view)


def _write_sheet(con: duckdb.DuckDBPyConnection, out, frame: pd.DataFrame) -> None:
    view = "xlsx_sheet_rows"
    with numbered_frame(con, frame, view) as columns:
        out.write(f'{_HEAD}<worksheet xmlns="{_MAIN}">{_FROZEN_HEADER}<sheetData>'.encode())
        out.write(_python_row([name for name, _ in columns]).encode())
        _add_shared_strings(con, view, [name for name, kind in columns if _is_text(kind)])
        cells = " || ".join(_cell_sql(name, kind, f"s{i}") for i, (name, kind) in enumerate(columns)) or "''"
        joins = "".join(f" left join {SHARED_STRINGS} as s{i} on s{i}.s = cast(v.{_quoted(name)} as varchar)"
                        for i, (name, kind) in enumerate(columns) if _is_text(kind))
        result = con.execute(f"select '<row>' || {cells} || '</row>' from {view} as v{joins} order by v.{ORDINAL}")
        while rows := result.fetchmany(100_000):
            out.write("".join(row[0] for row in rows).encode())
        out.write(b"</sheetData></worksheet>")


def _write_shared_strings(con: duckdb.DuckDBPyConnection, out) -> None:
    count = con.execute(f"select count(*) from {SHARED_STRINGS}").fetchone()[0]
    out.write(f'{_HEAD}<sst xmlns="{_MAIN}" uniqueCount="{count}">'.encode())
    result = con.execute(f"""select '<si><t xml:space="preserve">' || {_clean_text_sql('s')} || '</t></si>'
                             from {SHARED_STRINGS} order by i""")
    while rows := result.fetchmany(100_000):
        out.write("".join(row[0] for row in rows).encode())
    out.write(b"</sst>")


def write_workbook(con: duckdb.DuckDBPyConnection, path: Path, tables: dict[str, pd.DataFrame],
                   readme: list[list[str]] | None = None) -> list[str]:
    """Write `path`: a `Lisez-moi` sheet (when `readme` is given) and one sheet per table, a table longer than a
    sheet continuing on `<name>_2`, `<name>_3`… Returns the sheet names, in order."""
    sheets: list[str] = []
    con.execute(f"create or replace temp table {SHARED_STRINGS} (s varchar, i integer)")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        def new_sheet(name: str):
            sheets.append(name)
            return book.open(f"xl/worksheets/sheet{len(sheets)}.xml", "w", force_zip64=True)

        if readme is not None:
            with new_sheet("Lisez-moi") as out:
                out.write(f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
                out.write("".join(_python_row(line) for line in readme).encode())
                out.write(b"</sheetData></worksheet>")
        for name, frame in tables.items():
            for part, start in enumerate(range(0, max(len(frame), 1), MAX_ROWS)):
                with new_sheet(name if part == 0 else f"{name}_{part + 1}") as out:
                    _write_sheet(con, out, frame.iloc[start:start + MAX_ROWS])
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            _write_shared_strings(con, out)
        con.execute(f"drop table {SHARED_STRINGS}")
        entries = "".join(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                          for i, name in enumerate(sheets, start=1))
        book.writestr("xl/workbook.xml", f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{entries}'
                                         '</sheets></workbook>')
        links = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                        for i in range(1, len(sheets) + 1))
        links += f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        links += f'<Relationship Id="rId{len(sheets) + 2}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        book.writestr("xl/_rels/workbook.xml.rels", f'{_HEAD}<Relationships xmlns="{_PKG}">{links}</Relationships>')
        book.writestr("xl/styles.xml", _STYLES)
        book.writestr("_rels/.rels", f'{_HEAD}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
                                     f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        sheet_types = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, len(sheets) + 1))
        book.writestr("[Content_Types].xml", (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>{sheet_types}</Types>'))
    return sheets
