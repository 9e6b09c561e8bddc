"""FAP-2009 ↔ ROME crosswalks published by the DARES (`referentiels/fap_rome/`).

- `passage_fap2009_romev3.txt`: SAS `proc format` source, ISO-8859-1, CRLF. Format `$FAP9RSQ` maps a ROME code to
  a FAP; `$FAP9RAQ` maps ROME + qualification digit. `Other="ZZZZZ"` is the "not mapped here" default.
- `intitule_fap2009.txt`: SAS formats with the FAP labels at four levels (Windows-1252: `œ`).
- `table-correspondance-pcs-rome.csv`: no header, `FAP;PCS;ROME`, blank cells meaning "same as above".
"""
from __future__ import annotations

import re
from pathlib import Path

import duckdb

from ingestion.feeds import FeedSpec, Rule, csv_reader, matches
from ingestion.read import CsvFormat, ReadResult, RejectedFile, read_text, register_rows

_VALUE_BLOCK = re.compile(r"\bvalue\s+(\$?[A-Za-z_][\w]*)\s*(.*?);", re.IGNORECASE | re.DOTALL)
_ENTRY = re.compile(r'((?:\s*"[^"]*"\s*,?)+|\s*other\s*)=\s*"([^"]*)"', re.IGNORECASE)
_QUOTED = re.compile(r'"([^"]*)"')
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def parse_sas_formats(text: str) -> list[list]:
    """Rows (format, key, value, line) of every `value` statement; `Other` gives key None."""
    # Blank out comments, keeping line breaks so that line numbers stay true.
    text = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    text = re.sub(r"(?m)^[ \t]*\*[^\n]*;", lambda m: " " * len(m.group(0)), text)
    rows = []
    for block in _VALUE_BLOCK.finditer(text):
        name = block.group(1).lstrip("$").upper()
        body_start = block.start(2)
        for entry in _ENTRY.finditer(block.group(2)):
            leading = len(entry.group(1)) - len(entry.group(1).lstrip())
            line = text.count("\n", 0, body_start + entry.start(1) + leading) + 1
            keys = _QUOTED.findall(entry.group(1)) or [None]
            rows.extend([name, key, entry.group(2), line] for key in keys)
    return rows


def read_sas_formats(con: duckdb.DuckDBPyConnection, path: Path, table: str, workdir: Path) -> ReadResult:
    rows = parse_sas_formats(read_text(path))
    if not rows:
        raise RejectedFile(path, "no SAS `value` statement found: not a proc format source")
    register_rows(con, table, ["format_name", "source_code", "target_code"], rows)
    return ReadResult(table, ["format_name", "source_code", "target_code"], len(rows), f"{table}_rejects", 0,
                      "sas-format")


PASSAGE = FeedSpec(
    name="referentiels__fap_rome_passage",
    source="referentiels",
    folder="referentiels/fap_rome",
    file_pattern=r"passage_fap2009_romev3.*\.txt",
    period_kind="version",
    reader=read_sas_formats,
    columns=("format_name", "source_code", "target_code"),
    description="DARES FAP-2009 ↔ ROME v3 SAS formats ($FAP9RSQ: ROME → FAP; $FAP9RAQ: ROME+qualification → FAP)",
    rules=(Rule("target_code", matches(r"[A-Z]\d[A-Z]\d{2}|ZZZZZ"), "FAP code is not of the FAP-2009 form"),),
)

INTITULES = FeedSpec(
    name="referentiels__fap_intitules",
    source="referentiels",
    folder="referentiels/fap_rome",
    file_pattern=r"intitule_fap2009.*\.txt",
    period_kind="version",
    reader=read_sas_formats,
    columns=("format_name", "source_code", "target_code"),
    description="DARES FAP-2009 labels at four levels (SAS formats)",
)

PCS_ROME = FeedSpec(
    name="referentiels__fap_pcs_rome",
    source="referentiels",
    folder="referentiels/fap_rome",
    file_pattern=r"table-correspondance-pcs-rome.*\.csv",
    period_kind="version",
    reader=csv_reader(CsvFormat(delimiter=";", column_names=("fap", "pcs", "rome"))),
    columns=("fap", "pcs", "rome"),
    forward_fill=("fap", "pcs"),
    description="FAP;PCS;ROME table (no header; blank cells repeat the row above; some PCS have no ROME)",
)

FEEDS = (PASSAGE, INTITULES, PCS_ROME)
