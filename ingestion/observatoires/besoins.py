"""Branch observatory studies (`observatoires/<branche>/besoins_<branche>_YYYY.xlsx`).

Sheet `Besoins`: title and note rows (merged cells), then the header, data, a `Total` row and a `Source :` note.
The seven branches are the Grand Est's sector contracts; each branch folder is its own series.
"""
from __future__ import annotations

from ingestion.feeds import NOT_BLANK, FeedSpec, Rule, french_number, matches, one_of, xlsx_reader
from ingestion.read import XlsxFormat

BRANCHES = ("industrie", "btp", "numerique", "sanitaire_social", "agriculture", "artisanat", "foret_bois")

FEED = FeedSpec(
    name="observatoires__besoins",
    source="observatoires",
    folder="observatoires/*",
    file_pattern=r"besoins_(?P<branche>[a-z_]+?)_(?P<period>\d{4})(?!\d).*\.xlsx",
    period_kind="year",
    reader=xlsx_reader(XlsxFormat(sheet_pattern=r"^besoins", header_cells=(r"r[ée]gion", r"code rome"))),
    column_aliases=(
        ("region", r"r[ée]gion"),
        ("code_rome", r"code rome"),
        ("metier", r"m[ée]tier"),
        ("besoins_3_ans", r"besoins de recrutement.*"),
        ("dont_creations", r"dont cr[ée]ations.*"),
        ("difficulte", r"difficult[ée].*"),
        ("competences_cles", r"comp[ée]tences.*"),
    ),
    columns=("region", "code_rome", "metier", "besoins_3_ans", "dont_creations", "difficulte", "competences_cles"),
    required_columns=("region", "code_rome", "besoins_3_ans"),
    key_columns=("region", "code_rome"),
    description="Branch observatory (OPMQ) recruitment needs at 3 years by région × ROME",
    rules=(
        Rule("code_rome", NOT_BLANK, "missing ROME code"),
        Rule("code_rome", matches(r"[A-N]\d{4}"), "ROME code is not of the form A1234"),
        Rule("besoins_3_ans", french_number(), "needs figure is neither a number nor a marker"),
        Rule("dont_creations", french_number(), "job-creation figure is neither a number nor a marker"),
        Rule("difficulte", one_of("1", "2", "3", "4"), "difficulty is not 1 to 4", action="flag"),
    ),
)
