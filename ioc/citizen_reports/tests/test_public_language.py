"""Issue 8 (part 7): the citizens' pages speak one language at a time. Vietnamese by default, with no English label
of the shell beside it; English after the language switch, from the catalogues (`locale/en`), form errors included.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import TestCase
from django.utils import translation
from django.utils.html import escape

from ioc.citizen_reports.models import Report
from ioc.citizen_reports.tests.test_public_support import PublicPagesMixin

CATALOGUES = [
    Path(__file__).resolve().parents[1] / "locale/en/LC_MESSAGES/django.po",
    Path(settings.BASE_DIR) / "ioc/web/locale/en/LC_MESSAGES/django.po",
]
_ENTRY = re.compile(r'^msgid "(.+)"\nmsgstr "(.+)"$', re.M)


def labels() -> list[tuple[str, str]]:
    """(Vietnamese, English) of every plain label of the citizens' and the shell's catalogues: several words,
    no placeholder, not an old doubled "Tiếng Việt / English" text."""
    pairs = []
    for path in CATALOGUES:
        for vi, en in _ENTRY.findall(path.read_text(encoding="utf-8")):
            if " " in en and " " in vi and "%(" not in vi and " / " not in vi and vi != en:
                pairs.append((vi.replace('\\"', '"'), en.replace('\\"', '"')))
    return pairs


class PublicLanguageTest(PublicPagesMixin, TestCase):
    received: Any
    published: Report

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.received = cls.receive()
        cls.published = cls.publish(cls.received.report)

    def pages(self) -> list[str]:
        code = self.published.tracking_code
        session = self.client.session
        session["citizen_reports_receipt"] = {"code": code, "token": self.received.private_token}
        session.save()
        return [
            "/",
            "/phan-anh/gui/",
            "/phan-anh/tra-cuu/",
            f"/phan-anh/tra-cuu/{code}/?t={self.received.private_token}",
            f"/phan-anh/gui/da-nhan/{code}/",
            "/phan-anh/cong-khai/",
            "/phan-anh/ban-do/",
        ]

    def fetch(self, url: str) -> str:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode()

    def test_the_compiled_catalogue_matches_its_source(self):
        with translation.override("en"):
            stale = [(vi, en) for vi, en in labels() if translation.gettext(vi) != en]
        self.assertEqual(stale, [], "recompile: msgfmt -o django.mo django.po")

    def test_it_shows_no_english_label_on_the_vietnamese_pages(self):
        pairs = labels()
        self.assertGreater(len(pairs), 60)
        for url in self.pages():
            page = self.fetch(url)
            self.assertIn('<html lang="vi"', page)
            for _vi, en in pairs:
                self.assertFalse(escape(en) in page, f"English {en!r} on the Vietnamese page {url}")

    def test_it_shows_the_english_labels_after_the_switch(self):
        response = self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        pairs = labels()
        for url in self.pages():
            page = self.fetch(url)
            self.assertIn('<html lang="en"', page)
            for vi, _en in pairs:
                self.assertFalse(escape(vi) in page, f"Vietnamese {vi!r} on the English page {url}")
        form = self.fetch("/phan-anh/gui/")
        self.assertIn("Use my location", form)
        self.assertIn("— Choose a category —", form)
        self.assertIn("Send a report", form)
        portal = self.fetch("/")
        for label in ("Send a report", "Track a report", "Staff sign-in", "Published reports", "Public information"):
            self.assertIn(label, portal)

    def test_it_switches_back_to_vietnamese(self):
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        self.client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
        form = self.fetch("/phan-anh/gui/")
        self.assertIn("Dùng vị trí hiện tại của tôi", form)
        self.assertNotIn("Use my location", form)


class PublicFormErrorLanguageTest(PublicPagesMixin, TestCase):
    def post_without_category_and_description(self) -> str:
        response = self.client.post("/phan-anh/gui/", self.form_data(category="", description=""))
        self.assertEqual(response.status_code, 400)
        return response.content.decode()

    def test_it_names_the_errors_in_vietnamese_by_default(self):
        page = self.post_without_category_and_description()
        self.assertIn("Vui lòng chọn lĩnh vực", page)
        self.assertIn("Vui lòng mô tả sự việc", page)
        self.assertNotIn("Please choose a category", page)

    def test_it_names_the_errors_in_english_after_the_switch(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = self.post_without_category_and_description()
        self.assertIn("Please choose a category", page)
        self.assertIn("Please describe what happened", page)
        self.assertIn("Please check the fields marked below", page)
        self.assertNotIn("Vui lòng chọn lĩnh vực", page)

    def test_it_names_a_bad_tracking_code_in_the_chosen_language(self):
        self.assertIn("Mã phản ánh gồm chữ và số", self.fetch_track_error())
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.assertIn("A tracking code has letters and digits only", self.fetch_track_error())

    def test_it_names_a_bad_phone_and_a_missing_consent_in_english(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = self.client.post("/phan-anh/gui/", self.form_data(phone="12", name="An"))
        page = response.content.decode()
        self.assertIn("Invalid phone number (e.g. 0912345678)", page)
        self.assertIn("Contact details need your consent to processing, or leave them empty", page)

    def fetch_track_error(self) -> str:
        response = self.client.get("/phan-anh/tra-cuu/", {"code": "??"})
        self.assertEqual(response.status_code, 400)
        return response.content.decode()
