"""Issue 8 in a real browser: the administrator adds a category and routes it to an agency on the "Quản trị"
pages; a citizen then sends a report of that category, the operator verifies it and finds the routed agency
preselected in the forward form, and the report reaches that agency's officer's inbox.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). With CI set a missing chromium fails
the test with the install command; elsewhere it skips.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ioc.common.testing import CHROMIUM_ARGS

FORM_PATH = "/phan-anh/gui/"


def _cookie(user: Any) -> str:
    from ioc.accounts.testing import sign_in

    client = Client()
    sign_in(client, user)
    return str(client.cookies["sessionid"].value)


def _staff_page(browser: Any, base: str, user: Any, problems: list[str]) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.add_cookies([{"name": "sessionid", "value": _cookie(user), "url": base}])
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return page


def _admin_adds_category_and_rule(page: Any, base: str, agency: Any) -> None:
    page.goto(base + "/")
    page.click("a[href='/quan-tri/']")
    page.click("#admin-sections >> text=Lĩnh vực phản ánh và chuyển xử lý")
    page.click("text=Thêm lĩnh vực")
    page.fill("input[name=code]", "den-duong-hong")
    page.fill("input[name=name]", "Đèn đường hỏng")
    page.fill("input[name=handling_hours]", "12")
    page.click("#category-form button[type=submit]")
    page.wait_for_selector("#category-rules")
    page.click("text=Thêm quy tắc")
    assert page.locator("#rule-form select[name=category] option:checked").inner_text() == "Đèn đường hỏng"
    page.select_option("#rule-form select[name=agency]", str(agency.pk))
    page.click("#rule-form button[type=submit]")
    page.wait_for_selector(f"#rules >> text={agency.name}")


def _citizen_sends_report(page: Any, base: str) -> str:
    page.goto(base + "/")  # the public portal, as an anonymous citizen finds it
    page.click("#portal-send")
    page.wait_for_url(base + FORM_PATH)
    page.wait_for_function("document.querySelector('input[name=lat]').value !== ''")
    page.select_option("select[name=category]", "den-duong-hong")
    page.fill("textarea[name=description]", "Đèn đường trước nhà văn hóa thôn tắt ba đêm liền.")
    page.fill("input[name=address]", "Nhà văn hóa thôn Đông")
    page.click("[data-submit]")
    page.wait_for_selector("#tracking-code")
    return str(page.inner_text("#tracking-code")).strip()


@pytest.mark.browser
def test_an_admin_routes_a_new_category_and_a_citizens_report_reaches_the_agency(
    chromium_path: str, live_server: Any, transactional_db: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    from playwright.sync_api import sync_playwright

    from ioc.accounts.testing import personas_create
    from ioc.assignments.models import Assignment
    from ioc.citizen_reports.models import Report, RoutingRule
    from ioc.citizen_reports.tests.test_core_support import territory_ensure
    from ioc.citizen_reports.tests.test_public_support import COMMUNE_CODE, point_in

    territory_ensure()
    people = personas_create()
    lat, lon = point_in(COMMUNE_CODE)
    base = live_server.url
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            _admin_adds_category_and_rule(_staff_page(browser, base, people.admin, problems), base, people.agency_b)
            rule = RoutingRule.objects.get(category__code="den-duong-hong")
            assert (rule.unit, rule.agency) == (None, people.agency_b)

            citizen = browser.new_context(
                locale="vi-VN", geolocation={"latitude": lat, "longitude": lon}, permissions=["geolocation"]
            )
            citizen.set_default_timeout(20_000)
            citizen_page = citizen.new_page()
            citizen_page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            code = _citizen_sends_report(citizen_page, base)
            report = Report.objects.get(tracking_code=code)
            assert report.category.code == "den-duong-hong"

            operator = _staff_page(browser, base, people.operator, problems)
            operator.goto(base + f"/phan-anh/quan-ly/{report.pk}/")
            operator.click("#action-verify button[type=submit]")
            operator.wait_for_selector("#action-forward")
            selected = operator.locator("#action-forward select[name=agency] option:checked")
            assert selected.get_attribute("value") == str(people.agency_b.pk)
            operator.click("#action-forward button[type=submit]")
            operator.wait_for_selector("#action-forward", state="detached")
            assert Assignment.objects.get(subject_id=str(report.pk)).agency == people.agency_b

            officer = _staff_page(browser, base, people.officer_b, problems)
            officer.goto(base + "/xu-ly/")
            assert officer.locator("a[href^='/xu-ly/']").filter(has_text=code).count() == 1
        finally:
            browser.close()
    assert problems == [], problems
