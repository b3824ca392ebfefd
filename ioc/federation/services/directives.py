"""Directives down to a child center (R9.1: they land as assignments there), and conflicts resolved by an
operator (R9.1 "Mapping": a received value is never written over another source's without a decision)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record
from ioc.common.plaintext import MARKUP_MESSAGE, has_markup
from ioc.federation.choices import CONFLICT_RESOLUTIONS, ConflictState, Flow, LinkRole
from ioc.federation.models import Conflict, Directive, Link
from ioc.federation.services._base import require_operator
from ioc.federation.services.flows import ValueRow, value_write
from ioc.federation.services.outbox import messages_enqueue

if TYPE_CHECKING:
    from ioc.accounts.models import User


def _directive_errors(
    link: Link, title: str, instructions: str, agency_code: str, hours: float
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if link.role != LinkRole.CHILD or Flow.DIRECTIVE not in link.flows or not link.is_active:
        errors["link"] = [_("Liên kết không nhận chỉ đạo / This link takes no directives")]
    if not title.strip() or len(title) > 200:
        errors["title"] = [_("Cần tiêu đề (tối đa 200 ký tự) / A title is required (200 max)")]
    if not instructions.strip() or len(instructions) > 4000:
        errors["instructions"] = [_("Cần nội dung (tối đa 4000 ký tự) / Instructions are required (4000 max)")]
    if not agency_code.strip() or len(agency_code) > 60:
        errors["agency_code"] = [_("Cần mã cơ quan bên nhận / The receiving agency's code is required")]
    if not 0 < hours <= 2000:
        errors["working_hours"] = [_("Thời hạn từ 0 đến 2000 giờ làm việc / Between 0 and 2000 working hours")]
    return errors


@transaction.atomic
def directive_send(
    *, actor: User, link: Link, title: str, instructions: str, agency_code: str, working_hours: float
) -> Directive:
    """R9.1: a directive to a child center, written with its outbox message in one transaction."""
    require_operator(actor)
    errors = _directive_errors(link, title, instructions, agency_code, working_hours)
    for field, text in (("title", title), ("instructions", instructions)):
        if has_markup(text):
            errors.setdefault(field, []).append(str(MARKUP_MESSAGE))
    if errors:
        raise ValidationError(errors)
    directive = Directive.objects.create(
        link=link,
        title=title.strip(),
        instructions=instructions.strip(),
        agency_code=agency_code.strip(),
        working_hours=working_hours,
        created_by=actor,
    )
    payload = {
        "directive_id": directive.pk,
        "title": directive.title,
        "instructions": directive.instructions,
        "agency": directive.agency_code,
        "working_hours": working_hours,
        "issued_at": directive.created_at.isoformat(),
    }
    messages_enqueue(link=link, flow=Flow.DIRECTIVE, items=[(f"directive:{directive.pk}", payload)])
    audit_record(actor=actor, action="federation_directive.send", obj=directive, changes={"link": link.code, **payload})
    return directive


@transaction.atomic
def conflict_resolve(*, actor: User, conflict: Conflict, resolution: str) -> Conflict:
    """R9.1: keep the value this center has, or take the received one (written as the link's)."""
    require_operator(actor)
    fresh = Conflict.objects.select_for_update().select_related("link").get(pk=conflict.pk)
    if resolution not in CONFLICT_RESOLUTIONS:
        raise ValidationError({"resolution": [_("Cách xử lý không hợp lệ / Unknown resolution")]})
    if fresh.state != ConflictState.OPEN:
        raise ValidationError({"resolution": [_("Xung đột đã được xử lý / This conflict was already resolved")]})
    if resolution == ConflictState.TOOK_RECEIVED:
        row = ValueRow(fresh.indicator_code, fresh.unit_code, fresh.period, fresh.received_value)
        value_write(link=fresh.link, row=row)
    fresh.state, fresh.resolved_at, fresh.resolved_by = resolution, timezone.now(), actor
    fresh.save(update_fields=["state", "resolved_at", "resolved_by"])
    audit_record(actor=actor, action="federation_conflict.resolve", obj=fresh, changes={"resolution": resolution})
    return fresh
