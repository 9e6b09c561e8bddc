"""The simulated people and their trainings, shared by every feed that describes them (France Travail extract,
Région file, hirings), so that the same person is the same in every file, as in real life."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ingestion.generate.common import FORMACODES, ROMES, GenerateOptions, communes_of_regions

LEVELS = np.array(["AFS", "CP4", "C12", "C3A", "CFG", "NV5", "NV4", "NV3", "NV2", "NV1"])
LEVEL_WEIGHTS = np.array([0.05, 0.04, 0.05, 0.04, 0.05, 0.30, 0.27, 0.11, 0.06, 0.03])
SCHEMES = np.array(["AIF", "AFC", "POEI", "POEC", "AFPR", "CSP"])
SCHEME_WEIGHTS = np.array([0.42, 0.28, 0.10, 0.08, 0.07, 0.05])
CATEGORIES = np.array(["A", "B", "C", "D", "E"])
CATEGORY_WEIGHTS = np.array([0.70, 0.08, 0.12, 0.08, 0.02])


def trainee_records(options: GenerateOptions, rng: np.random.Generator) -> pd.DataFrame:
    """One row per France Travail record (trainee × session), with its true start and exit dates."""
    communes = communes_of_regions(options.regions)
    if communes.empty:
        raise ValueError(f"région {options.region!r} has no commune in the shipped COG 2025")
    years = np.array(options.years)
    n = int(options.scale) * len(years)
    # A person pool smaller than the number of entries: some people train twice, a few more often.
    n_people = max(1, int(n * 0.82))
    person_ids = np.char.zfill(rng.choice(9_000_000_000, size=n_people, replace=False).astype(str), 10)
    person = rng.integers(0, n_people, size=n)

    # Large towns get more trainees: a Zipf-like weight over a shuffled commune order.
    # A tenth of the people are spread evenly over départements, so that a département made of one big commune
    # (Paris) is not left empty by the draw.
    weights = rng.permutation(1.0 / np.arange(1, len(communes) + 1) ** 0.9)
    communes_in_departement = communes.groupby("department_code")["code"].transform("size").to_numpy()
    weights = 0.9 * weights / weights.sum() + 0.1 / communes["department_code"].nunique() / communes_in_departement
    commune_of_person = communes["code"].to_numpy()[rng.choice(len(communes), size=n_people, p=weights / weights.sum())]

    year = np.repeat(years, options.scale)
    start = (pd.to_datetime(year.astype(str) + "-01-01")
             + pd.to_timedelta(rng.integers(0, 365, size=n), unit="D")).to_numpy()
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
    disabled = rng.random(size=n_people) < 0.08
    funders = np.full(n, "4", dtype=object)
    funders[rng.random(size=n) < 0.22] = "4;2"  # co-funded by the Région: a Région record too
    funders[np.isin(scheme, ["POEI", "POEC"])] = "4;16"
    funders[disabled[person] & (rng.random(size=n) < 0.5)] = "4;7"
    funders[(scheme == "AFC") & (rng.random(size=n) < 0.1)] = "4;11"

    records = pd.DataFrame({
        "person": person,
        "dn_individu_national": person_ids[person],
        "dc_numeroicsession": np.char.add(
            "SE_", np.char.zfill(rng.choice(90_000_000, size=n, replace=False).astype(str), 10)),
        "start": start,
        "planned_end": planned_end,
        "exit": actual_exit,
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
        "boe": np.where(disabled[person], "O", "N"),
        "org": rng.integers(0, 5, size=n),
    })

    # 4 % of trainings are split into two sessions a few days apart (one training, two records).
    split = rng.random(size=n) < 0.04
    second = records[split].copy()
    second["start"] = second["start"].to_numpy() + pd.to_timedelta(
        rng.integers(0, 8, size=split.sum()), unit="D").to_numpy()
    second["dc_numeroicsession"] = np.char.add(second["dc_numeroicsession"].to_numpy().astype(str), "B")
    records = pd.concat([records, second], ignore_index=True)
    return records.sort_values(["start", "dc_numeroicsession"], kind="stable").reset_index(drop=True)


def monthly_versions(records: pd.DataFrame, options: GenerateOptions):
    """For each month: the records a monthly file holds (started that month, or whose exit became known that
    month) and whether each carries its exit date yet."""
    start_month = records["start"].dt.to_period("M")
    exit_month = records["exit"].dt.to_period("M")
    for month in pd.period_range(f"{options.first_year}-01", f"{options.last_year}-12", freq="M"):
        rows = ((start_month == month) | (exit_month == month)).to_numpy()
        yield month, records[rows], (exit_month <= month).to_numpy()[rows]
