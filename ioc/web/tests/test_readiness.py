"""/readyz checks the database, pending migrations, the worker's heartbeat and the outbox (R10.1)."""

from datetime import timedelta

from django.test import Client, TestCase, override_settings
from django.utils import timezone

from ioc.notifications.models import Outbox
from ioc.notifications.services import Address, notification_enqueue, register_template
from ioc.web.models import WorkerHeartbeat
from ioc.web.services import worker_heartbeat_record
from ioc.web.tasks import worker_heartbeat_tick


class ReadinessTest(TestCase):
    def _undelivered(self, *, waited: timedelta) -> None:
        register_template("web.readiness_test", "Kiểm tra {{ n }}", "Nội dung {{ n }}")
        rows = notification_enqueue(
            event="web.readiness_test",
            recipients=[Address(channel="email", address="truc-ban@canary.invalid")],
            template="web.readiness_test",
            context={"n": 1},
            dedup_key="web-readiness-test",
        )
        # The row has waited `waited` for a sender that never came (the time is set, not slept).
        Outbox.objects.filter(pk__in=[r.pk for r in rows]).update(due_at=timezone.now() - waited)

    @override_settings(READY_OUTBOX_MAX_AGE_SECONDS=900)
    def test_it_answers_503_naming_the_outbox_when_a_message_waits_too_long(self):
        worker_heartbeat_record()
        self._undelivered(waited=timedelta(seconds=901))
        response = Client().get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["failing"], ["outbox"])

    @override_settings(READY_OUTBOX_MAX_AGE_SECONDS=900)
    def test_it_stays_ready_while_the_oldest_message_is_young(self):
        worker_heartbeat_record()
        self._undelivered(waited=timedelta(seconds=30))
        response = Client().get("/readyz")
        self.assertEqual(response.status_code, 200)
        self.assertIn("oldest undelivered", response.json()["checks"]["outbox"]["detail"])

    def test_it_answers_200_with_every_check_when_all_is_well(self):
        worker_heartbeat_record()
        response = Client().get("/readyz")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["status"], "ok")
        self.assertEqual(body["failing"], [])
        self.assertEqual(set(body["checks"]), {"database", "migrations", "worker", "outbox"})
        self.assertTrue(all(check["ok"] for check in body["checks"].values()))

    def test_it_answers_503_naming_the_worker_when_no_heartbeat_was_ever_written(self):
        response = Client().get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["failing"], ["worker"])

    @override_settings(READY_WORKER_HEARTBEAT_SECONDS=120)
    def test_it_answers_503_naming_the_worker_when_the_heartbeat_is_stale(self):
        worker_heartbeat_record()
        WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(seconds=121))
        response = Client().get("/readyz")
        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual(body["failing"], ["worker"])
        self.assertFalse(body["checks"]["worker"]["ok"])
        self.assertTrue(body["checks"]["database"]["ok"])

    def test_it_counts_a_beat_from_the_periodic_task(self):
        worker_heartbeat_tick.call_local()
        self.assertEqual(Client().get("/readyz").status_code, 200)

    def test_it_reports_no_pending_migration_on_a_migrated_database(self):
        body = Client().get("/readyz").json()
        self.assertEqual(body["checks"]["migrations"], {"ok": True, "detail": "0 pending"})
