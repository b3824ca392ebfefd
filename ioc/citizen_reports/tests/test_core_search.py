"""Staff search is diacritics-insensitive (DESIGN "Conventions"): "ho guom" finds "Hồ Gươm"."""

from django.test import TestCase

from ioc.citizen_reports import selectors
from ioc.citizen_reports.tests.test_core_support import CoreMixin


class ReportSearchTest(CoreMixin, TestCase):
    def test_it_finds_a_report_without_its_accents(self):
        found = self.receive(description="Ổ gà lớn gần hồ Gươm, đường Đinh Tiên Hoàng").report
        other = self.receive(description="Đèn đường không sáng").report
        results = selectors.report_list_for(user=self.operator, filters={"q": "ho guom"})
        self.assertEqual(list(results.values_list("pk", flat=True)), [found.pk])
        self.assertNotIn(other.pk, list(selectors.report_list_for(user=self.operator, filters={"q": "dinh tien"})))

    def test_it_equates_tone_mark_placements_and_matches_the_address(self):
        report = self.receive(description="Cây đổ chắn lối đi", address="Thôn Hoà Bình").report
        results = selectors.report_list_for(user=self.operator, filters={"q": "Hòa Bình"})
        self.assertEqual(list(results.values_list("pk", flat=True)), [report.pk])

    def test_it_still_finds_a_report_by_its_tracking_code(self):
        report = self.receive().report
        results = selectors.report_list_for(user=self.operator, filters={"q": report.tracking_code.lower()})
        self.assertEqual(list(results.values_list("pk", flat=True)), [report.pk])
