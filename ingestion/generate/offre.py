"""A simulated training-offer catalogue in LHEO 2.3 (the Carif-Oref exchange format): one formation per action
the Région ordered, with its Formacode, targeted ROME, funder and places."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from lxml import etree

from ingestion.generate.common import GenerateOptions, set_arrival

LHEO_23 = "http://lheo.gouv.fr/2.3"


def write_offer(options: GenerateOptions, actions: pd.DataFrame) -> list[Path]:
    ns = f"{{{LHEO_23}}}"
    root = etree.Element(f"{ns}lheo", nsmap={None: LHEO_23})
    offers = etree.SubElement(root, f"{ns}offres")

    def child(parent, name, text=None, **attributes):
        element = etree.SubElement(parent, f"{ns}{name}", **attributes)
        if text is not None:
            element.text = str(text)
        return element

    for action in actions.itertuples():
        formation = child(offers, "formation", numero=f"F_{action.action_id}")
        domain = child(formation, "domaine-formation")
        child(domain, "code-FORMACODE", action.formacode, ref="V13", tag="principal")
        child(domain, "code-ROME", action.rome)
        child(formation, "intitule-formation", action.title)
        child(formation, "code-niveau-sortie", "3")
        node = child(formation, "action", numero=action.action_id)
        funder = child(node, "organisme-financeur")
        child(funder, "code-financeur", "2")
        child(funder, "nb-places-financees", action.places)
        session = child(node, "session", numero=f"S_{action.action_id}")
        period = child(session, "periode")
        child(period, "debut", f"{action.year}0301")
        child(period, "fin", f"{action.year}1231")
    folder = options.out / "referentiels" / "offre"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"offre_region_{options.label}_{options.last_year}.xml"
    etree.ElementTree(root).write(str(path), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    set_arrival(path, pd.Timestamp(f"{options.last_year}-01-10"))
    return [path]
