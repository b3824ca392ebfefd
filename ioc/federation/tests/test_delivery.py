"""R9.3: delivery through the real receiving view: each message applied exactly once under duplicate delivery
and lost leases; a later version never overwritten by an earlier one delivered late; a refused message becomes a
dead letter alone, and a replayed dead letter is delivered."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from ioc.federation import services
from ioc.federation.choices import Flow, InState, OutState
from ioc.federation.models import DeadLetter, InboxMessage, OutboxMessage, ReceivedRecord
from ioc.federation.services.sender import batch_claim, post_batch
from ioc.federation.tests.base import FederationTestCase, body_of, client_transport, message, signed_meta


def summary(day: str, received: int) -> dict[str, object]:
    return {"day": day, "communes": [], "received": received}


@override_settings(FEDERATION_BACKOFF_BASE_SECONDS=0)
class DeliveryTest(FederationTestCase):
    def enqueue(self, key: str, received: int, flow: str = Flow.CITIZEN_REPORTS_DAILY) -> OutboxMessage:
        [row] = services.messages_enqueue(link=self.link, flow=flow, items=[(key, summary("2026-12-01", received))])
        return row

    def test_each_message_is_applied_once_and_acknowledged(self):
        for n in range(5):
            self.enqueue(f"citizen_reports.daily:2026-11-{n + 10}", n)
        self.assertEqual(services.deliver_due(transport=client_transport(self.client)), 5)
        self.assertEqual(set(OutboxMessage.objects.values_list("state", flat=True)), {OutState.DELIVERED})
        self.assertEqual(InboxMessage.objects.filter(state=InState.APPLIED).count(), 5)
        self.assertEqual(ReceivedRecord.objects.count(), 5)
        self.link.refresh_from_db()
        self.assertIsNotNone(self.link.last_success_at)

    def test_an_unchanged_object_is_not_sent_again(self):
        self.enqueue("citizen_reports.daily:2026-12-01", 3)
        again = services.messages_enqueue(
            link=self.link,
            flow=Flow.CITIZEN_REPORTS_DAILY,
            items=[("citizen_reports.daily:2026-12-01", summary("2026-12-01", 3))],
        )
        self.assertEqual(again, [])
        self.assertEqual(self.enqueue("citizen_reports.daily:2026-12-01", 4).version, 2)

    def test_a_lost_lease_is_sent_again_and_applied_once(self):
        """The sender dies after the receiver applied the batch, before it settled: the lease expires, the sweeper
        takes the rows again, the receiver answers "duplicate"; nothing is applied twice."""
        row = self.enqueue("citizen_reports.daily:2026-12-01", 3)
        _token, rows = batch_claim(link=self.link, limit=10)
        outcome = post_batch(self.link, rows, str(uuid.uuid4()), client_transport(self.client))
        self.assertEqual(outcome.acked, {str(row.message_id): "applied"})
        OutboxMessage.objects.filter(pk=row.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
        self.assertEqual(services.deliver_due(transport=client_transport(self.client)), 1)
        row.refresh_from_db()
        self.assertEqual((row.state, row.result, row.attempts), (OutState.DELIVERED, "duplicate", 2))
        self.assertEqual(InboxMessage.objects.count(), 1)

    def test_a_claimed_row_with_a_live_lease_is_not_taken_twice(self):
        self.enqueue("citizen_reports.daily:2026-12-01", 3)
        _token, first = batch_claim(link=self.link, limit=10)
        _token2, second = batch_claim(link=self.link, limit=10)
        self.assertEqual((len(first), len(second)), (1, 0))

    def test_a_late_earlier_version_never_overwrites_a_later_one(self):
        key = "citizen_reports.daily:2026-12-01"
        v1 = message(Flow.CITIZEN_REPORTS_DAILY, key, 1, summary("2026-12-01", 1))
        v2 = message(Flow.CITIZEN_REPORTS_DAILY, key, 2, summary("2026-12-01", 2))
        for item in (v2, v1):  # reordered delivery
            body = body_of(item)
            self.assertEqual(self.post(body, **signed_meta(body)).status_code, 200)
        record = ReceivedRecord.objects.get(object_key=key)
        self.assertEqual((record.version, record.data["received"]), (2, 2))
        states = dict(InboxMessage.objects.values_list("version", "state"))
        self.assertEqual(states, {2: InState.APPLIED, 1: InState.SUPERSEDED})

    def test_versions_in_one_batch_out_of_order(self):
        key = "citizen_reports.daily:2026-12-02"
        items = [message(Flow.CITIZEN_REPORTS_DAILY, key, v, summary("2026-12-02", v)) for v in (3, 1, 2)]
        body = body_of(*items)
        results = self.post(body, **signed_meta(body)).json()["results"]
        self.assertEqual([r["status"] for r in results], ["applied", "superseded", "superseded"])
        self.assertEqual(ReceivedRecord.objects.get(object_key=key).data["received"], 3)

    def test_a_duplicate_message_in_a_new_delivery_is_acknowledged_not_applied(self):
        item = message(Flow.CITIZEN_REPORTS_DAILY, "k", 1, summary("2026-12-01", 1))
        body = body_of(item)
        first = self.post(body, **signed_meta(body)).json()["results"][0]["status"]
        second = self.post(body, **signed_meta(body)).json()["results"][0]["status"]
        self.assertEqual((first, second), ("applied", "duplicate"))
        self.assertEqual(InboxMessage.objects.count(), 1)

    def test_a_refused_message_is_dead_lettered_alone(self):
        good = self.enqueue("citizen_reports.daily:2026-12-01", 3)
        [bad] = services.messages_enqueue(
            link=self.link, flow=Flow.CITIZEN_REPORTS_DAILY, items=[("bad", {"day": "not a day"})]
        )
        services.deliver_due(transport=client_transport(self.client))
        good.refresh_from_db()
        bad.refresh_from_db()
        self.assertEqual((good.state, bad.state), (OutState.DELIVERED, OutState.DEAD))
        letter = DeadLetter.objects.get()
        self.assertEqual(letter.message, bad)
        self.assertIn("422", letter.reason)
        self.assertIn("messages[0].payload.day", letter.reason)

    def test_a_dead_letter_is_replayed_by_an_operator(self):
        row = self.enqueue("citizen_reports.daily:2026-12-01", 3)
        link = self.link
        link.base_url = ""
        link.save()
        with override_settings(FEDERATION_MAX_ATTEMPTS=2):
            services.deliver_due()
            services.deliver_due()
        row.refresh_from_db()
        self.assertEqual((row.state, row.attempts), (OutState.DEAD, 2))
        letter = DeadLetter.objects.get()
        link.base_url = "http://127.0.0.1:9"
        link.save()
        services.dead_letter_replay(actor=self.operator, dead_letter=letter)
        services.deliver_due(transport=client_transport(self.client))
        row.refresh_from_db()
        self.assertEqual(row.state, OutState.DELIVERED)
        letter.refresh_from_db()
        self.assertEqual(letter.replayed_by, self.operator)

    def test_a_dead_letter_is_replayed_once(self):
        row = self.enqueue("k", 1)
        OutboxMessage.objects.filter(pk=row.pk).update(state=OutState.DEAD)
        letter = DeadLetter.objects.create(message=row, reason="x")
        services.dead_letter_replay(actor=self.operator, dead_letter=letter)
        with self.assertRaises(ValidationError):
            services.dead_letter_replay(actor=self.operator, dead_letter=letter)

    def test_an_officer_may_not_replay(self):
        row = self.enqueue("k", 1)
        OutboxMessage.objects.filter(pk=row.pk).update(state=OutState.DEAD)
        letter = DeadLetter.objects.create(message=row, reason="x")
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            services.dead_letter_replay(actor=self.officer_a, dead_letter=letter)
        row.refresh_from_db()
        self.assertEqual(row.state, OutState.DEAD)
