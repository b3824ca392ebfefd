"""R2.6: periodic data calls that recur — a rule per indicator × agency × period type opens each period's call.

A rule's row is the durable work (CONVENTIONS "add a task"): `next_period` is the period whose call it opens next,
at `next_open_at` = the agency's first working moment `open_after_days` days after that period ends; the call is
due `working_days` of the agency's working time after it opens (`calls.call_deadline`). The sweep
(`call_rules_open_due`, a periodic Huey task) selects rules by due time, never "since the last run", and claims a
period by a conditional UPDATE (`WHERE next_period = <the one read>`) in the same transaction as the call it
opens: a sweep killed at any line leaves the period unclaimed, two sweeps at once open it once (the loser's UPDATE
matches no row), and the unique key rule × period (`indicator_call_once_per_rule_period`) guards the rest.

The officer creates, pauses, resumes and ends a rule (`call_rule_create/_pause/_resume/_end`, each audited); the
periods whose call would have opened while a rule was paused are not asked for when it resumes.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ioc.accounts.selectors import user_scope
from ioc.audit.services import audit_record
from ioc.common.periods import period_code, period_parse
from ioc.indicators import periods as period_math
from ioc.indicators.choices import RULE_TRANSITIONS, CallKind, PeriodType, RuleStatus
from ioc.indicators.models import CallRule, DataCall, Indicator
from ioc.indicators.services._base import CALL_ROLES, require_roles
from ioc.indicators.services.calls import MAX_WORKING_DAYS, call_deadline, call_open, working_start
from ioc.worktime.selectors import LOCAL_TZ, WorkCalendar, calendar_for

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency

MAX_OPEN_AFTER_DAYS = 90
CATCH_UP = 24  # periods one rule may open in one run (after a sweep stopped for a long time)
BATCH = 500  # rules read per run; the rest are due at the next run


def rule_open_at(*, period: str, period_type: str, open_after_days: int, calendar: WorkCalendar) -> dt.datetime:
    """When the call of `period` opens: the first working moment `open_after_days` days after the period ends."""
    following = period_math.start_date(period_math.shift(period, period_type, 1))
    return working_start(following + dt.timedelta(days=open_after_days), calendar)


def _first_period_errors(first_period: str, period_type: str, now: dt.datetime) -> tuple[str, list[str]]:
    """(the first period, its problems): the current period by default; one given must be of the type and not
    before the previous period (a rule asks from now on; an older period is an ad hoc call)."""
    current = period_code(now.astimezone(LOCAL_TZ).date(), period_type)
    if not first_period:
        return current, []
    try:
        period_parse(first_period)
        matches = period_math.matches(first_period, period_type)
    except (ValidationError, ValueError):
        return first_period, ["Kỳ không hợp lệ (2025, 2025Q3, 202507) / Invalid period"]
    if not matches:
        return first_period, ["Kỳ không đúng loại kỳ của quy tắc / The period is not of the rule's period type"]
    if period_math.start_date(first_period) < period_math.start_date(period_math.shift(current, period_type, -1)):
        return first_period, ["Kỳ đầu không được trước kỳ liền trước / The first period is too far in the past"]
    return first_period, []


def _create_errors(
    *, actor: User, indicator: Indicator, agency: Agency, period_type: str, working_days: int, open_after_days: int
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not indicator.is_active:
        errors["indicator"] = ["Chỉ số đã thôi áp dụng / The indicator is retired"]
    scope = user_scope(user=actor)
    if not agency.is_active or not (scope.everything or agency.pk in scope.agency_ids):
        errors["agency"] = ["Cơ quan không thuộc phạm vi của bạn / The agency is outside your scope"]
    if period_type not in PeriodType.values:
        errors["period_type"] = ["Loại kỳ không hợp lệ / Unknown period type"]
    elif period_type != indicator.period_type:
        label = PeriodType(indicator.period_type).label
        errors["period_type"] = [f"Chỉ số báo cáo theo kỳ {label} / Reported per {indicator.period_type}"]
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        errors["working_days"] = [f"Từ 1 đến {MAX_WORKING_DAYS} ngày làm việc / 1 to {MAX_WORKING_DAYS} working days"]
    if not 0 <= open_after_days <= MAX_OPEN_AFTER_DAYS:
        errors["open_after_days"] = [f"Từ 0 đến {MAX_OPEN_AFTER_DAYS} ngày / 0 to {MAX_OPEN_AFTER_DAYS} days"]
    return errors


_DUPLICATE = "Đã có quy tắc đang áp dụng cho chỉ số, cơ quan và kỳ này / A live rule already exists for these"


@transaction.atomic
def call_rule_create(
    *,
    actor: User,
    indicator: Indicator,
    agency: Agency,
    period_type: str,
    working_days: int = 5,
    open_after_days: int = 0,
    first_period: str = "",
    note: str = "",
) -> CallRule:
    """R2.6: a rule that asks `agency` for `indicator`'s values every period, from `first_period` (default: the
    current one) on; refused with the field and reason for an unknown period type, an agency outside the actor's
    scope, a duplicate live rule, a retired indicator or a deadline out of range."""
    require_roles(actor, CALL_ROLES, "Chỉ lãnh đạo hoặc cán bộ IOC đặt yêu cầu báo cáo định kỳ")
    errors = _create_errors(
        actor=actor, indicator=indicator, agency=agency, period_type=period_type, working_days=working_days,
        open_after_days=open_after_days,
    )  # fmt: skip
    live = CallRule.objects.filter(indicator=indicator, agency=agency, period_type=period_type)
    if "period_type" not in errors and live.exclude(status=RuleStatus.ENDED).exists():
        errors["indicator"] = [_DUPLICATE]
    first = ""
    if "period_type" not in errors:
        first, problems = _first_period_errors(first_period.strip(), period_type, timezone.now())
        if problems:
            errors["first_period"] = problems
    if errors:
        raise ValidationError(errors)
    calendar = calendar_for(agency=agency)
    opens = rule_open_at(period=first, period_type=period_type, open_after_days=open_after_days, calendar=calendar)
    try:
        with transaction.atomic():  # two officers at once: the unique key refuses the second, named as above
            rule = CallRule.objects.create(
                indicator=indicator, agency=agency, period_type=period_type, working_days=working_days,
                open_after_days=open_after_days, note=note, next_period=first, next_open_at=opens, created_by=actor,
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError({"indicator": [_DUPLICATE]}) from None
    audit_record(actor=actor, action="indicator_call_rule.create", obj=rule, changes=rule.as_dict())
    return rule


def _transition(*, actor: User, rule: CallRule, to: RuleStatus, action: str, reason: str) -> CallRule:
    require_roles(actor, CALL_ROLES, "Chỉ lãnh đạo hoặc cán bộ IOC thay đổi yêu cầu báo cáo định kỳ")
    locked = CallRule.objects.select_for_update().get(pk=rule.pk)
    if to not in RULE_TRANSITIONS.get(RuleStatus(locked.status), set()):
        label = RuleStatus(locked.status).label
        raise ValidationError({"status": [f"Quy tắc đang ở trạng thái “{label}” / Not allowed from {locked.status}"]})
    changes: dict[str, object] = {"status": [locked.status, to.value], "reason": reason}
    locked.status = to
    fields = ["status"]
    if to == RuleStatus.ENDED:
        locked.ended_at, fields = timezone.now(), [*fields, "ended_at"]
    if to == RuleStatus.ACTIVE:
        _skip_missed(locked, timezone.now())
        changes["next_period"], fields = locked.next_period, [*fields, "next_period", "next_open_at"]
    locked.save(update_fields=fields)
    audit_record(actor=actor, action=action, obj=locked, changes=changes)
    return locked


def _skip_missed(rule: CallRule, now: dt.datetime) -> None:
    """On resuming: move past the periods whose call would have opened during the pause."""
    calendar = calendar_for(agency=rule.agency)
    while rule.next_open_at <= now:
        rule.next_period = period_math.shift(rule.next_period, rule.period_type, 1)
        rule.next_open_at = rule_open_at(
            period=rule.next_period, period_type=rule.period_type, open_after_days=rule.open_after_days,
            calendar=calendar,
        )  # fmt: skip


@transaction.atomic
def call_rule_pause(*, actor: User, rule: CallRule, reason: str = "") -> CallRule:
    """R2.6: stop opening calls until resumed (calls already open stay open)."""
    return _transition(actor=actor, rule=rule, to=RuleStatus.PAUSED, action="indicator_call_rule.pause", reason=reason)


@transaction.atomic
def call_rule_resume(*, actor: User, rule: CallRule, reason: str = "") -> CallRule:
    """R2.6: open calls again, from the next period whose opening time is still ahead."""
    return _transition(actor=actor, rule=rule, to=RuleStatus.ACTIVE, action="indicator_call_rule.resume", reason=reason)


@transaction.atomic
def call_rule_end(*, actor: User, rule: CallRule, reason: str = "") -> CallRule:
    """R2.6: end a rule for good (a new rule for the same indicator, agency and period type may then be made)."""
    return _transition(actor=actor, rule=rule, to=RuleStatus.ENDED, action="indicator_call_rule.end", reason=reason)


def call_rules_open_due(*, actor: User, now: dt.datetime | None = None) -> int:
    """R2.6: the sweep — every active rule whose next call is due opens it (each period in a transaction of its
    own, at most CATCH_UP per rule per run); returns the calls opened. Safe to run twice or concurrently."""
    now = now or timezone.now()
    due = CallRule.objects.filter(status=RuleStatus.ACTIVE, next_open_at__lte=now).order_by("next_open_at", "pk")
    calendars: dict[int, WorkCalendar] = {}
    opened = 0
    for pk in list(due.values_list("pk", flat=True)[:BATCH]):
        for _step in range(CATCH_UP):
            result = _open_next(pk=pk, actor=actor, now=now, calendars=calendars)
            if result is None:
                break
            opened += result[0]
            if not result[1]:
                break
    return opened


@transaction.atomic
def _open_next(
    *, pk: int, actor: User, now: dt.datetime, calendars: dict[int, WorkCalendar]
) -> tuple[int, bool] | None:
    """Claim the rule's next period and open its call: (1 opened or 0 claimed but nothing to open, whether the
    following period is due too), or None when not due (or another sweep claimed it first)."""
    rule = (
        CallRule.objects.select_related("indicator", "agency", "created_by")
        .filter(pk=pk, status=RuleStatus.ACTIVE, next_open_at__lte=now)
        .first()
    )
    if rule is None:
        return None
    if rule.agency_id not in calendars:
        calendars[rule.agency_id] = calendar_for(agency=rule.agency)
    calendar = calendars[rule.agency_id]
    period = rule.next_period
    following = period_math.shift(period, rule.period_type, 1)
    opens = rule_open_at(
        period=following, period_type=rule.period_type, open_after_days=rule.open_after_days, calendar=calendar
    )
    claimed = CallRule.objects.filter(pk=pk, status=RuleStatus.ACTIVE, next_period=period).update(
        next_period=following, next_open_at=opens
    )
    if not claimed:
        return None
    if not rule.indicator.is_active:  # retired since: the rule ends, as the catalogue's decision implies
        CallRule.objects.filter(pk=pk).update(status=RuleStatus.ENDED, ended_at=now)
        audit_record(actor=actor, action="indicator_call_rule.end", obj=rule, changes={"reason": "indicator retired"})
        return None
    again = opens <= now
    if DataCall.objects.filter(rule_id=pk, period=period).exists():
        return 0, again
    deadline = call_deadline(start=now, working_days=rule.working_days, calendar=calendar)
    try:
        with transaction.atomic():
            call_open(
                actor=actor, requested_by=rule.created_by, indicator=rule.indicator, agency=rule.agency,
                period=period, deadline_at=deadline, kind=CallKind.PERIODIC, note=rule.note, calendar=calendar,
                rule=rule,
            )  # fmt: skip
    except IntegrityError:  # the unique key rule × period: another sweep opened it
        return 0, again
    return 1, again
