"""DESIGN "Map hooks": counts in an area, features in a box and the operator's work items, in the user's scope."""

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.citizen_reports import services
from ioc.citizen_reports.models import Report
from ioc.citizen_reports.selectors import (
    citizen_reports_counts_in_area,
    citizen_reports_features,
    citizen_reports_work_items,
)
from ioc.citizen_reports.selectors.maps import _FEATURE_FIELDS, _plain_rows
from ioc.citizen_reports.tests.test_core_support import COMMUNE, OTHER_COMMUNE, CoreMixin, point_in, unit
from ioc.geo.selectors import area_from_circle, area_from_unit, point_ids_in_area


class MapHooksTest(CoreMixin, TestCase):
    def test_it_counts_reports_in_a_commune_exactly(self):
        here = [self.receive(contact=None).report for _i in range(3)]
        self.receive(code=OTHER_COMMUNE, contact=None)
        spam = self.receive(contact=None).report
        services.report_mark_spam(report=spam, actor=self.operator)
        services.report_reject(report=here[0], actor=self.operator, reason="Sai")
        area = area_from_unit(unit(COMMUNE))
        counts = citizen_reports_counts_in_area(user=self.operator, area=area)
        expected_counts = {
            "total": 3,
            "open": 2,
            "by_status": {"received": 2, "rejected": 1},
            "by_category": {"core-road": 3},
        }
        self.assertEqual(counts, expected_counts)
        expected = len(point_ids_in_area(Report.objects.exclude(status="spam"), area))
        self.assertEqual(counts["total"], expected)

    def test_it_tests_points_exactly_in_the_cells_a_small_circle_crosses(self):
        lat, lon = point_in()
        self.receive(lat=lat, lon=lon, contact=None)
        self.receive(lat=lat + 0.0009, lon=lon, contact=None)  # ~100 m north: outside a 50 m circle, same cell
        counts = citizen_reports_counts_in_area(user=self.operator, area=area_from_circle(lat, lon, 50))
        self.assertEqual(counts["total"], 1)

    def test_it_counts_only_what_the_user_may_see(self):
        self.forward(self.receive(contact=None).report)
        self.receive(contact=None)
        area = area_from_unit(unit(COMMUNE))
        self.assertEqual(citizen_reports_counts_in_area(user=self.officer_a, area=area)["total"], 1)
        self.assertEqual(citizen_reports_counts_in_area(user=self.officer_b, area=area)["total"], 0)

    def test_it_lists_features_in_a_box_for_the_users_scope(self):
        held = self.forward(self.receive(contact=None).report)
        self.receive(contact=None)
        lat, lon = point_in()
        box = (lat - 0.05, lon - 0.05, lat + 0.05, lon + 0.05)
        features = citizen_reports_features(user=self.operator, bbox=box, zoom=14, limit=10)
        self.assertEqual(len(features), 2)
        self.assertEqual(set(features[0]) >= {"id", "lat", "lon", "status", "category"}, True)
        mine = citizen_reports_features(user=self.officer_a, bbox=box, zoom=14, limit=10)
        self.assertEqual([f["id"] for f in mine], [held.pk])
        self.assertEqual(mine[0]["category"], "core-road")
        self.assertEqual(citizen_reports_features(user=self.officer_b, bbox=box, zoom=14, limit=10), [])
        self.assertEqual(len(citizen_reports_features(user=self.operator, bbox=box, zoom=14, limit=1)), 1)

    def test_feature_rows_are_the_querysets_own_values(self):
        """Issue 20: the features' rows are read without the ORM's converters; the values stay the queryset's (aware
        datetimes with and without microseconds, a missing deadline, an overdue one)."""
        late = self.forward(self.receive(contact=None).report)
        whole = self.receive(contact=None).report
        Report.objects.filter(pk=late.pk).update(deadline_at=timezone.now() - dt.timedelta(hours=1))
        Report.objects.filter(pk=whole.pk).update(received_at=dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC))
        rows = Report.objects.order_by("-received_at", "-pk").values_list(*_FEATURE_FIELDS)
        plain = _plain_rows(rows)
        self.assertEqual(plain, list(rows))
        self.assertEqual([type(v) for v in plain[0]], [type(v) for v in rows[0]])
        lat, lon = point_in()
        box = (lat - 0.05, lon - 0.05, lat + 0.05, lon + 0.05)
        features = {f["id"]: f for f in citizen_reports_features(user=self.operator, bbox=box, zoom=14, limit=10)}
        self.assertTrue(features[late.pk]["overdue"])
        self.assertFalse(features[whole.pk]["overdue"])
        self.assertEqual(features[whole.pk]["received_at"], "2026-03-01T08:00:00+00:00")

    def test_it_gives_operators_and_leaders_their_work_items(self):
        received = self.receive(contact=None).report
        awaiting = self.receive(category=self.sensitive, contact=None).report
        services.report_verify(report=awaiting, actor=self.operator)
        resolved = self.resolve(self.forward(self.receive(contact=None).report))
        unplaced = self.receive(lat=None, lon=None, address="Gần chợ", contact=None).report
        operator_items = {(i.kind, i.object_id) for i in citizen_reports_work_items(user=self.operator)}
        self.assertEqual(operator_items, {("verify", received.pk), ("publish", resolved.pk), ("locate", unplaced.pk)})
        leader_items = {(i.kind, i.object_id) for i in citizen_reports_work_items(user=self.leader)}
        self.assertIn(("approve", awaiting.pk), leader_items)
        self.assertEqual(citizen_reports_work_items(user=self.officer_a), [])
        item = next(i for i in citizen_reports_work_items(user=self.operator) if i.kind == "verify")
        self.assertIn(received.tracking_code, str(item))
        self.assertTrue(item.url)

    def test_work_items_statements_compiled_once_bind_each_filter(self):
        """Issue 20 "Speed": each kind's statement is compiled once per filter shape; the agency and commune of
        each call are bound into it, and the rows are converted as the queryset's."""
        from ioc.common.rawread import Compiled
        from ioc.common.workitems import WorkFilter

        received = self.receive(contact=None).report
        forwarded = self.forward(self.receive(contact=None).report)
        resolved = self.resolve(self.forward(self.receive(contact=None).report))
        every = {i.object_id: i for i in citizen_reports_work_items(user=self.operator)}
        self.assertEqual(set(every), {received.pk, resolved.pk})
        stored = Report.objects.get(pk=resolved.pk)
        self.assertEqual(every[resolved.pk].at, stored.received_at)  # aware, as the ORM converts it
        self.assertEqual(every[resolved.pk].agency_id, stored.agency_id)
        for agency_id, unit_id in (
            (stored.agency_id, None),
            (None, received.unit_id),
            (stored.agency_id, stored.unit_id),
        ):
            where = WorkFilter(agency_id=agency_id, commune_id=unit_id)
            expected = {pk for pk, item in every.items() if where.admits(item)}
            found = {i.object_id for i in citizen_reports_work_items(user=self.operator, where=where)}
            self.assertEqual(found, expected, where)
        with self.assertRaisesMessage(ValueError, "each slot must appear once"):  # a slot the queryset never uses
            Compiled(Report, lambda unit: Report.objects.values_list("pk"), "unit").rows(unit=received.unit_id)
        other = WorkFilter(agency_id=self.agency_b.pk)
        self.assertEqual(citizen_reports_work_items(user=self.operator, where=other), [])
        self.assertNotIn(forwarded.pk, every)
