"""Watch lists are personal data (R5.7, Nghị định 13/2023/NĐ-CP): read only by the users an administrator
granted, and every read is itself audited (`audit_personal_data_read`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from ioc.audit.services import audit_personal_data_read
from ioc.media_watch.models import Item, WatchEntity, WatchList

if TYPE_CHECKING:
    from ioc.accounts.models import User

READ_FIELDS = ["entities.name", "entities.aliases", "items"]


def watchlists_granted(*, user: User) -> QuerySet[WatchList]:
    """R5.7: the watch lists `user` was granted (names of lists only; opening one is audited)."""
    if not user.is_authenticated:
        return WatchList.objects.none()
    return WatchList.objects.filter(viewers=user, is_active=True).annotate(entity_count=Count("entities"))


def watchlist_open(*, user: User, pk: int, purpose: str = "") -> WatchList:
    """R5.7: one watch list for a granted user, the read recorded; PermissionDenied for anyone else."""
    found = WatchList.objects.filter(pk=pk, viewers=user, is_active=True).first() if user.is_authenticated else None
    if found is None:
        raise PermissionDenied(_("Bạn chưa được quản trị viên cấp quyền xem danh sách theo dõi này."))
    audit_personal_data_read(actor=user, obj=found, fields=READ_FIELDS, purpose=purpose or "media_watch.view")
    return found


def watchlist_entities(*, watch_list: WatchList) -> QuerySet[WatchEntity]:
    """The entities of a list already opened by `watchlist_open` (with their item counts)."""
    return watch_list.entities.filter(is_active=True).annotate(item_count=Count("items"))


def watchlist_items(*, watch_list: WatchList, limit: int = 100) -> QuerySet[Item]:
    """The newest items naming someone on a list already opened by `watchlist_open`."""
    items = Item.objects.filter(entities__watch_list=watch_list).distinct().select_related("source")
    return items.order_by("-published_at", "-pk")[:limit]


def watchlist_config_open(*, user: User, pk: int) -> WatchList | None:
    """R5.7: a watch list opened by a configuring administrator (its entities are shown to edit): the read of the
    personal data recorded like any other; None when there is no such list."""
    found = WatchList.objects.filter(pk=pk).first()
    if found is not None:
        audit_personal_data_read(actor=user, obj=found, fields=READ_FIELDS, purpose="media_watch.config")
    return found
