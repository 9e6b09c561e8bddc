"""Per-funder extracts: each funder sees only its own scope, secrecy applied, no personal data.

`build_published_table` makes `delivery.indicateurs_publies` once per run (primary and secondary secrecy applied,
secret cells emptied); every published form (extracts, BI snapshot) reads it. `write_extract` writes one funder's
folder `exports/<funder>/<run date>/`: Parquet, CSV (`;`, UTF-8 with BOM, decimal comma: Excel opens it right),
XLSX (a sheet per table and a `Lisez-moi` sheet), and `manifest.json` with checksums and row counts. The folder is
written aside and swapped in whole: a reader never sees half an extract.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from dagster_project.publish.personal_data import check_frame
from dagster_project.publish.secrecy import publish_changed_partitions, sql_list
from dagster_project.publish.xlsx import ORDINAL, numbered_frame, write_workbook

PUBLISHED_TABLE = "delivery.indicateurs_publies"
ADDITIVE_COUNTS = {"entrees", "entrees_supplementaires"}
# The Région's own indicators (its costs and its orders) belong to its extract whatever the funder breakdown.
REGION_INDICATORS = ("cout_moyen_entree", "cout_horaire", "taux_remplissage")
EXTRACT_WORKERS = 2  # funders' extracts written side by side


@dataclass(frozen=True)
class Recipient:
    code: str
    label: str
    funder_codes: tuple[str, ...]


@dataclass(frozen=True)
class Extract:
    funder: str
    folder: Path
    rows: dict[str, int]


def recipients(con: duckdb.DuckDBPyConnection) -> list[Recipient]:
    rows = con.execute(
        "select code_destinataire, libelle_destinataire, coalesce(codes_financeur_lheo, '') "
        "from reference.destinataires order by 1").fetchall()
    return [Recipient(code, label, tuple(c for c in codes.split(";") if c)) for code, label, codes in rows]


# The région of each child territory of the secrecy margins: a département's own; a bassin's, the one most of its
# communes belong to.
TERRITORY_REGIONS_SQL = """
    select 'departement' as territory_level, departement_code as territory_code, min(region_code) as region_code
    from marts.dim_territoire where departement_code is not null group by departement_code
    union all
    select 'bassin', bassin_code, region_code from (
        select bassin_code, region_code,
               row_number() over (partition by bassin_code order by count(*) desc, region_code) as rank_in_bassin
        from marts.dim_territoire where bassin_code is not null group by bassin_code, region_code)
    where rank_in_bassin = 1"""


def build_published_table(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """Apply secondary suppression to `marts.indicators`, empty secret cells, store `delivery.indicateurs_publies`:
    only the partitions (indicator × breakdown × year) whose cells changed since the last run are suppressed and
    written again (secrecy.publish_changed_partitions). Returns (rows, partitions rewritten, partitions)."""
    con.execute("create schema if not exists delivery")
    con.execute(f"create or replace temp view territory_regions as {TERRITORY_REGIONS_SQL}")
    return publish_changed_partitions(con, "marts.indicators", "territory_regions", ADDITIVE_COUNTS,
                                      PUBLISHED_TABLE)


def scope_condition(recipient: Recipient) -> str:
    """The rows of the published table a funder sees (portable SQL): its extract and, on PostgreSQL, the row-level
    security policy of its role (publish/live.py) use this one condition."""
    scope = f"breakdown = 'financeur' and breakdown_value in {sql_list(recipient.funder_codes)}"
    if recipient.code == "conseil_regional":
        scope = f"({scope}) or indicator in {sql_list(REGION_INDICATORS)}"
    return scope


def compute_flows(con: duckdb.DuckDBPyConnection, chosen: list[Recipient]) -> pd.DataFrame:
    """Every funder's aggregated flows in one pass over the entries: per funder, month and département, its
    entries (counted once however many of its codes they carry) and their exits. One join of the entries with the
    funder bridge for all funders, not one per funder (each read the 10 M entries of a national build again). The
    bridge's (entry, funder) pairs are made distinct before that join, on two columns instead of five after it
    (3.4-4.1 s -> 2.8-3.1 s at national scale)."""
    codes = [(r.code, code) for r in chosen for code in r.funder_codes]
    con.execute("create or replace temp table extract_recipient_codes (recipient varchar, code_financeur varchar)")
    if codes:
        con.executemany("insert into extract_recipient_codes values (?, ?)", codes)
    return con.execute(
        """with recipients_of_entry as (
                select distinct f.entry_id, r.recipient
                from marts.bridge_entrees_financeurs f
                join extract_recipient_codes r on r.code_financeur = f.code_financeur
            ), entries as (
                select r.recipient, e.entry_date, e.exit_date, e.departement_code
                from recipients_of_entry r
                join marts.fct_entrees e on e.entry_id = r.entry_id
                where e.departement_code is not null
            ), months as (
                select recipient, strftime(entry_date, '%Y-%m') as mois, departement_code, 1 as entree, 0 as sortie
                from entries
                union all
                select recipient, strftime(exit_date, '%Y-%m'), departement_code, 0, 1
                from entries where exit_date is not null
            )
            select recipient, mois, departement_code, sum(entree) as entrees, sum(sortie) as sorties
            from months group by all order by all""").fetchdf()


def tables_for(con: duckdb.DuckDBPyConnection, recipient: Recipient, min_count: int,
               all_flows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The funder's tables: its indicators (rows broken down by its own funder codes; the Région's own
    indicators for the Région) and its aggregated flows (monthly, by département, no totals; its rows of
    `all_flows`, from `compute_flows`)."""
    order = "order by indicator, period_type, period, territory_level, territory_code, breakdown, breakdown_value"
    indicators = con.execute(
        f"select * from {PUBLISHED_TABLE} where {scope_condition(recipient)} {order}").fetchdf()
    if recipient.code == "cpf":
        flows = con.execute(
            """select month as mois, departement_code, certification_register as referentiel,
                      certification_code as code_certification, files_engaged as dossiers_engages,
                      files_cancelled as dossiers_annules
               from marts.fct_dossiers_cpf order by all""").fetchdf()
    else:
        flows = (all_flows[all_flows["recipient"] == recipient.code]
                 .drop(columns="recipient").reset_index(drop=True))
    # Flows carry no total row, so primary secrecy is enough: a count below the threshold is withheld.
    for column in [c for c in flows.columns if c in {"entrees", "sorties", "dossiers_engages", "dossiers_annules"}]:
        flows[column] = flows[column].astype("Int64").where(flows[column] >= min_count)
    return {"indicateurs": indicators, "flux": flows}


