"""The bad-input corpus: every item of the last section of feeds.md ("What any feed may contain"), each case
asserting what loaded, what went to quarantine, and the message. A case is files dropped in a fresh landing zone;
`expect` says what the load must report."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ingestion import registry
from ingestion.feeds import LoadContext
from ingestion.load import load_feed
from tests.landing import ft_row, set_arrival, write_ft_file

CONTEXT = LoadContext(pseudo_key=b"corpus")

DEFM_HEADER = "trimestre;code_departement;categorie;niveau_formation;tranche_age;nb_demandeurs"
HIRING_HEADER = "id_individu;date_embauche;type_contrat;duree_contrat_jours;code_rome;commune_employeur"
CPF_HEADER = ("date_extract;code_region;code_departement;type_referentiel;code_rncp;intitule_certification;"
              "statut_dossier;modalite_presence;nb_dossiers;montant_engage;duree_moyenne_heures")


def defm(*rows: str, header: str = DEFM_HEADER, bom: bool = True) -> bytes:
    return (("\ufeff" if bom else "") + "\n".join((header,) + rows) + "\n").encode("utf-8")


def hirings(*rows: str, encoding: str = "cp1252") -> bytes:
    return ("\r\n".join((HIRING_HEADER,) + rows) + "\r\n").encode(encoding)


def region(*overrides: dict, encoding: str = "cp1252") -> bytes:
    from ingestion.financeurs.region_stagiaires import EXTRACT_COLUMNS, PROFILE_COLUMNS

    columns = EXTRACT_COLUMNS + PROFILE_COLUMNS
    base = {c: "" for c in columns}
    base.update({"Identifiant Stagiaire": "R1", "Numéro Action": "A2019-0001", "Individu.Nom": "DUPONT",
                 "Date Entree": "04/03/2019", "Date Naissance": "01/01/1990", "Niveau Formation": "V",
                 "Code Commune": "57463", "Formacode": "31734", "Dispositif": "PRIC", "QPV": "Non", "RSA": "Non",
                 "RQTH": "Non", "Sexe": "F", "Coût Pédagogique": "1 234,50", "Heures Centre": "400",
                 "Heures Entreprise": "70"})
    lines = [";".join(columns)]
    for i, override in enumerate(overrides or ({},)):
        row = dict(base, **{"Identifiant Stagiaire": f"R{i + 1}"})
        row.update(override)
        lines.append(";".join(row[c] for c in columns))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def workbook(sheets: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


BMO_RECENT = ["annee", "Code métier BMO", "Nom métier BMO", "Famille_met", "Lbl_fam_met", "REG", "NOM_REG", "Dept",
              "NomDept", "BE24", "NOMBE24", "met", "xmet", "smet"]
BMO_2019 = ["annee", "Famille_metier", "Libellé de famille de métier", "code métier BMO", "nom_metier BMO", "REG",
            "NOM_REG", "Dept", "NomDept", "BE19", "NOMBE19", "met", "xmet", "smet"]


def bmo_row(header: list[str], met="12", xmet="5", smet="*", bassin="0203") -> list:
    values = {"annee": 2019, "code métier BMO": "A0Z40", "Code métier BMO": "A0Z40", "BE24": bassin, "BE19": bassin,
              "met": met, "xmet": xmet, "smet": smet}
    return [values.get(h, "x") for h in header]


OBS_HEADER = ["Région", "Code ROME", "Métier", "Besoins de recrutement à 3 ans", "dont créations de postes",
              "Difficulté de recrutement (1 à 4)", "Compétences clés"]


@dataclass
class Case:
    id: str
    feed: str
    files: list[tuple[str, bytes]]  # (path under the feed's folder, content), arriving in this order
    loaded: int  # rows in the raw table afterwards
    rejected: list[str] = field(default_factory=list)  # a message part for each file rejected whole
    quarantined: list[tuple[int, str]] = field(default_factory=list)  # (line, reason part), rows not loaded
    flagged: list[tuple[int, str]] = field(default_factory=list)  # (line, reason part), rows loaded
    note: str | None = None  # a part of the manifest message of the (last) loaded file


CASES = [
    # Empty files; a header only; a truncated last line.
    Case("empty-file", "france_travail__demandeurs_emploi", [("defm_2019T1.csv", b"")], 0, rejected=["empty file"]),
    Case("header-only", "france_travail__demandeurs_emploi", [("defm_2019T1.csv", defm())], 0),
    Case("blank-first-line", "france_travail__reprises_emploi", [("reprises_emploi_201901.csv", b"\r\n1;2\r\n")], 0,
         rejected=["no header line"]),
    Case("truncated-last-line", "france_travail__demandeurs_emploi",
         [("defm_2019T1.csv", defm("2019T1;08;ABC;bac;26_49;1 200") + b"2019T1;10;ABC;ba")], 1,
         quarantined=[(3, "MISSING COLUMNS")]),
    Case("extra-field-on-a-line", "france_travail__demandeurs_emploi",
         [("defm_2019T1.csv", defm("2019T1;08;ABC;bac;26_49;1 200;oops", "2019T1;10;ABC;bac;26_49;900"))], 1,
         quarantined=[(2, "TOO MANY COLUMNS")]),
    Case("unclosed-quote-swallows-the-rest", "financeurs__cpf",
         [("cpf_formations_engagees_201901.csv", (CPF_HEADER + "\n2019-01-31;44;57;RNCP;RNCP1;\"Titre;Engagé;"
                                                  "Mixte;3;1 000;35\n2019-01-31;44;57;RNCP;RNCP2;Titre;Engagé;Mixte;"
                                                  "2;900;35\n").encode())], 0,
         quarantined=[(2, "UNQUOTED VALUE")], note="the file has 2 data lines but 1 records"),
    # A BOM; the wrong encoding.
    Case("utf8-bom", "france_travail__demandeurs_emploi", [("defm_2019T1.csv", defm("2019T1;08;ABC;bac;26_49;1 200"))],
         1),
    Case("no-bom", "france_travail__demandeurs_emploi",
         [("defm_2019T1.csv", defm("2019T1;08;ABC;bac;26_49;1 200", bom=False))], 1),
    Case("region-file-in-utf8-not-cp1252", "financeurs__region_stagiaires",
         [("stagiaires_region_201903.csv", region({"Libellé Action": "Maçonnerie œuvre"}, encoding="utf-8"))], 1),
    Case("utf16-file", "france_travail__reprises_emploi",
         [("reprises_emploi_201901.csv", hirings("1;04/01/2019;CDI;;N1103;57463", encoding="utf-16"))], 1),
    Case("binary-file", "france_travail__reprises_emploi",
         [("reprises_emploi_201901.csv", bytes(range(256)) * 4)], 0, rejected=["not a ';'-separated file"]),
    # Columns renamed, reordered, added or missing.
    Case("bmo-2019-column-names", "france_travail__bmo",
         [("Base_open_data_BMO_2019.xlsx", workbook({"BMO_2019_open_data": [BMO_2019, bmo_row(BMO_2019)]}))], 1,
         note="column 'BE19' read as 'bassin_code'"),
    Case("bmo-recent-column-names", "france_travail__bmo",
         [("Base_open_data_BMO_2024.xlsx", workbook({"BMO_2024_open_data": [BMO_RECENT, bmo_row(BMO_RECENT)],
                                                    "Description_des_variables": [["Variable"]]}))], 1,
         note="column 'BE24' read as 'bassin_code'"),
    Case("unknown-rename-of-required-column", "france_travail__reprises_emploi",
         [("reprises_emploi_201901.csv", hirings("1;04/01/2019;CDI;;N1103;57463").replace(
             b"date_embauche", b"date_d_embauche"))], 0, rejected=["missing column(s) date_embauche"]),
    Case("columns-reordered", "france_travail__demandeurs_emploi",
         [("defm_2019T1.csv", defm("1 200;bac;08;2019T1;ABC;26_49", header="nb_demandeurs;niveau_formation;"
                                   "code_departement;trimestre;categorie;tranche_age"))], 1),
    Case("column-added", "financeurs__cpf",
         [("cpf_formations_engagees_201901.csv", (CPF_HEADER + ";nouvelle_colonne\n2019-01-31;44;57;RNCP;RNCP1;T;"
                                                  "Engagé;Mixte;3;1 000;35;x\n").encode())], 1,
         note="extra column(s) ignored: nouvelle_colonne"),
    Case("optional-column-missing", "financeurs__cpf",
         [("cpf_formations_engagees_201901.csv", (CPF_HEADER.replace(";duree_moyenne_heures", "") +
                                                  "\n2019-01-31;44;57;RNCP;RNCP1;T;Engagé;Mixte;3;1 000\n").encode())],
         1, note="column(s) absent, loaded as empty: duree_moyenne_heures"),
    Case("personal-column-missing-still-loads", "france_travail__reprises_emploi",
         [("reprises_emploi_201901.csv", b"date_embauche;type_contrat\r\n04/01/2019;CDI\r\n")], 0,
         rejected=["missing column(s) id_individu"]),
    # Dates in another format.
    Case("iso-date-where-dd-mm-yyyy", "france_travail__reprises_emploi",
         [("reprises_emploi_201901.csv", hirings("1;2019-01-04;CDI;;N1103;57463", "2;05/01/2019;CDD;90;N1103;57463"))],
         1, quarantined=[(2, "hiring date is not dd/mm/yyyy")]),
    Case("unpadded-day", "financeurs__region_stagiaires",
         [("stagiaires_region_201903.csv", region({"Date Entree": "4/3/2019"}, {}))], 1,
         quarantined=[(2, "start date is not dd/mm/yyyy")]),
    Case("impossible-date", "financeurs__region_stagiaires",
         [("stagiaires_region_201903.csv", region({"Date Sortie": "31/02/2019"}))], 0,
         quarantined=[(2, "exit date is not dd/mm/yyyy")]),
    Case("french-date-in-france-travail-extract", "france_travail__stagiaires",
         [("stagiaires_pe_201901.csv", None)], 1, quarantined=[(3, "start date is not a date")]),
    # Codes that lost their leading zero; unknown codes.
    Case("departement-without-leading-zero", "france_travail__demandeurs_emploi",
         [("defm_2019T1.csv", defm("2019T1;8;ABC;bac;26_49;1 200"))], 1),
    Case("unknown-level-and-band", "france_travail__demandeurs_emploi",
         [("defm_2019T1.csv", defm("2019T1;08;ABC;licence;26_49;1 200"))], 1,
         flagged=[(2, "unknown level band")]),
    Case("unknown-contract-type", "france_travail__reprises_emploi",
         [("reprises_emploi_201901.csv", hirings("1;04/01/2019;INTERIM;12;N1103;57463"))], 1,
         flagged=[(2, "unknown contract type")]),
    Case("unknown-region-level-and-scheme", "financeurs__region_stagiaires",
         [("stagiaires_region_201903.csv", region({"Niveau Formation": "Bac pro", "Dispositif": "Autre"}))], 1,
         flagged=[(2, "unknown training level"), (2, "unknown scheme")]),
    Case("rome-code-malformed", "observatoires__besoins",
         [("btp/besoins_btp_2021.xlsx", workbook({"Besoins": [OBS_HEADER, ["Grand Est", "F17O3", "x", 10, 2, 2, ""],
                                                               ["Grand Est", "F1703", "x", 10, 2, 2, ""]]}))], 1,
         quarantined=[(2, "ROME code is not of the form A1234")]),
    # Secrecy markers are unknown values, not errors and not zeros; a figure that is neither is an error.
    Case("secret-markers", "france_travail__demandeurs_emploi",
         [("defm_2019T1.csv", defm("2019T1;08;ABC;bac;26_49;nd", "2019T1;10;ABC;bac;26_49;NC",
                                   "2019T1;51;ABC;bac;26_49;-"))], 3),
    Case("number-that-is-not", "france_travail__demandeurs_emploi",
         [("defm_2019T1.csv", defm("2019T1;08;ABC;bac;26_49;douze", "2019T1;10;ABC;bac;26_49;12 300"))], 1,
         quarantined=[(2, "count is neither a number nor a secrecy marker")]),
    Case("amount-in-english-format", "financeurs__region_stagiaires",
         [("stagiaires_region_201903.csv", region({"Coût Pédagogique": "1,234.50"}))], 0,
         quarantined=[(2, "training cost is not an amount")]),
    Case("bmo-secret-and-bad-cells", "france_travail__bmo",
         [("Base_open_data_BMO_2024.xlsx", workbook({"BMO_2024_open_data": [
             BMO_RECENT, bmo_row(BMO_RECENT, met="*", xmet="*"), bmo_row(BMO_RECENT, met="beaucoup", bassin="0204")]}))],
         1, quarantined=[(3, "projects figure is neither a number nor `*`")]),
    # Duplicated rows.
    Case("duplicated-row", "france_travail__demandeurs_emploi",
         [("defm_2019T1.csv", defm("2019T1;08;ABC;bac;26_49;1 200", "2019T1;10;ABC;bac;26_49;900",
                                   "2019T1;08;ABC;bac;26_49;1 200"))], 2, quarantined=[(4, "duplicate record")]),
    Case("duplicated-person-row-withholds-key", "france_travail__reprises_emploi",
         [("reprises_emploi_201901.csv", hirings("1;04/01/2019;CDI;;N1103;57463", "1;04/01/2019;CDI;;N1103;57463"))],
         1, quarantined=[(3, "duplicate record")]),
    Case("missing-person-key", "france_travail__reprises_emploi",
         [("reprises_emploi_201901.csv", hirings(";04/01/2019;CDI;;N1103;57463"))], 0,
         quarantined=[(2, "missing person key")]),
    # Workbooks: title rows, footers, sheets found by name, broken files.
    Case("observatory-title-rows-and-footers", "observatoires__besoins",
         [("industrie/besoins_industrie_2021.xlsx", workbook({
             "Lisez-moi": [["Étude"]],
             "Besoins": [["Besoins en compétences — industrie"], ["Note : NC = non communiqué"], [], OBS_HEADER,
                         ["Grand Est", "H2909", "Soudeur", "1 200", "NC", 3, "Soudure"],
                         ["Grand Est", "H2913", "Chaudronnier", 80, 10, 4, ""],
                         ["Total", None, None, 1280, None, None, None], ["Source : OPMQ"]]}))], 2,
         note="row 7 skipped as a footer"),
    Case("workbook-without-the-sheet", "observatoires__besoins",
         [("btp/besoins_btp_2021.xlsx", workbook({"Feuil1": [OBS_HEADER]}))], 0,
         rejected=["no sheet whose name matches"]),
    Case("workbook-without-the-header", "observatoires__besoins",
         [("btp/besoins_btp_2021.xlsx", workbook({"Besoins": [["Région", "ROME"], ["Grand Est", "F1703"]]}))], 0,
         rejected=["no header row with"]),
    Case("not-a-workbook", "france_travail__bmo", [("Base_open_data_BMO_2024.xlsx", b"annee;met\n2024;3\n")], 0,
         rejected=["unreadable as a workbook"]),
    # Names that state no period; files that are not the feed's.
    Case("file-name-without-period", "france_travail__demandeurs_emploi",
         [("defm_dernier.csv", defm("2019T1;08;ABC;bac;26_49;1 200"))], 0, rejected=["states no period"]),
    Case("stray-file-in-feed-folder", "france_travail__reprises_emploi",
         [("LISEZMOI.txt", b"notes"), ("reprises_emploi_201901.csv", hirings("1;04/01/2019;CDI;;N1103;57463"))], 1,
         rejected=["does not follow the feed's naming"]),
    # Other formats.
    Case("xml-not-well-formed", "referentiels__offre_sessions", [("offre.xml", b"<lheo><offres><formation>")], 0,
         rejected=["not well-formed XML"]),
    Case("xml-not-lheo", "referentiels__offre_sessions", [("offre.xml", b"<catalogue/>")], 0,
         rejected=["not <lheo>"]),
    Case("sas-file-without-formats", "referentiels__fap_rome_passage",
         [("passage_fap2009_romev3.txt", b"/* nothing here */\r\nrun;\r\n")], 0, rejected=["no SAS `value` statement"]),
]


def _write_case(root: Path, feed, case: Case) -> None:
    folder = root / feed.folder.replace("/*", "")
    for order, (name, content) in enumerate(case.files):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:  # the France Travail extract is written by its helper
            write_ft_file(path, [ft_row("1", "S1", "2019-01-07"), ft_row("2", "S2", "07/01/2019")], "2019-02-05")
            path.write_text(path.read_text(encoding="utf-8").replace("07/01/2019 00:00:00.0", "07/01/2019"),
                            encoding="utf-8")
        else:
            path.write_bytes(content)
        set_arrival(path, f"2020-01-{order + 1:02d}")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(con, tmp_path, case: Case):
    feed = registry.by_name(case.feed)
    _write_case(tmp_path, feed, case)
    report = load_feed(con, feed, tmp_path, CONTEXT, siblings=registry.siblings(feed))

    assert [f for f in report.files if f.status not in ("loaded", "rejected")] == []
    rejected = [f.message for f in report.rejected]
    assert len(rejected) == len(case.rejected), rejected
    for message, expected in zip(rejected, case.rejected):
        assert expected in message
    for outcome in report.rejected:  # a rejected file is named in the report and in the manifest
        assert outcome.file_path.startswith(feed.folder.split("/*")[0])
    assert con.execute(f"select count(*) from raw.{feed.name}").fetchone()[0] == case.loaded

    found = con.execute("select line, reason, action, file_path from raw.ingestion__quarantine").fetchall()
    for line, reason in case.quarantined:
        assert any(l == line and reason in r and a == "row_rejected" for l, r, a, _ in found), (line, reason, found)
    for line, reason in case.flagged:
        assert any(l == line and reason in r and a == "value_flagged" for l, r, a, _ in found), (line, reason, found)
    assert sum(1 for _, _, a, _ in found if a == "row_rejected") >= len(case.quarantined)
    if not case.quarantined:
        assert all(a != "row_rejected" for _, _, a, _ in found), found
    if case.note:
        messages = [f.message or "" for f in report.files if f.status == "loaded"]
        assert any(case.note in m for m in messages), messages
    # Nothing lost: every data row read is loaded or quarantined.
    for outcome in report.files:
        if outcome.status == "loaded":
            assert outcome.rows_loaded + outcome.rows_quarantined == outcome.rows_read


def test_same_file_twice_and_under_another_name(con, tmp_path):
    feed = registry.by_name("france_travail__demandeurs_emploi")
    folder = tmp_path / feed.folder
    folder.mkdir(parents=True)
    (folder / "defm_2019T1.csv").write_bytes(defm("2019T1;08;ABC;bac;26_49;1 200"))
    set_arrival(folder / "defm_2019T1.csv", "2019-05-10")
    load_feed(con, feed, tmp_path, CONTEXT)
    snapshot = con.execute("select * from raw.ingestion__manifest order by all").fetchall()
    assert load_feed(con, feed, tmp_path, CONTEXT).count("unchanged") == 1
    assert con.execute("select * from raw.ingestion__manifest order by all").fetchall() == snapshot
    (folder / "defm_2019T1 (1).csv").write_bytes((folder / "defm_2019T1.csv").read_bytes())
    set_arrival(folder / "defm_2019T1 (1).csv", "2019-05-11")
    load_feed(con, feed, tmp_path, CONTEXT)
    current = con.execute("select file_name from raw.ingestion__manifest where is_current").fetchall()
    assert current == [("defm_2019T1 (1).csv",)]
    # Staging reads current files only: the count for the quarter is still one row.
    rows = con.execute("""select count(*) from raw.france_travail__demandeurs_emploi r
                          join raw.ingestion__manifest m on m.file_path = r._source_file and m.is_current""").fetchone()
    assert rows == (1,)


def test_later_file_corrects_an_earlier_month(con, tmp_path):
    feed = registry.by_name("france_travail__reprises_emploi")
    folder = tmp_path / feed.folder
    folder.mkdir(parents=True)
    (folder / "reprises_emploi_201901.csv").write_bytes(hirings("1;04/01/2019;CDI;;N1103;57463",
                                                                "2;05/01/2019;CDD;90;N1103;57463"))
    set_arrival(folder / "reprises_emploi_201901.csv", "2019-02-10")
    load_feed(con, feed, tmp_path, CONTEXT)
    (folder / "reprises_emploi_201901_v2.csv").write_bytes(hirings("1;04/01/2019;CDI;;N1103;57463"))
    set_arrival(folder / "reprises_emploi_201901_v2.csv", "2019-03-10")
    load_feed(con, feed, tmp_path, CONTEXT)
    current = con.execute("""select count(*) from raw.france_travail__reprises_emploi r
                             join raw.ingestion__manifest m on m.file_path = r._source_file and m.is_current"""
                          ).fetchone()
    assert current == (1,)
    # The same name with new content replaces that file's rows.
    (folder / "reprises_emploi_201901_v2.csv").write_bytes(hirings("3;06/01/2019;CTT;5;N1103;57463",
                                                                   "4;07/01/2019;CTT;5;N1103;57463"))
    set_arrival(folder / "reprises_emploi_201901_v2.csv", "2019-03-20")
    load_feed(con, feed, tmp_path, CONTEXT)
    assert con.execute("select count(*) from raw.france_travail__reprises_emploi").fetchone() == (4,)
