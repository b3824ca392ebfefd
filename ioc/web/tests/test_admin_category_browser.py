"""Issue 8 in a real browser: the administrator adds a category and routes it to an agency on the "Quản trị"
pages; a citizen then sends a report of that category, the operator verifies it and finds the routed agency
preselected in the forward form, and the report reaches that agency's officer's inbox.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). With CI set a missing chromium fails
the test with the install command; elsewhere it skips.
"""

from __future__ import annotations

from typing import Any

import pytest

from ioc.common.testing import chromium, page_open

FORM_PATH = "/phan-anh/gui/"


def _staff_page(browser: Any, base: str, user: Any, problems: list[str]) -> Any:
    from ioc.accounts.testing import session_cookie

    return page_open(browser, url=base, session=session_cookie(user), problems=problems, console=False)


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
    chromium_path: str, live_server: Any, transactional_db: Any
) -> None:
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
    with chromium(chromium_path) as browser:
        _admin_adds_category_and_rule(_staff_page(browser, base, people.admin, problems), base, people.agency_b)
        rule = RoutingRule.objects.get(category__code="den-duong-hong")
        assert (rule.unit, rule.agency) == (None, people.agency_b)

        citizen_page = page_open(
            browser,
            problems=problems,
            console=False,
            viewport=None,
            geolocation={"latitude": lat, "longitude": lon},
            permissions=["geolocation"],
        )
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
    assert problems == [], problems
