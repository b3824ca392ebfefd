"""R5.3 (issue 23: the PostgreSQL push that stored 468 of 1,060): a dossier's receipt and a later event of it,
pushed at the same moment by two requests, end with both stored — never the event held for a receipt that is
already stored. Two threads, each with its own connection to one shared database: the first request stays open
(uncommitted) until the second has finished or is seen waiting for the first's lock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.test import TransactionTestCase

from ioc.accounts.testing import PersonaSet, personas_create
from ioc.audit.testing import AnchorFileMixin, shared_database
from ioc.dossiers.choices import HeldState
from ioc.dossiers.models import DossierEvent, HeldEvent
from ioc.dossiers.services import dossier_event_receive
from ioc.dossiers.tests.helpers import event, local, procedure_create, receipt

DEADLINE = 60.0  # seconds: a thread that has not got there by then is a failure, not a wait


def _until_done_or_waiting(done: threading.Event) -> None:
    """Hold the open transaction until the other request has finished or waits for one of our locks. SQLite
    cannot show the wait (its second writer waits in BEGIN IMMEDIATE behind our write lock until we commit): a
    short pause there, which the second request cannot use to get ahead."""
    if connection.vendor != "postgresql":
        done.wait(timeout=2)
        return
    sql = (
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    deadline = time.monotonic() + DEADLINE
    while not done.is_set():
        with connection.cursor() as cursor:
            cursor.execute(sql)
            if cursor.fetchone()[0]:
                return
        if time.monotonic() > deadline:
            raise AssertionError("the second request neither finished nor waited")
        time.sleep(0.01)


class ConcurrentIntakeTest(AnchorFileMixin, TransactionTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.people: PersonaSet = personas_create()
        procedure_create(self.people.admin)

    def push(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        return dict(dossier_event_receive(agency=self.people.agency_a, rows=rows, actor=self.people.system_account))

    def race(self, first: list[dict[str, Any]], second: list[dict[str, Any]]) -> dict[str, Any]:
        """`first` pushed in a transaction left open until `second`'s push has finished or waits for it; then
        what was stored of the dossier "CC-1"."""
        first_in, second_done = threading.Event(), threading.Event()
        answers: dict[str, Any] = {}

        def open_first() -> None:
            with transaction.atomic():
                answers["first"] = self.push(first)
                first_in.set()
                _until_done_or_waiting(second_done)

        def then_second() -> None:
            self.assertTrue(first_in.wait(timeout=DEADLINE))
            answers["second"] = self.push(second)
            second_done.set()

        def read() -> None:
            stored = DossierEvent.objects.filter(dossier__code="CC-1")
            answers["stored"] = sorted(stored.values_list("source_event_id", flat=True))
            answers["held"] = sorted(HeldEvent.objects.values_list("source_event_id", "state"))

        with shared_database() as db:
            self._run(db, [open_first, then_second])
            self._run(db, [read])
        return answers

    def _run(self, db: Any, functions: list[Callable[[], None]]) -> None:
        threads = [db.start(fn) for fn in functions]
        for thread in threads:
            thread.join(timeout=2 * DEADLINE)
            self.assertFalse(thread.is_alive(), "a request did not finish")

    def test_an_event_held_beside_its_receipt_is_placed(self) -> None:
        day = "2026-03-02"
        transfer = event("CC-1", "transfer", local(day, 9), "CC-1-1", step="tiep-nhan", assignee="cb-1")
        answers = self.race([transfer], [receipt("CC-1", local(day, 8), event_id="CC-1-0")])
        self.assertEqual(answers["first"]["rejected"], 1)  # held: the receipt was not stored yet
        self.assertEqual(answers["second"]["imported"], 1, answers["second"])
        self.assertEqual(answers["stored"], ["CC-1-0", "CC-1-1"])
        self.assertEqual(answers["held"], [("CC-1-1", HeldState.PLACED)])

    def test_an_event_pushed_beside_its_receipt_is_stored(self) -> None:
        day = "2026-03-02"
        transfer = event("CC-1", "transfer", local(day, 9), "CC-1-1", step="tiep-nhan", assignee="cb-1")
        answers = self.race([receipt("CC-1", local(day, 8), event_id="CC-1-0")], [transfer])
        self.assertEqual(answers["first"]["imported"], 1, answers["first"])
        self.assertEqual(answers["stored"], ["CC-1-0", "CC-1-1"])
        self.assertEqual(answers["held"], [])  # it waited for the receipt's commit, then found the dossier
        self.assertEqual(answers["second"]["imported"], 1, answers["second"])
