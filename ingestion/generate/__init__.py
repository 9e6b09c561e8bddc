"""A deterministic, realistic landing zone for one Région (`pric generate`).

The people are invented; the formats are the real ones (feeds.md). For a given seed, region, years and scale the
files are identical from one run to the next, and their modification times follow the calendar (a month's file
"arrives" a few days after the month), so supersession behaves as in production.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ingestion.generate.common import ROMES, GenerateOptions, communes_of_regions, parse_years, region_names
from ingestion.generate.financeurs import orders, region_records, write_cpf, write_orders, write_region_trainees
from ingestion.generate.france_travail import (
    write_bmo, write_hirings, write_job_seeker_stock, write_trainee_extract,
)
from ingestion.generate.observatoires import write_observatory_studies
from ingestion.generate.offre import write_offer
from ingestion.generate.population import trainee_records
from ingestion.generate.references import bassins_of_region, faps_of_romes, write_references

__all__ = ["GenerateOptions", "generate", "parse_years", "write_references"]


def generate(options: GenerateOptions, report=None) -> dict[str, list[Path]]:
    """Write every simulated feed; each feed draws from its own random stream, so changing one leaves the
    others identical. `report(folder, files)` is called as each feed is written (progress)."""
    streams = [np.random.default_rng([options.seed, k]) for k in range(10)]
    options.out.mkdir(parents=True, exist_ok=True)
    communes = communes_of_regions(options.regions)
    departements = communes[["department_code", "region_code"]].drop_duplicates().sort_values("department_code")
    bassins = bassins_of_region(options.references, options.regions)
    written: dict[str, list[Path]] = {}

    def wrote(folder: str, files: list[Path]) -> None:
        written[folder] = files
        if report is not None:
            report(folder, files)

    records = trainee_records(options, streams[0])
    region = region_records(records, options, streams[1])
    wrote("referentiels", write_references(options.out, options.references))
    wrote("france_travail/stagiaires", write_trainee_extract(options, records, streams[2]))
    wrote("france_travail/reprises_emploi", write_hirings(options, records, streams[3]))
    wrote("france_travail/demandeurs_emploi",
          write_job_seeker_stock(options, list(departements["department_code"]), streams[4]))
    wrote("financeurs/cpf", write_cpf(options, departements, streams[5]))
    wrote("observatoires", write_observatory_studies(options, region_names(), streams[6]))
    if len(bassins):
        actions = orders(region, bassins, options, streams[7])
        wrote("financeurs/region/commandes", write_orders(options, actions))
        wrote("referentiels/offre", write_offer(options, actions))
        wrote("france_travail/bmo", write_bmo(options, bassins, faps_of_romes(options.references, ROMES),
                                              streams[8], region_names()))
    else:
        region["action_id"] = [f"A{d.year}-{i:04d}" for i, d in enumerate(region["start"])]
    wrote("financeurs/region/stagiaires", write_region_trainees(options, region, streams[9]))
    return written
