"""Issue 8 (part 7): the public front door. An anonymous visitor at `/` gets the citizens' portal (send a report,
track one by its code, what the center publishes, a staff sign-in link); a signed-in account gets its home."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.test import Client, TestCase
from django.urls import reverse

from ioc.citizen_reports.tests.test_public_support import PublicPagesMixin, commune
from ioc.web import public_sections
from ioc.web.public_sections import LATEST_REPORTS, PublicSection
from ioc.web.tests import people


class PortalPageTest(PublicPagesMixin, TestCase):
    def test_it_answers_an_anonymous_visitor_at_the_root_with_the_portal_not_a_redirect(self):
        response = Client().get("/")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn('id="portal-header"', page)
        self.assertIn("Trung tâm Giám sát, điều hành thông minh", page)
        self.assertIn("Tỉnh Hưng Yên", page)  # the deployment's territory, as the shell names it
        self.assertIn('id="portal-send" href="/phan-anh/gui/"', page)
        self.assertIn('action="/phan-anh/tra-cuu/"', page)
        self.assertIn('name="code"', page)
        self.assertIn('href="/phan-anh/cong-khai/"', page)
        self.assertIn('href="/phan-anh/ban-do/"', page)
        self.assertIn('href="/tai-khoan/dang-nhap/" id="staff-sign-in"', page)
        self.assertIn('action="/i18n/setlang/"', page)
        self.assertIn('<html lang="vi"', page)

    def test_it_keeps_the_old_citizens_address_as_the_same_portal(self):
        response = Client().get("/cong-dan/")
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="portal-actions"', response.content.decode())
        self.assertEqual(reverse("web:public_home"), "/cong-dan/")
        self.assertEqual(reverse("web:home"), "/")

    def test_its_tracking_form_leads_to_the_report_by_its_code(self):
        report = self.receive().report
        response = Client().get("/phan-anh/tra-cuu/", {"code": report.tracking_code.lower()})
        self.assertRedirects(response, f"/phan-anh/tra-cuu/{report.tracking_code}/", fetch_redirect_response=False)

    def test_it_refuses_a_post_at_the_root_for_an_anonymous_visitor_and_answers_a_head(self):
        self.assertEqual(Client().post("/").status_code, 405)
        self.assertEqual(Client().head("/").status_code, 200)


class PortalForSignedInTest(PublicPagesMixin, TestCase):
    def test_it_shows_a_signed_in_staff_member_their_home_at_the_root(self):
        page = people.signed_in(self.operator).get("/").content.decode()
        self.assertIn('id="panel-operator"', page)
        self.assertNotIn('id="portal-actions"', page)

    def test_it_still_sends_a_staff_member_without_the_second_factor_to_it(self):
        client = Client()
        self.sign_in(client, self.operator, verified=False)
        response = client.get("/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("accounts:second_factor")))

    def test_it_lands_a_citizen_who_signs_in_on_their_home(self):
        client = Client()
        credentials = {"username": self.citizen.username, "password": self.password}
        response = client.post(reverse("accounts:login"), credentials)
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        page = client.get("/").content.decode()
        self.assertIn('id="panel-citizen"', page)
        self.assertNotIn('id="portal-actions"', page)

    def test_it_lets_a_signed_in_member_open_the_portal_at_its_old_address(self):
        page = people.signed_in(self.operator).get("/cong-dan/").content.decode()
        self.assertIn('id="portal-actions"', page)
        self.assertIn('id="staff-home"', page)
        self.assertNotIn('id="staff-sign-in"', page)


class PortalReportsSectionTest(PublicPagesMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.waiting = cls.receive(description="Chưa xử lý xong").report
        cls.done = cls.publish(cls.receive(description="Nội dung riêng của người dân").report)

    def test_it_lists_the_latest_published_reports_with_category_commune_and_status(self):
        page = Client().get("/").content.decode()
        self.assertIn(f'data-report="{self.done.tracking_code}"', page)
        self.assertIn(f'href="/phan-anh/tra-cuu/{self.done.tracking_code}/"', page)
        self.assertIn(self.category.name, page)
        self.assertIn(commune().name, page)
        self.assertIn("Đã công khai kết quả", page)
        self.assertIn('data-published-count="1"', page)
        self.assertNotIn(self.waiting.tracking_code, page)
        self.assertNotIn("Nội dung riêng của người dân", page)  # no free text on the portal

    def test_it_shows_only_a_few_of_the_latest(self):
        for _ in range(LATEST_REPORTS + 1):
            self.publish(self.receive().report)
        page = Client().get("/").content.decode()
        self.assertEqual(page.count('class="list-group-item'), LATEST_REPORTS)
        self.assertIn(f'data-published-count="{LATEST_REPORTS + 2}"', page)

    def test_it_reads_the_portal_in_a_fixed_number_of_queries_then_from_the_cache(self):
        for _ in range(3):
            self.publish(self.receive().report)
        client = Client()
        # + the public warnings in force (issue 15): never cached, a warning shows at once
        with self.assertNumQueries(4):  # latest published rows, their count, the territory's name (the shell)
            self.assertEqual(client.get("/").status_code, 200)
        with self.assertNumQueries(2):  # the territory's name and the warnings: the figures come from the cache
            page = client.get("/").content.decode()
        self.assertIn('data-published-count="4"', page)

    def test_it_shows_a_new_publication_once_the_cached_figures_expire(self):
        Client().get("/")
        newer = self.publish(self.receive().report)
        self.assertNotIn(newer.tracking_code, Client().get("/").content.decode())  # within CACHE_SECONDS
        cache.delete(public_sections._CACHE_KEY)  # as the timeout would
        page = Client().get("/").content.decode()
        self.assertIn(newer.tracking_code, page)
        self.assertIn('data-published-count="2"', page)

    def test_it_keeps_no_language_in_the_cache(self):
        Client().get("/")
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = client.get("/").content.decode()
        self.assertIn("Result published", page)
        self.assertNotIn("Đã công khai kết quả", page)


class PublicSectionRegistryTest(PublicPagesMixin, TestCase):
    def test_it_holds_only_what_exists_today(self):
        self.assertEqual([section.key for section in public_sections.public_sections()], ["warnings", "reports"])

    def test_it_leaves_out_a_section_with_nothing_to_show_and_keeps_the_order(self):
        def nothing() -> PublicSection | None:
            return None

        def later() -> PublicSection:
            return PublicSection("later", "Về sau", "clock", "web/public_section_reports.html")

        sections = public_sections.public_sections((later, nothing, public_sections.reports_section))
        self.assertEqual([section.key for section in sections], ["later", "reports"])

    def test_it_says_zero_without_a_published_report(self):
        section = public_sections.reports_section()
        self.assertEqual((section.context["count"], section.context["latest"]), (0, []))
