"""Tension indicators by ROME × bassin BMO (`france_travail/tension/tension_rome_bassin_YYYY.csv`), real layout
(`realdata/tension-rome-bassin/`): `;`, UTF-8, decimal comma, indicators coded 1 to 5."""
from __future__ import annotations

from ingestion.feeds import NOT_BLANK, FeedSpec, Rule, csv_reader, french_number, matches, one_of
from ingestion.read import CsvFormat

INDICATORS = ("ind_tension_d", "ind_int_emb_d", "ind_main_oeuvre_d", "ind_dur_empl_d", "ind_cond_travail_d",
              "ind_mismatch_geo_d", "ind_specif_form_empl_d")

FEED = FeedSpec(
    name="france_travail__tension",
    source="france_travail",
    folder="france_travail/tension",
    file_pattern=r"tension_rome_bassin_(?P<period>\d{4})(?!\d).*\.csv",
    period_kind="year",
    reader=csv_reader(CsvFormat(delimiter=";")),
    columns=("annee", "ROME", "cbassin", "oee", "defm_abc") + INDICATORS,
    required_columns=("annee", "ROME", "cbassin", "ind_tension_d"),
    key_columns=("annee", "ROME", "cbassin"),
    description="Labour-market tension indicators by ROME × bassin BMO (France Travail / DARES method), yearly",
    rules=(
        Rule("ROME", matches(r"[A-N]\d{4}"), "ROME code is not of the form A1234"),
        Rule("cbassin", NOT_BLANK, "missing bassin code"),
        Rule("oee", french_number(), "job offers figure is not a number", action="flag"),
        Rule("defm_abc", french_number(), "job-seeker figure is not a number", action="flag"),
    ) + tuple(Rule(i, one_of("1", "2", "3", "4", "5"), f"{i} is not coded 1 to 5", action="flag") for i in INDICATORS),
)
