"""Issue 8: the "Quản trị" hub lists the configuration pages the user's roles open; others are refused."""

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.web.administration import SECTIONS
from ioc.web.tests import people

HUB = "/quan-tri/"


class AdministrationHubTest(Personas, TestCase):
    def test_the_administrator_sees_every_section_and_the_raw_data(self):
        response = people.signed_in(self.admin).get(HUB)
        self.assertEqual(response.status_code, 200)
        for section in SECTIONS:
            self.assertContains(response, f'href="{section.url()}"')
        self.assertContains(response, "Dữ liệu thô (chỉ đọc)")
        self.assertContains(response, 'href="/admin/"')

    def test_the_leader_sees_only_what_the_act_gives_them(self):
        response = people.signed_in(self.leader).get(HUB)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Lĩnh vực phản ánh và chuyển xử lý")
        self.assertContains(response, "Chuỗi báo cáo cấp trên")
        self.assertNotContains(response, 'href="/admin/"')
        self.assertNotContains(response, "Lịch làm việc")
        self.assertIn('href="/quan-tri/"', people.signed_in(self.leader).get("/").content.decode())

    def test_the_operator_and_an_officer_are_refused(self):
        for person in (self.operator, self.officer_a):
            with self.subTest(person=person.username):
                self.assertEqual(people.signed_in(person).get(HUB).status_code, 403)
                self.assertNotIn('href="/quan-tri/"', people.signed_in(person).get("/").content.decode())

    def test_every_section_url_name_resolves(self):
        self.assertEqual([s.label for s in SECTIONS if s.url() is None], [])

    def test_the_hub_speaks_english_when_asked(self):
        client = people.signed_in(self.admin)
        client.post("/i18n/setlang/", {"language": "en", "next": HUB})
        response = client.get(HUB)
        self.assertContains(response, "Report categories and routing")
        self.assertContains(response, "Raw data (read-only)")
        self.assertNotContains(response, "Lịch làm việc")
