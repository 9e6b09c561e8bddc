"""CPF training files engaged (`financeurs/cpf/cpf_formations_engagees_YYYYMM.csv`), Caisse des Dépôts open data.

`;`, UTF-8. `statut_dossier` includes cancelled files (`Annulé`), which are not entries (staging keeps the status).
"""
from __future__ import annotations

from ingestion.feeds import NOT_BLANK, FeedSpec, Rule, csv_reader, french_number, matches
from ingestion.read import CsvFormat

FEED = FeedSpec(
    name="financeurs__cpf",
    source="financeurs",
    folder="financeurs/cpf",
    file_pattern=r"cpf_formations_engagees_(?P<period>\d{6})(?!\d).*\.csv",
    period_kind="month",
    reader=csv_reader(CsvFormat(delimiter=";")),
    columns=("date_extract", "code_region", "code_departement", "type_referentiel", "code_rncp",
             "intitule_certification", "statut_dossier", "modalite_presence", "nb_dossiers", "montant_engage",
             "duree_moyenne_heures"),
    required_columns=("code_departement", "code_rncp", "statut_dossier", "nb_dossiers"),
    key_columns=("code_departement", "type_referentiel", "code_rncp", "statut_dossier", "modalite_presence"),
    description="CPF training files engaged by certification × département × month",
    rules=(
        Rule("code_departement", NOT_BLANK, "missing département"),
        Rule("code_departement", matches(r"\d{1,2}|2[AB]|97\d"), "département is not an INSEE code"),
        Rule("nb_dossiers", matches(r"\d+"), "number of files is not a whole number"),
        Rule("montant_engage", french_number(), "amount is not a number", action="flag"),
        Rule("duree_moyenne_heures", french_number(), "mean length is not a number", action="flag"),
    ),
)
