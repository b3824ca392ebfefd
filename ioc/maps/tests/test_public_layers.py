"""R6.1 part 6, R7.5: the public layers answer published reports and public sensors only, with no personal data."""

from __future__ import annotations

from django.test import TestCase

from ioc.assignments import services as assignment_services
from ioc.assignments.models import Assignment
from ioc.citizen_reports import services
from ioc.maps.tests.support import CANARY_PHONE, MapWorld, layer_url

PUBLIC_FIELDS = {"id", "lat", "lon", "category_name", "status_label", "published"}


class PublicLayersTest(MapWorld, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pending = cls.report(description=f"Gọi {CANARY_PHONE}")
        cls.held = cls.forward(cls.report())
        cls.published = cls.forward(cls.report(description=f"Nhà tôi, gọi {CANARY_PHONE}"))
        assignment = Assignment.objects.get(pk=cls.published.assignment_id)
        assignment = assignment_services.assignment_accept(assignment=assignment, actor=cls.officer_a)
        assignment_services.assignment_resolve(assignment=assignment, actor=cls.officer_a, resolution="Đã vá")
        cls.published.refresh_from_db()
        services.report_publish(report=cls.published, actor=cls.operator, result=f"Xong, {CANARY_PHONE}")

    def test_it_shows_published_reports_only_without_personal_data(self):
        response = self.client.get(layer_url("citizen_reports", zoom=13, public=True))
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        ids = [f["id"] for f in response.json()["features"]]
        self.assertNotIn(self.pending.tracking_code, ids)
        self.assertNotIn(self.held.tracking_code, ids)  # forwarded, not published
        self.assertEqual(ids, [self.published.tracking_code])
        self.assertEqual(set(response.json()["features"][0]["properties"]), PUBLIC_FIELDS)
        for canary in ("@canary.invalid", "0900000", "Canary"):
            self.assertNotIn(canary, body)

    def test_it_has_no_staff_layer(self):
        self.assertEqual(self.client.get(layer_url("incidents", zoom=13, public=True)).status_code, 404)
        self.assertEqual(self.client.get(layer_url("sensors", zoom=13, public=True)).status_code, 200)
