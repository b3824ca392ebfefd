"""R8.2: the act's report calendar as obligations, their drafts generated ahead as durable work, reminders
through the outbox before and after the due day, and the submission recorded when the report is issued.

Durable work (DESIGN): an obligation is a row with a state; the draft job claims rows by a conditional UPDATE
with a lease (`lease_until`), so two workers never draft the same one and a killed worker's claim expires; every
step selects by state and due day, never "since the last run", and is safe to run twice (reminders carry dedup
keys).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from ioc.accounts.selectors import system_account
from ioc.assignments.selectors import role_holders
from ioc.audit.services import audit_record
from ioc.common.periods import LOCAL_TZ
from ioc.common.roles import IOC_STAFF_ROLES
from ioc.notifications.services import notification_enqueue
from ioc.regulation.selectors import report_calendar
from ioc.reporting.calendar import FREQUENCY_TEMPLATE, REMIND_BEFORE_DAYS, due_for, periods_around
from ioc.reporting.choices import WorkState
from ioc.reporting.models import Report, ReportObligation, ReportTemplate
from ioc.reporting.services.reports import report_generate
from ioc.worktime.selectors import calendar_for

if TYPE_CHECKING:
    from ioc.accounts.models import User

log = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=10)
ATTEMPTS_MAX = 5
OPEN_STATES = (WorkState.PENDING, WorkState.DRAFTED, WorkState.FAILED)


def _today(now: dt.datetime) -> dt.date:
    return now.astimezone(LOCAL_TZ).date()


@transaction.atomic
def report_calendar_sync(*, actor: User, now: dt.datetime | None = None) -> int:
    """R8.2: an obligation for each periodic report of the act's calendar, for the period just ended and the
    current one (existing ones are kept as they are). Returns how many were created."""
    today = _today(now or timezone.now())
    created = 0
    for entry in report_calendar():
        if entry.frequency not in FREQUENCY_TEMPLATE:
            continue  # weekly and ad hoc reports have no calendar of their own
        for period in periods_around(frequency=entry.frequency, today=today):
            spec = {"name": entry.name, "source": entry.source, "recipient": entry.recipient}
            _, new = report_obligation_ensure(
                calendar_code=entry.code,
                frequency=entry.frequency,
                period=period,
                due_day=entry.due_day,
                due_rule=entry.due_rule,
                **spec,
            )
            created += new
    if created:
        kind = "reporting.ReportObligation"
        audit_record(actor=actor, action="report_obligation.sync", object_type=kind, row_count=created)
    return created


def report_obligation_ensure(
    *,
    calendar_code: str,
    frequency: str,
    period: str,
    name: str,
    due_day: int | None = None,
    due_rule: str = "",
    source: str = "",
    recipient: str = "",
) -> tuple[ReportObligation, bool]:
    """R8.2: the obligation of one calendar entry and period (created with its due day if missing); the caller
    audits (the calendar sync once per run, the demo once per batch)."""
    template = ReportTemplate.objects.get(code=FREQUENCY_TEMPLATE[frequency])  # type: ignore[index]
    rule = {"due_day": due_day, "due_rule": due_rule, "calendar": calendar_for(agency=None)}
    due = due_for(frequency=frequency, period=period, **rule)  # type: ignore[arg-type]
    return ReportObligation.objects.get_or_create(
        calendar_code=calendar_code,
        period=period,
        defaults={
            "name": name,
            "source": source,
            "recipient": recipient,
            "template": template,
            "nominal_due_on": due.nominal,
            "due_on": due.due,
            "due_rule": due.rule,
            "draft_on": due.draft_on,
        },
    )


def _claim(now: dt.datetime) -> list[int]:
    """Claim the pending obligations whose draft day has come (conditional UPDATE with a lease)."""
    due = ReportObligation.objects.filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now),
        state__in=(WorkState.PENDING, WorkState.FAILED),
        draft_on__lte=_today(now),
        attempts__lt=ATTEMPTS_MAX,
    )
    claimed = []
    for pk in list(due.values_list("pk", flat=True)[:50]):
        won = ReportObligation.objects.filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now), pk=pk, state__in=(WorkState.PENDING, WorkState.FAILED)
        ).update(lease_until=now + LEASE, attempts=F("attempts") + 1)
        if won:
            claimed.append(pk)
    return claimed


def report_drafts_run(*, now: dt.datetime | None = None) -> int:
    """R8.2: generate the drafts whose day has come, as the system account; a failure is kept with its reason
    and retried when the lease expires (at most ATTEMPTS_MAX times). Returns how many drafts were generated."""
    moment = now or timezone.now()
    actor = system_account()
    done = 0
    for pk in _claim(moment):
        obligation = ReportObligation.objects.select_related("template").get(pk=pk)
        try:
            with transaction.atomic():
                report = report_generate(
                    actor=actor, template=obligation.template, period=obligation.period, now=moment
                )
                ReportObligation.objects.filter(pk=pk).update(
                    state=WorkState.DRAFTED, report=report, lease_until=None, last_error=""
                )
            done += 1
        except ValidationError as exc:
            reason = "; ".join(exc.messages)
            log.warning("report draft %s %s failed: %s", obligation.calendar_code, obligation.period, reason)
            ReportObligation.objects.filter(pk=pk).update(state=WorkState.FAILED, last_error=reason[:2000])
    return done


def _context(obligation: ReportObligation) -> dict[str, str]:
    url = (
        reverse("reporting:detail", args=[obligation.report_id])
        if obligation.report_id
        else reverse("reporting:calendar")
    )
    return {
        "name": obligation.name,
        "period": obligation.period,
        "recipient": obligation.recipient,
        "due_on": f"{obligation.due_on:%d/%m/%Y}",
        "due_rule": obligation.due_rule,
        "url": url,
    }


@transaction.atomic
def report_reminders_send(*, now: dt.datetime | None = None) -> int:
    """R8.2: remind the IOC's operators and leaders REMIND_BEFORE_DAYS before the due day, and once after it
    while the report is not issued. Safe to run twice (dedup keys per obligation and kind)."""
    today = _today(now or timezone.now())
    people = role_holders(roles=IOC_STAFF_ROLES)
    sent = 0
    open_ = ReportObligation.objects.filter(state__in=OPEN_STATES)
    soon = open_.filter(reminded_before_at__isnull=True, due_on__lte=today + dt.timedelta(days=REMIND_BEFORE_DAYS))
    for obligation in soon.filter(due_on__gte=today):
        sent += _remind(obligation, people, "due_soon", "reminded_before_at", now)
    for obligation in open_.filter(reminded_after_at__isnull=True, due_on__lt=today):
        sent += _remind(obligation, people, "overdue", "reminded_after_at", now)
    return sent


def _remind(obligation: ReportObligation, people: list[User], kind: str, field: str, now: dt.datetime | None) -> int:
    if people:
        notification_enqueue(
            event=f"reporting.{kind}",
            recipients=people,
            template=f"reporting.{kind}",
            context=_context(obligation),
            dedup_key=f"reporting:{obligation.calendar_code}:{obligation.period}:{kind}",
        )
    ReportObligation.objects.filter(pk=obligation.pk).update(**{field: now or timezone.now()})
    return 1


def obligation_submission_record(*, report: Report) -> int:
    """R8.2: an issued report of the territory settles its period's open obligations (number and date kept)."""
    if report.scope_kind != "territory" or report.issued_on is None:
        return 0
    return ReportObligation.objects.filter(
        Q(report=report) | Q(template=report.template, period=report.period), state__in=OPEN_STATES
    ).update(
        state=WorkState.SUBMITTED,
        report=report,
        submitted_at=report.issued_at,
        submission_number=report.number,
        submission_date=report.issued_on,
        lease_until=None,
    )


def obligation_sent_record(*, report: Report, sent_to: str, at: dt.datetime | None = None) -> int:
    """R8.2: the issued report was sent to `sent_to` (the parent center, through federation's outbox): its period's
    obligations keep where and when (the caller audits the sending)."""
    if report.issued_on is None:
        return 0
    moment = at or timezone.now()
    return ReportObligation.objects.filter(Q(report=report) | Q(template=report.template, period=report.period)).update(
        sent_to=sent_to[:200], sent_at=moment
    )
