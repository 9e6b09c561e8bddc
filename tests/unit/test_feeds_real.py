"""Every reader on the real public files of ../shared/realdata, read in place through its feed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingestion import registry
from ingestion.feeds import LoadContext
from ingestion.load import load_feed

CONTEXT = LoadContext(pseudo_key=b"real-files-test")


def land(realdata: Path, tmp_path: Path, source: str, target: str) -> Path:
    path = tmp_path / target
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(realdata / source, path)
    return tmp_path


def load(con, root: Path, feed_name: str):
    feed = registry.by_name(feed_name)
    report = load_feed(con, feed, root, CONTEXT, siblings=registry.siblings(feed))
    return report, con.execute(f"select * from raw.{feed_name} order by _source_line").fetchdf()


def test_rome_codes(con, realdata, tmp_path):
    root = land(realdata, tmp_path, "rome-v3/unix_referentiel_code_rome_v347_utf8.csv",
                "referentiels/rome/unix_referentiel_code_rome_v347_utf8.csv")
    report, rows = load(con, root, "referentiels__rome")
    assert report.files[0].rows_loaded == 531 and report.files[0].rows_quarantined == 0
    assert rows["code_rome"].str.fullmatch(r"[A-N]\d{4}").all()
    # The export escapes apostrophes SQL-style; staging undoes it, the raw table keeps the file as sent.
    assert rows["libelle_rome"].str.contains("''", regex=False).sum() == 122
    assert con.execute("select period from raw.ingestion__manifest").fetchone()[0] == "347"


def test_fap_rome_sas_formats(con, realdata, tmp_path):
    root = land(realdata, tmp_path, "fap-rome/passage_fap2009_romev3.txt",
                "referentiels/fap_rome/passage_fap2009_romev3.txt")
    report, rows = load(con, root, "referentiels__fap_rome_passage")
    assert report.files[0].rows_loaded == 2343
    rsq = rows[rows["format_name"] == "FAP9RSQ"]
    assert dict(zip(rsq["source_code"], rsq["target_code"]))["A1403"] == "A0Z41"
    assert set(rows["format_name"]) == {"FAP9RSQ", "FAP9RAQ"}
    other = rows[rows["source_code"].isna()]
    assert set(other["target_code"]) == {"ZZZZZ"}
    # Line numbers point into the source file (CRLF, comments and all).
    assert int(rsq.iloc[0]["_source_line"]) == 29
    raq = rows[rows["format_name"] == "FAP9RAQ"]
    assert raq["source_code"].dropna().str.len().eq(6).all()


def test_fap_labels_keep_oe(con, realdata, tmp_path):
    root = land(realdata, tmp_path, "fap-rome/intitule_fap2009.txt", "referentiels/fap_rome/intitule_fap2009.txt")
    _, rows = load(con, root, "referentiels__fap_intitules")
    labels = dict(zip(rows["source_code"], rows["target_code"]))
    assert "œuvre" in labels["B0Z"]
    assert "\x9c" not in "".join(rows["target_code"])


def test_pcs_rome_table_forward_fill(con, realdata, tmp_path):
    root = land(realdata, tmp_path, "fap-rome/table-correspondance-pcs-rome.csv",
                "referentiels/fap_rome/table-correspondance-pcs-rome.csv")
    report, rows = load(con, root, "referentiels__fap_pcs_rome")
    assert "blank row(s) skipped" in report.files[0].message
    by_line = rows.set_index("_source_line")
    assert tuple(by_line.loc[4, ["fap", "pcs", "rome"]]) == ("A0Z41", "691b", "A1407")  # ";;A1407"
    assert tuple(by_line.loc[12, ["fap", "pcs", "rome"]]) == ("A0Z42", "691f", "A1204")  # ";691f;A1204"
    assert rows["fap"].notna().all() and rows["pcs"].notna().all()


def test_bassin_lexicon(con, realdata, tmp_path):
    root = land(realdata, tmp_path, "bmo-bassins/lexique-bassins.csv", "referentiels/bassins/lexique-bassins.csv")
    report, rows = load(con, root, "referentiels__bassins")
    assert report.files[0].rows_loaded == 35357
    assert "column 'BE19' read as 'bassin_code'" in report.files[0].message
    assert rows["bassin_code"].nunique() == 403
    assert rows.loc[rows["CODE_COMMUNE_INSEE"] == "01001", "bassin_code"].iloc[0] == "8401"


def test_tension_file(con, realdata, tmp_path):
    root = land(realdata, tmp_path, "tension-rome-bassin/cities-tension-utf8.csv",
                "france_travail/tension/tension_rome_bassin_2021.csv")
    report, rows = load(con, root, "france_travail__tension")
    outcome = report.files[0]
    assert outcome.rows_loaded == 27135 and outcome.rows_quarantined == 0
    assert outcome.values_flagged == 0
    assert rows["ind_specif_form_empl_d"].isna().sum() == 10  # missing in the source: missing, not flagged
    assert rows.loc[0, "oee"] == "16,61538462" and rows.loc[0, "cbassin"] == "0203"


@pytest.mark.parametrize("name", ["exemple-bts-onisep.xml", "intercarif-data-test.xml"])
def test_lheo_offer_22_and_23(con, realdata, tmp_path, name):
    text = (realdata / "lheo" / name).read_text(encoding="utf-8")
    (tmp_path / "referentiels/offre").mkdir(parents=True)
    (tmp_path / "referentiels/offre/offre_22.xml").write_text(text, encoding="utf-8")
    # The same offer in the LHEO 2.3 namespace reads the same way.
    (tmp_path / "referentiels/offre/offre_23.xml").write_text(
        text.replace("http://www.lheo.org/2.2", "http://lheo.gouv.fr/2.3"), encoding="utf-8")
    feed = registry.by_name("referentiels__offre_sessions")
    from ingestion.referentiels.offre import parse_sessions

    rows_22 = parse_sessions(tmp_path / "referentiels/offre/offre_22.xml")
    rows_23 = parse_sessions(tmp_path / "referentiels/offre/offre_23.xml")
    assert len(rows_22) == 1 and [r[1:] for r in rows_22] == [r[1:] for r in rows_23]
    assert rows_23[0][0] == "http://lheo.gouv.fr/2.3"
    report = load_feed(con, feed, tmp_path, CONTEXT)
    assert report.count("loaded") == 2


def test_lheo_fields(realdata):
    from ingestion.referentiels.offre import COLUMNS, parse_sessions

    row = dict(zip(COLUMNS, parse_sessions(realdata / "lheo" / "intercarif-data-test.xml")[0]))
    assert row["formacode_principal"] == "22403" and row["codes_rome"] == "F1604"
    assert row["code_rncp"] == "320" and row["codes_financeurs"] == "2"
    assert row["date_debut"] == "2017-10-30"
    onisep = dict(zip(COLUMNS, parse_sessions(realdata / "lheo" / "exemple-bts-onisep.xml")[0]))
    assert onisep["formacode_principal"] == "34582" and onisep["formacodes"] == "34582;34076"


def test_france_travail_extract_without_profile_columns(con, realdata, tmp_path):
    root = land(realdata, tmp_path, "pe-stagiaires-format/stagiaires-pe.csv",
                "france_travail/stagiaires/stagiaires_pe_201805.csv")
    report, rows = load(con, root, "france_travail__stagiaires")
    outcome = report.files[0]
    assert outcome.status == "loaded" and outcome.rows_loaded == 5
    assert "column(s) absent, loaded as empty: c_sexe" in outcome.message
    assert rows["individu_hmac"].nunique() == 4  # person 1111111111 appears twice
    assert "c_nomcorrespondance" not in rows.columns


def test_region_file_layout(con, realdata, tmp_path):
    root = land(realdata, tmp_path, "pe-stagiaires-format/stagiaires-idf.csv",
                "financeurs/region/stagiaires/stagiaires_region_201709.csv")
    report, rows = load(con, root, "financeurs__region_stagiaires")
    assert report.files[0].rows_loaded == 5
    assert rows["Numéro Action"].iloc[1] == "S17AVJE92000XX"
    assert rows["stagiaire_hmac"].notna().all() and "Individu.Nom" not in rows.columns
    assert not {"Mail", "Tel Portable", "Prénom", "Identifiant Stagiaire"} & set(rows.columns)
