"""A deterministic, realistic landing zone for one Région (`pric generate`).

The people are invented; the formats are the real ones (feeds.md). For a given seed, region, years and scale the
files are byte-identical from one run to the next, and their modification times follow the calendar (a month's
file "arrives" on the 5th of the next month), so supersession behaves as in production.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ingestion.france_travail.stagiaires import ALL_COLUMNS as FT_COLUMNS

REFERENCE_FILES = {
    # shipped file -> landing path (the published names)
    "cog_regions_2025.csv": "referentiels/cog/cog-regions@2025.csv",
    "cog_departements_2025.csv": "referentiels/cog/cog-departments@2025.csv",
    "cog_communes_2025.parquet": "referentiels/cog/cog-communes-unique@2025.parquet",
}

# Distributions below are set to resemble PRIC trainee populations (order of magnitude, not published figures).
LEVELS = np.array(["AFS", "CP4", "C12", "C3A", "CFG", "NV5", "NV4", "NV3", "NV2", "NV1"])
LEVEL_WEIGHTS = np.array([0.05, 0.04, 0.05, 0.04, 0.05, 0.30, 0.27, 0.11, 0.06, 0.03])
SCHEMES = np.array(["AIF", "AFC", "POEI", "POEC", "AFPR", "CSP"])
SCHEME_WEIGHTS = np.array([0.42, 0.28, 0.10, 0.08, 0.07, 0.05])
CATEGORIES = np.array(["A", "B", "C", "D", "E"])
CATEGORY_WEIGHTS = np.array([0.70, 0.08, 0.12, 0.08, 0.02])
ROMES = np.array([
    "N1103", "N4101", "H2909", "J1501", "K2204", "D1106", "G1603", "F1703", "M1607", "K1302",
    "H2913", "I1304", "M1203", "D1507", "N1105", "J1301", "F1602", "G1602", "H3302", "A1201",
    "K2111", "M1805", "I1607", "F1604", "H2102", "N4105", "D1214", "K1303", "M1602", "A1414",
])
FORMACODES = np.array([
    "31734", "15235", "42829", "22403", "31654", "32154", "44541", "22684", "23684", "43409",
    "31812", "42056", "21046", "35054", "24054", "13030", "15064", "32663", "31795", "42752",
])
ORGANISMS = [
    ("82436343601230", "AFPA GRAND EST", "AFPA ENTREPRISES"),
    ("77568497000673", "GRETA LORRAINE CENTRE", "GRETA"),
    ("31404541000000", "CCI CAMPUS ALSACE", "CCI FORMATION"),
    ("40318977300021", "CNAM GRAND EST", "CNAM"),
    ("51234872600018", "FORMATION PLUS ARDENNES", "FP ARDENNES"),
]
FIRST_NAMES = np.array(["Camille", "Léa", "Lucas", "Hugo", "Chloé", "Nathan", "Inès", "Théo", "Zoé", "Adam"])
LAST_NAMES = np.array(["MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DUBOIS", "MOREAU", "SCHMITT"])


@dataclass(frozen=True)
class GenerateOptions:
    out: Path
    region: str = "44"
    first_year: int = 2018
    last_year: int = 2022
    scale: int = 5000  # entries per year
    seed: int = 44


def parse_years(text: str) -> tuple[int, int]:
    parts = text.split("-")
    try:
        first, last = (int(parts[0]), int(parts[-1]))
    except ValueError as exc:
        raise ValueError(f"--years must look like 2018-2022, got {text!r}") from exc
    if len(parts) > 2 or first > last or first < 2000 or last > 2100:
        raise ValueError(f"--years must look like 2018-2022, got {text!r}")
    return first, last


def _ship(name: str) -> Path:
    return Path(str(resources.files("ingestion") / "reference_data" / name))


def _set_arrival(path: Path, when: datetime) -> None:
    stamp = when.replace(tzinfo=timezone.utc).timestamp()
    os.utime(path, (stamp, stamp))


def communes_of_region(region: str) -> pd.DataFrame:
    import duckdb

    con = duckdb.connect()
    try:
        return con.execute(
            "select code, department_code from read_parquet(?) where type_code = 'COM' and region_code = ? "
            "order by code",
            [str(_ship("cog_communes_2025.parquet")), region],
        ).fetchdf()
    finally:
        con.close()


def write_references(out: Path) -> list[Path]:
    written = []
    for shipped, landing in REFERENCE_FILES.items():
        target = out / landing
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_ship(shipped), target)
        _set_arrival(target, datetime(2025, 1, 15))
        written.append(target)
    return written


def _fmt_dt(dates: np.ndarray) -> np.ndarray:
    """France Travail's timestamp text, `YYYY-MM-DD 00:00:00.0`; NaT becomes missing."""
    text = pd.to_datetime(dates).strftime("%Y-%m-%d 00:00:00.0").to_numpy(dtype=object)
    text[pd.isna(dates)] = None
    return text


