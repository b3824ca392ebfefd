"""Handling what is found online (R5.7, R3.1 social media; 002:6.5 "kịp thời xử lý các thông tin phản ánh trên mạng
xã hội"): a citizen's complaint becomes a citizen report through `report_receive(channel="social")` and follows
that flow; an item needing an agency's answer is forwarded with `assignment_forward(process="media_watch")`, and the
"media_watch" SubjectHandler (handlers.py) keeps the answer and its time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ioc.assignments.choices import UpdateKind
from ioc.assignments.services import assignment_forward
from ioc.audit.services import audit_record
from ioc.citizen_reports.services import report_receive
from ioc.common.roles import IOC_STAFF_ROLES, actor_require_role
from ioc.geo.models import AdminUnit
from ioc.media_watch.models import Handling, Item
from ioc.media_watch.selectors.places import area_unit_ids
from ioc.media_watch.services._base import now as clock

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency
    from ioc.assignments.models import Assignment
    from ioc.citizen_reports.models import Category, Report

PROCESS = "media_watch"
DESCRIPTION_MAX = 3800


def _require_staff(actor: User) -> None:
    actor_require_role(actor, IOC_STAFF_ROLES, _("Chỉ cán bộ vận hành, lãnh đạo IOC được xử lý tin trên mạng."))


def _area(item: Item) -> AdminUnit | None:
    areas = area_unit_ids(list(item.places.values_list("pk", flat=True)))
    return AdminUnit.objects.filter(pk=areas[0]).first() if areas else None


@transaction.atomic
def item_to_report(*, actor: User, item: Item, category: Category) -> Report:
    """R3.1, R5.7: a complaint found online becomes a citizen report (channel "social", the item's link kept), placed
    in the item's commune when it names one, else flagged for the operator to place."""
    _require_staff(actor)
    if item.handlings.filter(kind=Handling.KIND_REPORT).exists():
        raise ValidationError({"item": [_("Tin này đã được chuyển thành phản ánh.")]})
    if not item.url:
        raise ValidationError({"item": [_("Tin không có liên kết gốc: không chuyển thành phản ánh được.")]})
    description = f"{item.title}\n{item.body}".strip()[:DESCRIPTION_MAX]
    unit = _area(item)
    received = report_receive(
        channel="social",
        category=category,
        description=description,
        unit=unit,
        address="" if unit is not None else _("Theo tin trên mạng: %(source)s") % {"source": item.source.name},
        social_url=item.url,
        actor=actor,
    )
    Handling.objects.create(
        item=item, kind=Handling.KIND_REPORT, report_id=received.report.pk, created_at=clock(), created_by=actor
    )
    audit_record(actor=actor, action="media_item.to_report", obj=item, changes={"report": received.report.pk})
    return received.report


@transaction.atomic
def item_forward(
    *, actor: User, item: Item, agency: Agency, working_hours: float, instructions: str = ""
) -> Assignment:
    """R5.7 (002:6.5): an item needing an agency's answer goes to it with a deadline in working hours."""
    _require_staff(actor)
    assignment = assignment_forward(
        process=PROCESS,
        subject_id=str(item.pk),
        subject_label=item.title[:200],
        category_code="",
        agency=agency,
        unit=_area(item),
        working_hours=working_hours,
        instructions=instructions,
        actor=actor,
    )
    Handling.objects.create(
        item=item,
        kind=Handling.KIND_FORWARD,
        assignment_id=assignment.pk,
        agency_name=agency.name[:200],
        created_at=clock(),
        created_by=actor,
    )
    audit_record(actor=actor, action="media_item.forward", obj=item, changes={"assignment": assignment.pk})
    return assignment


def handling_follow(*, assignment: Assignment, kind: str, text: str) -> None:
    """The SubjectHandler's part: a result keeps the answer and its time; a reopening clears them."""
    handlings = Handling.objects.filter(kind=Handling.KIND_FORWARD, assignment_id=assignment.pk)
    if kind == UpdateKind.RESOLVE:
        handlings.update(answered_at=clock(), answer=text[:4000])
    elif kind == UpdateKind.REOPEN:
        handlings.update(answered_at=None, answer="")
