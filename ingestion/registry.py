"""Every feed the warehouse reads, in one place: Dagster builds one asset per entry, grouped by source."""
from __future__ import annotations

from ingestion.feeds import FeedSpec
from ingestion.france_travail import stagiaires
from ingestion.referentiels import cog

FEEDS: tuple[FeedSpec, ...] = (stagiaires.FEED, *cog.FEEDS)


def by_name(name: str) -> FeedSpec:
    for feed in FEEDS:
        if feed.name == name:
            return feed
    raise KeyError(name)


def siblings(feed: FeedSpec) -> tuple[FeedSpec, ...]:
    """Other feeds reading the same landing folder (the three COG files, for instance)."""
    return tuple(f for f in FEEDS if f.folder == feed.folder and f.name != feed.name)
