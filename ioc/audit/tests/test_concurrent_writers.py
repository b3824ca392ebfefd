"""R7.3: writers insert while two sealers run: no duplicate positions, no gaps, and the chain verifies."""

import threading
import time
from functools import partial
from typing import Any

from django.db import transaction
from django.test import TransactionTestCase

from ioc.audit.models import AuditEntry
from ioc.audit.selectors import audit_verify
from ioc.audit.services import audit_record, audit_seal, audit_seal_backlog
from ioc.audit.tests.support import AnchorFileMixin, shared_database

WRITERS = 3
PER_WRITER = 40
SEALERS = 2


class ConcurrentWritersTest(AnchorFileMixin, TransactionTestCase):
    def test_it_chains_every_entry_once_while_writers_and_two_sealers_race(self):
        barrier = threading.Barrier(WRITERS + SEALERS, timeout=60)
        writers_done = threading.Event()
        outcome: dict[str, Any] = {}

        def writer(number: int) -> None:
            barrier.wait()
            for i in range(PER_WRITER):
                with transaction.atomic():
                    audit_record(
                        actor=None, action="thing.update", object_type="tests.thing", object_id=f"{number}-{i}"
                    )

        def sealer() -> None:
            barrier.wait()
            while not writers_done.is_set():
                audit_seal(limit=7)
                time.sleep(0.001)  # yield the write lock; correctness never depends on it
            audit_seal_backlog()

        def check() -> None:
            audit_seal_backlog()
            outcome["positions"] = sorted(AuditEntry.objects.values_list("position", flat=True))
            outcome["objects"] = set(AuditEntry.objects.values_list("object_id", flat=True))
            outcome["verify"] = audit_verify()

        with shared_database() as db:
            sealers = [db.start(sealer) for _ in range(SEALERS)]
            writers = [db.start(partial(writer, n)) for n in range(WRITERS)]
            self._join(writers)
            writers_done.set()
            self._join(sealers)
            self._join([db.start(check)])

        total = WRITERS * PER_WRITER
        self.assertEqual(outcome["positions"], list(range(1, total + 1)))
        self.assertEqual(len(outcome["objects"]), total)
        self.assertTrue(outcome["verify"].ok, outcome["verify"].message)
        self.assertEqual(outcome["verify"].anchor_position, total)

    def _join(self, threads: list[threading.Thread]) -> None:
        for thread in threads:
            thread.join(timeout=120)
            self.assertFalse(thread.is_alive(), "a thread did not finish")
