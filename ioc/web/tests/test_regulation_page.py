"""R11, issue 9 part 6: the "Quy chế" page shows the act's duties as a checklist, each linked to what carries it
out or marked "chưa có", and what the act sets; `make demo PROFILE=loc-ninh` serves 7 communes of today's Đồng
Nai and shows the former district for history."""

import datetime as dt
import random
import tempfile

from django.test import TestCase, override_settings

from ioc.accounts.testing import Personas
from ioc.demo import foundation
from ioc.demo.profiles import profile_get
from ioc.demo.secrets_store import SecretStore
from ioc.web.regulation import duty_target

URL = "/quy-che/"
# Session, user, roles, the shell; then the act, territory (communes, provinces, former unit), agencies, each
# list once, and two per operating agency's working calendar (Lộc Ninh has one). 23 → 22 (issue 20 "Speed"): the
# territory is read once a request (`web.selectors.territory_of`), not by the header and the page each.
QUERIES = 22


def load(key):
    profile = profile_get(key)
    foundation.generate(
        profile=profile, rng=random.Random(1), until=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), store=SecretStore(key)
    )


class VarDir:
    def setUp(self):
        super().setUp()
        var = tempfile.TemporaryDirectory()
        self.addCleanup(var.cleanup)
        override = override_settings(VAR_DIR=var.name)
        override.enable()
        self.addCleanup(override.disable)


@override_settings(IOC_PROFILE="loc-ninh")
class LocNinhRegulationPageTest(VarDir, Personas, TestCase):
    def setUp(self):
        super().setUp()
        load("loc-ninh")

    def page(self, user):
        self.sign_in(self.client, user)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_it_serves_7_communes_of_today_s_dong_nai_and_the_former_district(self):
        page = self.page(self.leader)
        self.assertIn('<span data-stat="communes">7</span>', page)
        self.assertIn("<span data-provinces>Thành phố Đồng Nai</span>", page)
        self.assertIn('data-former="legacy:692">Huyện Lộc Ninh</span>', page)
        self.assertIn("4037/QĐ-UBND", page)

    def test_each_duty_links_to_what_carries_it_out_or_says_not_yet(self):
        page = self.page(self.operator)
        self.assertIn('data-duty="dau-moi-tong-hop" data-built="1"', page)
        self.assertIn('href="/phan-anh/quan-ly/"', page)  # citizen reports' staff screen carries 003:6.7
        self.assertIn('data-duty="lien-thong-ioc-tinh" data-built="1"', page)  # federation (issue 18) carries 003:6.4
        self.assertIn("chưa có", page)
        self.assertIn("Văn phòng HĐND và UBND huyện", page)  # who carries the duties

    def test_it_shows_calendars_meetings_allowances_and_staffing(self):
        page = self.page(self.leader)
        self.assertIn("Trước ngày 25 của tháng cuối quý", page)
        self.assertIn('data-meeting="hop-6-thang"', page)
        self.assertIn('data-amount="1000000">1.000.000</span>', page)
        self.assertIn('data-amount="500000">500.000</span>', page)
        self.assertIn('data-position="chuyen-vien-cntt"', page)
        self.assertIn('data-domain="phan-anh-hien-truong"', page)

    def test_its_queries_do_not_grow_with_the_act(self):
        self.sign_in(self.client, self.leader)
        self.client.get(URL)  # warm the session and the per-process caches
        with self.assertNumQueries(QUERIES):
            self.client.get(URL)

    def test_it_speaks_english_after_the_switch(self):
        self.sign_in(self.client, self.leader)
        self.client.post("/i18n/setlang/", {"language": "en", "next": URL})
        page = self.client.get(URL).content.decode()
        for label in ("Duties under the regulation", "District level", "Monitored domains", "not yet", "Monthly"):
            self.assertIn(label, page)

    def test_it_is_for_ioc_staff_and_leaders_only(self):
        self.sign_in(self.client, self.officer_a)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(URL).status_code, 302)

    def test_it_is_in_the_navigation_of_ioc_staff(self):
        self.sign_in(self.client, self.operator)
        self.assertIn(f'href="{URL}"', self.client.get("/").content.decode())


@override_settings(IOC_PROFILE="ba-ria-vung-tau")
class BaRiaVungTauRegulationPageTest(VarDir, Personas, TestCase):
    def test_it_shows_the_template_cadence_and_the_centers_office_hours(self):
        load("ba-ria-vung-tau")
        self.sign_in(self.client, self.leader)
        page = self.client.get(URL).content.decode()
        self.assertIn('data-cadence="1,4"', page)
        self.assertIn('data-hours="ioc-tinh"', page)
        self.assertIn("Giờ hành chính: 07:30–11:30, 13:30–17:00", page)
        self.assertIn("Hiệu lực đến 31/03/2022", page)


@override_settings(IOC_PROFILE="hung-yen")
class RegulationPageBeforeLoadTest(Personas, TestCase):
    def test_it_says_the_act_is_not_loaded(self):
        self.sign_in(self.client, self.leader)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Chưa nạp quy chế", response.content.decode())


class DutyTargetTest(TestCase):
    def test_it_resolves_screens_apis_and_jobs_of_this_deployment(self):
        self.assertEqual(duty_target("url:citizen_reports:staff_index").url, "/phan-anh/quan-ly/")
        self.assertEqual(duty_target("url:federation:index").url, "/lien-thong/")
        self.assertFalse(duty_target("url:khong_co:index").built)
        self.assertTrue(duty_target("api:/api/v1/geo/units/").built)
        self.assertFalse(duty_target("api:/api/v1/khong-co/").built)
        self.assertTrue(duty_target("task:escalate_due").built)
        self.assertFalse(duty_target("task:khong_co").built)
        self.assertFalse(duty_target("").built)
