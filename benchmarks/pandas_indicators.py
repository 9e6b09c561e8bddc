"""An independent, straightforward pandas computation of indicators I1, I3 (part_peu_qualifies) and I4, read
directly from the landing zone, written from indicators.md and feeds.md without any of the warehouse's code.

Two uses: the test that the warehouse computes the definitions (tests/pipeline/test_independent_check.py) and the
speed comparison of `make bench`. It is deliberately plain: pandas frames and a Python walk over each person's
records for the 7-day rule, as an analyst would write it.

    python -m benchmarks.pandas_indicators LANDING --key-file PRIC_HOME/pseudo.key [--out indicators.csv]
"""
from __future__ import annotations

import argparse
import hashlib
import hmac
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

FT_INFRA_BAC = {"AFS", "CP4", "C12", "C3A", "CFG", "NV5"}
REGION_INFRA_BAC = {"Sans diplôme", "VI", "V bis", "V", "Niveau 1", "Niveau 2", "Niveau 3"}


def current_files(folder: Path, pattern: str) -> list[tuple[str, Path]]:
    """For each period, the file that arrived last (modification time, then name)."""
    best: dict[str, tuple[float, str, Path]] = {}
    for path in folder.glob("*"):
        match = re.fullmatch(pattern, path.name)
        if not match:
            continue
        key = (path.stat().st_mtime, path.name, path)
        period = match.group(1)
        if period not in best or key[:2] > best[period][:2]:
            best[period] = key
    return sorted((period, value[2]) for period, value in best.items())


def read_monthly(folder: Path, pattern: str, **read_csv) -> pd.DataFrame:
    frames = []
    for period, path in current_files(folder, pattern):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, **read_csv)
        frame["_period"] = period
        frame["_line"] = np.arange(len(frame))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def pseudonym(values: pd.Series, key: bytes) -> pd.Series:
    return values.map(lambda v: hmac.new(key, v.strip().encode(), hashlib.sha256).hexdigest() if v.strip() else None)


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def france_travail_records(landing: Path, key: bytes) -> pd.DataFrame:
    raw = read_monthly(landing / "france_travail/stagiaires", r"stagiaires_pe_(\d{6})(?!\d).*\.csv", sep="|")
    raw = raw.replace({"NULL": ""})
    raw["start"] = pd.to_datetime(raw["dd_datedebutplanformation"].str[:10], format="%Y-%m-%d", errors="coerce")
    raw = raw[raw["start"].notna() & (raw["dc_numeroicsession"].str.strip() != "")]
    raw = raw.drop_duplicates(["_period", "dn_individu_national", "dc_numeroicsession"])
    # The latest month's version of a record wins.
    raw = raw.sort_values(["_period", "_line"]).drop_duplicates(["dn_individu_national", "dc_numeroicsession"],
                                                                 keep="last")
    person = pseudonym(raw["dn_individu_national"], key)
    birth = pd.to_datetime(raw["dd_datenaissance"].str[:10], format="%Y-%m-%d", errors="coerce")
    return pd.DataFrame({
        "record_id": [md5(f"france_travail|{p or ''}|{s.strip()}") for p, s in zip(person, raw["dc_numeroicsession"])],
        "source_rank": 1,
        "person": person.to_numpy(),
        "start": raw["start"].to_numpy(),
        "exit": pd.to_datetime(raw["dd_datesortieeffective"].str[:10], format="%Y-%m-%d", errors="coerce").to_numpy(),
        "formacode": raw["dc_formacode_ppal_id"].str.strip().replace("", None).to_numpy(),
        "infra_bac": raw["dc_niveauformation_id"].str.strip().isin(FT_INFRA_BAC).to_numpy(),
        "commune": raw["dc_commune_residence"].str.strip().str.zfill(5).to_numpy(),
        "birth": birth.to_numpy(),
    })


def region_records(landing: Path, key: bytes) -> pd.DataFrame:
    folder = landing / "financeurs/region/stagiaires"
    raw = read_monthly(folder, r"stagiaires_region_(\d{6})(?!\d).*\.csv", sep=";", encoding="cp1252")
    if raw.empty:
        return raw
    raw["start"] = pd.to_datetime(raw["Date Entree"], format="%d/%m/%Y", errors="coerce")
    raw = raw[raw["start"].notna() & (raw["Numéro Action"].str.strip() != "")]
    raw = raw.drop_duplicates(["_period", "Identifiant Stagiaire", "Numéro Action"])
    raw = raw.sort_values(["_period", "_line"]).drop_duplicates(["Identifiant Stagiaire", "Numéro Action"],
                                                                 keep="last")
    trainee = pseudonym(raw["Identifiant Stagiaire"], key)
    return pd.DataFrame({
        "record_id": [md5(f"region|{t}|{a.strip()}") for t, a in zip(trainee, raw["Numéro Action"])],
        "source_rank": 2,
        "person": pseudonym(raw["Identifiant France Travail"], key).to_numpy(),
        "start": raw["start"].to_numpy(),
        "exit": pd.to_datetime(raw["Date Sortie"], format="%d/%m/%Y", errors="coerce").to_numpy(),
        "formacode": raw["Formacode"].str.strip().replace("", None).to_numpy(),
        "infra_bac": raw["Niveau Formation"].str.strip().isin(REGION_INFRA_BAC).to_numpy(),
        "commune": raw["Code Commune"].str.strip().str.zfill(5).to_numpy(),
        "birth": pd.to_datetime(raw["Date Naissance"], format="%d/%m/%Y", errors="coerce").to_numpy(),
    })


