"""Commune → bassin BMO lexicon (`referentiels/bassins/lexique-bassins*.csv`), Pôle emploi BMO zoning.

`,`, UTF-8. The bassin columns carry the wave's year (`BE19`, `NOMBE19`, later `BE24`…): aliases read any wave.
"""
from __future__ import annotations

from ingestion.feeds import NOT_BLANK, FeedSpec, Rule, csv_reader, matches
from ingestion.read import CsvFormat

FEED = FeedSpec(
    name="referentiels__bassins",
    source="referentiels",
    folder="referentiels/bassins",
    file_pattern=r"lexique[-_]bassins(?P<period>)(?:[-_].*)?\.csv",
    period_kind="version",
    reader=csv_reader(CsvFormat(delimiter=",")),
    column_aliases=(("bassin_code", r"BE\d{2}"), ("bassin_nom", r"NOMBE\d{2}")),
    columns=("CODE_COMMUNE_INSEE", "REG", "DEP", "NOMCOM", "bassin_code", "bassin_nom"),
    required_columns=("CODE_COMMUNE_INSEE", "bassin_code"),
    key_columns=("CODE_COMMUNE_INSEE",),
    description="Commune → bassin BMO (BMO survey zoning)",
    rules=(
        Rule("CODE_COMMUNE_INSEE", NOT_BLANK, "missing commune code"),
        Rule("CODE_COMMUNE_INSEE", matches(r"(\d{4,5}|2[AB]\d{3})"), "commune is not an INSEE code"),
        Rule("bassin_code", NOT_BLANK, "missing bassin code"),
    ),
)
