"""Configuration of the watch by the administrator (R5.7): sources, topics, watch lists and who may see them.
Every write checks the actor's role, validates the whole input (each bad field named), is audited, and drops
the per-process matcher when topics or watched names change."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record
from ioc.common.roles import actor_require_role
from ioc.media_watch import secrets
from ioc.media_watch.choices import (
    MAX_INTERVAL_MINUTES,
    MIN_INTERVAL_MINUTES,
    PLATFORM_SHAPES,
    EntityKind,
    SourceKind,
)
from ioc.media_watch.models import Source, Topic, WatchEntity, WatchList
from ioc.media_watch.query import QueryError, parse
from ioc.media_watch.selectors.maps import can_view
from ioc.media_watch.selectors.rules import RULES, entity_tree
from ioc.media_watch.services._base import CONFIG_ROLES
from ioc.media_watch.services._base import now as clock

if TYPE_CHECKING:
    from ioc.accounts.models import User

SELECTOR_FIELDS = ("title", "body", "time", "author")
_KEY_IN_URL = re.compile(r"(?:^|&)(?:key|api_key|access_token|bearer_token|token)=", re.IGNORECASE)


def _require_admin(actor: User) -> None:
    actor_require_role(actor, CONFIG_ROLES, _("Chỉ quản trị hệ thống được cấu hình theo dõi thông tin trên mạng."))


@dataclass(frozen=True)
class SourceSettings:
    """What an administrator sets on a source (api_key: None keeps the stored one, "" removes it)."""

    name: str
    kind: str
    url: str = ""
    selectors: dict[str, Any] | None = None
    api_key: str | None = None
    interval_minutes: int = 30
    min_gap_seconds: int = 60
    is_active: bool = True


def _source_errors(values: SourceSettings, pk: int | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not values.name.strip():
        errors["name"] = [_("Cần nhập tên nguồn.")]
    elif Source.objects.filter(name=values.name.strip()).exclude(pk=pk or 0).exists():
        errors["name"] = [_("Đã có nguồn mang tên này.")]
    if values.kind not in SourceKind.values:
        errors["kind"] = [_("Loại nguồn không hợp lệ.")]
    elif values.kind != SourceKind.EXPORT and not values.url.lower().startswith(("http://", "https://")):
        errors["url"] = [_("Nguồn thu thập cần địa chỉ http(s).")]
    elif values.kind in PLATFORM_SHAPES and _KEY_IN_URL.search(urlsplit(values.url).query):
        # A key in the URL would reach run records and logs with it: it belongs in the sealed key field.
        errors["url"] = [_("Không ghi khoá API vào địa chỉ (key=, access_token=…): nhập vào ô khoá API.")]
    if values.interval_minutes < MIN_INTERVAL_MINUTES:
        errors["interval_minutes"] = [_("Chu kỳ ít nhất %(min)d phút.") % {"min": MIN_INTERVAL_MINUTES}]
    elif values.interval_minutes > MAX_INTERVAL_MINUTES:  # beyond a year the due time's arithmetic overflows
        errors["interval_minutes"] = [_("Chu kỳ nhiều nhất %(max)d phút.") % {"max": MAX_INTERVAL_MINUTES}]
    selectors = values.selectors or {}
    unknown = sorted(set(selectors) - set(SELECTOR_FIELDS))
    if unknown or not all(isinstance(v, str) for v in selectors.values()):
        errors["selectors"] = [_("Bộ chọn chỉ gồm title, body, time, author, mỗi giá trị là một chuỗi.")]
    return errors


@transaction.atomic
def source_set(*, actor: User, values: SourceSettings, source: Source | None = None) -> Source:
    """R5.7: create or change a source; the API key is stored sealed and never shown back."""
    _require_admin(actor)
    errors = _source_errors(values, source.pk if source else None)
    if errors:
        raise ValidationError(errors)
    source = source or Source()
    source.name, source.kind, source.url = values.name.strip(), values.kind, values.url.strip()
    source.selectors = values.selectors or {}
    source.interval_minutes, source.min_gap_seconds = values.interval_minutes, values.min_gap_seconds
    source.is_active = values.is_active
    if values.api_key is not None:
        source.api_key_sealed = secrets.seal(values.api_key.strip())
    if source.is_active and source.kind != SourceKind.EXPORT and source.next_run_at is None:
        source.next_run_at = clock()
    created = source.pk is None
    source.save()
    changes = {
        "name": source.name,
        "kind": source.kind,
        "url": source.url,
        "active": source.is_active,
        "api_key_changed": values.api_key is not None,
    }
    audit_record(
        actor=actor, action="media_source.create" if created else "media_source.update", obj=source, changes=changes
    )
    return source


@transaction.atomic
def source_run_now(*, actor: User, source: Source) -> Source:
    """R5.7: collect a source at the next sweep (its rate limit still holds)."""
    _require_admin(actor)
    Source.objects.filter(pk=source.pk).update(next_run_at=clock())
    audit_record(actor=actor, action="media_source.run_now", obj=source, changes={})
    source.refresh_from_db()
    return source


@transaction.atomic
def topic_set(
    *, actor: User, name: str, query: str, min_hourly: int = 5, is_active: bool = True, topic: Topic | None = None
) -> Topic:
    """R5.7: create or change a topic; a query that does not parse is refused naming the position."""
    _require_admin(actor)
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = [_("Cần nhập tên chủ đề.")]
    elif Topic.objects.filter(name=name).exclude(pk=topic.pk if topic else 0).exists():
        errors["name"] = [_("Đã có chủ đề mang tên này.")]
    try:
        parse(query)
    except QueryError as exc:
        errors["query"] = [str(exc)]
    if min_hourly < 1:
        errors["min_hourly"] = [_("Ít nhất 1 tin mỗi giờ.")]
    if errors:
        raise ValidationError(errors)
    topic = topic or Topic()
    created = topic.pk is None
    topic.name, topic.query, topic.min_hourly, topic.is_active = name, query.strip(), min_hourly, is_active
    topic.save()
    RULES.changed()
    audit_record(
        actor=actor,
        action="media_topic.create" if created else "media_topic.update",
        obj=topic,
        changes={"name": name, "query": topic.query, "active": is_active},
    )
    return topic


@transaction.atomic
def watchlist_set(
    *,
    actor: User,
    name: str,
    purpose: str,
    retention_days: int,
    is_active: bool = True,
    watch_list: WatchList | None = None,
) -> WatchList:
    """R5.7 (Nghị định 13/2023/NĐ-CP): create or change a watch list; its purpose is stated, its retention set."""
    _require_admin(actor)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Cần nhập tên danh sách.")]
    elif WatchList.objects.filter(name=name.strip()).exclude(pk=watch_list.pk if watch_list else 0).exists():
        errors["name"] = [_("Đã có danh sách mang tên này.")]
    if not purpose.strip():
        errors["purpose"] = [_("Cần nêu mục đích theo dõi (dữ liệu cá nhân).")]
    if not 1 <= retention_days <= 3650:
        errors["retention_days"] = [_("Thời hạn lưu từ 1 đến 3650 ngày.")]
    if errors:
        raise ValidationError(errors)
    watch_list = watch_list or WatchList()
    created = watch_list.pk is None
    watch_list.name, watch_list.purpose = name.strip(), purpose.strip()
    watch_list.retention_days, watch_list.is_active = retention_days, is_active
    watch_list.save()
    RULES.changed()
    audit_record(
        actor=actor,
        action="media_watchlist.create" if created else "media_watchlist.update",
        obj=watch_list,
        changes={"name": watch_list.name, "retention_days": retention_days},
    )
    return watch_list


@transaction.atomic
def watch_entity_set(
    *,
    actor: User,
    watch_list: WatchList,
    kind: str,
    name: str,
    aliases: str = "",
    min_hourly: int = 3,
    is_active: bool = True,
    entity: WatchEntity | None = None,
) -> WatchEntity:
    """R5.7: an organisation or person on a watch list, with the names the press uses."""
    _require_admin(actor)
    errors: dict[str, list[str]] = {}
    if kind not in EntityKind.values:
        errors["kind"] = [_("Loại đối tượng không hợp lệ.")]
    names = [name.strip(), *(line.strip() for line in aliases.splitlines() if line.strip())]
    if not name.strip() or entity_tree(names) is None:
        errors["name"] = [_("Cần một tên có chữ hay số để tìm.")]
    if errors:
        raise ValidationError(errors)
    entity = entity or WatchEntity(watch_list=watch_list)
    created = entity.pk is None
    entity.kind, entity.name, entity.aliases = kind, name.strip(), "\n".join(names[1:])
    entity.min_hourly, entity.is_active = max(1, min_hourly), is_active
    entity.save()
    RULES.changed()
    audit_record(
        actor=actor,
        action="media_entity.create" if created else "media_entity.update",
        obj=entity,
        changes={"watch_list": watch_list.pk, "kind": kind},
    )
    return entity


@transaction.atomic
def watchlist_viewers_set(*, actor: User, watch_list: WatchList, viewers: list[User]) -> WatchList:
    """R5.7: the administrator grants (or withdraws) who may see a watch list and its items — only users holding
    a role that sees the watch (the IOC's staff and leaders, the province's leaders)."""
    _require_admin(actor)
    refused = [user for user in viewers if not can_view(user)]
    if refused:
        names = ", ".join(sorted(str(user) for user in refused))
        raise ValidationError(
            {"viewers": [_("Chỉ cấp quyền cho người có vai trò xem thông tin trên mạng: %(names)s") % {"names": names}]}
        )
    before = set(watch_list.viewers.values_list("pk", flat=True))
    watch_list.viewers.set(viewers)
    after = {user.pk for user in viewers}
    audit_record(
        actor=actor,
        action="media_watchlist.grant",
        obj=watch_list,
        changes={"granted": sorted(after - before), "withdrawn": sorted(before - after)},
    )
    return watch_list