def trainee_records(options: GenerateOptions, rng: np.random.Generator) -> pd.DataFrame:
    """One row per France Travail record (trainee × session), with its true start and exit dates."""
    communes = communes_of_region(options.region)
    if communes.empty:
        raise ValueError(f"région {options.region!r} has no commune in the shipped COG 2025")
    years = np.arange(options.first_year, options.last_year + 1)
    n = int(options.scale) * len(years)
    # A person pool smaller than the number of entries: some people train twice, a few more often.
    n_people = max(1, int(n * 0.82))
    person_ids = np.char.zfill(rng.choice(9_000_000_000, size=n_people, replace=False).astype(str), 10)
    person = rng.integers(0, n_people, size=n)

    # Large towns get more trainees: a Zipf-like weight over a shuffled commune order.
    weights = 1.0 / np.arange(1, len(communes) + 1) ** 0.9
    weights = rng.permutation(weights)
    commune_of_person = communes["code"].to_numpy()[rng.choice(len(communes), size=n_people, p=weights / weights.sum())]

    year = np.repeat(years, options.scale)
    day_of_year = rng.integers(0, 365, size=n)
    start = (pd.to_datetime(year.astype(str) + "-01-01") + pd.to_timedelta(day_of_year, unit="D")).to_numpy()
    duration = rng.gamma(2.0, 55.0, size=n).astype(int) + 10  # days
    planned_end = start + pd.to_timedelta(duration, unit="D").to_numpy()
    outcome = rng.choice(np.array(["FIN", "ABANDON", "EMPLOI"]), size=n, p=[0.78, 0.12, 0.10])
    actual_exit = planned_end.copy()
    early = outcome != "FIN"
    actual_exit[early] = start[early] + pd.to_timedelta(
        (duration[early] * rng.uniform(0.2, 0.9, size=early.sum())).astype(int), unit="D"
    ).to_numpy()

    # Age at a person's first training: mostly 18-35, a long tail up to 64.
    age_at_first = np.clip(rng.gamma(3.0, 5.5, size=n_people) + 16, 16, 64)
    first_start = pd.Series(start).groupby(person).min().reindex(range(n_people)).to_numpy()
    birth = first_start - pd.to_timedelta((age_at_first * 365.25).astype(int), unit="D").to_numpy()

    scheme = rng.choice(SCHEMES, size=n, p=SCHEME_WEIGHTS)
    boe = rng.random(size=n_people) < 0.08
    funders = np.full(n, "4", dtype=object)
    regional = rng.random(size=n) < 0.22
    funders[regional] = "4;2"
    funders[np.isin(scheme, ["POEI", "POEC"])] = "4;16"
    funders[boe[person] & (rng.random(size=n) < 0.5)] = "4;7"
    funders[(scheme == "AFC") & (rng.random(size=n) < 0.1)] = "4;11"

    org = rng.integers(0, len(ORGANISMS), size=n)
    session_numbers = np.char.add("SE_", np.char.zfill(rng.choice(90_000_000, size=n, replace=False).astype(str), 10))
    records = pd.DataFrame({
        "person": person,
        "dn_individu_national": person_ids[person],
        "dc_numeroicsession": session_numbers,
        "start": start,
        "planned_end": planned_end,
        "actual_exit": actual_exit,
        "motif": outcome,
        "formacode": rng.choice(FORMACODES, size=n),
        "rome": rng.choice(ROMES, size=n),
        "scheme": scheme,
        "funders": funders,
        "level": rng.choice(LEVELS, size=n, p=LEVEL_WEIGHTS),
        "categorie": rng.choice(CATEGORIES, size=n, p=CATEGORY_WEIGHTS),
        "commune": commune_of_person[person],
        "birth": birth[person],
        "sexe": rng.choice(np.array(["1", "2"]), size=n_people)[person],
        "qpv": np.where(rng.random(size=n_people) < 0.13, "O", "N")[person],
        "rsa": np.where(rng.random(size=n) < 0.17, "O", "N"),
        "boe": np.where(boe[person], "O", "N"),
        "org": org,
    })

    # 4 % of trainings are split into two sessions a few days apart (one training, two records).
    split = rng.random(size=n) < 0.04
    second = records[split].copy()
    second["start"] = second["start"].to_numpy() + pd.to_timedelta(rng.integers(0, 8, size=split.sum()), unit="D").to_numpy()
    second["dc_numeroicsession"] = np.char.add(second["dc_numeroicsession"].to_numpy().astype(str), "B")
    records = pd.concat([records, second], ignore_index=True)
    return records.sort_values(["start", "dc_numeroicsession"], kind="stable").reset_index(drop=True)


