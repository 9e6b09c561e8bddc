"""Simulated France Travail feeds: trainee extract, hirings, job-seeker stock, BMO workbooks."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ingestion.france_travail.stagiaires import ALL_COLUMNS as FT_COLUMNS
from ingestion.generate.common import (
    FIRST_NAMES, LAST_NAMES, ROMES, GenerateOptions, arrival_after, format_days, french_dates, french_number, set_arrival,
    write_csv,
)
from ingestion.generate.population import monthly_versions

ORGANISMS = [
    ("82436343601230", "AFPA GRAND EST", "AFPA ENTREPRISES"),
    ("77568497000673", "GRETA LORRAINE CENTRE", "GRETA"),
    ("31404541000000", "CCI CAMPUS ALSACE", "CCI FORMATION"),
    ("40318977300021", "CNAM GRAND EST", "CNAM"),
    ("51234872600018", "FORMATION PLUS ARDENNES", "FP ARDENNES"),
]


def _ft_timestamp(dates: np.ndarray) -> np.ndarray:
    """France Travail's timestamp text, `YYYY-MM-DD 00:00:00.0`; NaT becomes missing."""
    return format_days(dates, "%Y-%m-%d 00:00:00.0")


def _extract_frame(records: pd.DataFrame, with_exit: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    n = len(records)
    org = np.array(ORGANISMS, dtype=object)[records["org"].to_numpy()] if n else np.empty((0, 3), dtype=object)
    last = LAST_NAMES[rng.integers(0, len(LAST_NAMES), size=n)]
    exit_dates = records["exit"].to_numpy().copy()
    exit_dates[~with_exit] = np.datetime64("NaT")
    motif = records["motif"].to_numpy().astype(object)
    motif[~with_exit] = None
    frame = pd.DataFrame({
        "c_nomcorrespondance": last,
        "c_prenomcorrespondance": np.char.upper(FIRST_NAMES[rng.integers(0, len(FIRST_NAMES), size=n)].astype(str)),
        "c_adresseemail": np.char.add(np.char.lower(last.astype(str)), "@exemple.invalid"),
        "c_telephone1": np.char.add("06", np.char.zfill(rng.integers(0, 10**8, size=n).astype(str), 8)),
        "c_telephone2": None,
        "c_validitemail_id": "V",
        "dn_individu_national": records["dn_individu_national"].to_numpy(),
        "dn_session_id": rng.integers(1_000_000, 9_999_999, size=n).astype(str),
        "c_individulocal": np.char.add(np.char.zfill(rng.integers(0, 10**9, size=n).astype(str), 10), "Z"),
        "dc_formation_id": np.char.add("14_AF_", np.char.zfill(records["formacode"].to_numpy().astype(str), 10)),
        "dc_lblformation": "Formation qualifiante",
        "dd_datedebutplanformation": _ft_timestamp(records["start"].to_numpy()),
        "dd_datefinplanformation": _ft_timestamp(records["planned_end"].to_numpy()),
        "dc_organisme_id": "14000000000000008098",
        "dc_cp_lieuformation": None, "dc_insee_lieuformation": None, "dc_ville_lieuformation": None,
        "dc_formacode_ppal_id": records["formacode"].to_numpy(),
        "dc_formacode_secondaire1_id": None, "dc_formacode_secondaire2_id": None,
        "dc_formacode_secondaire3_id": None, "dc_formacode_secondaire4_id": None,
        "dn_certifinfo_1_id": None, "dn_certifinfo_2_id": None, "dn_certifinfo_3_id": None,
        "dn_certifinfo_4_id": None, "dn_certifinfo_5_id": None,
        "dc_siret": org[:, 0], "dc_lblorganisme": org[:, 1], "dc_raisonsociale": org[:, 2],
        "departement": records["commune"].str[:2].to_numpy(),
        "dc_numeroicsession": records["dc_numeroicsession"].to_numpy(),
        "dc_numeroicaction": np.char.add("14_", records["dc_numeroicsession"].to_numpy().astype(str)),
        "liste_financeur": records["funders"].to_numpy(),
        "c_dispositifformation": records["scheme"].to_numpy(),
        "dc_siretorganismeformateur": None, "dc_lblorganismeorganismeformateur": None,
        "dc_raisonsocialeorganismeformateur": None,
        "dd_datenaissance": _ft_timestamp(records["birth"].to_numpy()),
        "c_sexe": records["sexe"].to_numpy(),
        "dc_niveauformation_id": records["level"].to_numpy(),
        "dc_categorie_de": records["categorie"].to_numpy(),
        "dd_dateinscription": _ft_timestamp(records["start"].to_numpy() - np.timedelta64(120, "D")),
        "dc_commune_residence": records["commune"].to_numpy(),
        "c_qpv": records["qpv"].to_numpy(), "c_rsa": records["rsa"].to_numpy(), "c_boe": records["boe"].to_numpy(),
        "dc_rome_vise": records["rome"].to_numpy(),
        "dd_datesortieeffective": _ft_timestamp(exit_dates),
        "c_motifsortie": motif,
    })
    assert tuple(frame.columns) == FT_COLUMNS
    return frame


def write_trainee_extract(options: GenerateOptions, records: pd.DataFrame, rng: np.random.Generator) -> list[Path]:
    """Monthly files: a record appears in the month it starts, and again in the month its exit becomes known."""
    folder = options.out / "france_travail" / "stagiaires"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for month, rows, with_exit in monthly_versions(records, options):
        path = folder / f"stagiaires_pe_{month.strftime('%Y%m')}.csv"
        write_csv(_extract_frame(rows, with_exit, rng), path, sep="|", null="NULL")
        set_arrival(path, arrival_after(month))
        written.append(path)
    return written


def hirings(options: GenerateOptions, records: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """About 55 % of trainees are hired within 6 months of their exit (more after a completed training), plus
    hirings of the same people at other times, so that the 183-day window matters."""
    exits = records.dropna(subset=["exit"])
    hired = rng.random(len(exits)) < np.where(exits["motif"].to_numpy() == "ABANDON", 0.35, 0.6)
    after = exits[hired]
    delay = rng.gamma(1.5, 45.0, size=len(after)).astype(int)
    other = records.sample(frac=0.15, random_state=int(rng.integers(1 << 31)))
    events = pd.DataFrame({
        "id_individu": np.concatenate([after["dn_individu_national"], other["dn_individu_national"]]),
        "date": np.concatenate([
            after["exit"].to_numpy() + pd.to_timedelta(delay, unit="D").to_numpy(),
            other["start"].to_numpy() - pd.to_timedelta(rng.integers(30, 400, size=len(other)), unit="D").to_numpy(),
        ]),
        "commune": np.concatenate([after["commune"], other["commune"]]),
    })
    n = len(events)
    contract = rng.choice(np.array(["CDI", "CDD", "CTT", "CUI", "ALT"]), size=n, p=[0.25, 0.35, 0.30, 0.03, 0.07])
    days = np.where(contract == "CTT", rng.integers(1, 60, size=n),
                    np.where(contract == "CDD", rng.choice([30, 90, 183, 365], size=n), rng.integers(180, 730, size=n)))
    events["type_contrat"] = contract
    events["duree_contrat_jours"] = np.where(contract == "CDI", None, days.astype(str))
    events["code_rome"] = rng.choice(ROMES, size=n)
    first, last = pd.Timestamp(f"{options.first_year}-01-01"), pd.Timestamp(f"{options.last_year}-12-31")
    dates = pd.to_datetime(events["date"])
    return events[(dates >= first) & (dates <= last)].sort_values("date", kind="stable")


def write_hirings(options: GenerateOptions, records: pd.DataFrame, rng: np.random.Generator) -> list[Path]:
    events = hirings(options, records, rng)
    folder = options.out / "france_travail" / "reprises_emploi"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    months = pd.to_datetime(events["date"]).dt.to_period("M")
    for month in pd.period_range(f"{options.first_year}-01", f"{options.last_year}-12", freq="M"):
        rows = events[(months == month).to_numpy()]
        frame = pd.DataFrame({
            "id_individu": rows["id_individu"], "date_embauche": french_dates(rows["date"]),
            "type_contrat": rows["type_contrat"], "duree_contrat_jours": rows["duree_contrat_jours"],
            "code_rome": rows["code_rome"], "commune_employeur": rows["commune"],
        })
        path = folder / f"reprises_emploi_{month.strftime('%Y%m')}.csv"
        write_csv(frame, path, sep=";", encoding="cp1252", crlf=True)
        set_arrival(path, arrival_after(month, days=10))
        written.append(path)
    return written


def write_job_seeker_stock(options: GenerateOptions, departements: list[str], rng: np.random.Generator) -> list[Path]:
    """Quarterly stock by département × level band × age band, category ABC, rounded to the hundred."""
    folder = options.out / "france_travail" / "demandeurs_emploi"
    folder.mkdir(parents=True, exist_ok=True)
    # Registered job seekers outnumber yearly training entries by far (about 25 to 1 in a région).
    size = {d: rng.uniform(0.5, 2.0) * options.scale * 25 / len(departements) for d in departements}
    levels = {"infra_bac": 0.45, "bac": 0.30, "sup_bac": 0.25}
    ages = {"moins_26": 0.16, "26_49": 0.56, "50_plus": 0.28}
    written = []
    for quarter in pd.period_range(f"{options.first_year}Q1", f"{options.last_year}Q4", freq="Q"):
        trend = 1.0 - 0.03 * (quarter.year - options.first_year)
        rows = []
        for dep in departements:
            for level, lw in levels.items():
                for age, aw in ages.items():
                    value = size[dep] * lw * aw * trend * rng.uniform(0.95, 1.05)
                    shown = "nd" if value < 100 else french_number([round(value, -2)])[0]
                    rows.append([f"{quarter.year}T{quarter.quarter}", dep, "ABC", level, age, shown])
        frame = pd.DataFrame(rows, columns=["trimestre", "code_departement", "categorie", "niveau_formation",
                                            "tranche_age", "nb_demandeurs"])
        path = folder / f"defm_{quarter.year}T{quarter.quarter}.csv"
        write_csv(frame, path, sep=";", encoding="utf-8-sig")
        set_arrival(path, (quarter + 1).to_timestamp() + pd.Timedelta(days=40))
        written.append(path)
    return written


def write_bmo(options: GenerateOptions, bassins: pd.DataFrame, faps: list[tuple[str, str]],
              rng: np.random.Generator, region_names: dict[str, str]) -> list[Path]:
    """One workbook a wave, real layout; the 2019 wave uses that year's column names. Small cells are `*`."""
    from openpyxl import Workbook

    folder = options.out / "france_travail" / "bmo"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for year in options.years:
        yy = str(year)[2:]
        if year <= 2019:
            header = ["annee", "Famille_metier", "Libellé de famille de métier", "code métier BMO", "nom_metier BMO",
                      "REG", "NOM_REG", "Dept", "NomDept", f"BE{yy}", f"NOMBE{yy}", "met", "xmet", "smet"]
        else:
            header = ["annee", "Code métier BMO", "Nom métier BMO", "Famille_met", "Lbl_fam_met", "REG", "NOM_REG",
                      "Dept", "NomDept", f"BE{yy}", f"NOMBE{yy}", "met", "xmet", "smet"]
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = f"BMO_{year}_open_data"
        sheet.append(header)
        for bassin in bassins.itertuples():
            for fap, fap_name in faps:
                projects = int(rng.gamma(1.2, 40))
                difficult = int(projects * rng.uniform(0.2, 0.7))
                seasonal = int(projects * rng.uniform(0.0, 0.3))
                cells = [v if projects >= 5 else "*" for v in (projects, difficult, seasonal)]
                family = fap[:1]
                values = {"annee": year, "code métier BMO": fap, "Code métier BMO": fap, "nom_metier BMO": fap_name,
                          "Nom métier BMO": fap_name, "Famille_metier": family, "Famille_met": family,
                          "Libellé de famille de métier": family, "Lbl_fam_met": family, "REG": bassin.region_code,
                          "NOM_REG": region_names.get(bassin.region_code, bassin.region_code),
                          "Dept": bassin.departement_code, "NomDept": bassin.departement_code,
                          f"BE{yy}": bassin.bassin_code, f"NOMBE{yy}": bassin.bassin_name,
                          "met": cells[0], "xmet": cells[1], "smet": cells[2]}
                sheet.append([values[h] for h in header])
        notes = workbook.create_sheet("Description_des_variables")
        notes.append(["Variable", "Description"])
        for name, text in [("met", "Nombre de projets de recrutement"), ("xmet", "dont difficiles"),
                           ("smet", "dont saisonniers"), ("*", "secret statistique")]:
            notes.append([name, text])
        path = folder / f"Base_open_data_BMO_{year}.xlsx"
        workbook.save(path)
        set_arrival(path, pd.Timestamp(f"{year}-04-20"))
        written.append(path)
    return written