README_LINES = [
    ["Lisez-moi"],
    [],
    ["Contenu", "Les indicateurs partagés du Pacte régional d'investissement dans les compétences (PRIC) du périmètre "
                "de ce destinataire, et ses flux agrégés (entrées et sorties par mois et département)."],
    ["Définitions", "indicator : identifiant de l'indicateur (voir docs/indicators.md) ; numerator / denominator : "
                    "numérateur et dénominateur ; value : valeur (un taux est une fraction : 0,42 et non 42)."],
    ["", "entrees : nombre d'entrées en formation (une personne commençant une formation, dédoublonnée entre "
         "financeurs) ; part_* : parts d'entrées par public ; taux_acces_emploi_6m : part des sorties suivies d'une "
         "embauche de 30 jours ou plus dans les 6 mois ; voir la documentation pour chaque indicateur."],
    ["Secret statistique", "Une cellule est secrète si son effectif est inférieur à {min_count} ou si le dénominateur "
                           "d'un taux est inférieur à {min_denominator} ; une seconde cellule est masquée quand la "
                           "première pourrait être recalculée à partir d'un total. Une cellule secrète est vide, "
                           "jamais zéro (is_secret = vrai)."],
    ["Données personnelles", "Aucune : ni identifiant de personne, ni nom, ni date de naissance, ni commune."],
]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_csv(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, path: Path) -> None:
    """`;`-separated, UTF-8 with BOM, decimal comma, CRLF: what French Excel opens right. Written by DuckDB (pandas'
    writer took half of the extracts' time); DuckDB writes no BOM and no decimal comma, hence the text casts and
    the BOM written ahead of its output."""
    body = path.with_name(path.name + ".body")
    with numbered_frame(con, frame, "csv_frame") as kinds:
        columns = []
        for name, kind in kinds:
            quoted = '"' + name.replace('"', '""') + '"'
            if kind in ("DOUBLE", "FLOAT") or kind.startswith("DECIMAL"):
                columns.append(f"replace(cast({quoted} as varchar), '.', ',') as {quoted}")
            elif kind == "BOOLEAN":  # as pandas wrote them, so that users' scripts keep working
                columns.append(f"case when {quoted} then 'True' when not {quoted} then 'False' end as {quoted}")
            else:
                columns.append(quoted)
        target = str(body).replace("'", "''")
        con.execute(f"copy (select {', '.join(columns)} from csv_frame order by {ORDINAL}) to '{target}' "
                    "(delimiter ';', header, new_line e'\\r\\n')")
    with open(path, "wb") as out, open(body, "rb") as source:
        out.write(b"\xef\xbb\xbf")
        shutil.copyfileobj(source, out, 1 << 20)
    body.unlink()


