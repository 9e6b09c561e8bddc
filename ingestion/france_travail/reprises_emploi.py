"""Hirings of job seekers (`france_travail/reprises_emploi/reprises_emploi_YYYYMM.csv`), DPAE/MMO-like, monthly.

`;`, Latin-1 (Windows-1252 in practice), dates `dd/mm/yyyy`. The person key becomes a keyed HMAC at load.
"""
from __future__ import annotations

from ingestion.feeds import NOT_BLANK, DerivedColumn, FeedSpec, Rule, csv_reader, french_date, matches, one_of
from ingestion.pseudonymise import hmac_sql
from ingestion.read import CsvFormat

CONTRACTS = ("CDI", "CDD", "CTT", "CUI", "ALT")

FEED = FeedSpec(
    name="france_travail__reprises_emploi",
    source="france_travail",
    folder="france_travail/reprises_emploi",
    file_pattern=r"reprises_emploi_(?P<period>\d{6})(?!\d).*\.csv",
    period_kind="month",
    reader=csv_reader(CsvFormat(delimiter=";")),
    columns=("date_embauche", "type_contrat", "duree_contrat_jours", "code_rome", "commune_employeur"),
    personal_columns=("id_individu",),
    required_columns=("id_individu", "date_embauche", "type_contrat"),
    key_columns=("id_individu", "date_embauche", "type_contrat", "code_rome", "commune_employeur"),
    description="Hirings of job seekers, one row per person × hiring, monthly",
    rules=(
        Rule("id_individu", NOT_BLANK, "missing person key: the hiring cannot be linked to a trainee"),
        Rule("date_embauche", NOT_BLANK, "missing hiring date"),
        Rule("date_embauche", french_date(), "hiring date is not dd/mm/yyyy"),
        Rule("type_contrat", one_of(*CONTRACTS), "unknown contract type", action="flag"),
        Rule("duree_contrat_jours", matches(r"\d+"), "contract length is not a whole number of days"),
        Rule("code_rome", matches(r"[A-N]\d{4}"), "ROME code is not of the form A1234", action="flag"),
        Rule("commune_employeur", matches(r"(\d{4,5}|2[AB]\d{3})"), "employer commune is not an INSEE code",
             action="flag"),
    ),
    derived=(DerivedColumn("individu_hmac", "varchar", lambda ctx: hmac_sql("id_individu", ctx.pseudo_key)),),
)
