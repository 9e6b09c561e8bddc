"""Région training orders (`financeurs/region/commandes/commandes_YYYY.xlsx`): places bought, yearly."""
from __future__ import annotations

from ingestion.feeds import NOT_BLANK, FeedSpec, Rule, french_number, matches, one_of, xlsx_reader
from ingestion.read import XlsxFormat

FEED = FeedSpec(
    name="financeurs__region_commandes",
    source="financeurs",
    folder="financeurs/region/commandes",
    file_pattern=r"commandes_(?P<period>\d{4})(?!\d).*\.xlsx",
    period_kind="year",
    reader=xlsx_reader(XlsxFormat(sheet_pattern=r".", header_cells=(r"num[ée]ro action", r"places achet[ée]es"))),
    column_aliases=(("Numéro Action", r"num[ée]ro action"), ("Places achetées", r"places achet[ée]es")),
    columns=("Numéro Action", "Intitulé", "Formacode", "Code ROME Visé", "Bassin", "Dispositif", "Places achetées",
             "Heures par stagiaire", "Montant engagé (€)", "Financement PRIC"),
    required_columns=("Numéro Action", "Bassin", "Places achetées"),
    key_columns=("Numéro Action",),
    description="Région training orders: places bought by action × bassin, yearly",
    rules=(
        Rule("Numéro Action", NOT_BLANK, "missing action number"),
        Rule("Places achetées", NOT_BLANK, "missing number of places"),
        Rule("Places achetées", matches(r"\d+"), "places bought is not a whole number"),
        Rule("Montant engagé (€)", french_number(markers=False), "amount is not a number"),
        Rule("Heures par stagiaire", french_number(markers=False), "hours is not a number", action="flag"),
        Rule("Bassin", matches(r"\d{3,4}"), "bassin is not a BMO code", action="flag"),
        Rule("Financement PRIC", one_of("Oui", "Non"), "PRIC funding is not Oui/Non", action="flag"),
    ),
)
