"""Simulated funder feeds: the Région's orders and trainee file, CPF files engaged."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ingestion.financeurs.region_stagiaires import EXTRACT_COLUMNS, PROFILE_COLUMNS
from ingestion.generate.common import (
    FIRST_NAMES, FORMACODES, LAST_NAMES, ROMES, GenerateOptions, arrival_after, french_dates, french_number,
    set_arrival, write_csv,
)
from ingestion.generate.population import monthly_versions

REGION_SCHEMES = np.array(["PRF", "PRIC", "Itinéraires compétences", "Plateforme langue", "Expérimentation"])
# France Travail level → how a Région agent writes it (old Roman scale, new scale, or by hand).
LEVEL_AS_WRITTEN = {
    "AFS": ["Sans diplôme", "VI"], "CP4": ["VI", "Niveau 1"], "C12": ["V bis", "Niveau 2"], "C3A": ["V bis"],
    "CFG": ["V bis", "Niveau 2"], "NV5": ["V", "Niveau 3"], "NV4": ["IV", "Niveau 4"], "NV3": ["III", "Niveau 5"],
    "NV2": ["II", "Niveau 6"], "NV1": ["I", "Niveau 7"],
}


def region_records(records: pd.DataFrame, options: GenerateOptions, rng: np.random.Generator) -> pd.DataFrame:
    """Région records: one for each training France Travail co-funds with the Région (same person, same
    Formacode, a start within a few days), plus Région-only trainings (some people not registered)."""
    cofunded = records[records["funders"].str.contains(";2", regex=False)].copy()
    cofunded["start"] = cofunded["start"] + pd.to_timedelta(rng.integers(0, 4, size=len(cofunded)), unit="D")
    only = records.sample(frac=0.08, random_state=int(rng.integers(1 << 31))).copy()
    shift = pd.to_timedelta(rng.integers(20, 200, size=len(only)), unit="D")
    for column in ("start", "planned_end", "exit"):
        only[column] = only[column] + shift
    unregistered = rng.random(len(only)) < 0.3
    only.loc[unregistered, "dn_individu_national"] = None
    only["formacode"] = rng.choice(FORMACODES, size=len(only))
    region = pd.concat([cofunded, only], ignore_index=True)
    last_day = pd.Timestamp(f"{options.last_year}-12-31")
    region = region[region["start"] <= last_day].reset_index(drop=True)
    region["trainee_id"] = "R" + region["person"].astype(str).str.zfill(8)
    unknown = region["dn_individu_national"].isna()
    region.loc[unknown, "trainee_id"] = ["N" + str(i).zfill(8) for i in range(unknown.sum())]
    # Each level is written one of its ways at random (vectorised: a uniform draw picks among the options).
    options_of_level = region["level"].map(LEVEL_AS_WRITTEN)
    pick = (rng.random(len(region)) * options_of_level.str.len()).astype(int)
    region["level_written"] = [ways[k] for ways, k in zip(options_of_level, pick)]
    region["scheme_region"] = rng.choice(REGION_SCHEMES, size=len(region), p=[0.45, 0.35, 0.1, 0.06, 0.04])
    region["hours_centre"] = rng.integers(150, 900, size=len(region))
    region["hours_company"] = rng.choice([0, 70, 140, 210], size=len(region))
    region["cost"] = np.round(region["hours_centre"] * rng.uniform(9.0, 16.0, size=len(region)), 2)
    return region.sort_values(["start", "trainee_id"], kind="stable").reset_index(drop=True)


def orders(region: pd.DataFrame, bassins: pd.DataFrame, options: GenerateOptions,
           rng: np.random.Generator) -> pd.DataFrame:
    """Each year's actions: the Région buys places somewhat above what it fills; a few records land on actions
    outside the orders (carried over from a previous year)."""
    frames = []
    for year in options.years:
        n_actions = max(4, int((region["start"].dt.year == year).sum()) // 25)
        bassin = bassins.iloc[rng.integers(0, len(bassins), size=n_actions)]
        frames.append(pd.DataFrame({
            "year": year, "action_id": [f"A{year}-{k + 1:04d}" for k in range(n_actions)],
            "title": [f"Parcours qualifiant {k + 1}" for k in range(n_actions)],
            "formacode": rng.choice(FORMACODES, size=n_actions), "rome": rng.choice(ROMES, size=n_actions),
            "bassin": bassin["bassin_code"].to_numpy(), "scheme": rng.choice(REGION_SCHEMES[:3], size=n_actions),
            "hours": rng.integers(200, 800, size=n_actions), "pric": rng.random(n_actions) < 0.6,
        }))
    actions = pd.concat(frames, ignore_index=True)
    region["action_id"] = None
    for year in options.years:
        of_year = actions[actions["year"] == year]["action_id"].to_numpy()
        mask = (region["start"].dt.year == year).to_numpy()
        region.loc[mask, "action_id"] = rng.choice(of_year, size=mask.sum())
        stray = mask & (rng.random(len(region)) < 0.03)
        region.loc[stray, "action_id"] = [f"A{year - 1}-H{i:03d}" for i in range(stray.sum())]
    # One trainee, one record per action: a second training of the same person on the same action is not drawn.
    region.drop(region.index[region.duplicated(["trainee_id", "action_id"])], inplace=True)
    region.reset_index(drop=True, inplace=True)
    filled = region["action_id"].value_counts()
    filled_of_action = actions["action_id"].map(filled).fillna(0).to_numpy()
    actions["places"] = np.ceil(filled_of_action * rng.uniform(1.0, 1.3, size=len(actions))).astype(int) + 2
    actions["amount"] = np.round(actions["places"] * actions["hours"] * rng.uniform(9, 15, size=len(actions)), 2)
    return actions


def write_orders(options: GenerateOptions, actions: pd.DataFrame) -> list[Path]:
    from openpyxl import Workbook

    folder = options.out / "financeurs" / "region" / "commandes"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for year in options.years:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(year)
        sheet.append(["Numéro Action", "Intitulé", "Formacode", "Code ROME Visé", "Bassin", "Dispositif",
                      "Places achetées", "Heures par stagiaire", "Montant engagé (€)", "Financement PRIC"])
        for a in actions[actions["year"] == year].itertuples():
            sheet.append([a.action_id, a.title, a.formacode, a.rome, a.bassin, a.scheme, a.places, a.hours,
                          float(a.amount), "Oui" if a.pric else "Non"])
        path = folder / f"commandes_{year}.xlsx"
        workbook.save(path)
        set_arrival(path, pd.Timestamp(f"{year}-02-15"))
        written.append(path)
    return written


def write_region_trainees(options: GenerateOptions, region: pd.DataFrame, rng: np.random.Generator) -> list[Path]:
    folder = options.out / "financeurs" / "region" / "stagiaires"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for month, rows, with_exit in monthly_versions(region, options):
        n = len(rows)
        exit_dates = rows["exit"].to_numpy().copy()
        exit_dates[~with_exit] = np.datetime64("NaT")
        last = LAST_NAMES[rng.integers(0, len(LAST_NAMES), size=n)]
        frame = pd.DataFrame({
            "Identifiant Stagiaire": rows["trainee_id"].to_numpy(),
            "Identifiant Composante": "17390", "Raison Sociale": "ORGANISME DE FORMATION",
            "SIRET": "31404541000000", "Numéro Action": rows["action_id"].to_numpy(),
            "Libellé Action": "Parcours qualifiant", "Individu.Nom": last,
            "Prénom": FIRST_NAMES[rng.integers(0, len(FIRST_NAMES), size=n)],
            "Tel Portable": "06 12 34 56 78", "Mail": np.char.add(np.char.lower(last.astype(str)), "@exemple.invalid"),
            "Date Entree": french_dates(rows["start"]), "Date Sortie Prevue": french_dates(rows["planned_end"]),
            "Date Sortie": french_dates(exit_dates), "Site.Nom": "SITE", "Code Postal": "57000", "Ville": "METZ",
            "Id Session DOKELIO": None,
            "Identifiant France Travail": rows["dn_individu_national"].to_numpy(),
            "Date Naissance": french_dates(rows["birth"]),
            "Sexe": np.where(rows["sexe"].to_numpy() == "1", "H", "F"),
            "Niveau Formation": rows["level_written"].to_numpy(),
            "QPV": np.where(rows["qpv"].to_numpy() == "O", "Oui", "Non"),
            "RSA": np.where(rows["rsa"].to_numpy() == "O", "Oui", "Non"),
            "RQTH": np.where(rows["boe"].to_numpy() == "O", "Oui", "Non"),
            "Code Commune": rows["commune"].to_numpy(), "Formacode": rows["formacode"].to_numpy(),
            "Code ROME Visé": rows["rome"].to_numpy(), "Dispositif": rows["scheme_region"].to_numpy(),
            "Coût Pédagogique": french_number(rows["cost"], decimals=2),
            "Heures Centre": rows["hours_centre"].astype(str).to_numpy(),
            "Heures Entreprise": rows["hours_company"].astype(str).to_numpy(),
        })
        assert tuple(frame.columns) == EXTRACT_COLUMNS + PROFILE_COLUMNS
        path = folder / f"stagiaires_region_{month.strftime('%Y%m')}.csv"
        write_csv(frame, path, sep=";", encoding="cp1252", crlf=True)
        set_arrival(path, arrival_after(month, days=8))
        written.append(path)
    return written


def write_cpf(options: GenerateOptions, departements: pd.DataFrame, rng: np.random.Generator) -> list[Path]:
    """`departements`: department_code and region_code of every département in scope."""
    folder = options.out / "financeurs" / "cpf"
    folder.mkdir(parents=True, exist_ok=True)
    certifications = [(f"RNCP{code}", f"Titre professionnel {i + 1}") for i, code in
                      enumerate(rng.choice(np.arange(30000, 38000), size=25, replace=False))]
    written = []
    # Every département × certification × status, drawn at once for a month; cells with no file are not written.
    cells = departements[["department_code", "region_code"]].merge(
        pd.DataFrame(certifications, columns=["code", "title"]), how="cross").merge(
        pd.DataFrame({"status": ["Engagé", "Annulé"], "share": [0.9, 0.1]}), how="cross")
    for month in pd.period_range(f"{options.first_year}-01", f"{options.last_year}-12", freq="M"):
        n = len(cells)
        files = rng.poisson(options.scale / 400 * cells["share"].to_numpy() * 10 / len(departements))
        frame = pd.DataFrame({
            "date_extract": f"{month.end_time:%Y-%m-%d}", "code_region": cells["region_code"].to_numpy(),
            "code_departement": cells["department_code"].to_numpy(), "type_referentiel": "RNCP",
            "code_rncp": cells["code"].to_numpy(), "intitule_certification": cells["title"].to_numpy(),
            "statut_dossier": cells["status"].to_numpy(),
            "modalite_presence": rng.choice(["Présentiel", "Distanciel", "Mixte"], size=n), "nb_dossiers": files,
            "montant_engage": french_number(files * rng.uniform(800, 2500, size=n), 2),
            "duree_moyenne_heures": french_number(rng.uniform(35, 400, size=n), 1),
        })[files > 0]
        frame = frame.drop_duplicates(["code_departement", "type_referentiel", "code_rncp", "statut_dossier",
                                       "modalite_presence"])
        path = folder / f"cpf_formations_engagees_{month.strftime('%Y%m')}.csv"
        write_csv(frame, path, sep=";")
        set_arrival(path, arrival_after(month, days=6))
        written.append(path)
    return written
