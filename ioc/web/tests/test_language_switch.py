"""Vietnamese first, English on request: the switch (POST /i18n/setlang/) changes the language; the browser's
Accept-Language does not."""

from django.test import Client, TestCase

from ioc.accounts.testing import Personas, sign_in


class LanguageSwitchTest(Personas, TestCase):
    def setUp(self):
        sign_in(self.client, self.operator)

    def test_it_speaks_vietnamese_by_default_even_to_an_english_browser(self):
        page = self.client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
        self.assertIn('<html lang="vi"', page)
        self.assertIn("Kho dữ liệu", page)
        self.assertIn("Đăng xuất", page)

    def test_it_switches_to_english_and_back(self):
        response = self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        page = self.client.get("/").content.decode()
        self.assertIn('<html lang="en"', page)
        self.assertIn("Data hub", page)
        self.assertIn("Sign out", page)
        self.assertNotIn("Kho dữ liệu", page)
        self.client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
        self.assertIn("Kho dữ liệu", self.client.get("/").content.decode())

    def test_it_offers_the_switch_on_every_shell_page(self):
        page = self.client.get("/co-quan/").content.decode()
        self.assertIn('action="/i18n/setlang/"', page)
        self.assertIn('name="language" value="en"', page)

    def test_it_ignores_an_unknown_language(self):
        self.client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
        self.assertIn('<html lang="vi"', self.client.get("/").content.decode())

    def test_it_lets_an_anonymous_visitor_switch_the_public_page(self):
        client = Client()
        client.post("/i18n/setlang/", {"language": "en", "next": "/cong-dan/"})
        page = client.get("/cong-dan/").content.decode()
        self.assertIn("The government listens to citizens and businesses", page)
