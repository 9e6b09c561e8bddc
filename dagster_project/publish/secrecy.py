"""Statistical secrecy for published forms (indicators.md, "Secrecy").

Primary suppression comes from the warehouse (`is_secret`: a count below 5, a ratio whose denominator is below 20).
Secondary suppression makes sure no withheld cell can be computed back from a total of the same table: wherever a
set of cells adds up to a published margin and exactly one of them is withheld, the smallest other cell is withheld
too (or the margin itself, when the withheld cell is its only part); repeated until nothing changes, since a new
withheld cell can expose another margin.

Additive structures of the long table, for count indicators (a ratio is not additive):
  - territory: the départements of a région, and the bassins of a région, add up to the région;
  - time: the months of a year, and the quarters of a year, add up to the year.
Breakdown values are not a margin: an entry counts under each of its funders, schemes or publics, so funders do not
add up to the total. A Région's grouping may cut across départements and is not treated as a margin either.
"""
from __future__ import annotations

import pandas as pd

KEY = ["indicator", "period_type", "period", "territory_level", "territory_code", "breakdown", "breakdown_value"]


def _structures(frame: pd.DataFrame, parent_region: pd.Series) -> list[tuple[pd.Series, pd.Series]]:
    """(group id of each child row, group id of each parent row) for every additive structure; NaN = not in it."""
    structures = []
    base = frame["indicator"] + "|" + frame["breakdown"] + "|" + frame["breakdown_value"]
    # Territory: children are départements / bassins of a région, same period; the parent is the région row.
    for level in ("departement", "bassin"):
        child = frame["territory_level"] == level
        child_group = (base + "|" + frame["period_type"] + "|" + frame["period"] + "|" + level + "|"
                       + parent_region.fillna("?")).where(child & parent_region.notna())
        parent = frame["territory_level"] == "region"
        parent_group = (base + "|" + frame["period_type"] + "|" + frame["period"] + "|" + level + "|"
                        + frame["territory_code"]).where(parent)
        structures.append((child_group, parent_group))
    # Time: children are months / quarters of a year, same territory; the parent is the year row.
    for sub in ("month", "quarter"):
        child = frame["period_type"] == sub
        where = base + "|" + frame["territory_level"] + "|" + frame["territory_code"] + "|" + sub + "|"
        child_group = (where + frame["period"].str[:4]).where(child)
        parent_group = (where + frame["period"]).where(frame["period_type"] == "year")
        structures.append((child_group, parent_group))
    return structures


def secondary_suppression(frame: pd.DataFrame, departement_region: dict[str, str],
                          bassin_region: dict[str, str], additive: set[str]) -> pd.Series:
    """The `is_secret` flags once secondary suppression is applied (primary flags are kept).

    `frame`: the long table (KEY columns, `numerator`, `is_secret`); `additive`: the count indicators whose cells
    add up; `departement_region` / `bassin_region`: each child territory's région."""
    secret = frame["is_secret"].astype(bool).copy()
    candidates = frame["indicator"].isin(additive)
    if not candidates.any():
        return secret
    part = frame[candidates]
    region = part["territory_code"].map(departement_region).where(part["territory_level"] == "departement")
    region = region.fillna(part["territory_code"].map(bassin_region).where(part["territory_level"] == "bassin"))
    structures = _structures(part, region)
    values = part["numerator"].abs().fillna(0)
    for _ in range(50):  # converges in a few rounds; the bound only guards against a bug
        changed = False
        for child_group, parent_group in structures:
            published_parents = set(parent_group[~secret.loc[part.index] & parent_group.notna()])
            children = part.index[child_group.notna().to_numpy()]
            groups = child_group.loc[children]
            in_scope = groups.isin(published_parents)
            children, groups = children[in_scope.to_numpy()], groups[in_scope]
            withheld = secret.loc[children].groupby(groups).sum()
            exposed = withheld[withheld == 1].index
            if len(exposed) == 0:
                continue
            # In each exposed group, withhold the smallest cell still shown; a group with no other cell to withhold
            # (its only child is the withheld one) withholds its total instead.
            shown = children[(groups.isin(exposed) & ~secret.loc[children]).to_numpy()]
            alone = set(exposed) - set(child_group.loc[shown])
            if alone:
                secret.loc[part.index[parent_group.isin(alone).to_numpy()]] = True
                changed = True
            if len(shown) == 0:
                continue
            # Ties between equal cells go to the first in territory then period order, never to row order: the
            # same table read from any engine, in any order, publishes the same cells.
            order = pd.DataFrame({"group": child_group.loc[shown], "value": values.loc[shown],
                                  "territory_code": part.loc[shown, "territory_code"],
                                  "period": part.loc[shown, "period"]}, index=shown)
            smallest = (order.sort_values(["group", "value", "territory_code", "period"], kind="stable")
                        .groupby("group").head(1).index)
            secret.loc[smallest] = True
            changed = True
        if not changed:
            return secret
    raise RuntimeError("secondary suppression did not converge")


def exposed_groups(frame: pd.DataFrame, departement_region: dict[str, str], bassin_region: dict[str, str],
                   additive: set[str]) -> list[str]:
    """Margins of additive cells whose total is shown while exactly one of their parts is withheld: a withheld
    cell anyone could compute back. Empty once secondary suppression is applied."""
    part = frame[frame["indicator"].isin(additive)]
    region = part["territory_code"].map(departement_region).where(part["territory_level"] == "departement")
    region = region.fillna(part["territory_code"].map(bassin_region).where(part["territory_level"] == "bassin"))
    secret = part["is_secret"].astype(bool)
    exposed = []
    for child_group, parent_group in _structures(part, region):
        shown_parents = set(parent_group[~secret & parent_group.notna()])
        groups = child_group[child_group.notna() & child_group.isin(shown_parents)]
        withheld = secret.loc[groups.index].groupby(groups).sum()
        exposed += list(withheld[withheld == 1].index)
    return exposed


def published(frame: pd.DataFrame) -> pd.DataFrame:
    """A published form of the table: secret cells keep their key and flag, never a figure."""
    out = frame.copy()
    for column in ("numerator", "denominator", "value"):
        out[column] = out[column].where(~out["is_secret"].astype(bool))
    return out
