"""BMO survey (`france_travail/bmo/Base_open_data_BMO_YYYY.xlsx`), real layout, one workbook a year.

Data sheet `BMO_YYYY_open_data`. Columns are renamed across waves (2019: `Famille_metier`, `code métier BMO`,
`BE19`…; recent: `Famille_met`, `Code métier BMO`, `BE24`…): aliases map every wave onto one set of names.
`met`/`xmet`/`smet` hold `*` where the survey keeps the figure secret: unknown, not zero.
"""
from __future__ import annotations

from ingestion.feeds import NOT_BLANK, FeedSpec, Rule, french_number, matches, xlsx_reader
from ingestion.read import XlsxFormat

FEED = FeedSpec(
    name="france_travail__bmo",
    source="france_travail",
    folder="france_travail/bmo",
    file_pattern=r"Base_open_data_BMO_(?P<period>\d{4})(?!\d).*\.xlsx",
    period_kind="year",
    reader=xlsx_reader(XlsxFormat(
        sheet_pattern=r"BMO_\d{4}_open_data|open_data",
        header_cells=(r"annee", r"code m[ée]tier bmo", r"BE\d{2}"),
    )),
    column_aliases=(
        ("code_metier_bmo", r"code m[ée]tier bmo"),
        ("nom_metier_bmo", r"nom[ _]m[ée]tier bmo"),
        ("famille_met", r"famille_met(ier)?"),
        ("lbl_fam_met", r"lbl_fam_met|libell[ée] de famille de m[ée]tier"),
        ("reg", r"reg"),
        ("nom_reg", r"nom_reg"),
        ("dept", r"dept"),
        ("nom_dept", r"nomdept|nom_dept"),
        ("bassin_code", r"BE\d{2}"),
        ("bassin_nom", r"NOMBE\d{2}"),
    ),
    columns=("annee", "code_metier_bmo", "nom_metier_bmo", "famille_met", "lbl_fam_met", "reg", "nom_reg", "dept",
             "nom_dept", "bassin_code", "bassin_nom", "met", "xmet", "smet"),
    required_columns=("annee", "code_metier_bmo", "bassin_code", "met", "xmet", "smet"),
    key_columns=("annee", "code_metier_bmo", "bassin_code"),
    description="BMO survey: recruitment projects by bassin BMO × occupation (FAP), yearly",
    rules=(
        Rule("bassin_code", NOT_BLANK, "missing bassin code"),
        Rule("code_metier_bmo", NOT_BLANK, "missing occupation code"),
        Rule("met", french_number(), "projects figure is neither a number nor `*`"),
        Rule("xmet", french_number(), "difficult-projects figure is neither a number nor `*`"),
        Rule("smet", french_number(), "seasonal-projects figure is neither a number nor `*`"),
        Rule("bassin_code", matches(r"\d{3,4}|2[AB]\d{2}"), "bassin code is not a BMO code", action="flag"),
    ),
)
