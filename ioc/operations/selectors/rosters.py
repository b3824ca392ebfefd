"""R10.4: reads of the duty rosters — a month's shifts with their people, the coverage gaps (fewer than the
minimum, no leader on call), who is on duty now, and the shift a moment falls in (the handover note's shift)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ioc.common.roles import Role, actor_has_role
from ioc.operations.choices import RosterState, SwapState
from ioc.operations.models import Roster, RosterDuty, RosterShift, ShiftSwap


@dataclass(frozen=True)
class Gap:
    shift: RosterShift
    people: int
    leaders: int
    missing: int
    needs_leader: bool


def roster_list(*, user: Any) -> QuerySet[Roster]:
    """Rosters are the center's own working data: every IOC staff member and the managing body read them."""
    return Roster.objects.select_related("agency").order_by("-month", "agency__name")


def roster_get(*, user: Any, pk: int) -> Roster:
    found = roster_list(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def roster_shifts(
    *, roster: Roster, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> QuerySet[RosterShift]:
    duties = RosterDuty.objects.select_related("staff").order_by("-as_leader", "staff__full_name")
    qs = RosterShift.objects.filter(roster=roster).prefetch_related(Prefetch("duties", queryset=duties))
    if since is not None:
        qs = qs.filter(ends_at__gt=since)
    if until is not None:
        qs = qs.filter(starts_at__lt=until)
    return qs.order_by("starts_at", "pk")


def roster_gaps(*, roster: Roster) -> list[Gap]:
    """R10.4: the shifts below the roster's minimum or without its leader on call (one query)."""
    shifts = RosterShift.objects.filter(roster=roster).annotate(
        people=Count("duties"), leaders=Count("duties", filter=Q(duties__as_leader=True))
    )
    gaps = []
    for shift in shifts.order_by("starts_at", "pk"):
        missing = max(roster.min_per_shift - shift.people, 0)  # type: ignore[attr-defined]
        needs_leader = roster.leader_required and shift.leaders == 0  # type: ignore[attr-defined]
        if missing or needs_leader:
            gaps.append(Gap(shift, shift.people, shift.leaders, missing, needs_leader))  # type: ignore[attr-defined]
    return gaps


def on_duty_now(*, now: dt.datetime) -> list[RosterDuty]:
    """R10.4: the people of the published shifts running at `now` (the operator's home)."""
    duties = RosterDuty.objects.filter(
        shift__roster__state=RosterState.PUBLISHED, shift__starts_at__lte=now, shift__ends_at__gt=now
    )
    return list(duties.select_related("staff", "shift").order_by("-as_leader", "staff__full_name"))


def shift_at(*, moment: dt.datetime) -> RosterShift | None:
    """R10.4: the published shift `moment` falls in (the shift a handover note belongs to), if any."""
    shifts = RosterShift.objects.filter(roster__state=RosterState.PUBLISHED, starts_at__lte=moment, ends_at__gt=moment)
    return shifts.order_by("-starts_at", "pk").first()


def swap_pending(*, roster: Roster) -> QuerySet[ShiftSwap]:
    """R10.4: the roster's swap requests waiting for the IOC leader, oldest first."""
    pending = ShiftSwap.objects.filter(state=SwapState.PENDING, duty__shift__roster=roster)
    return pending.select_related("duty__shift", "duty__staff", "to_staff").order_by("requested_at", "pk")


def swappable_duties(*, user: Any, roster: Roster, everyone: bool) -> QuerySet[RosterDuty]:
    """R10.4: the duties of a roster `user` may ask to hand over — their own, or every one for a roster keeper
    (`everyone`); shifts not yet started."""
    duties = RosterDuty.objects.filter(shift__roster=roster, shift__starts_at__gt=timezone.now())
    if not everyone:
        duties = duties.filter(staff__user_id=getattr(user, "pk", None) or -1)
    return duties.select_related("shift", "staff").order_by("shift__starts_at", "pk")


def can_decide_swaps(*, user: Any) -> bool:
    """R10.4: the IOC leader approves or refuses swaps."""
    return actor_has_role(user, {Role.IOC_LEADER})
