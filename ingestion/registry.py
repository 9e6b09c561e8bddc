"""Every feed the warehouse reads, in one place: Dagster builds one asset per entry, grouped by source."""
from __future__ import annotations

from ingestion.feeds import FeedSpec
from ingestion.financeurs import cpf, region_commandes, region_stagiaires
from ingestion.france_travail import bmo, demandeurs_emploi, reprises_emploi, stagiaires, tension
from ingestion.observatoires import besoins
from ingestion.referentiels import bassins, cog, fap_rome, offre, rome

FEEDS: tuple[FeedSpec, ...] = (
    stagiaires.FEED,
    reprises_emploi.FEED,
    demandeurs_emploi.FEED,
    bmo.FEED,
    tension.FEED,
    besoins.FEED,
    region_stagiaires.FEED,
    region_commandes.FEED,
    cpf.FEED,
    *cog.FEEDS,
    bassins.FEED,
    rome.FEED,
    *fap_rome.FEEDS,
    offre.FEED,
)


def by_name(name: str) -> FeedSpec:
    for feed in FEEDS:
        if feed.name == name:
            return feed
    raise KeyError(name)


def siblings(feed: FeedSpec) -> tuple[FeedSpec, ...]:
    """Other feeds reading the same landing folder (the three COG files, for instance)."""
    return tuple(f for f in FEEDS if f.folder == feed.folder and f.name != feed.name)
