"""What the sharing services share (public names in a private module: import them from here only within
`ioc.sharing.services`): who may act, the terms, due times, the people told, notices (R1.6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from ioc.accounts.selectors import agency_of_user, user_scope
from ioc.assignments.selectors import agency_people
from ioc.common.roles import Role, actor_has_role
from ioc.notifications.services import notification_enqueue
from ioc.sharing import notices
from ioc.sharing.models import AccessRequest, SharingTerms
from ioc.worktime.selectors import LOCAL_TZ, calendar_for, deadline_add

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency
    from ioc.datahub.models import Dataset

AGENCY_ACTORS = frozenset({Role.AGENCY_OFFICER, Role.AGENCY_HEAD})
TOLD_ROLES = (Role.AGENCY_OFFICER, Role.AGENCY_HEAD)


def terms_current() -> SharingTerms:
    """The configured terms, or the defaults (an unsaved row) while none are set."""
    return SharingTerms.objects.order_by("pk").first() or SharingTerms()


def requester_agency(actor: User) -> Agency:
    """R1.6: an officer or head of an agency asks in its agency's name."""
    agency = agency_of_user(user=actor) if actor_has_role(actor, AGENCY_ACTORS) else None
    if agency is None:
        raise PermissionDenied(_("Chỉ cán bộ, lãnh đạo của một cơ quan được đề nghị chia sẻ dữ liệu."))
    return agency


def owner_check(actor: User, dataset: Dataset) -> None:
    """R1.6: the dataset's owner decides: an officer or head of the owner agency."""
    if not actor_has_role(actor, AGENCY_ACTORS) or dataset.owner_id not in user_scope(user=actor).agency_ids:
        raise PermissionDenied(_("Chỉ cơ quan chủ quản bộ dữ liệu được xử lý yêu cầu chia sẻ."))


def due_after(start: dt.datetime, working_days: int, agency: Agency) -> dt.datetime:
    """The due time `working_days` working days after `start`, in the owner agency's working calendar."""
    calendar = calendar_for(agency=agency)
    return deadline_add(start=start, working_hours=working_days * calendar.hours_per_day, calendar=calendar)


def local_text(moment: dt.datetime) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y")


def request_url(request: AccessRequest) -> str:
    return reverse("sharing:request_detail", kwargs={"pk": request.pk})


def tell(request: AccessRequest, *, template: str, recipients: Iterable[User], dedup: str, **extra: Any) -> int:
    """Write the notice for `request` to `recipients` in the caller's transaction (each dedup key once)."""
    people = list(recipients)
    if not people:
        return 0
    context = {
        "dataset_name": request.dataset.name,
        "agency_name": request.agency.name,
        "deadline": local_text(request.due_at),
        "url": request_url(request),
        **extra,
    }
    rows = notification_enqueue(event=template, recipients=people, template=template, context=context, dedup_key=dedup)
    return len(rows)


def owner_people(request: AccessRequest) -> list[User]:
    return agency_people(agency=request.dataset.owner, roles=TOLD_ROLES)


__all__ = ["notices"]