def write_extract(con: duckdb.DuckDBPyConnection, recipient: Recipient, exports_dir: Path, run_date: date,
                  min_count: int, min_denominator: int, all_flows: pd.DataFrame,
                  groupings: set[str] = frozenset()) -> Extract:
    tables = tables_for(con, recipient, min_count, all_flows)
    for name, frame in tables.items():
        check_frame(f"{recipient.code}/{name}", frame, groupings)
    target = Path(exports_dir) / recipient.code / run_date.isoformat()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".writing_", dir=target.parent))
    readme = [[cell.format(min_count=min_count, min_denominator=min_denominator) for cell in line]
              for line in README_LINES]
    files = {}
    for name, frame in tables.items():
        frame.to_parquet(staging / f"{name}.parquet", index=False)
        write_csv(con, frame, staging / f"{name}.csv")
        files[f"{name}.parquet"] = len(frame)
        files[f"{name}.csv"] = len(frame)
    write_workbook(con, staging / f"{recipient.code}.xlsx", tables, readme)
    files[f"{recipient.code}.xlsx"] = sum(len(f) for f in tables.values())
    manifest = {
        "recipient": recipient.code,
        "label": recipient.label,
        "run_date": run_date.isoformat(),
        "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "secrecy": {"min_count": min_count, "min_denominator": min_denominator},
        "files": [{"name": name, "rows": rows, "sha256": _sha256(staging / name)} for name, rows in files.items()],
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    # Swap the whole folder: the previous extract of the day stays complete until the new one is.
    previous = target.with_name(f".{target.name}.previous")
    if target.exists():
        os.replace(target, previous)
    os.replace(staging, target)
    shutil.rmtree(previous, ignore_errors=True)
    return Extract(recipient.code, target, {name: len(frame) for name, frame in tables.items()})


def write_all(con: duckdb.DuckDBPyConnection, exports_dir: Path, run_date: date, min_count: int,
              min_denominator: int, only: str | None = None) -> list[Extract]:
    groupings = {row[0] for row in con.execute(
        "select distinct grouping_name from marts.dim_territoire where grouping_name is not null").fetchall()}
    chosen = [r for r in recipients(con) if only is None or r.code == only]
    if only is not None and not chosen:
        raise ValueError(f"unknown funder {only!r}; known: {', '.join(r.code for r in recipients(con))}")
    all_flows = compute_flows(con, chosen)

    def write(recipient: Recipient) -> Extract:
        # Funders are written side by side (DuckDB and zlib release the GIL), each on a connection of its own: a
        # cursor, same database and settings.
        cursor = con.cursor()
        try:
            return write_extract(cursor, recipient, exports_dir, run_date, min_count, min_denominator, all_flows,
                                 groupings)
        finally:
            cursor.close()

    with ThreadPoolExecutor(max_workers=EXTRACT_WORKERS) as pool:
        return list(pool.map(write, chosen))
