"""Reference files for the landing zone: the COG the product ships, and, when a folder of the real public files
is given (`--references`, laid out as `../shared/realdata`), ROME, FAP↔ROME, bassins BMO and tension 2021."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from ingestion.generate.common import set_arrival, shipped

SHIPPED = {
    "cog_regions_2025.csv": "referentiels/cog/cog-regions@2025.csv",
    "cog_departements_2025.csv": "referentiels/cog/cog-departments@2025.csv",
    "cog_communes_2025.parquet": "referentiels/cog/cog-communes-unique@2025.parquet",
}
FROM_REFERENCES = {
    "rome-v3/unix_referentiel_code_rome_v347_utf8.csv": "referentiels/rome/unix_referentiel_code_rome_v347_utf8.csv",
    "fap-rome/passage_fap2009_romev3.txt": "referentiels/fap_rome/passage_fap2009_romev3.txt",
    "fap-rome/intitule_fap2009.txt": "referentiels/fap_rome/intitule_fap2009.txt",
    "fap-rome/table-correspondance-pcs-rome.csv": "referentiels/fap_rome/table-correspondance-pcs-rome.csv",
    "bmo-bassins/lexique-bassins.csv": "referentiels/bassins/lexique-bassins.csv",
    "tension-rome-bassin/cities-tension-utf8.csv": "france_travail/tension/tension_rome_bassin_2021.csv",
}


def write_references(out: Path, references: Path | None = None) -> list[Path]:
    pairs = [(shipped(name), landing) for name, landing in SHIPPED.items()]
    if references is not None:
        pairs += [(Path(references) / name, landing) for name, landing in FROM_REFERENCES.items()
                  if (Path(references) / name).exists()]
    written = []
    for source, landing in pairs:
        target = Path(out) / landing
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        set_arrival(target, pd.Timestamp("2025-01-15"))
        written.append(target)
    return written


def bassins_of_region(references: Path | None, regions: list[str]) -> pd.DataFrame:
    """The régions' bassins BMO (code, name, main département, région), from the lexicon when it is at hand."""
    path = Path(references) / "bmo-bassins" / "lexique-bassins.csv" if references else None
    if path is None or not path.exists():
        return pd.DataFrame(columns=["bassin_code", "bassin_name", "departement_code", "region_code"])
    lexicon = pd.read_csv(path, dtype=str)
    lexicon = lexicon[lexicon["REG"].isin(regions)]
    grouped = lexicon.groupby(["BE19", "NOMBE19", "REG"])["DEP"].agg(lambda s: s.mode().iloc[0]).reset_index()
    return grouped.rename(columns={"BE19": "bassin_code", "NOMBE19": "bassin_name", "DEP": "departement_code",
                                   "REG": "region_code"})


def faps_of_romes(references: Path | None, romes) -> list[tuple[str, str]]:
    """FAP codes the given ROMEs map to through $FAP9RSQ (used to simulate the BMO survey)."""
    if not references:
        return []
    from ingestion.read import read_text
    from ingestion.referentiels.fap_rome import parse_sas_formats

    path = Path(references) / "fap-rome" / "passage_fap2009_romev3.txt"
    if not path.exists():
        return []
    mapping = {key: value for name, key, value, _ in parse_sas_formats(read_text(path))
               if name == "FAP9RSQ" and key}
    faps = sorted({mapping[r] for r in romes if r in mapping})
    return [(fap, f"Famille {fap}") for fap in faps]
