"""Training offer catalogue in LHEO XML (`referentiels/offre/*.xml`), Carif-Oref network format.

LHEO 2.2 (`http://www.lheo.org/2.2`) and 2.3 (`http://lheo.gouv.fr/2.3`) differ in namespace, not in the parts read
here, so elements are matched by local name. One row per session: its formation (Formacode, NSF, ROME, RNCP,
Certif Info, exit level), action (funders and places bought) and dates. Contact people are not read.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
from lxml import etree

from ingestion.feeds import NOT_BLANK, FeedSpec, Rule, matches
from ingestion.read import ReadResult, RejectedFile, register_rows

COLUMNS = (
    "lheo_namespace", "formation_numero", "intitule_formation", "formacode_principal", "formacodes", "codes_nsf",
    "codes_rome", "code_rncp", "code_certifinfo", "code_niveau_sortie", "action_numero", "code_insee_lieu",
    "codes_financeurs", "nb_places_financees", "session_numero", "date_debut", "date_fin",
)


def _local(element) -> str:
    return etree.QName(element).localname


def _children(element, name: str):
    return [child for child in element if isinstance(child.tag, str) and _local(child) == name]


def _descendants(element, name: str):
    return [node for node in element.iter() if isinstance(node.tag, str) and _local(node) == name]


def _text(nodes) -> str | None:
    values = [(node.text or "").strip() for node in nodes if (node.text or "").strip()]
    return ";".join(values) if values else None


def _date(value: str | None) -> str | None:
    # LHEO writes YYYYMMDD; 00000000 means unknown.
    if not value or value.strip("0") == "":
        return None
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}" if len(value) == 8 and value.isdigit() else value


def parse_sessions(path: Path) -> list[list]:
    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise RejectedFile(path, f"not well-formed XML: {exc}") from exc
    root = tree.getroot()
    if _local(root) != "lheo":
        raise RejectedFile(path, f"root element is <{_local(root)}>, not <lheo>")
    namespace = etree.QName(root).namespace or ""
    rows = []
    for formation in _descendants(root, "formation"):
        domain = (_children(formation, "domaine-formation") or [formation])[0]
        formacodes = _children(domain, "code-FORMACODE")
        principal = [f for f in formacodes if f.get("tag") == "principal"] or formacodes[:1]
        certification = (_children(formation, "certification") or [None])[0]
        common = [
            namespace,
            formation.get("numero"),
            _text(_children(formation, "intitule-formation")),
            _text(principal),
            _text(formacodes),
            _text(_children(domain, "code-NSF")),
            _text(_children(domain, "code-ROME")),
            _text(_children(certification, "code-RNCP")) if certification is not None else None,
            _text(_children(certification, "code-CERTIFINFO")) if certification is not None else None,
            _text(_children(formation, "code-niveau-sortie")),
        ]
        for action in _children(formation, "action"):
            place = _descendants((_children(action, "lieu-de-formation") or [action])[0], "code-INSEE-commune")
            funders = _descendants(action, "organisme-financeur")
            action_part = [
                action.get("numero"),
                _text(place[:1]),
                _text([c for f in funders for c in _children(f, "code-financeur")]),
                _text([c for f in funders for c in _children(f, "nb-places-financees")]),
            ]
            for session in _children(action, "session") or [None]:
                period = (_children(session, "periode") or [None])[0] if session is not None else None
                rows.append(common + action_part + [
                    session.get("numero") if session is not None else None,
                    _date(_text(_children(period, "debut"))) if period is not None else None,
                    _date(_text(_children(period, "fin"))) if period is not None else None,
                    (session if session is not None else action).sourceline,
                ])
    return rows


def read_lheo(con: duckdb.DuckDBPyConnection, path: Path, table: str, workdir: Path) -> ReadResult:
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        raise RejectedFile(path, "empty or missing file")
    rows = parse_sessions(path)
    register_rows(con, table, list(COLUMNS), rows)
    return ReadResult(table, list(COLUMNS), len(rows), f"{table}_rejects", 0, "xml")


FEED = FeedSpec(
    name="referentiels__offre_sessions",
    source="referentiels",
    folder="referentiels/offre",
    file_pattern=r".*\.xml",
    period_kind="version",
    reader=read_lheo,
    columns=COLUMNS,
    description="Training offer catalogue (LHEO 2.2/2.3 XML), one row per formation × action × session",
    rules=(
        Rule("formation_numero", NOT_BLANK, "formation without its `numero` attribute"),
        Rule("formacode_principal", matches(r"\d{5}"), "main Formacode is not 5 digits", action="flag"),
    ),
)
