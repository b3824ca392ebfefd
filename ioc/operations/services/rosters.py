"""R10.4 (004:8, 002:12.2): duty rosters — a month cut into shifts from the center's hours, people put on shifts
(never two overlapping shifts for one person, only while in post), publishing once the gaps are seen, swaps
approved by the IOC leader, and the next shift reminded (durable: `RosterDuty.reminded_at`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.agencies.models import Agency
from ioc.audit.services import audit_record
from ioc.common.roles import Role, actor_has_role
from ioc.notifications.services import notification_enqueue
from ioc.operations import permissions
from ioc.operations.allowance_calc import month_bounds
from ioc.operations.choices import REMINDER_LEAD_HOURS, RosterState, SwapState
from ioc.operations.models import Posting, Roster, RosterDuty, RosterShift, ShiftSwap, Staff
from ioc.operations.selectors.rosters import roster_gaps
from ioc.operations.services._base import clean_text, require_staff_manager
from ioc.operations.shifts import cut_month, inside_office_hours, is_holiday
from ioc.worktime.selectors import LOCAL_TZ, calendar_for

REMINDER_TEMPLATE = "operations.shift_next"


@transaction.atomic
def roster_create(
    *, actor: User, agency: Agency, month: dt.date, min_per_shift: int = 1, leader_required: bool = True
) -> Roster:
    """R10.4: a month's roster of `agency` (the center), its shifts cut from the agency's hours in `worktime`."""
    require_staff_manager(actor)
    if not 1 <= min_per_shift <= 20:
        raise ValidationError({"min_per_shift": [_("Từ 1 đến 20 người mỗi ca / Between 1 and 20 per shift")]})
    first = month.replace(day=1)
    if Roster.objects.filter(agency=agency, month=first).exists():
        raise ValidationError({"month": [_("Đơn vị đã có lịch trực của tháng này / A roster of this month exists")]})
    calendar = calendar_for(agency=agency)
    roster = Roster.objects.create(
        agency=agency,
        month=first,
        around_the_clock=calendar.around_the_clock,
        min_per_shift=min_per_shift,
        leader_required=leader_required,
        created_by=actor,
    )
    shifts = [
        RosterShift(roster=roster, label=c.label, starts_at=c.starts_at, ends_at=c.ends_at, is_holiday=c.is_holiday)
        for c in cut_month(first, calendar)
    ]
    RosterShift.objects.bulk_create(shifts)
    changes = {"month": first.isoformat(), "shifts": len(shifts), "around_the_clock": roster.around_the_clock}
    audit_record(actor=actor, action="roster.create", obj=roster, changes=changes)
    return roster


@transaction.atomic
def roster_shift_add(
    *, actor: User, roster: Roster, label: str, starts_at: dt.datetime, ends_at: dt.datetime
) -> RosterShift:
    """R10.4: an extra shift (an event, a storm watch); on office hours it must lie within a working period."""
    require_staff_manager(actor)
    name = clean_text(label, field="label", limit=40)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("Kết thúc phải sau bắt đầu / The end must follow the start")]})
    first, last = month_bounds(roster.month)
    if not first <= starts_at.astimezone(LOCAL_TZ).date() <= last:
        raise ValidationError({"starts_at": [_("Ca phải nằm trong tháng của lịch / Outside the roster's month")]})
    if not inside_office_hours(starts_at, ends_at, calendar_for(agency=roster.agency)):
        raise ValidationError(
            {"starts_at": [_("Ca nằm ngoài giờ làm việc của Trung tâm / The shift is outside office hours")]}
        )
    day = starts_at.astimezone(LOCAL_TZ).date()
    shift = RosterShift.objects.create(
        roster=roster, label=name, starts_at=starts_at, ends_at=ends_at, is_holiday=is_holiday(day)
    )
    audit_record(actor=actor, action="roster_shift.add", obj=shift, changes={"starts_at": starts_at.isoformat()})
    return shift


def _check_free(staff: Staff, shift: RosterShift, field: str) -> None:
    """One person is never on two overlapping shifts, and only on days they are in post."""
    overlapping = RosterDuty.objects.filter(
        staff=staff, shift__starts_at__lt=shift.ends_at, shift__ends_at__gt=shift.starts_at
    ).exclude(shift=shift)
    if overlapping.exists():
        raise ValidationError({field: [_("Người này đã có ca trùng giờ / This person has an overlapping shift")]})
    day = shift.starts_at.astimezone(LOCAL_TZ).date()
    in_post = Posting.objects.filter(staff=staff, starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )
    if not in_post.exists():
        raise ValidationError({field: [_("Người này không làm việc cho Trung tâm ngày đó / Not in post that day")]})


@transaction.atomic
def roster_duty_add(*, actor: User, shift: RosterShift, staff: Staff, as_leader: bool = False) -> RosterDuty:
    """R10.4: put a person on a shift (as the leader on call: only a staff member marked leader)."""
    require_staff_manager(actor)
    if as_leader and not staff.is_leader:
        raise ValidationError({"as_leader": [_("Chỉ lãnh đạo được trực chỉ huy / Only a leader may be on call")]})
    if RosterDuty.objects.filter(shift=shift, staff=staff).exists():
        raise ValidationError({"staff": [_("Người này đã có trong ca / Already on this shift")]})
    _check_free(staff, shift, "staff")
    duty = RosterDuty.objects.create(shift=shift, staff=staff, as_leader=as_leader)
    audit_record(actor=actor, action="roster_duty.add", obj=duty, changes={"shift": shift.pk, "staff": staff.pk})
    return duty


@transaction.atomic
def roster_publish(*, actor: User, roster: Roster, accept_gaps: bool = False) -> Roster:
    """R10.4: publish a roster; its coverage gaps are shown first and must be accepted knowingly."""
    require_staff_manager(actor)
    locked = Roster.objects.select_for_update().get(pk=roster.pk)
    if locked.state != RosterState.DRAFT:
        raise ValidationError({"state": [_("Lịch trực đã công bố / Already published")]})
    gaps = roster_gaps(roster=locked)
    if gaps and not accept_gaps:
        message = _("Còn %(n)d ca thiếu người hoặc thiếu lãnh đạo trực / %(n)d shifts are not covered") % {
            "n": len(gaps)
        }
        raise ValidationError({"accept_gaps": [message]})
    locked.state, locked.published_at, locked.published_by = RosterState.PUBLISHED, timezone.now(), actor
    locked.save(update_fields=["state", "published_at", "published_by"])
    audit_record(actor=actor, action="roster.publish", obj=locked, changes={"gaps": len(gaps)})
    return locked


@transaction.atomic
def shift_swap_request(*, actor: User, duty: RosterDuty, to_staff: Staff, reason: str) -> ShiftSwap:
    """R10.4: the person on duty (or a roster keeper) asks to hand the duty to `to_staff`."""
    own = duty.staff.user_id is not None and duty.staff.user_id == actor.pk
    if not own and not permissions.can_manage_staff(actor):
        raise PermissionDenied(_("Chỉ người trực hoặc người lập lịch được đề nghị đổi ca / Not your duty"))
    if to_staff.pk == duty.staff_id:
        raise ValidationError({"to_staff": [_("Người trực thay phải là người khác / Choose someone else")]})
    _check_free(to_staff, duty.shift, "to_staff")
    swap = ShiftSwap.objects.create(
        duty=duty, to_staff=to_staff, reason=clean_text(reason, field="reason"), requested_by=actor
    )
    audit_record(actor=actor, action="shift_swap.request", obj=swap, changes={"to_staff": to_staff.pk})
    return swap


@transaction.atomic
def shift_swap_decide(*, actor: User, swap: ShiftSwap, approve: bool) -> ShiftSwap:
    """R10.4: the IOC leader approves (the duty passes to the other person) or refuses a swap."""
    if not actor_has_role(actor, {Role.IOC_LEADER}):
        raise PermissionDenied(_("Chỉ lãnh đạo IOC duyệt đổi ca / Only the IOC leader decides swaps"))
    locked = ShiftSwap.objects.select_for_update().select_related("duty__shift").get(pk=swap.pk)
    if locked.state != SwapState.PENDING:
        raise ValidationError({"state": [_("Đề nghị đã được xử lý / Already decided")]})
    if approve:
        _check_free(locked.to_staff, locked.duty.shift, "to_staff")
        RosterDuty.objects.filter(pk=locked.duty_id).update(staff=locked.to_staff, reminded_at=None)
    locked.state = SwapState.APPROVED if approve else SwapState.REFUSED
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["state", "decided_by", "decided_at"])
    audit_record(actor=actor, action="shift_swap.decide", obj=locked, changes={"state": locked.state})
    return locked


def shift_reminders_send(*, now: dt.datetime | None = None) -> int:
    """R10.4: remind each person of their next published shift, once (durable: a duty is claimed by setting
    `reminded_at` with a conditional UPDATE; the outbox dedup key makes a rerun harmless)."""
    now = now or timezone.now()
    due = RosterDuty.objects.filter(
        reminded_at__isnull=True,
        shift__roster__state=RosterState.PUBLISHED,
        shift__starts_at__gt=now,
        shift__starts_at__lte=now + dt.timedelta(hours=REMINDER_LEAD_HOURS),
        staff__user__isnull=False,
    ).select_related("shift", "staff__user")
    sent = 0
    for duty in due:
        with transaction.atomic():
            if not RosterDuty.objects.filter(pk=duty.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            start = duty.shift.starts_at.astimezone(LOCAL_TZ)
            assert duty.staff.user is not None
            notification_enqueue(
                event="operations.shift_next",
                recipients=[duty.staff.user],
                template=REMINDER_TEMPLATE,
                context={"label": duty.shift.label, "starts_at": f"{start:%H:%M %d/%m/%Y}"},
                dedup_key=f"operations.shift:{duty.pk}:{duty.shift.starts_at:%Y%m%d%H%M}:{duty.staff_id}",
            )
            sent += 1
    return sent
