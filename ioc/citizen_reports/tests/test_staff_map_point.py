"""Issue 19: the report page's map reads the point from data attributes written with a dot, in Vietnamese too
(a decimal comma made the script read 20,667 as 20 and drop the pin tens of kilometres from its commune)."""

from __future__ import annotations

import re

from django.test import TestCase
from django.urls import reverse

from ioc.citizen_reports.tests.test_staff_support import StaffMixin


class ReportMapPointTest(StaffMixin, TestCase):
    def test_the_point_is_written_with_a_dot_in_vietnamese_and_english(self) -> None:
        report = self.receive()
        client = self.signed_in(self.operator)
        for language in ("vi", "en"):
            client.cookies["django_language"] = language
            html = client.get(reverse("citizen_reports:staff_report_detail", kwargs={"pk": report.pk})).content
            lat = re.search(rb'data-lat="([^"]*)"', html)
            lon = re.search(rb'data-lon="([^"]*)"', html)
            assert lat and lon, language
            assert float(lat.group(1)) == report.lat and float(lon.group(1)) == report.lon, (lat, lon)
