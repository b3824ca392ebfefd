"""The online-information watch's demo (R11; issue 22 item 7): team-written Vietnamese items (corpus.py, no press
text) about the profile's own communes — three months of history through the bulk loader `items_history_load`
(one audit entry per batch), the last 14 days through `items_ingest`, and a flood topic surging in one commune in
the last hour, judged by `hot_topics_evaluate` (a `media.hot_topic` alert). The demo sources are uploaded exports:
nothing is ever fetched. Communes are read from the database (any profile). Idempotent: a `media_watch.demo_load`
audit entry for the profile marks a finished load."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from ioc.accounts.selectors import system_account
from ioc.audit.models import AuditEntry
from ioc.audit.services import audit_record
from ioc.geo import selectors as geo_selectors
from ioc.geo.models import AdminUnit
from ioc.media_watch import services
from ioc.media_watch.choices import EntityKind, SourceKind
from ioc.media_watch.corpus import THEMES, compose
from ioc.media_watch.models import Source, Topic, WatchList
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.services.config import SourceSettings

MARKER_ACTION = "media_watch.demo_load"
HISTORY_DAYS = 90
RECENT_DAYS = 14
HISTORY_PER_DAY = 30
RECENT_PER_DAY = 24
SURGE_ITEMS = 24
SOURCES = ("Báo điện tử địa phương (mẫu)", "Trang cộng đồng trên mạng xã hội (mẫu)", "Cổng thông tin điện tử (mẫu)")
TOPICS = (
    ("Ngập lụt, thiên tai", 'ngập OR lũ OR "mưa lớn" OR "sạt lở"'),
    ("Giao thông", '"ùn tắc" OR "va chạm" OR "tai nạn" OR "ổ gà"'),
    ("Môi trường", 'rác OR "ô nhiễm" OR "nước thải" OR "mùi hôi"'),
    ("Dịch vụ công", '"thủ tục" OR "hành chính công" OR "cắt điện" OR "một cửa"'),
    ("Y tế", '"sốt xuất huyết" OR "lăng quăng" OR "bệnh viện" OR "trạm y tế"'),
)
DETAILS = ("khoảng {n} hộ", "lúc {h} giờ {m} phút", "đoạn dài {n} mét", "từ ngày {d} tháng trước", "tổ dân phố số {d}")


def _setup(actor: Any) -> list[Source]:
    sources = []
    for name in SOURCES:
        found = Source.objects.filter(name=name).first()
        values = SourceSettings(name=name, kind=SourceKind.EXPORT, is_active=False)
        sources.append(found or services.source_set(actor=actor, values=values))
    for name, query in TOPICS:
        if not Topic.objects.filter(name=name).exists():
            services.topic_set(actor=actor, name=name, query=query, min_hourly=6)
    if not WatchList.objects.filter(name="Doanh nghiệp cần theo dõi (mẫu)").exists():
        watch = services.watchlist_set(
            actor=actor,
            name="Doanh nghiệp cần theo dõi (mẫu)",
            purpose="Theo dõi phản ánh về môi trường (mẫu)",
            retention_days=180,
        )
        services.watch_entity_set(
            actor=actor,
            watch_list=watch,
            kind=EntityKind.ORGANISATION,
            name="Công ty Môi trường Xanh Mẫu",
            aliases="Môi trường Xanh Mẫu",
        )
    return sources


def _communes(profile: Any) -> list[AdminUnit]:
    ids = geo_selectors.territory_commune_ids(profile=profile.key)
    units = AdminUnit.objects.filter(hierarchy="2025", level="commune")
    chosen = list((units.filter(pk__in=ids) if ids else units).order_by("code")[:40])
    if not chosen:
        raise LookupError(f"demo: no communes for {profile.key!r} (the foundation generator loads them)")
    return chosen


def _draft(
    rng: random.Random, commune: AdminUnit, when: dt.datetime, serial: int, theme: str | None = None
) -> ItemDraft:
    composed = compose(rng, theme=theme or rng.choice(list(THEMES)), place=commune.full_name)
    detail = rng.choice(DETAILS).format(
        n=rng.randint(3, 400), h=rng.randint(5, 22), m=rng.randint(0, 59), d=rng.randint(1, 28)
    )
    return ItemDraft(
        title=composed.title,
        body=f"{composed.body} Ghi nhận {detail}, tin số {serial}.",
        url=f"https://tin-mau.invalid/{commune.code}/{serial}",
        guid=f"demo-{serial}",
        author=rng.choice(("Phóng viên (mẫu)", "Cộng tác viên (mẫu)", "Người dân (mẫu)", "")),
        published_at=when,
    )


def _times(rng: random.Random, day: dt.datetime, count: int) -> list[dt.datetime]:
    return sorted(day + dt.timedelta(minutes=rng.randint(6 * 60, 22 * 60)) for _ in range(count))


def generate(*, profile: Any, rng: random.Random, until: dt.datetime) -> dict[str, int]:
    """R11: months of items in bulk, two weeks through the ingest service, a flood surging now."""
    if AuditEntry.objects.filter(action=MARKER_ACTION, object_id=profile.key).exists():
        return {"already_loaded": 1}
    actor = system_account()
    with transaction.atomic():
        sources = _setup(actor)
    communes, serial, figures = _communes(profile), 0, {"history": 0, "recent": 0, "merged": 0}
    start = (until - dt.timedelta(days=HISTORY_DAYS)).replace(hour=0, minute=0, second=0, microsecond=0)
    recent_from = until - dt.timedelta(days=RECENT_DAYS)
    for day_index in range(HISTORY_DAYS + 1):
        day = start + dt.timedelta(days=day_index)
        live = day >= recent_from
        count = RECENT_PER_DAY if live else HISTORY_PER_DAY
        drafts = []
        for when in _times(rng, day, count):
            if when >= until - dt.timedelta(hours=2):
                continue
            serial += 1
            drafts.append(_draft(rng, rng.choice(communes), when, serial))
        source = rng.choice(sources)
        if live:
            result = services.items_ingest(actor=actor, source=source, drafts=drafts)
            figures["recent"] += len(result.new)
            figures["merged"] += len(result.merged)
        else:
            figures["history"] += services.items_history_load(actor=actor, source=source, drafts=drafts)
    surge_commune = communes[0]
    surge = []
    for minute in sorted(rng.randint(2, 55) for _ in range(SURGE_ITEMS)):
        serial += 1
        surge.append(_draft(rng, surge_commune, until - dt.timedelta(minutes=minute), serial, theme="flood"))
    figures["surge"] = len(services.items_ingest(actor=actor, source=sources[1], drafts=surge).new)
    figures["hot_alerts"] = services.hot_topics_evaluate(now=until).raised
    audit_record(
        actor=actor, action=MARKER_ACTION, object_type="demo.profile", object_id=profile.key, changes=dict(figures)
    )
    return figures
