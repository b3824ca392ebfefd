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

from ioc.accounts.choices import Role
from ioc.accounts.selectors import system_account
from ioc.agencies.models import Agency
from ioc.assignments import selectors as assignment_selectors
from ioc.assignments import services as assignment_services
from ioc.audit.models import AuditEntry
from ioc.audit.services import audit_record
from ioc.geo import selectors as geo_selectors
from ioc.geo.models import AdminUnit
from ioc.media_watch import services
from ioc.media_watch.choices import EntityKind, SourceKind
from ioc.media_watch.corpus import THEMES, compose
from ioc.media_watch.models import Item, Source, Topic, WatchList
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
FORWARDED = 12  # recent negative items forwarded to an agency for an answer (002:6.5), two in three answered
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


def _forward_and_answer(actor: Any, until: dt.datetime) -> dict[str, int]:
    """R5.7 (002:6.5): the operator forwards the latest negative items to agencies with a deadline; their officers
    answer two in three (the answer lands on the item through the assignment's handler); the month's answer
    indicators are computed (none stored when the indicators' catalogue is not loaded)."""
    operators = assignment_selectors.role_holders(roles=[Role.IOC_OPERATOR])
    officers: dict[int, Any] = {}
    for agency in Agency.objects.filter(is_active=True).order_by("code"):
        people = assignment_selectors.agency_people(agency=agency, roles=[Role.AGENCY_OFFICER])
        if people:
            officers[agency.pk] = (agency, people[0])
    if not operators or not officers:
        return {"forwarded": 0, "answered": 0}
    items = Item.objects.filter(sentiment__lt=0, published_at__lt=until).order_by("-published_at")[:FORWARDED]
    pairs = list(officers.values())
    answered = 0
    for n, item in enumerate(items):
        agency, officer = pairs[n % len(pairs)]
        note = "Đề nghị kiểm tra, xử lý và trả lời thông tin phản ánh trên mạng."
        assignment = services.item_forward(
            actor=operators[0], item=item, agency=agency, working_hours=16, instructions=note
        )
        if n % 3 != 2:
            assignment_services.assignment_accept(assignment=assignment, actor=officer)
            text = "Đã kiểm tra thực tế, thông tin được xác minh và xử lý; đã trả lời trên trang của cơ quan."
            assignment_services.assignment_resolve(assignment=assignment, actor=officer, resolution=text)
            answered += 1
    stored, _skipped = services.answer_indicators_compute(month=until.date(), actor=actor, now=until)
    return {"forwarded": len(items), "answered": answered, "answer_values": stored}


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
    figures.update(_forward_and_answer(actor, until))
    audit_record(
        actor=actor, action=MARKER_ACTION, object_type="demo.profile", object_id=profile.key, changes=dict(figures)
    )
    return figures
