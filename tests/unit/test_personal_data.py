"""The last look before publication finds personal data however it is disguised."""
from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from dagster_project.publish.personal_data import PersonalDataFound, check_frame

CLEAN = pd.DataFrame({"indicator": ["entrees"], "territory_level": ["departement"], "territory_code": ["08"],
                      "breakdown": ["financeur"], "breakdown_value": ["2"], "numerator": [12.0],
                      "denominator": [None], "value": [12.0]})


def test_clean_table_passes():
    check_frame("t", CLEAN)
    check_frame("t", CLEAN.assign(territory_level="maison_de_la_region"), groupings={"maison_de_la_region"})


@pytest.mark.parametrize("column, value, found", [
    ("person_key", "x", "column 'person_key'"),
    ("Individu.Nom", "x", "column 'Individu.Nom'"),
    ("Date Naissance", "x", "column 'Date Naissance'"),
    ("breakdown_value", hashlib.sha256(b"1111111111").hexdigest(), "a hashed person key"),
    ("breakdown_value", "1111111111", "a France Travail person id"),
    ("breakdown_value", "jean.dupont@exemple.fr", "an e-mail address"),
    ("breakdown_value", "06 12 34 56 78", "a phone number"),
    ("breakdown_value", "01/01/1990", "a date"),
    ("territory_level", "commune", "finer than the bassin"),
])
def test_personal_data_is_found(column, value, found):
    frame = CLEAN.copy()
    frame[column] = value
    with pytest.raises(PersonalDataFound, match=found):
        check_frame("t", frame)
