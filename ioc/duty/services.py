"""R7.1 (issue 20): every write of the duty desk — writing a shift handover and acknowledging it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.choices import Role
from ioc.accounts.models import User
from ioc.audit.services import audit_record
from ioc.common.plaintext import clean_text
from ioc.common.roles import actor_require_role
from ioc.common.workitems import WorkItem
from ioc.duty.choices import shift_of
from ioc.duty.models import Handover
from ioc.operations import selectors as operations_selectors

TEXT_MAX = 4000
SNAPSHOT_MAX = 50
DUTY_ROLES = frozenset({Role.IOC_OPERATOR})


def _snapshot(items: Sequence[WorkItem]) -> list[dict[str, Any]]:
    """The open items as plain JSON (the first SNAPSHOT_MAX, already in urgency order)."""
    return [
        {
            "source": item.source,
            "kind": item.kind,
            "code": item.code,
            "title": str(item.title),
            "url": item.url,
            "state": item.state,
            "severity": item.severity,
            "due_at": item.due_at.isoformat() if item.due_at else None,
        }
        for item in items[:SNAPSHOT_MAX]
    ]


@transaction.atomic
def handover_write(
    *,
    actor: User,
    happened: str,
    next_steps: str = "",
    open_items: Sequence[WorkItem] = (),
    now: dt.datetime | None = None,
) -> Handover:
    """R7.1: an operator ends a duty with a note for the next shift: what happened, what to follow up, and the
    open work items at this moment (snapshot). The shift is the one `now` falls in."""
    actor_require_role(actor, DUTY_ROLES, _("Chỉ cán bộ trực vận hành được viết biên bản giao ca"))
    text = clean_text(happened, field="happened", required=True, max_length=TEXT_MAX)
    steps = clean_text(next_steps, field="next_steps", required=False, max_length=TEXT_MAX)
    now = now or timezone.now()
    day, shift = shift_of(now)
    handover = Handover.objects.create(
        roster_shift=operations_selectors.shift_at(moment=now),
        shift_date=day,
        shift=shift,
        author=actor,
        written_at=now,
        happened=text,
        next_steps=steps,
        open_items=_snapshot(open_items),
        open_count=len(open_items),
    )
    changes = {"shift": shift.value, "shift_date": day.isoformat(), "open_count": handover.open_count}
    audit_record(actor=actor, action="handover.write", obj=handover, changes=changes)
    return handover


@transaction.atomic
def handover_acknowledge(*, handover: Handover, actor: User) -> Handover:
    """R7.1: an operator of the next shift has read the handover; it leaves the top of the operators' home."""
    actor_require_role(actor, DUTY_ROLES, _("Chỉ cán bộ trực vận hành được nhận bàn giao ca"))
    locked = Handover.objects.select_for_update().get(pk=handover.pk)
    if locked.author_id == actor.pk:
        raise ValidationError({"acknowledged_by": [_("Người bàn giao không tự nhận bàn giao của mình")]})
    if locked.acknowledged_at is not None:
        raise ValidationError({"acknowledged_at": [_("Biên bản này đã được nhận bàn giao")]})
    locked.acknowledged_at, locked.acknowledged_by = timezone.now(), actor
    locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_record(actor=actor, action="handover.acknowledge", obj=locked)
    return locked
