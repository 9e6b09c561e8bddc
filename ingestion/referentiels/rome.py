"""ROME code list (`referentiels/rome/unix_referentiel_code_rome_vNNN_utf8.csv`), France Travail open data.

`,`, every field quoted, UTF-8; apostrophes are SQL-escaped inside the quotes (`d''ouvrages`), undone in staging.
The version number in the file name orders the vintages: the newest is current.
"""
from __future__ import annotations

from ingestion.feeds import FeedSpec, Rule, csv_reader, matches
from ingestion.read import CsvFormat

FEED = FeedSpec(
    name="referentiels__rome",
    source="referentiels",
    folder="referentiels/rome",
    file_pattern=r"unix_referentiel_code_rome_v(?P<period>\d+)(?!\d).*\.csv",
    period_kind="version",
    reader=csv_reader(CsvFormat(delimiter=",")),
    columns=("code_rome", "code_fiche_em", "code_ogr", "libelle_rome", "statut"),
    key_columns=("code_rome",),
    description="ROME v3 occupation codes (fiches)",
    rules=(Rule("code_rome", matches(r"[A-N]\d{4}"), "ROME code is not of the form A1234"),),
)