def entries(records: pd.DataFrame) -> pd.DataFrame:
    """indicators.md, "Entries": walk each person's records in order; 7-day window from the entry's first start."""
    records = records.sort_values(["person", "start", "formacode", "source_rank", "record_id"], na_position="last")
    entry_of = {}
    keyed = records[records["person"].notna()]
    for person, group in keyed.groupby("person", sort=False):
        number, first_start, formacode = 0, None, object()
        for row in group.itertuples():
            same = (row.formacode == formacode) or (row.formacode is None and formacode is None)
            if number and same and (row.start - first_start).days <= 7:
                pass
            else:
                number, first_start, formacode = number + 1, row.start, row.formacode
            entry_of[row.record_id] = f"{person}|{number}"
    for row in records[records["person"].isna()].itertuples():
        entry_of[row.record_id] = f"record|{row.record_id}"
    records = records.assign(entry=records["record_id"].map(entry_of))
    grouped = records.groupby("entry")
    traits = records.sort_values(["entry", "source_rank", "start", "record_id"]).drop_duplicates("entry")
    result = traits.set_index("entry")[["person", "infra_bac", "commune"]].copy()
    result["entry_date"] = grouped["start"].min()
    all_exits = grouped["exit"].count() == grouped["exit"].size()
    result["exit_date"] = grouped["exit"].max().where(all_exits)
    return result.reset_index()


def territories(landing: Path) -> pd.DataFrame:
    communes = pd.read_parquet(next((landing / "referentiels/cog").glob("cog-communes-unique@*.parquet")))
    communes["rank"] = communes["type_code"].map({"COM": 1, "ARM": 2}).fillna(3)
    communes = communes.sort_values(["code", "rank"]).drop_duplicates("code")
    return communes.rename(columns={"code": "commune", "department_code": "departement", "region_code": "region"})[
        ["commune", "departement", "region"]]


def hirings(landing: Path, key: bytes) -> pd.DataFrame:
    raw = read_monthly(landing / "france_travail/reprises_emploi", r"reprises_emploi_(\d{6})(?!\d).*\.csv", sep=";",
                       encoding="cp1252")
    if raw.empty:
        return pd.DataFrame(columns=["person", "date", "ok_30", "durable"])
    raw["date"] = pd.to_datetime(raw["date_embauche"], format="%d/%m/%Y", errors="coerce")
    raw = raw[raw["date"].notna() & (raw["id_individu"].str.strip() != "")]
    raw = raw.drop_duplicates(["_period", "id_individu", "date_embauche", "type_contrat", "code_rome",
                               "commune_employeur"])
    days = pd.to_numeric(raw["duree_contrat_jours"], errors="coerce")
    kind = raw["type_contrat"].str.strip()
    return pd.DataFrame({
        "person": pseudonym(raw["id_individu"], key).to_numpy(),
        "date": raw["date"].to_numpy(),
        "ok_30": ((kind == "CDI") | (days >= 30)).to_numpy(),
        "durable": ((kind == "CDI") | ((kind == "CDD") & (days >= 183))).to_numpy(),
    })


def compute(landing: Path, key: bytes) -> pd.DataFrame:
    landing = Path(landing)
    records = pd.concat([france_travail_records(landing, key), region_records(landing, key)], ignore_index=True)
    found = entries(records).merge(territories(landing), on="commune", how="left")
    found["year"] = found["entry_date"].dt.year.astype(str)

    # I4: exits of the year, with a hiring in [exit, exit + 183 days].
    exits = found[found["person"].notna() & found["exit_date"].notna()].copy()
    pairs = exits[["entry", "person", "exit_date"]].merge(hirings(landing, key), on="person")
    in_window = pairs[(pairs["date"] >= pairs["exit_date"])
                      & (pairs["date"] <= pairs["exit_date"] + pd.Timedelta(days=183))]
    exits["hired"] = exits["entry"].isin(in_window.loc[in_window["ok_30"], "entry"])
    exits["durable"] = exits["entry"].isin(in_window.loc[in_window["durable"], "entry"])
    exits["year"] = exits["exit_date"].dt.year.astype(str)

    rows = []
    for level in ("region", "departement"):
        by_entry = found[found[level].notna()].groupby(["year", level])
        for (year, code), group in by_entry:
            rows.append(("entrees", year, level, code, len(group), None))
            rows.append(("part_peu_qualifies", year, level, code, int(group["infra_bac"].sum()), len(group)))
        for (year, code), group in exits[exits[level].notna()].groupby(["year", level]):
            rows.append(("taux_acces_emploi_6m", year, level, code, int(group["hired"].sum()), len(group)))
            rows.append(("taux_emploi_durable_6m", year, level, code, int(group["durable"].sum()), len(group)))
    result = pd.DataFrame(rows, columns=["indicator", "period", "territory_level", "territory_code", "numerator",
                                         "denominator"])
    result["value"] = np.where(result["denominator"].isna(), result["numerator"],
                               result["numerator"] / result["denominator"])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("landing", type=Path)
    parser.add_argument("--key-file", type=Path, required=True, help="the pseudonymisation key ($PRIC_HOME/pseudo.key)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    result = compute(args.landing, args.key_file.read_text(encoding="ascii").strip().encode())
    if args.out:
        result.to_csv(args.out, index=False)
    else:
        result.to_csv(sys.stdout, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
