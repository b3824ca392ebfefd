"""Every read of the online-information watch (R5.7), re-exported: `from ioc.media_watch import selectors`."""

from ioc.media_watch.selectors.maps import (
    can_view,
    media_watch_counts_in_area,
    media_watch_features,
    media_watch_overview,
)
from ioc.media_watch.selectors.rules import matcher
from ioc.media_watch.selectors.topics import query_preview, topic_items, topic_trend
from ioc.media_watch.selectors.watch import (
    watchlist_config_open,
    watchlist_entities,
    watchlist_items,
    watchlist_open,
    watchlists_granted,
)
from ioc.media_watch.selectors.work import media_watch_work_items

__all__ = [
    "can_view",
    "matcher",
    "media_watch_counts_in_area",
    "media_watch_features",
    "media_watch_overview",
    "media_watch_work_items",
    "query_preview",
    "topic_items",
    "topic_trend",
    "watchlist_config_open",
    "watchlist_entities",
    "watchlist_items",
    "watchlist_open",
    "watchlists_granted",
]
