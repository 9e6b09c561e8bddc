"""Suite guarding the published `indicators` table (indicators.md, "Publication")."""
from __future__ import annotations

import pandas as pd

from expectations import SuiteOutcome, run_suite

KEY = ["indicator", "period_type", "period", "territory_level", "territory_code", "breakdown", "breakdown_value"]
# Counts: value = numerator, no denominator. I2 is a difference, so it may be negative.
COUNTS = ["entrees", "entrees_supplementaires"]
# Shares: fractions of a population, in [0, 1], numerator <= denominator.
SHARES = ["part_peu_qualifies", "part_jeunes", "part_qpv", "part_rsa", "part_th", "taux_acces_emploi_6m",
          "taux_emploi_durable_6m", "part_metiers_en_tension", "taux_parcours_enchaines"]
# Other ratios: entries over a stock, projects or places (may exceed 1), and amounts (I7).
OTHER_RATIOS = ["taux_acces_formation", "couverture_besoins", "taux_remplissage", "cout_moyen_entree",
                "cout_horaire"]
BREAKDOWNS = ["ensemble", "financeur", "dispositif", "formacode_domaine", "rome", "fap", "public"]


def expectations(groupings: tuple[str, ...] = ()) -> list:
    """`groupings`: names of the Région's own territorial groupings, published as extra levels."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    shares = Column("indicator").is_in(SHARES)
    counts = Column("indicator").is_in(COUNTS)

    checks = [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in KEY + ["is_secret"]]
    checks += [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=KEY),
        gxe.ExpectColumnValuesToBeInSet(column="indicator", value_set=COUNTS + SHARES + OTHER_RATIOS),
        gxe.ExpectColumnValuesToBeInSet(column="period_type", value_set=["year", "quarter", "month"]),
        gxe.ExpectColumnValuesToBeInSet(
            column="territory_level", value_set=["region", "departement", "bassin", *groupings]
        ),
        gxe.ExpectColumnValuesToBeInSet(column="breakdown", value_set=BREAKDOWNS),
        # No negative count, except I2's difference.
        gxe.ExpectColumnValuesToBeBetween(
            column="numerator", min_value=0, row_condition=Column("indicator") != "entrees_supplementaires"
        ),
        gxe.ExpectColumnValuesToBeBetween(column="denominator", min_value=0),
        # Shares are fractions in [0, 1], with numerator <= denominator.
        gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0, max_value=1, row_condition=shares),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="denominator", column_B="numerator", or_equal=True, ignore_row_if="either_value_is_missing",
            row_condition=shares,
        ),
        # Counts carry no denominator and value = numerator; every other indicator has a denominator or none
        # only where it is unknown (a withheld stock or BMO cell).
        gxe.ExpectColumnValuesToBeNull(column="denominator", row_condition=counts),
        gxe.ExpectColumnPairValuesToBeEqual(column_A="value", column_B="numerator", row_condition=counts),
        gxe.ExpectColumnValuesToNotBeNull(column="denominator", row_condition=shares),
    ]
    return checks


def validate(frame: pd.DataFrame, groupings: tuple[str, ...] = (), quality_dir=None) -> SuiteOutcome:
    # The suite guarding publication rebuilds the Data Docs (the run rebuilds them once more at its end).
    return run_suite("indicators", expectations(groupings), frame, quality_dir, build_docs=quality_dir is not None)
