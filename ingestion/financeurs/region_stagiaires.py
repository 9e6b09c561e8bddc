"""Région trainee file (`financeurs/region/stagiaires/stagiaires_region_YYYYMM.csv`), monthly.

The 17 columns of a Région's own extract (`realdata/pe-stagiaires-format/stagiaires-idf.csv`), then the profile
columns of feeds.md. `;`, Windows-1252, French headers, dates `dd/mm/yyyy`, amounts `1 234,50`. Both person keys
(the Région's trainee id and the France Travail id) become keyed HMACs; names, phone, e-mail and birth date stop here.
"""
from __future__ import annotations

from ingestion.feeds import (
    NOT_BLANK, DerivedColumn, FeedSpec, Rule, csv_reader, french_date, french_number, matches, one_of,
)
from ingestion.pseudonymise import hmac_sql
from ingestion.read import CsvFormat

EXTRACT_COLUMNS = (
    "Identifiant Stagiaire", "Identifiant Composante", "Raison Sociale", "SIRET", "Numéro Action", "Libellé Action",
    "Individu.Nom", "Prénom", "Tel Portable", "Mail", "Date Entree", "Date Sortie Prevue", "Date Sortie", "Site.Nom",
    "Code Postal", "Ville", "Id Session DOKELIO",
)
PROFILE_COLUMNS = (
    "Identifiant France Travail", "Date Naissance", "Sexe", "Niveau Formation", "QPV", "RSA", "RQTH", "Code Commune",
    "Formacode", "Code ROME Visé", "Dispositif", "Coût Pédagogique", "Heures Centre", "Heures Entreprise",
)
PERSONAL_COLUMNS = ("Identifiant Stagiaire", "Individu.Nom", "Prénom", "Tel Portable", "Mail", "Date Naissance",
                    "Identifiant France Travail")
LEVELS = ("Sans diplôme", "VI", "V bis", "V", "IV", "III", "II", "I") + tuple(f"Niveau {n}" for n in range(1, 9))
SCHEMES = ("PRF", "PRIC", "Itinéraires compétences", "Plateforme langue", "Expérimentation")

START = "try_strptime(trim(\"Date Entree\"), '%d/%m/%Y')::date"
BIRTH = "try_strptime(trim(\"Date Naissance\"), '%d/%m/%Y')::date"

FEED = FeedSpec(
    name="financeurs__region_stagiaires",
    source="financeurs",
    folder="financeurs/region/stagiaires",
    file_pattern=r"stagiaires_region_(?P<period>\d{6})(?!\d).*\.csv",
    period_kind="month",
    reader=csv_reader(CsvFormat(delimiter=";")),
    columns=tuple(c for c in EXTRACT_COLUMNS + PROFILE_COLUMNS if c not in PERSONAL_COLUMNS),
    personal_columns=PERSONAL_COLUMNS,
    required_columns=("Identifiant Stagiaire", "Numéro Action", "Date Entree"),
    key_columns=("Identifiant Stagiaire", "Numéro Action"),
    description="Région trainee file, one row per trainee × training action, monthly",
    rules=(
        Rule("Identifiant Stagiaire", NOT_BLANK, "missing trainee id: the record cannot be identified"),
        Rule("Numéro Action", NOT_BLANK, "missing action number"),
        Rule("Date Entree", NOT_BLANK, "missing start date"),
        Rule("Date Entree", french_date(), "start date is not dd/mm/yyyy"),
        Rule("Date Sortie", french_date(), "exit date is not dd/mm/yyyy"),
        Rule("Date Sortie Prevue", french_date(), "planned exit date is not dd/mm/yyyy", action="flag"),
        Rule("Date Naissance", french_date(), "birth date is not dd/mm/yyyy", action="flag"),
        Rule("Code Commune", matches(r"(\d{4,5}|2[AB]\d{3})"), "commune is not an INSEE code"),
        Rule("Niveau Formation", one_of(*LEVELS), "unknown training level", action="flag"),
        Rule("Dispositif", one_of(*SCHEMES), "unknown scheme", action="flag"),
        Rule("Sexe", one_of("H", "F"), "sex is not H/F", action="flag"),
        Rule("QPV", one_of("Oui", "Non"), "QPV is not Oui/Non", action="flag"),
        Rule("RSA", one_of("Oui", "Non"), "RSA is not Oui/Non", action="flag"),
        Rule("RQTH", one_of("Oui", "Non"), "RQTH is not Oui/Non", action="flag"),
        Rule("Formacode", matches(r"\d{5}"), "Formacode is not 5 digits", action="flag"),
        Rule("Coût Pédagogique", french_number(markers=False), "training cost is not an amount"),
        Rule("Heures Centre", french_number(markers=False), "centre hours is not a number"),
        Rule("Heures Entreprise", french_number(markers=False), "company hours is not a number"),
    ),
    derived=(
        DerivedColumn("stagiaire_hmac", "varchar", lambda ctx: hmac_sql('"Identifiant Stagiaire"', ctx.pseudo_key)),
        DerivedColumn("individu_hmac", "varchar",
                      lambda ctx: hmac_sql('"Identifiant France Travail"', ctx.pseudo_key)),
        DerivedColumn("age_debut", "integer", lambda ctx: f"date_sub('year', {BIRTH}, {START})"),
        DerivedColumn(
            "jours_depuis_anniversaire", "integer",
            lambda ctx: f"date_diff('day', {BIRTH} + to_years(date_sub('year', {BIRTH}, {START})::integer), {START})",
        ),
    ),
)
