"""R7.3: the sealer runs as a Huey periodic task every minute."""

import datetime as dt

from django.test import TestCase
from huey.contrib.djhuey import HUEY

from ioc.audit.models import AuditEntry
from ioc.audit.tasks import audit_seal_every_minute
from ioc.audit.tests.support import SealingMixin


class PeriodicTaskTest(SealingMixin, TestCase):
    def test_it_is_scheduled_every_minute(self):
        for minute in (0, 1, 37, 59):
            due = HUEY.read_periodic(dt.datetime(2025, 7, 1, 8, minute))
            self.assertIn(audit_seal_every_minute.task_class, [type(task) for task in due])

    def test_it_seals_pending_entries(self):
        self.record(3)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(audit_seal_every_minute.call_local(), 3)
        self.assertFalse(AuditEntry.objects.filter(position__isnull=True).exists())
