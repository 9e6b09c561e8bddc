"""Job-seeker stock (`france_travail/demandeurs_emploi/defm_YYYYTQ.csv`), quarterly, after the DARES series.

`;`, UTF-8 with BOM, counts rounded to the hundred and written `12 300`; `nd` where the source withholds a cell.
"""
from __future__ import annotations

from ingestion.feeds import NOT_BLANK, FeedSpec, Rule, csv_reader, french_number, matches, one_of
from ingestion.read import CsvFormat

FEED = FeedSpec(
    name="france_travail__demandeurs_emploi",
    source="france_travail",
    folder="france_travail/demandeurs_emploi",
    file_pattern=r"defm_(?P<period>\d{4}T[1-4])(?!\d).*\.csv",
    period_kind="quarter",
    reader=csv_reader(CsvFormat(delimiter=";")),
    columns=("trimestre", "code_departement", "categorie", "niveau_formation", "tranche_age", "nb_demandeurs"),
    key_columns=("trimestre", "code_departement", "categorie", "niveau_formation", "tranche_age"),
    description="Job-seeker stock (DEFM) by département × quarter × category × level × age band",
    rules=(
        Rule("trimestre", matches(r"\d{4}T[1-4]"), "quarter is not of the form 2019T1"),
        Rule("code_departement", NOT_BLANK, "missing département"),
        Rule("code_departement", matches(r"\d{1,2}|2[AB]|97\d"), "département is not an INSEE code"),
        Rule("categorie", one_of("ABC", "A", "B", "C", "D", "E"), "unknown job-seeker category", action="flag"),
        Rule("niveau_formation", one_of("infra_bac", "bac", "sup_bac"), "unknown level band", action="flag"),
        Rule("tranche_age", one_of("moins_26", "26_49", "50_plus"), "unknown age band", action="flag"),
        Rule("nb_demandeurs", french_number(), "count is neither a number nor a secrecy marker"),
    ),
)
