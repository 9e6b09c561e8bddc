"""Helpers that write small landing files by hand for tests: only the fields a test cares about are given,
the rest take the neutral values of the real extract (`NULL`, fake names that must never reach the warehouse)."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from ingestion.france_travail.stagiaires import ALL_COLUMNS

NAME = "DUPONT"
EMAIL = "jean.dupont@exemple.invalid"
PHONE = "0611223344"


def ft_row(person: str, session: str, start: str, **fields: str) -> dict[str, str]:
    row = {column: "NULL" for column in ALL_COLUMNS}
    row.update(
        c_nomcorrespondance=NAME, c_prenomcorrespondance="JEAN", c_adresseemail=EMAIL, c_telephone1=PHONE,
        dn_individu_national=person, dc_numeroicsession=session, dd_datedebutplanformation=f"{start} 00:00:00.0",
        dc_formacode_ppal_id="31734", liste_financeur="4", c_dispositifformation="AIF",
        dd_datenaissance="1990-01-01 00:00:00.0", dc_niveauformation_id="NV4", dc_commune_residence="51454",
        c_qpv="N", c_rsa="N", c_boe="N", dc_rome_vise="N1103",
    )
    for key, value in fields.items():
        assert key in row, key
        row[key] = value
    return row


def write_ft_file(path: Path, rows: list[dict[str, str]], arrived: str, trailer: str = "") -> Path:
    """Write a France Travail extract (`|`, UTF-8, NULL markers) that "arrived" at `arrived` (YYYY-MM-DD)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["|".join(ALL_COLUMNS)] + ["|".join(row[c] for c in ALL_COLUMNS) for row in rows]
    path.write_text("\n".join(lines) + "\n" + trailer, encoding="utf-8")
    set_arrival(path, arrived)
    return path


def set_arrival(path: Path, arrived: str) -> None:
    stamp = datetime.fromisoformat(arrived).replace(tzinfo=timezone.utc).timestamp()
    os.utime(path, (stamp, stamp))
