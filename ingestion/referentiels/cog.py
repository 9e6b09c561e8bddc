"""INSEE Code officiel géographique (`referentiels/cog/`), in the layout published by sfaut/data-cog.

Three files per vintage: régions and départements as `,` CSV, communes (with arrondissements municipaux and
associated/delegated communes) as Parquet. A reference file is a whole version: the newest file wins.
"""
from __future__ import annotations

from ingestion.feeds import NOT_BLANK, FeedSpec, Rule, csv_reader, matches, parquet_reader
from ingestion.read import CsvFormat

_COG_CSV = CsvFormat(delimiter=",")

REGIONS = FeedSpec(
    name="referentiels__cog_regions",
    source="referentiels",
    folder="referentiels/cog",
    file_pattern=r"cog-regions@(?P<period>\d{4})\.csv",
    period_kind="version",
    reader=csv_reader(_COG_CSV),
    columns=("code", "name", "is_metropolitan"),
    key_columns=("code",),
    description="INSEE régions (COG)",
    rules=(Rule("code", NOT_BLANK, "missing région code"), Rule("code", matches(r"\d{2}"), "région code is not 2 digits")),
)

DEPARTEMENTS = FeedSpec(
    name="referentiels__cog_departements",
    source="referentiels",
    folder="referentiels/cog",
    file_pattern=r"cog-departments@(?P<period>\d{4})\.csv",
    period_kind="version",
    reader=csv_reader(_COG_CSV),
    columns=("code", "name", "region_code"),
    key_columns=("code",),
    description="INSEE départements (COG)",
    rules=(
        Rule("code", NOT_BLANK, "missing département code"),
        Rule("code", matches(r"(\d{2}|2[AB]|97\d)"), "département code is not an INSEE code"),
    ),
)

COMMUNES = FeedSpec(
    name="referentiels__cog_communes",
    source="referentiels",
    folder="referentiels/cog",
    file_pattern=r"cog-communes-unique@(?P<period>\d{4})\.parquet",
    period_kind="version",
    reader=parquet_reader(),
    columns=("code", "type_code", "parent_code", "name", "department_code", "region_code"),
    key_columns=("code", "type_code"),
    description="INSEE communes, arrondissements municipaux, associated and delegated communes (COG)",
    rules=(Rule("code", NOT_BLANK, "missing commune code"),),
)

FEEDS = (REGIONS, DEPARTEMENTS, COMMUNES)
