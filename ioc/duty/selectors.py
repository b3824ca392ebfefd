"""R7.1 (issue 20): reads of the duty desk — the handover waiting for the next shift, and the recent ones.
Handovers are the IOC's own notes: operators and IOC leaders read them; nobody else does."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ioc.accounts.choices import Role
from ioc.common.roles import actor_has_role
from ioc.duty.models import Handover

READER_ROLES = frozenset({Role.IOC_OPERATOR, Role.IOC_LEADER})
RECENT = 30


def handover_list(*, user: Any) -> QuerySet[Handover]:
    """The handovers `user` may read, newest first (none for anyone outside the IOC)."""
    qs = Handover.objects.select_related("author", "acknowledged_by", "roster_shift")
    return qs if actor_has_role(user, READER_ROLES) else qs.none()


def handover_pending(*, user: Any) -> Handover | None:
    """R7.1: the newest handover nobody has acknowledged yet, written by someone else: what an operator taking
    over sees first. None for anyone who does not take the duty."""
    if not actor_has_role(user, {Role.IOC_OPERATOR}):
        return None
    return handover_list(user=user).filter(acknowledged_at__isnull=True).exclude(author_id=user.pk).first()


def handover_get_for(*, user: Any, pk: int) -> Handover:
    found = handover_list(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404("Không tìm thấy / Not found")
    return found
