"""Issue 8 (part 7) in a real browser at phone size: an anonymous visitor at `/` sees the citizens' portal, switches
to English and back with the language switch, and follows "Gửi phản ánh" to the report form.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). With CI set a missing chromium fails
the test with the install command; elsewhere it skips.
"""

from __future__ import annotations

import pytest

from ioc.accounts.testing import system_actor
from ioc.common.testing import chromium, page_open

PHONE = {"width": 390, "height": 844}
OVERFLOW = "document.documentElement.scrollWidth"


def _switch(page, language: str) -> None:
    page.locator(f"header button[name=language][value={language}]").tap()
    page.wait_for_selector(f"html[lang={language}]")


@pytest.mark.browser
def test_an_anonymous_phone_visitor_uses_the_portal_in_both_languages_and_reaches_the_form(
    chromium_path, live_server, transactional_db
):
    from ioc.citizen_reports import services
    from ioc.citizen_reports.tests.test_public_support import territory_ensure

    territory_ensure()
    category = services.category_create(actor=system_actor(), code="chieu-sang", name="Chiếu sáng công cộng")
    problems: list[str] = []
    with chromium(chromium_path) as browser:
        page = page_open(
            browser,
            problems=problems,
            viewport=PHONE,
            locale="en-US",
            device_scale_factor=3,
            is_mobile=True,
            has_touch=True,
        )
        response = page.goto(live_server.url + "/")
        assert response is not None and response.status == 200 and response.request.redirected_from is None
        assert page.url.rstrip("/") == live_server.url
        assert page.get_attribute("html", "lang") == "vi"  # Vietnamese first, even to an English browser
        assert "Trung tâm Giám sát, điều hành thông minh" in page.inner_text("h1")
        assert page.text_content("[data-locality]").strip() == "Tỉnh Hưng Yên"
        assert page.inner_text("#portal-send").strip() == "Gửi phản ánh"
        assert page.locator("#portal-track input[name=code]").is_visible()
        assert page.locator("#staff-sign-in").is_visible()
        assert page.get_attribute("#staff-sign-in", "href") == "/tai-khoan/dang-nhap/"
        assert page.evaluate(OVERFLOW) <= PHONE["width"]

        _switch(page, "en")
        assert page.url.rstrip("/") == live_server.url
        assert page.inner_text("h1").strip() == "Intelligent Operations Center"
        assert page.inner_text("#portal-send").strip() == "Send a report"
        assert page.get_attribute("#staff-sign-in", "aria-label") == "Staff sign-in"
        assert "Gửi phản ánh" not in page.inner_text("body")
        assert page.evaluate(OVERFLOW) <= PHONE["width"]

        _switch(page, "vi")
        assert page.inner_text("#portal-send").strip() == "Gửi phản ánh"

        page.locator("#portal-send").tap()
        page.wait_for_selector("[data-report-form]")
        assert "/phan-anh/gui/" in page.url
        assert page.locator(f"select[name=category] option[value={category.code}]").count() == 1
        assert "Dùng vị trí hiện tại của tôi" in page.inner_text("[data-locate]")
    assert problems == [], problems
