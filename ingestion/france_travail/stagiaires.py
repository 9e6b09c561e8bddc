"""France Travail monthly trainee extract (`france_travail/stagiaires/stagiaires_pe_YYYYMM.csv`).

Layout: the 38 columns of the real extract (`realdata/pe-stagiaires-format/stagiaires-pe.csv`), `|`-separated,
UTF-8, literal `NULL` for missing values, then the profile columns a Pact needs (feeds.md). Names, e-mail, phones,
the local person id and the birth date are read but never stored: the person key becomes a keyed HMAC and the birth
date becomes the age at the record's start date.
"""
from __future__ import annotations

from ingestion.feeds import (
    IS_ISO_DATETIME,
    NOT_BLANK,
    DerivedColumn,
    FeedSpec,
    LoadContext,
    Rule,
    csv_reader,
    matches,
    one_of,
)
from ingestion.pseudonymise import hmac_sql
from ingestion.read import CsvFormat

EXTRACT_COLUMNS = (
    "c_nomcorrespondance", "c_prenomcorrespondance", "c_adresseemail", "c_telephone1", "c_telephone2",
    "c_validitemail_id", "dn_individu_national", "dn_session_id", "c_individulocal", "dc_formation_id",
    "dc_lblformation", "dd_datedebutplanformation", "dd_datefinplanformation", "dc_organisme_id",
    "dc_cp_lieuformation", "dc_insee_lieuformation", "dc_ville_lieuformation", "dc_formacode_ppal_id",
    "dc_formacode_secondaire1_id", "dc_formacode_secondaire2_id", "dc_formacode_secondaire3_id",
    "dc_formacode_secondaire4_id", "dn_certifinfo_1_id", "dn_certifinfo_2_id", "dn_certifinfo_3_id",
    "dn_certifinfo_4_id", "dn_certifinfo_5_id", "dc_siret", "dc_lblorganisme", "dc_raisonsociale", "departement",
    "dc_numeroicsession", "dc_numeroicaction", "liste_financeur", "c_dispositifformation",
    "dc_siretorganismeformateur", "dc_lblorganismeorganismeformateur", "dc_raisonsocialeorganismeformateur",
)
PROFILE_COLUMNS = (
    "dd_datenaissance", "c_sexe", "dc_niveauformation_id", "dc_categorie_de", "dd_dateinscription",
    "dc_commune_residence", "c_qpv", "c_rsa", "c_boe", "dc_rome_vise", "dd_datesortieeffective", "c_motifsortie",
)
ALL_COLUMNS = EXTRACT_COLUMNS + PROFILE_COLUMNS

PERSONAL_COLUMNS = (
    "c_nomcorrespondance", "c_prenomcorrespondance", "c_adresseemail", "c_telephone1", "c_telephone2",
    "c_validitemail_id", "c_individulocal", "dn_individu_national", "dd_datenaissance",
)

LEVELS = ("AFS", "CP4", "C12", "C3A", "CFG", "NV5", "NV4", "NV3", "NV2", "NV1")

START = "try_cast(substr(dd_datedebutplanformation, 1, 10) as date)"
BIRTH = "try_cast(substr(dd_datenaissance, 1, 10) as date)"


def _person_key(context: LoadContext) -> str:
    return hmac_sql("dn_individu_national", context.pseudo_key)


def _age(_: LoadContext) -> str:
    # Whole years between birth and the record's start (date_sub counts complete years).
    return f"date_sub('year', {BIRTH}, {START})"


def _days_since_birthday(_: LoadContext) -> str:
    # Kept so the age can be moved back to an entry that starts a few days earlier, without the birth date.
    return f"date_diff('day', {BIRTH} + to_years(date_sub('year', {BIRTH}, {START})::integer), {START})"


FEED = FeedSpec(
    name="france_travail__stagiaires",
    source="france_travail",
    folder="france_travail/stagiaires",
    file_pattern=r"stagiaires_pe_(?P<period>\d{6})(?!\d).*\.csv",
    period_kind="month",
    reader=csv_reader(CsvFormat(delimiter="|", null_markers=("NULL", ""))),
    columns=tuple(c for c in ALL_COLUMNS if c not in PERSONAL_COLUMNS),
    personal_columns=PERSONAL_COLUMNS,
    # Without these a row is not an entry; any other column missing from a file loads as empty and is noted.
    required_columns=("dn_individu_national", "dc_numeroicsession", "dd_datedebutplanformation", "dc_formacode_ppal_id"),
    key_columns=("dn_individu_national", "dc_numeroicsession"),
    description="France Travail trainee extract, one row per trainee × training session, monthly",
    rules=(
        Rule("dc_numeroicsession", NOT_BLANK, "missing session number: the record cannot be identified"),
        Rule("dd_datedebutplanformation", NOT_BLANK, "missing start date"),
        Rule("dd_datedebutplanformation", IS_ISO_DATETIME, "start date is not a date (expected YYYY-MM-DD ...)"),
        Rule("dd_datesortieeffective", IS_ISO_DATETIME, "exit date is not a date (expected YYYY-MM-DD ...)"),
        Rule("dd_datenaissance", IS_ISO_DATETIME, "birth date is not a date (expected YYYY-MM-DD ...)"),
        Rule("dc_commune_residence", matches(r"(\d{4,5}|2[AB]\d{3})"), "commune of residence is not an INSEE code"),
        Rule("dc_niveauformation_id", one_of(*LEVELS), "unknown training level code", action="flag"),
        Rule("c_qpv", one_of("O", "N"), "QPV flag is not O/N", action="flag"),
        Rule("c_rsa", one_of("O", "N"), "RSA flag is not O/N", action="flag"),
        Rule("c_boe", one_of("O", "N"), "disabled-worker flag is not O/N", action="flag"),
        Rule("liste_financeur", matches(r"\d+(;\d+)*"), "funder list is not LHEO codes joined by ';'", action="flag"),
    ),
    derived=(
        DerivedColumn("individu_hmac", "varchar", _person_key),
        DerivedColumn("age_debut", "integer", _age),
        DerivedColumn("jours_depuis_anniversaire", "integer", _days_since_birthday),
    ),
)
