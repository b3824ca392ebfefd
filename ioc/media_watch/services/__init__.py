"""Every write of the online-information watch (R5.7), re-exported: `from ioc.media_watch import services`."""

from ioc.media_watch.services.answers import answer_indicators_compute
from ioc.media_watch.services.collect import export_upload, source_claim, sources_collect_due
from ioc.media_watch.services.config import (
    SourceSettings,
    source_run_now,
    source_set,
    topic_set,
    watch_entity_set,
    watchlist_set,
    watchlist_viewers_set,
)
from ioc.media_watch.services.handling import item_forward, item_to_report
from ioc.media_watch.services.history import items_history_load
from ioc.media_watch.services.hot import hot_topics_evaluate
from ioc.media_watch.services.ingest import IngestResult, items_ingest
from ioc.media_watch.services.retention import watchlist_items_purge

__all__ = [
    "IngestResult",
    "SourceSettings",
    "answer_indicators_compute",
    "export_upload",
    "hot_topics_evaluate",
    "item_forward",
    "item_to_report",
    "items_history_load",
    "items_ingest",
    "source_claim",
    "source_run_now",
    "source_set",
    "sources_collect_due",
    "topic_set",
    "watch_entity_set",
    "watchlist_items_purge",
    "watchlist_set",
    "watchlist_viewers_set",
]
