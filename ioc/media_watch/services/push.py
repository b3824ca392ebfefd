"""Items pushed by an information system (R5.7, R3.1 social media; issue 22 item 1 "uploaded exports"): a
social-listening tool or a platform's export job posts items for one configured export or platform source with a
token holding `media_watch.items`. Each row is checked (row, field, reason: the shared import summary), the good
ones go through `items_ingest` (merged when known: a retry of the same URL is counted, never doubled) and the
batch is recorded as a run of the source."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.common.plaintext import NO_NUL, has_nul
from ioc.common.roles import Role, actor_has_role
from ioc.media_watch.choices import MAX_ITEMS_PER_RUN, RunStatus, SourceKind
from ioc.media_watch.models import CollectorRun, Source
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.services._base import now as clock
from ioc.media_watch.services.ingest import items_ingest

if TYPE_CHECKING:
    from ioc.accounts.models import User

PUSH_ROLES = frozenset({Role.INFORMATION_SYSTEM, Role.SYSTEM_ADMIN})
PUSH_KINDS = (SourceKind.EXPORT, SourceKind.PLATFORM)
TEXT_MAX = {"title": 500, "body": 20_000, "url": 1000, "guid": 500, "author": 200}


def _text(row: dict[str, Any], name: str) -> str:
    value = row.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(_("Cần một chuỗi."))
    if len(value) > TEXT_MAX[name]:
        raise ValueError(_("Dài quá %(n)d ký tự.") % {"n": TEXT_MAX[name]})
    if has_nul(value):  # PostgreSQL cannot store a NUL and no database a lone surrogate: a 500 otherwise
        raise ValueError(str(NO_NUL.message))
    return value


def _moment(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(_("Cần thời điểm ISO 8601."))
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(_("Không đọc được thời điểm ISO 8601.")) from exc
    if timezone.is_naive(moment):
        raise ValueError(_("Thời điểm cần múi giờ (ví dụ +07:00)."))
    return moment


def draft_of(row: Any) -> tuple[ItemDraft | None, tuple[str, str] | None]:
    """One pushed row → a draft, or (field, reason) of its first fault."""
    if not isinstance(row, dict):
        return None, ("item", _("Mỗi tin là một đối tượng JSON."))
    values: dict[str, str] = {}
    for name in TEXT_MAX:
        try:
            values[name] = _text(row, name)
        except ValueError as exc:
            return None, (name, str(exc))
    if not values["title"].strip() and not values["body"].strip():
        return None, ("title", _("Cần tiêu đề hoặc nội dung."))
    url = values["url"].strip()
    if url and not url.lower().startswith(("http://", "https://")):
        return None, ("url", _("Liên kết phải là http(s)."))
    try:
        published = _moment(row.get("published_at"))
    except ValueError as exc:
        return None, ("published_at", str(exc))
    return ItemDraft(published_at=published, **values), None


@transaction.atomic
def items_push(*, actor: User, source_name: str, rows: Sequence[Any]) -> dict[str, Any]:
    """R5.7: store the pushed rows of one source; the answer is the import summary (imported, ignored = merged
    into known items, rejected, conflicts naming row, field and reason). PermissionDenied for an actor that is
    neither an information system nor the administrator; ValidationError for an unknown or unfit source or an
    empty or oversized batch (nothing stored)."""
    if not actor_has_role(actor, PUSH_ROLES):
        raise PermissionDenied(_("Chỉ hệ thống thông tin hoặc quản trị viên được gửi tin."))
    if not isinstance(source_name, str) or has_nul(source_name):
        raise ValidationError({"source": [str(NO_NUL.message)]})
    source = Source.objects.filter(name=source_name, is_active=True, kind__in=PUSH_KINDS).first()
    if source is None:
        raise ValidationError(
            {"source": [_("Không có nguồn “tệp xuất” hay “mạng xã hội” đang hoạt động mang tên này.")]}
        )
    if not rows or len(rows) > MAX_ITEMS_PER_RUN:
        raise ValidationError({"items": [_("Từ 1 đến %(n)d tin mỗi lần.") % {"n": MAX_ITEMS_PER_RUN}]})
    started, tick = clock(), time.monotonic()
    drafts, conflicts = [], []
    for index, row in enumerate(rows, start=1):
        draft, fault = draft_of(row)
        if fault is not None:
            conflicts.append({"row": index, "field": fault[0], "reason": fault[1]})
        elif draft is not None:
            drafts.append(draft)
    result = items_ingest(actor=actor, source=source, drafts=drafts) if drafts else None
    new, merged = (len(result.new), len(result.merged)) if result else (0, 0)
    rejected = len(conflicts) + (len(result.rejected) if result else 0)
    CollectorRun.objects.create(
        source=source,
        started_at=started,
        duration_ms=int((time.monotonic() - tick) * 1000),
        status=RunStatus.SUCCESS if new + merged else RunStatus.FAILED,
        items_new=new,
        items_merged=merged,
        items_rejected=rejected,
        error="; ".join(f"{c['row']}:{c['field']}: {c['reason']}" for c in conflicts)[:2000],
    )
    status = "accepted" if not rejected else ("partial" if new + merged else "rejected")
    return {"status": status, "imported": new, "ignored": merged, "rejected": rejected, "conflicts": conflicts}
