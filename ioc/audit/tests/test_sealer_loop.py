"""R7.3: `manage.py audit_sealer --interval 5` seals every few seconds until told to stop."""

import signal
import threading
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TransactionTestCase

from ioc.audit.models import AuditEntry
from ioc.audit.sealer import sealer_loop
from ioc.audit.services import audit_record
from ioc.audit.tests.support import AnchorFileMixin


class SealerLoopTest(AnchorFileMixin, TransactionTestCase):
    def test_it_seals_each_round_until_the_round_limit(self):
        for i in range(3):
            audit_record(actor=None, action="thing.update", object_id=str(i))
        rounds = sealer_loop(stop=threading.Event(), interval=0.001, max_rounds=2)
        self.assertEqual(rounds, 2)
        self.assertEqual(sorted(AuditEntry.objects.values_list("position", flat=True)), [1, 2, 3])

    def test_it_stops_at_once_when_asked_before_a_round(self):
        stop = threading.Event()
        stop.set()
        self.assertEqual(sealer_loop(stop=stop, interval=60), 0)

    def test_the_command_seals_and_restores_the_signal_handlers(self):
        audit_record(actor=None, action="thing.update")
        before = signal.getsignal(signal.SIGTERM)
        out = StringIO()
        call_command("audit_sealer", "--interval", "0.01", "--max-rounds", "1", stdout=out)
        self.assertIn("Audit sealer started", out.getvalue())
        self.assertIn("Audit sealer stopped after 1 rounds", out.getvalue())
        self.assertEqual(AuditEntry.objects.get().position, 1)
        self.assertIs(signal.getsignal(signal.SIGTERM), before)

    def test_the_command_refuses_a_bad_interval(self):
        for value in ("0", "-5", "4000"):
            with self.assertRaises(CommandError):
                call_command("audit_sealer", "--interval", value, stdout=StringIO())
