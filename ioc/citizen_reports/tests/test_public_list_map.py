"""R3.4: the public list (/phan-anh/cong-khai/) and map (/phan-anh/ban-do/) of published reports, their
filters, the map's GeoJSON, public photos, and the list's locked query count."""

from __future__ import annotations

import json

from django.test import TestCase
from django.utils import timezone

from ioc.citizen_reports import services
from ioc.citizen_reports.models import ReportPhoto
from ioc.citizen_reports.tests.test_public_support import (
    COMMUNE_CODE,
    OTHER_COMMUNE_CODE,
    PublicPagesMixin,
)

LIST = "/phan-anh/cong-khai/"
MAP = "/phan-anh/ban-do/"
DATA = "/phan-anh/ban-do/du-lieu.geojson"


class PublicListTest(PublicPagesMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.published = cls.publish_one("Đèn đường hỏng ở ngã tư", COMMUNE_CODE)
        cls.other = cls.publish_one("Rác ùn ứ cạnh chợ", OTHER_COMMUNE_CODE, category=cls.other_category)
        cls.pending = cls.receive(description="Chưa xử lý: cây đổ").report

    @classmethod
    def publish_one(cls, description, code, category=None):
        received = cls.receive(description=description, commune_code=code, category=category)
        return cls.publish(received.report, result=f"Đã xử lý: {description}")

    def test_it_lists_published_reports_only_with_the_agencys_answer_and_public_photos(self):
        response = self.client.get(LIST)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn(self.published.tracking_code, html)
        self.assertIn(self.other.tracking_code, html)
        self.assertNotIn(self.pending.tracking_code, html)
        self.assertIn("Đã xử lý: Đèn đường hỏng", html)
        self.assertIn(self.agency_a.name, html)
        public = ReportPhoto.objects.filter(report=self.published, is_public=True)
        self.assertTrue(public.exists())
        for photo in public:
            self.assertIn(f"/phan-anh/anh/{photo.pk}/", html)

    def test_it_filters_by_category_commune_and_period(self):
        by_category = self.client.get(LIST, {"category": self.other_category.code}).content.decode()
        self.assertIn(self.other.tracking_code, by_category)
        self.assertNotIn(self.published.tracking_code, by_category)
        by_unit = self.client.get(LIST, {"unit": COMMUNE_CODE}).content.decode()
        self.assertIn(self.published.tracking_code, by_unit)
        self.assertNotIn(self.other.tracking_code, by_unit)
        year = timezone.localdate().year
        this_year = self.client.get(LIST, {"period": str(year)}).content.decode()
        self.assertIn(self.published.tracking_code, this_year)
        last_year = self.client.get(LIST, {"period": str(year - 1)}).content.decode()
        self.assertNotIn(self.published.tracking_code, last_year)

    def test_it_names_a_bad_filter(self):
        for params, field in (
            ({"period": "2025X9"}, "period"),
            ({"category": "khong-co"}, "category"),
            ({"unit": "00070"}, "unit"),
        ):
            response = self.client.get(LIST, params)
            self.assertEqual(response.status_code, 400, params)
            self.assertIn(field, response.context["form"].errors)

    def test_it_keeps_the_query_count_flat_whatever_the_number_of_reports(self):
        self.client.get(LIST)  # warm the session, translations and the point index
        with self.assertNumQueries(7):
            first = self.client.get(LIST)
        for description in ("Thêm một", "Thêm hai", "Thêm ba"):
            self.publish_one(description, COMMUNE_CODE)
        with self.assertNumQueries(7):
            second = self.client.get(LIST)
        self.assertEqual(len(second.context["items"]), len(first.context["items"]) + 3)

    def test_it_paginates(self):
        response = self.client.get(LIST, {"page": "999"})
        self.assertEqual(response.status_code, 200)


class PublicMapTest(PublicPagesMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.published = cls.publish(cls.receive(description="Ngập nước").report)
        cls.pending = cls.receive(description="Chưa xử lý").report

    def test_it_shows_the_map_page_with_markercluster_and_the_boundaries(self):
        response = self.client.get(MAP, {"category": self.category.code})
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("vendor/markercluster/leaflet.markercluster.js", html)
        self.assertIn("citizen_reports/public-map.js", html)
        self.assertIn("/api/v1/geo/territory/boundaries/", html)
        self.assertIn(f'data-features-url="{DATA}?category={self.category.code}"', html)

    def test_it_serves_published_reports_as_cacheable_geojson(self):
        with self.assertNumQueries(2):  # the territory (commune filter) and one SELECT of the points
            response = self.client.get(DATA)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("application/geo+json"))
        self.assertIn("public", response["Cache-Control"])
        body = json.loads(response.content)
        self.assertEqual(body["type"], "FeatureCollection")
        codes = [feature["properties"]["code"] for feature in body["features"]]
        self.assertEqual(codes, [self.published.tracking_code])
        feature = body["features"][0]
        self.assertEqual(feature["geometry"]["type"], "Point")
        self.assertAlmostEqual(feature["geometry"]["coordinates"][1], self.published.lat, places=5)
        self.assertEqual(feature["properties"]["url"], f"/phan-anh/tra-cuu/{self.published.tracking_code}/")
        again = self.client.get(DATA, HTTP_IF_NONE_MATCH=response["ETag"])
        self.assertEqual(again.status_code, 304)

    def test_it_filters_the_geojson_and_names_a_bad_filter(self):
        body = json.loads(self.client.get(DATA, {"category": self.other_category.code}).content)
        self.assertEqual(body["features"], [])
        bad = self.client.get(DATA, {"period": "hom-qua"})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("period", json.loads(bad.content)["error"]["fields"])


class PublicPhotoTest(PublicPagesMixin, TestCase):
    def test_it_serves_a_public_photo_of_a_published_report(self):
        report = self.publish(self.receive().report)
        photo = ReportPhoto.objects.filter(report=report, is_public=True).first()
        response = self.client.get(f"/phan-anh/anh/{photo.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.assertEqual(b"".join(response.streaming_content)[:3], b"\xff\xd8\xff")

    def test_it_hides_a_photo_not_marked_public(self):
        report = self.publish(self.receive().report, photos_public=False)
        photo = ReportPhoto.objects.filter(report=report).first()
        self.assertFalse(photo.is_public)
        self.assertEqual(self.client.get(f"/phan-anh/anh/{photo.pk}/").status_code, 404)

    def test_it_hides_a_public_photo_of_an_unpublished_report(self):
        photo = ReportPhoto.objects.get(report=self.receive().report)
        services.photo_set_public(photo=photo, actor=self.operator, is_public=True)
        self.assertEqual(self.client.get(f"/phan-anh/anh/{photo.pk}/").status_code, 404)

    def test_it_answers_404_for_an_unknown_photo(self):
        self.assertEqual(self.client.get("/phan-anh/anh/999999/").status_code, 404)
