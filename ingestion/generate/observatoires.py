"""Simulated branch observatory studies: a workbook per branch and wave, with title rows, merged cells, a `Total`
row and a `Source :` note, as the observatories publish them."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ingestion.generate.common import GenerateOptions, set_arrival
from ingestion.observatoires.besoins import BRANCHES

ROMES_BY_BRANCH = {
    "industrie": ["H2909", "H2913", "H2102", "D1106", "H3302"],
    "btp": ["F1703", "F1602", "F1604", "N1105"],
    "numerique": ["M1805", "M1607", "M1203", "J1501"],
    "sanitaire_social": ["J1501", "J1301", "K1302", "K1303"],
    "agriculture": ["A1414", "A1201", "N1103"],
    "artisanat": ["D1214", "D1106", "I1304", "G1602"],
    "foret_bois": ["A1201", "H2909", "N4101"],
}
SKILLS = ["Lecture de plans", "Habilitations électriques", "Relation client", "Travail en équipe", "Numérique"]


def write_observatory_studies(options: GenerateOptions, region_names: dict[str, str],
                              rng: np.random.Generator) -> list[Path]:
    from openpyxl import Workbook

    waves = sorted({options.first_year + 1, options.last_year - 1} & set(options.years)) or [options.first_year]
    written = []
    for branch in BRANCHES:
        folder = options.out / "observatoires" / branch
        folder.mkdir(parents=True, exist_ok=True)
        for year in waves:
            workbook = Workbook()
            readme = workbook.active
            readme.title = "Lisez-moi"
            readme.append([f"Étude prospective emploi-compétences, branche {branch}, {year}"])
            readme.append(["Besoins de recrutement à 3 ans par métier (code ROME) et région."])
            sheet = workbook.create_sheet("Besoins")
            sheet.append([f"Besoins en compétences — {branch.replace('_', ' ')} — {year}"])
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=7)
            sheet.append(["Note : effectifs arrondis ; « NC » = non communiqué (moins de 3 réponses)."])
            sheet.append([])
            sheet.append(["Région", "Code ROME", "Métier", "Besoins de recrutement à 3 ans",
                          "dont créations de postes", "Difficulté de recrutement (1 à 4)", "Compétences clés"])
            total = 0
            for region in options.regions:
                for rome in ROMES_BY_BRANCH[branch]:
                    needs = int(rng.gamma(2.0, 120))
                    total += needs
                    creations = "NC" if needs < 30 else int(needs * rng.uniform(0.1, 0.4))
                    sheet.append([region_names.get(region, region), rome, f"Métier {rome}", needs, creations,
                                  int(rng.integers(1, 5)), ", ".join(rng.choice(SKILLS, size=2, replace=False))])
            sheet.append(["Total", None, None, total, None, None, None])
            sheet.append(["Source : enquête de l'observatoire de branche (OPMQ), traitement Carif-Oref."])
            path = folder / f"besoins_{branch}_{year}.xlsx"
            workbook.save(path)
            set_arrival(path, pd.Timestamp(f"{year}-10-01"))
            written.append(path)
    return written
