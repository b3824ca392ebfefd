"""The shell navigates to every domain area of R1–R10; areas not built yet say so plainly."""

from django.test import Client, TestCase

from ioc.accounts.testing import Personas
from ioc.web.navigation import DOMAIN_AREAS
from ioc.web.tests import people

LABELS = [
    "Kho dữ liệu",
    "Chỉ số",
    "Phản ánh hiện trường",
    "Cảnh báo &amp; sự cố",
    "Kịch bản điều hành",
    "Lĩnh vực",
    "Bản đồ số",
    "Báo cáo",
    "Liên thông",
    "Vận hành",
]


class NavigationTest(Personas, TestCase):
    def test_it_lists_every_domain_area_for_an_operator(self):
        page = people.signed_in(self.operator).get("/").content.decode()
        for label in LABELS:
            self.assertIn(label, page)
        self.assertIn('href="/nhat-ky/"', page)
        self.assertNotIn('href="/quan-tri/"', page)

    def test_it_adds_administration_for_a_system_admin(self):
        page = people.signed_in(self.admin).get("/").content.decode()
        self.assertIn('href="/quan-tri/"', page)
        self.assertIn('href="/nhat-ky/"', page)

    def test_it_hides_operations_and_audit_from_an_agency_officer(self):
        page = people.signed_in(self.officer_a).get("/").content.decode()
        self.assertIn("Kho dữ liệu", page)
        self.assertNotIn("Liên thông", page)
        self.assertNotIn('href="/nhat-ky/"', page)

    def test_it_shows_no_navigation_before_the_second_factor(self):
        client = Client()
        client.force_login(self.operator)
        response = client.get("/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/tai-khoan/", response["Location"])


class UnavailableAreaTest(Personas, TestCase):
    def test_it_says_plainly_that_each_area_is_not_available_yet(self):
        client = people.signed_in(self.operator)
        for area in DOMAIN_AREAS:
            response = client.get(f"/chuc-nang/{area.slug}/")
            self.assertEqual(response.status_code, 200, area.slug)
            page = response.content.decode()
            self.assertIn("Chức năng đang được xây dựng / This area is not available yet", page)
            self.assertIn(str(area.label).replace("&", "&amp;"), page)

    def test_it_answers_404_for_an_unknown_area(self):
        client = people.signed_in(self.operator)
        self.assertEqual(client.get("/chuc-nang/khong-co/").status_code, 404)

    def test_it_refuses_a_citizen(self):
        client = people.signed_in(self.citizen)
        self.assertEqual(client.get("/chuc-nang/kho-du-lieu/").status_code, 403)

    def test_it_serves_the_public_page_without_login(self):
        response = Client().get("/cong-dan/")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn('href="/phan-anh/gui/"', page)
        self.assertIn('action="/phan-anh/tra-cuu/"', page)


class NotFoundPageTest(Personas, TestCase):
    def test_it_answers_an_unknown_address_with_the_shells_404_page(self):
        client = people.signed_in(self.operator)
        response = client.get("/khong-co-trang-nay/")
        self.assertEqual(response.status_code, 404)
        self.assertIn("Không tìm thấy / Not found", response.content.decode())
