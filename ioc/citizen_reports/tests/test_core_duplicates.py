"""R3.3, R3.4: duplicate suggestions (radius, days, same reporter) and linking; the duplicate's reporter follows
the original."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.test import TestCase

from ioc.citizen_reports import services
from ioc.citizen_reports.models import Report
from ioc.citizen_reports.selectors import report_duplicate_candidates
from ioc.citizen_reports.tests.test_core_support import OTHER_COMMUNE, CoreMixin, contact, point_in


def _moved(lat, lon, metres_north):
    return lat + metres_north / 111_000.0, lon


class DuplicateCandidatesTest(CoreMixin, TestCase):
    def test_it_suggests_open_reports_of_the_same_category_nearby_nearest_first(self):
        lat, lon = point_in()
        original = self.receive(lat=lat, lon=lon, contact=None).report
        near = self.receive(lat=_moved(lat, lon, 80)[0], lon=lon, contact=None).report
        far = self.receive(lat=_moved(lat, lon, 400)[0], lon=lon, contact=None).report
        other_category = self.receive(category=self.sensitive, lat=lat, lon=lon, contact=None).report
        candidates = report_duplicate_candidates(report=original)
        self.assertEqual([c.report for c in candidates], [near])
        self.assertAlmostEqual(candidates[0].distance_m, 80, delta=2)
        self.assertFalse(candidates[0].same_reporter)
        self.assertNotIn(far, [c.report for c in candidates])
        self.assertNotIn(other_category, [c.report for c in candidates])

    def test_it_honours_the_categorys_radius_and_days(self):
        lat, lon = point_in()
        services.category_update(category=self.road, actor=self.leader, duplicate_radius_m=500, duplicate_days=3)
        original = self.receive(lat=lat, lon=lon, contact=None).report
        wider = self.receive(lat=_moved(lat, lon, 400)[0], lon=lon, contact=None).report
        old = self.receive(lat=lat, lon=lon, contact=None).report
        Report.objects.filter(pk=old.pk).update(received_at=original.received_at - dt.timedelta(days=4))
        self.assertEqual([c.report for c in report_duplicate_candidates(report=original)], [wider])

    def test_it_leaves_out_closed_reports_and_duplicates(self):
        lat, lon = point_in()
        original = self.receive(lat=lat, lon=lon, contact=None).report
        rejected = self.receive(lat=lat, lon=lon, contact=None).report
        services.report_reject(report=rejected, actor=self.operator, reason="Sai")
        dup = self.receive(lat=lat, lon=lon, contact=None).report
        services.report_mark_duplicate(report=dup, original=original, actor=self.operator)
        self.assertEqual(report_duplicate_candidates(report=original), [])

    def test_it_suggests_reports_from_the_same_phone_or_e_mail_anywhere(self):
        mine = self.receive(contact=contact(phone="0912 345 678", email="")).report
        elsewhere = self.receive(code=OTHER_COMMUNE, contact=contact(phone="+84912345678", email="")).report
        stranger = self.receive(code=OTHER_COMMUNE, contact=contact(phone="0987654321", email="")).report
        candidates = report_duplicate_candidates(report=mine)
        found = {c.report: c for c in candidates}
        self.assertIn(elsewhere, found)
        self.assertTrue(found[elsewhere].same_reporter)
        self.assertNotIn(stranger, found)


class MarkDuplicateTest(CoreMixin, TestCase):
    def test_it_links_the_duplicate_and_its_reporter_follows_the_original_to_publication(self):
        original = self.receive(contact=contact(email="first@canary.invalid", phone="")).report
        dup = self.receive(contact=contact(email="second@canary.invalid", phone="")).report
        services.report_mark_duplicate(report=dup, original=original, actor=self.operator)
        dup.refresh_from_db()
        self.assertEqual((dup.status, dup.duplicate_of), ("duplicate", original))
        self.assertIsNotNone(dup.closed_at)
        told = self.outbox_for("second@canary.invalid", "citizen_reports.duplicate")
        self.assertEqual(len(told), 1)
        self.assertIn(original.tracking_code, told[0].body)

        self.publish(self.resolve(self.forward(original)))
        for event in ["citizen_reports.forwarded", "citizen_reports.resolved", "citizen_reports.published"]:
            with self.subTest(event=event):
                self.assertEqual(len(self.outbox_for("first@canary.invalid", event)), 1)
                mails = self.outbox_for("second@canary.invalid", event)
                self.assertEqual(len(mails), 1)
                self.assertIn(original.tracking_code, mails[0].body)
                self.assertIn(dup.tracking_code, mails[0].body)

    def test_it_refuses_an_original_that_is_itself_a_duplicate_spam_rejected_or_the_same_report(self):
        first = self.receive(contact=None).report
        second = self.receive(contact=None).report
        services.report_mark_duplicate(report=second, original=first, actor=self.operator)
        spam = self.receive(contact=None).report
        services.report_mark_spam(report=spam, actor=self.operator)
        third = self.receive(contact=None).report
        for original in [second, spam, third]:
            with self.subTest(original=original.status):
                before = self.snapshot(third)
                with self.assertRaises(ValidationError) as caught:
                    services.report_mark_duplicate(report=third, original=original, actor=self.operator)
                self.assertIn("original", caught.exception.message_dict)
                self.assertEqual(self.snapshot(third), before)

    def test_it_moves_the_duplicates_of_a_report_that_becomes_a_duplicate(self):
        a, b, c = (self.receive(contact=None).report for _i in range(3))
        services.report_mark_duplicate(report=c, original=b, actor=self.operator)
        services.report_mark_duplicate(report=b, original=a, actor=self.operator)
        c.refresh_from_db()
        self.assertEqual(c.duplicate_of, a)

    def test_it_refuses_to_mark_a_forwarded_report_as_duplicate(self):
        original = self.receive(contact=None).report
        forwarded = self.forward(self.receive(contact=None).report)
        with self.assertRaises(ValidationError):
            services.report_mark_duplicate(report=forwarded, original=original, actor=self.operator)
