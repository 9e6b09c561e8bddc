"""A last look at everything about to leave: no person key (hashed or not), no name, e-mail, phone or birth date,
and no territory finer than the bassin. Raises with the table, column and an example when something is found."""
from __future__ import annotations

import re

import pandas as pd

# Whole words of a column name (`nom`, `person_key`, `Date Naissance`), not parts of one (`denominator`).
FORBIDDEN_COLUMNS = re.compile(
    r"(?:^|[_\s.])(individu|person|personne|stagiaire|nom|prenom|prénom|e?mail|courriel|tel|telephone|phone|"
    r"naissance|birth|hmac|adresse|commune)(?:$|[_\s.])",
    re.IGNORECASE)
PATTERNS = {
    "a hashed person key": re.compile(r"^[0-9a-f]{32,64}$"),
    "a France Travail person id": re.compile(r"^\d{10}$"),
    "an e-mail address": re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE),
    "a phone number": re.compile(r"^(\+33|0)[1-9]([ .-]?\d{2}){4}$"),
    "a date": re.compile(r"^\d{2}/\d{2}/\d{4}$|^\d{4}-\d{2}-\d{2}"),
}
ALLOWED_LEVELS = {"region", "departement", "bassin"}


class PersonalDataFound(Exception):
    pass


def check_frame(name: str, frame: pd.DataFrame, groupings: set[str] = frozenset()) -> None:
    for column in frame.columns:
        if FORBIDDEN_COLUMNS.search(str(column)):
            raise PersonalDataFound(f"{name}: column {column!r} is not publishable")
    text = frame.select_dtypes(include=["object", "string"])
    for column in text.columns:
        values = text[column].dropna().astype(str).unique()
        for label, pattern in PATTERNS.items():
            hits = [v for v in values if pattern.search(v)]
            if hits:
                raise PersonalDataFound(f"{name}: column {column!r} holds {label} (e.g. {hits[0][:12]}…)")
    if "territory_level" in frame.columns:
        levels = set(frame["territory_level"].dropna().unique()) - ALLOWED_LEVELS - set(groupings)
        if levels:
            raise PersonalDataFound(f"{name}: territory level(s) {sorted(levels)} finer than the bassin")
