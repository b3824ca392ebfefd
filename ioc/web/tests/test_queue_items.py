"""Issue 20 "Speed" (R7.1): the operator's unfiltered queue kept 2 s per user (ioc/web/queue_items.py) — served
again without reading the sources, a change by someone else shown once the time is past, the user's own change
(any unsafe request) shown at once, filters and other users never served someone else's list, one recomputation
at a time. The clock is the module's `time`, replaced by a fake one: no test waits."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ioc.incidents.tests.support import OTHER_COMMUNE, point_in, unit
from ioc.web import queue_items, selectors
from ioc.web.tests import people
from ioc.web.tests.test_work_queue import QueueCase


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def time(self) -> float:
        return self.now


@override_settings(IOC_QUEUE_CACHE_SECONDS=2)
class KeptQueueTest(QueueCase):
    def setUp(self) -> None:
        super().setUp()
        self.clock = FakeClock()
        swapped = mock.patch.object(queue_items, "time", self.clock)
        swapped.start()
        self.addCleanup(swapped.stop)

    def alert_ids(self, user: Any = None, **filters: Any) -> set[int | None]:
        queue = selectors.work_queue(user=user or self.operator, per_page=1000, **filters)
        return {row.item.object_id for row in queue.rows if row.item.source == "incidents"}

    def test_served_again_without_reading_the_sources(self) -> None:
        first = selectors.work_queue(user=self.operator)
        with CaptureQueriesContext(connection) as queries:
            again = selectors.work_queue(user=self.operator)
        self.assertEqual([r.item for r in again.rows], [r.item for r in first.rows])
        self.assertEqual(again.total, first.total)
        sources = [q["sql"] for q in queries.captured_queries if "incidents_alert" in q["sql"]]
        self.assertEqual(sources, [])

    def test_someone_elses_change_shows_once_the_time_is_past(self) -> None:
        before = self.alert_ids()
        new = self.raise_alert(dedup_key="later", severity=2, kind="env.air_quality", title="Mùi lạ")
        self.assertNotIn(new.pk, self.alert_ids())  # within 2 s: the kept list
        self.clock.now += 2.5
        self.assertEqual(self.alert_ids(), before | {new.pk})

    def test_the_users_own_change_shows_at_once(self) -> None:
        client = people.signed_in(self.operator)
        self.assertIn('data-ioc-alarm="1"', client.get("/").content.decode())
        response = client.post(f"/hang-doi/canh-bao/{self.severe.pk}/da-xem/")
        self.assertEqual(response.status_code, 302)
        self.assertIn('data-ioc-alarm="0"', client.get("/").content.decode())  # the clock has not moved

    def test_any_unsafe_request_of_the_user_leaves_a_new_stamp(self) -> None:
        client = people.signed_in(self.operator)
        client.get("/")
        new = self.raise_alert(dedup_key="mine", severity=2, kind="env.air_quality", title="Khói")
        self.assertNotIn(f"incidents:verify:{new.pk}", client.get("/hang-doi/", {"page": 1}).content.decode())
        stamp = cache.get(queue_items.stamp_key(self.operator.pk))
        client.post("/hang-doi/canh-bao/999999/da-xem/")  # a 404 still counts: the stamp costs one cache write
        self.assertNotEqual(cache.get(queue_items.stamp_key(self.operator.pk)), stamp)
        self.assertIn(f"incidents:verify:{new.pk}", client.get("/hang-doi/", {"page": 1}).content.decode())

    def test_a_list_is_never_kept_under_no_stamp(self) -> None:
        """A stamp evicted from the cache (memory pressure) right after the user's write must not make a list
        read before that write match again."""
        self.alert_ids()
        self.assertIsNotNone(cache.get(queue_items.stamp_key(self.operator.pk)))  # the first read set one
        new = self.raise_alert(dedup_key="evicted", severity=2, kind="env.air_quality", title="Khói")
        queue_items.queue_write_stamp(user_pk=self.operator.pk)  # the user's write ...
        cache.delete(queue_items.stamp_key(self.operator.pk))  # ... whose stamp is then evicted
        self.assertIn(new.pk, self.alert_ids())  # the clock has not moved

    def test_others_requests_leave_no_stamp(self) -> None:
        people.signed_in(self.officer_b).post(f"/hang-doi/canh-bao/{self.severe.pk}/da-xem/")  # not a queue user
        self.client.post("/dang-nhap/", {"username": "x", "password": "y"})  # anonymous
        self.assertIsNone(cache.get(queue_items.stamp_key(self.officer_b.pk)))
        self.assertEqual([k for k in cache._cache if "queue:wrote" in k], [])  # type: ignore[attr-defined]

    def test_filters_and_other_users_are_never_served_a_kept_list(self) -> None:
        selectors.work_queue(user=self.operator)
        new = self.raise_alert(
            dedup_key="there", severity=2, kind="env.air_quality", title="Nước đục", point=point_in(OTHER_COMMUNE)
        )
        self.assertIn(new.pk, self.alert_ids(commune_id=unit(OTHER_COMMUNE).pk))
        self.assertIn(new.pk, self.alert_ids(user=self.leader))
        self.assertNotIn(new.pk, self.alert_ids())

    def test_sorted_by_urgency_at_the_time_of_each_request(self) -> None:
        items = queue_items.queue_items(user=self.operator, now=timezone.now())
        cache.set(
            queue_items.entry_key(self.operator),
            (cache.get(queue_items.stamp_key(self.operator.pk)), self.clock.now, list(reversed(items))),
            10,
        )
        again = queue_items.queue_items(user=self.operator, now=timezone.now())
        self.assertEqual(again, items)

    def test_one_recomputation_at_a_time_the_others_answer_the_previous_list(self) -> None:
        before = self.alert_ids()
        new = self.raise_alert(dedup_key="claim", severity=2, kind="env.air_quality", title="Tiếng ồn")
        self.clock.now += 2.5
        cache.add(f"{queue_items.entry_key(self.operator)}:recompute", 1, 10)  # another request claimed it
        self.assertEqual(self.alert_ids(), before)
        cache.delete(f"{queue_items.entry_key(self.operator)}:recompute")
        self.assertEqual(self.alert_ids(), before | {new.pk})

    def test_off_when_the_setting_is_zero(self) -> None:
        self.alert_ids()
        new = self.raise_alert(dedup_key="off", severity=2, kind="env.air_quality", title="Bụi")
        with override_settings(IOC_QUEUE_CACHE_SECONDS=0):
            self.assertIn(new.pk, self.alert_ids())
