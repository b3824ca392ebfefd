"""R7.1 (issue 20): the one work-item shape and its urgency order (overdue → at risk → new severe alerts → the
rest, each oldest first)."""

import datetime as dt
from typing import Any

from django.test import SimpleTestCase

from ioc.common.workitems import (
    URGENCY_AT_RISK,
    URGENCY_OTHER,
    URGENCY_OVERDUE,
    URGENCY_SEVERE,
    WorkItem,
    urgency_key,
)

NOW = dt.datetime(2026, 4, 20, 22, 0, tzinfo=dt.UTC)


def item(title: str, **fields: Any) -> WorkItem:
    fields.setdefault("source", "x")
    fields.setdefault("kind", "k")
    return WorkItem(title=title, url="/", **fields)


class UrgencyTest(SimpleTestCase):
    def test_each_band(self) -> None:
        self.assertEqual(item("a", state="overdue").urgency(NOW), URGENCY_OVERDUE)
        self.assertEqual(item("b", due_at=NOW - dt.timedelta(minutes=1)).urgency(NOW), URGENCY_OVERDUE)
        self.assertEqual(item("c", state="at_risk", due_at=NOW + dt.timedelta(hours=1)).urgency(NOW), URGENCY_AT_RISK)
        self.assertEqual(item("d", kind="verify", severity=4).urgency(NOW), URGENCY_SEVERE)
        self.assertEqual(item("e", kind="verify", severity=3).urgency(NOW), URGENCY_OTHER)
        self.assertEqual(item("f", kind="forward", severity=5).urgency(NOW), URGENCY_OTHER)  # not a new alert

    def test_the_order_of_a_mixed_queue(self) -> None:
        hour = dt.timedelta(hours=1)
        items = [
            item("old report", at=NOW - 5 * hour),
            item("new report", at=NOW - hour),
            item("alert 4", kind="verify", severity=4, at=NOW - 3 * hour),
            item("alert 5", kind="verify", severity=5, at=NOW - hour),
            item("at risk", state="at_risk", at=NOW - 9 * hour, due_at=NOW + hour),
            item("late, due later", state="overdue", at=NOW - 9 * hour, due_at=NOW - hour),
            item("late, due first", state="overdue", at=NOW - 2 * hour, due_at=NOW - 2 * hour),
            item("no time"),
        ]
        ordered = [i.title for i in sorted(items, key=lambda i: urgency_key(i, NOW))]
        expected = [
            "late, due first",
            "late, due later",
            "at risk",
            "alert 5",
            "alert 4",
            "old report",
            "new report",
            "no time",
        ]
        self.assertEqual(ordered, expected)

    def test_it_reads_as_a_mapping_and_prints_its_title(self) -> None:
        one = item("Xác minh PA-1", at=NOW - dt.timedelta(minutes=30), code="PA-1")
        self.assertEqual(one["code"], "PA-1")
        self.assertEqual(str(one), "Xác minh PA-1")
        self.assertEqual(one.age(NOW), dt.timedelta(minutes=30))
        with self.assertRaises(KeyError):
            one["nothing"]
