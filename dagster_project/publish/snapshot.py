"""The BI snapshot: a read-only copy of the public marts at `$PRIC_HOME/serving/warehouse.duckdb`.

Written aside in a storage version that DuckDB 1.x drivers still open, then renamed over the previous one in one
step: a BI tool holding the old file open keeps reading it undisturbed (on POSIX the old file lives on until it
is closed) and sees the new one at its next connection. Nothing person-level goes in: the published indicators
(secrecy applied) and the dimensions.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

STORAGE_VERSION = "v1.0.0"
SNAPSHOT_TABLES = {
    "indicateurs": "delivery.indicateurs_publies",
    "territoires": "marts.dim_territoire",
    "financeurs": "marts.dim_financeur",
    "metiers": "marts.dim_metier",
    "formations": "marts.dim_formation",
    "certifications": "marts.dim_certification",
    "dispositifs": "marts.dim_dispositif",
    "niveaux_formation": "marts.dim_niveau_formation",
    "publics": "marts.dim_public",
}


def publish_snapshot(con: duckdb.DuckDBPyConnection, serving_dir: Path) -> Path:
    serving_dir = Path(serving_dir)
    serving_dir.mkdir(parents=True, exist_ok=True)
    target = serving_dir / "warehouse.duckdb"
    staging = serving_dir / f".warehouse.{os.getpid()}.writing.duckdb"
    staging.unlink(missing_ok=True)
    con.execute(f"attach '{staging}' as snapshot (storage_version '{STORAGE_VERSION}')")
    try:
        for name, source in SNAPSHOT_TABLES.items():
            con.execute(f"create table snapshot.main.{name} as select * from {source}")
        con.execute("create view snapshot.main.lisez_moi as select 'Indicateurs partagés du PRIC, secret statistique "
                    "appliqué (cellules secrètes vides). Voir docs/indicators.md.' as note")
    finally:
        con.execute("detach snapshot")
    os.replace(staging, target)
    return target