def _extract_frame(records: pd.DataFrame, with_exit: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    n = len(records)
    org = np.array(ORGANISMS, dtype=object)[records["org"].to_numpy()]
    first = FIRST_NAMES[rng.integers(0, len(FIRST_NAMES), size=n)]
    last = LAST_NAMES[rng.integers(0, len(LAST_NAMES), size=n)]
    exit_dates = records["actual_exit"].to_numpy().copy()
    exit_dates[~with_exit] = np.datetime64("NaT")
    motif = records["motif"].to_numpy().astype(object)
    motif[~with_exit] = None
    frame = pd.DataFrame({
        "c_nomcorrespondance": last,
        "c_prenomcorrespondance": np.char.upper(first.astype(str)),
        "c_adresseemail": np.char.add(np.char.lower(last.astype(str)), "@exemple.invalid"),
        "c_telephone1": np.char.add("06", np.char.zfill(rng.integers(0, 10**8, size=n).astype(str), 8)),
        "c_telephone2": None,
        "c_validitemail_id": "V",
        "dn_individu_national": records["dn_individu_national"].to_numpy(),
        "dn_session_id": rng.integers(1_000_000, 9_999_999, size=n).astype(str),
        "c_individulocal": np.char.add(np.char.zfill(rng.integers(0, 10**9, size=n).astype(str), 10), "Z"),
        "dc_formation_id": np.char.add("14_AF_", np.char.zfill(records["formacode"].to_numpy().astype(str), 10)),
        "dc_lblformation": "Formation qualifiante",
        "dd_datedebutplanformation": _fmt_dt(records["start"].to_numpy()),
        "dd_datefinplanformation": _fmt_dt(records["planned_end"].to_numpy()),
        "dc_organisme_id": "14000000000000008098",
        "dc_cp_lieuformation": None,
        "dc_insee_lieuformation": None,
        "dc_ville_lieuformation": None,
        "dc_formacode_ppal_id": records["formacode"].to_numpy(),
        "dc_formacode_secondaire1_id": None,
        "dc_formacode_secondaire2_id": None,
        "dc_formacode_secondaire3_id": None,
        "dc_formacode_secondaire4_id": None,
        "dn_certifinfo_1_id": None,
        "dn_certifinfo_2_id": None,
        "dn_certifinfo_3_id": None,
        "dn_certifinfo_4_id": None,
        "dn_certifinfo_5_id": None,
        "dc_siret": org[:, 0] if n else [],
        "dc_lblorganisme": org[:, 1] if n else [],
        "dc_raisonsociale": org[:, 2] if n else [],
        "departement": records["commune"].str[:2].to_numpy(),
        "dc_numeroicsession": records["dc_numeroicsession"].to_numpy(),
        "dc_numeroicaction": np.char.add("14_", records["dc_numeroicsession"].to_numpy().astype(str)),
        "liste_financeur": records["funders"].to_numpy(),
        "c_dispositifformation": records["scheme"].to_numpy(),
        "dc_siretorganismeformateur": None,
        "dc_lblorganismeorganismeformateur": None,
        "dc_raisonsocialeorganismeformateur": None,
        "dd_datenaissance": _fmt_dt(records["birth"].to_numpy()),
        "c_sexe": records["sexe"].to_numpy(),
        "dc_niveauformation_id": records["level"].to_numpy(),
        "dc_categorie_de": records["categorie"].to_numpy(),
        "dd_dateinscription": _fmt_dt(records["start"].to_numpy() - np.timedelta64(120, "D")),
        "dc_commune_residence": records["commune"].to_numpy(),
        "c_qpv": records["qpv"].to_numpy(),
        "c_rsa": records["rsa"].to_numpy(),
        "c_boe": records["boe"].to_numpy(),
        "dc_rome_vise": records["rome"].to_numpy(),
        "dd_datesortieeffective": _fmt_dt(exit_dates),
        "c_motifsortie": motif,
    })
    assert tuple(frame.columns) == FT_COLUMNS
    return frame


def write_trainee_extract(options: GenerateOptions, rng: np.random.Generator) -> list[Path]:
    """Monthly files: a record appears in the month it starts, and again in the month its exit becomes known."""
    records = trainee_records(options, rng)
    start_month = records["start"].dt.to_period("M")
    exit_month = records["actual_exit"].dt.to_period("M")
    folder = options.out / "france_travail" / "stagiaires"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for month in pd.period_range(f"{options.first_year}-01", f"{options.last_year}-12", freq="M"):
        starting = (start_month == month).to_numpy()
        ending = (exit_month == month).to_numpy()
        rows = starting | ending
        # The version sent this month carries the exit date when it is known by then.
        with_exit = (exit_month <= month).to_numpy()[rows]
        frame = _extract_frame(records[rows], with_exit, rng)
        path = folder / f"stagiaires_pe_{month.strftime('%Y%m')}.csv"
        frame.to_csv(path, sep="|", index=False, na_rep="NULL", encoding="utf-8", lineterminator="\n")
        arrival = (month + 1).to_timestamp() + pd.Timedelta(days=4)
        _set_arrival(path, arrival.to_pydatetime())
        written.append(path)
    return written


def generate(options: GenerateOptions) -> dict[str, list[Path]]:
    rng = np.random.default_rng(options.seed)
    options.out.mkdir(parents=True, exist_ok=True)
    return {
        "referentiels/cog": write_references(options.out),
        "france_travail/stagiaires": write_trainee_extract(options, rng),
    }
