"""Fixtures of the online-information watch for other apps' tests and the crawl's world (`ioc/web/testing`): an
uploaded-exports source (never fetched), a topic with a few items, a watch list with one organisation — built
through the services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ioc.media_watch import services
from ioc.media_watch.choices import EntityKind, SourceKind
from ioc.media_watch.models import Item, Source, Topic, WatchEntity, WatchList
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.services.config import SourceSettings

if TYPE_CHECKING:
    from ioc.accounts.models import User

CRAWL_SOURCE = "Tệp xuất mạng xã hội (thử)"
CRAWL_TOPIC = "Ngập úng (thử)"
CRAWL_LIST = "Nhà thầu công trình (thử)"


def media_crawl_fixtures(*, admin: User) -> None:
    """A source, a topic with three items and a watch list with one organisation; `admin` configures the watch."""
    source = services.source_set(actor=admin, values=SourceSettings(name=CRAWL_SOURCE, kind=SourceKind.EXPORT))
    services.topic_set(actor=admin, name=CRAWL_TOPIC, query='"ngập" OR "triều cường"')
    drafts = [
        ItemDraft(title=f"Đường ngập sau mưa lớn, khu phố số {n}", url=f"https://news.example.invalid/ngap-{n}")
        for n in range(3)
    ]
    services.items_ingest(actor=admin, source=source, drafts=drafts)
    watch_list = services.watchlist_set(
        actor=admin, name=CRAWL_LIST, purpose="Chất lượng công trình", retention_days=90
    )
    services.watch_entity_set(
        actor=admin, watch_list=watch_list, kind=EntityKind.ORGANISATION, name="Công ty Xây dựng Thử Nghiệm"
    )


def crawl_pk(kind: str) -> int:
    """The crawl fixture's row of `kind` ("source", "topic", "list", "entity", "item")."""
    if kind == "source":
        return Source.objects.get(name=CRAWL_SOURCE).pk
    if kind == "topic":
        return Topic.objects.get(name=CRAWL_TOPIC).pk
    if kind == "item":
        return Item.objects.filter(source__name=CRAWL_SOURCE).order_by("pk").values_list("pk", flat=True)[0]
    if kind == "list":
        return WatchList.objects.get(name=CRAWL_LIST).pk
    return WatchEntity.objects.get(watch_list__name=CRAWL_LIST).pk
