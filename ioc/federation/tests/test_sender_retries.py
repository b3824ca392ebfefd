"""R9.3: a parent that answers 500, garbage or too slowly (a real socket on loopback, through the outbound
client): the message is retried with back-off and, after the configured attempts, dead-lettered; nothing is
marked delivered."""

from __future__ import annotations

from django.test import override_settings
from django.utils import timezone

from ioc.federation import services
from ioc.federation.choices import Flow, OutState
from ioc.federation.models import DeadLetter, OutboxMessage
from ioc.federation.tests.base import FederationTestCase
from ioc.federation.tests.receiver import BadParent


@override_settings(OUTBOUND_ALLOWED_CIDRS=["127.0.0.0/8"], OUTBOUND_TIMEOUT_SECONDS=0.5)
class SenderRetriesTest(FederationTestCase):
    def run_against(self, mode: str) -> tuple[OutboxMessage, BadParent]:
        [row] = services.messages_enqueue(
            link=self.link, flow=Flow.CITIZEN_REPORTS_DAILY, items=[("k", {"day": "2026-12-01"})]
        )
        with BadParent(mode) as parent:
            self.link.base_url = parent.url
            self.link.save()
            services.deliver_due()
        row.refresh_from_db()
        return row, parent

    def test_a_500_is_retried_later(self):
        row, parent = self.run_against("500")
        self.assertEqual((row.state, row.attempts, parent.server.hits), (OutState.FAILED, 1, 1))
        self.assertIn("HTTP 500", row.last_error)
        self.assertGreater(row.next_attempt_at, timezone.now())
        self.link.refresh_from_db()
        self.assertIn("HTTP 500", self.link.last_error)

    def test_garbage_is_not_an_acknowledgement(self):
        row, _parent = self.run_against("garbage")
        self.assertEqual(row.state, OutState.FAILED)
        self.assertIn("Garbage", row.last_error)

    def test_a_timeout_is_retried(self):
        row, _parent = self.run_against("slow")
        self.assertEqual(row.state, OutState.FAILED)
        self.assertIsNone(row.delivered_at)

    @override_settings(FEDERATION_MAX_ATTEMPTS=3, FEDERATION_BACKOFF_BASE_SECONDS=0)
    def test_attempts_exhausted_make_a_dead_letter(self):
        row, parent = self.run_against("500")
        self.assertEqual((row.state, row.attempts, parent.server.hits), (OutState.DEAD, 3, 3))
        self.assertIn("HTTP 500", DeadLetter.objects.get(message=row).reason)
