"""R4.2 (DESIGN "Durable work"): an alert not verified in its kind's time is told to the IOC leaders once, by a
sweeper that claims each timer row under a lease; safe to run twice; a verified alert's timer is done."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.incidents import services
from ioc.incidents.models import VerificationTimer
from ioc.incidents.tests.support import IncidentsMixin
from ioc.notifications.models import Outbox


class VerificationTimerTest(IncidentsMixin, TestCase):
    def test_overdue_alerts_are_told_once(self) -> None:
        late = self.raise_alert(dedup_key="late", kind="fire", severity=5)  # 5 minutes to verify
        calm = self.raise_alert(dedup_key="calm", kind="indicator.target_miss", severity=2)  # 8 hours
        done = self.raise_alert(dedup_key="done", kind="fire", severity=5, point=None)
        services.alert_verify(alert=done, actor=self.operator)
        later = timezone.now() + dt.timedelta(minutes=10)
        self.assertEqual(services.verification_escalate_due(now=later), 1)
        self.assertEqual(services.verification_escalate_due(now=later), 0)  # each once
        told = Outbox.objects.filter(event="alert.verify_overdue")
        self.assertEqual(set(told.values_list("recipient_user_id", flat=True)), {self.leader.pk})
        self.assertTrue(all(told.values_list("urgent", flat=True)))
        states = dict(VerificationTimer.objects.values_list("alert_id", "state"))
        self.assertEqual(states, {late.pk: "fired", calm.pk: "pending", done.pk: "done"})

    def test_a_held_lease_is_left_alone_until_it_expires(self) -> None:
        alert = self.raise_alert(kind="fire")
        timer = VerificationTimer.objects.get(alert=alert)
        later = timezone.now() + dt.timedelta(minutes=10)
        lease = services.verification_timer_claim(pk=timer.pk, now=later)
        self.assertIsNotNone(lease)
        self.assertIsNone(services.verification_timer_claim(pk=timer.pk, now=later))
        self.assertEqual(services.verification_escalate_due(now=later), 0)  # another worker holds it
        after_lease = later + dt.timedelta(minutes=10)  # that worker died: its lease expired
        self.assertEqual(services.verification_escalate_due(now=after_lease), 1)
