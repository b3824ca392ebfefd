"""The durable work of the crash harness (bench/load/crash.py): its fixtures (assignments whose escalation steps
fall due under the load, a data obligation never met, pull connectors falling due under the load (connectors.py),
a second token with the ordinary rate limit), the leases of
killed processes fast-forwarded to expiry, and `verify`: every acknowledged write and every piece of durable work,
as JSON. Runs in-process with Django set up on the harness's temporary database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.load import connectors, registry


def django_setup() -> None:
    import django

    django.setup()


ESCALATED = 40  # assignments whose escalation falls due, one by one, while the processes are killed
ESCALATION_STEPS = 2  # the chain's tiers: both are past when an assignment wakes (its clock was moved 30 days back)
# so the sweep takes one catch-up step to tier 2, naming tier 1 as passed (docs/decisions/0011)
STEPS_EACH = 1


def escalation_world(world: dict[str, Any]) -> None:
    """A chain of two steps for the process `crash`, and assignments forwarded through the service whose clock
    started long ago. Not armed yet (no next step due): `escalations_arm` wakes them one by one when the load
    starts, so they fall due under the kills however long the set-up took."""
    import datetime as dt

    from django.utils import timezone

    from ioc.accounts.models import User
    from ioc.agencies.models import Agency
    from ioc.assignments import services
    from ioc.assignments.models import Assignment

    leader = User.objects.get(username="persona-leader")
    operator = User.objects.get(username="persona-operator")
    steps = [services.StepSpec(at_share=0.5, role="ioc_operator"), services.StepSpec(at_share=1.0, role="ioc_leader")]
    services.escalation_chain_set(actor=leader, process="crash", category_code="", name="Phép thử", steps=steps)
    agency = Agency.objects.get(pk=world["agency_a"])
    now = timezone.now()
    for i in range(ESCALATED):
        done = services.assignment_forward(
            process="crash",
            subject_id=str(i),
            subject_label=f"Việc thử {i}",
            category_code="",
            agency=agency,
            working_hours=1,
            actor=operator,
        )
        # The clock is moved back 30 days, so the plan of due times stored when it started (`escalation_due`,
        # issue 12) no longer holds: cleared, the sweep computes each step's due time from the moved clock.
        Assignment.objects.filter(pk=done.pk).update(
            started_at=now - dt.timedelta(days=30), next_escalation_at=None, escalation_due=None
        )


def escalations_arm(seconds: float) -> None:
    """At the load's start: each crash assignment's first step falls due at its own moment of the load's first
    60 % (issue 16: armed in prepare, the last ones fell due after a short load and the drain waited for them)."""
    django_setup()
    import datetime as dt

    from django.utils import timezone

    from ioc.assignments.models import Assignment

    now = timezone.now()
    gap = 0.6 * seconds / ESCALATED
    pks = Assignment.objects.filter(process="crash").order_by("pk").values_list("pk", flat=True)
    for i, pk in enumerate(pks):
        wake = now + dt.timedelta(seconds=1 + gap * i)
        Assignment.objects.filter(pk=pk, escalation_level=0).update(next_escalation_at=wake)
    pulls = connectors.connectors_arm(now, 0.6 * seconds / connectors.CONNECTORS)
    print(json.dumps({"armed": len(pks), "connectors": pulls}))


def plain_token(world: dict[str, Any]) -> None:
    """A second token of the information system, with the ordinary Open311 rate limit (no benchmark override)."""
    import datetime as dt

    from django.utils import timezone

    from ioc.accounts import services
    from ioc.accounts.choices import RequestKind
    from ioc.accounts.models import User
    from ioc.accounts.testing import DOCUMENT

    admin = User.objects.get(username="persona-admin")
    user = User.objects.get(pk=world["system_user"])
    request = services.account_request_record(
        kind=RequestKind.ISSUE_TOKEN, **DOCUMENT, approver=admin, requested_by=admin, subject=user
    )
    _token, value = services.token_issue(
        account_request=request,
        actor=admin,
        user=user,
        scopes=["open311.submit"],
        expires_at=timezone.now() + dt.timedelta(days=30),
        label="plain",
    )
    world["plain_token"] = value


def reminder_world(world: dict[str, Any]) -> None:
    """A dataset agency A must send every day at 08:00 from ten days ago, which it never sends: a "đôn đốc"
    reminder is due for each day the reminder sweep looks back over."""
    import datetime as dt

    from django.utils import timezone

    from ioc.accounts.models import User
    from ioc.agencies.models import Agency
    from ioc.datahub import services
    from ioc.datahub.testing import dataset_make, revenue_schema

    actor = User.objects.get(username="persona-admin")
    owner = Agency.objects.get(pk=world["agency_a"])
    dataset = dataset_make(actor=actor, owner=owner, code="crash-nghia-vu", schema=revenue_schema(), name="Nghĩa vụ")
    services.obligation_set(
        actor=actor,
        dataset=dataset,
        agency=owner,
        frequency="weekly",
        weekdays=[1, 2, 3, 4, 5, 6, 7],
        due_time="08:00",
        remind_before_hours=0,
        remind_after_hours=0,
        starts_on=timezone.localdate() - dt.timedelta(days=10),
    )


def reminders_missing() -> int:
    """Reminders a sweep now would still write (in a transaction rolled back): 0 when none was lost."""
    from django.db import transaction

    from ioc.datahub.services import obligation_reminders_send

    with transaction.atomic():
        missing = obligation_reminders_send()
        transaction.set_rollback(True)
    return missing


def escalation_state() -> tuple[list[str], list[str], int]:
    """(lost, doubled, fired): every crash assignment reached the chain's last tier by exactly one step, the
    catch-up that names the tier it passed (decision 0011)."""
    from django.db.models import Count, Q

    from ioc.assignments.models import Assignment

    lost: list[str] = []
    doubled: list[str] = []
    escalations = Count("updates", filter=Q(updates__kind="escalate"))
    rows = Assignment.objects.filter(process="crash").annotate(fired=escalations)
    fired = 0
    for row in rows:
        fired += row.fired
        if row.escalation_level < ESCALATION_STEPS or row.fired < STEPS_EACH:
            lost.append(f"escalation of assignment {row.pk}: level {row.escalation_level}, {row.fired} fired")
        elif row.fired > STEPS_EACH:
            doubled.append(f"escalation of assignment {row.pk}: {row.fired} steps fired of {STEPS_EACH}")
    return lost, doubled, fired


def expire_leases() -> int:
    """Fast-forward the leases the killed processes held to their expiry (the sweepers' clock, nothing else)."""
    from django.utils import timezone

    from ioc.assignments.models import Assignment
    from ioc.datahub.models import Connector, IngestJob
    from ioc.notifications.models import Outbox

    now = timezone.now()
    held = Outbox.objects.filter(state="sending").update(lease_until=now)
    held += IngestJob.objects.filter(state="running").update(lease_until=now)
    held += Connector.objects.filter(lease_until__gt=now).update(lease_until=now)
    held += Assignment.objects.filter(escalation_lease_until__isnull=False).update(escalation_lease_until=now)
    return held


def mail_delivery_ids(var: Path) -> list[str]:
    found: list[str] = []
    for path in sorted((var / "mail").glob("*")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("X-IOC-Delivery-Id:"):
                found.append(line.split(":", 1)[1].strip())
    return found


def _seconds(moment: Any, now: Any) -> float | None:
    return None if moment is None else round((moment - now).total_seconds(), 1)


def waiting(var: Path) -> dict[str, Any]:
    """What is still pending at this pass, and when each kind falls due (seconds from now; negative: overdue):
    the drain's log, so a slow drain names its cause (issue 16)."""
    from django.conf import settings
    from django.db.models import Count, Min
    from django.utils import timezone
    from huey.contrib.djhuey import HUEY

    from ioc.assignments.models import Assignment
    from ioc.datahub.models import IngestJob
    from ioc.notifications.models import Outbox

    now = timezone.now()
    outbox = Outbox.objects.exclude(state__in=["sent", "skipped"])
    states = dict(outbox.values_list("state").annotate(n=Count("id")).order_by())
    steps = Assignment.objects.filter(process="crash", escalation_level__lt=ESCALATION_STEPS)
    jobs = IngestJob.objects.exclude(state="done")
    return {
        "outbox": states,
        "outbox_next": _seconds(outbox.aggregate(at=Min("next_attempt_at"))["at"], now),
        "outbox_attempts": outbox.aggregate(n=Min("attempts"))["n"],
        "escalations_left": steps.count(),
        "escalation_next": _seconds(steps.aggregate(at=Min("next_escalation_at"))["at"], now),
        "ingest_jobs": dict(jobs.values_list("state").annotate(n=Count("id")).order_by()),
        "connectors_left": connectors.connector_state()[3],
        "huey_queued": HUEY.pending_count() if not settings.HUEY.get("immediate") else 0,
        "huey_scheduled": HUEY.scheduled_count() if not settings.HUEY.get("immediate") else 0,
    }


def verify(var: Path) -> dict[str, Any]:
    """Every acknowledged write and the durable work (Django set up)."""
    from ioc.datahub.models import IngestJob
    from ioc.notifications.models import Outbox

    lost: list[str] = []
    doubled: list[str] = []
    checked = 0
    acks = var / "acks.jsonl"
    for line in acks.read_text(encoding="utf-8").splitlines() if acks.exists() else []:
        expect = registry.Expect(**json.loads(line))
        domain = registry.domain_of(expect.kind)
        checked += 1
        problem = domain.check(expect)
        if problem:
            lost.append(f"{expect.kind} {expect.key}: {problem}")
        extra = domain.doubled(expect)
        if extra:
            doubled.append(f"{expect.kind} {expect.key}: {extra} extra")
    delivered = mail_delivery_ids(var)
    sent = {str(d) for d in Outbox.objects.filter(state="sent").values_list("delivery_id", flat=True)}
    lost += [f"outbox {d}: marked sent, never received" for d in sorted(sent - set(delivered))]
    doubled += [f"outbox {d}: received but not an outbox row" for d in sorted(set(delivered) - sent)]
    escalation_lost, escalation_doubled, fired = escalation_state()
    lost += escalation_lost
    doubled += escalation_doubled
    pull_lost, pull_doubled, pull_runs, pull_waiting = connectors.connector_state()
    lost += pull_lost
    doubled += pull_doubled
    reminders = Outbox.objects.filter(event__startswith="datahub_obligation.remind_")
    missing = reminders_missing()
    lost += [f"reminders: {missing} due but never written"] if missing else []
    lost += [] if reminders.exists() else ["reminders: none written"]
    pending = {
        "outbox": Outbox.objects.exclude(state__in=["sent", "skipped"]).count(),
        "ingest_jobs": IngestJob.objects.exclude(state="done").count(),
        "connectors": pull_waiting,
    }
    result = {
        "checked": checked,
        "lost": lost,
        "doubled": doubled,
        "pending": pending,
        "outbox_sent": len(sent),
        "redelivered": len(delivered) - len(set(delivered)),
        "jobs_done": IngestJob.objects.filter(state="done").count(),
        "escalations": fired,
        "connector_runs": pull_runs,
        "reminders": reminders.count(),
        "waiting": waiting(var),
    }
    return result


def sweeps_wake() -> None:
    """Enqueue the sweepers the consumer's scheduler would enqueue at its next minute (outbox, escalations, large
    imports), so the real consumer resumes the work now: its scheduler ticks 60 s after each start, and a consumer
    restarted late in the load made the drain wait up to a minute for nothing (issue 16). Not while some wait."""
    from huey.contrib.djhuey import HUEY

    from ioc.assignments.tasks import escalate_due
    from ioc.datahub.tasks import run_connectors, sweep_jobs
    from ioc.notifications.tasks import deliver_due

    if HUEY.pending_count() == 0:
        for task in (deliver_due, escalate_due, sweep_jobs, run_connectors):
            task()


def drain(var: Path, limit: float) -> None:
    """In one process (a Django start per pass cost seconds under load): expire the killed processes' leases,
    wake the sweepers, and verify every second until every acknowledged write is found and no durable work is
    left, or `limit` seconds passed; each pass logs what is still waiting, the last result is JSON on stdout."""
    import time

    django_setup()
    started = time.monotonic()
    expired = expire_leases()
    while True:
        result = verify(var)
        took = time.monotonic() - started
        settled = not result["lost"] and not any(result["pending"].values())
        print(f"drain {took:5.1f} s: {len(result['lost'])} lost, waiting {json.dumps(result['waiting'])}", flush=True)
        if settled or took > limit:
            result.update(drained_in=round(took, 1), leases_expired=expired)
            print(json.dumps(result))
            return
        sweeps_wake()
        time.sleep(1)
