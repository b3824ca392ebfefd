"""R8.1, R8.3 in a real browser: an agency officer generates the monthly report of their agency, edits its
difficulties and proposals, issues it, and the archive lists it with its number; no script error, no CSP
violation. Playwright drives Debian's /usr/bin/chromium (never `playwright install`). With CI set a missing
chromium fails the test with the install command; elsewhere it skips.
"""

from __future__ import annotations

from typing import Any

import pytest

from ioc.accounts.testing import system_actor
from ioc.common.testing import chromium, page_open


@pytest.mark.browser
def test_an_officer_generates_edits_and_issues_the_monthly_report(
    chromium_path: str, live_server: Any, transactional_db: Any
) -> None:
    from ioc.accounts.testing import personas_create, session_cookie
    from ioc.geo.testing import territory_ensure
    from ioc.reporting.models import Report
    from ioc.reporting.services import report_templates_ensure

    territory_ensure(actor=system_actor())
    report_templates_ensure()
    people = personas_create()
    session = session_cookie(people.officer_a)
    problems: list[str] = []
    with chromium(chromium_path) as browser:
        page = page_open(browser, url=live_server.url, session=session, problems=problems)
        page.goto(live_server.url + "/bao-cao/")
        page.click("#report-generate")
        page.select_option("#generate-form select[name=template]", "operations-monthly")
        page.fill("#generate-form input[name=period]", "202507")
        page.select_option("#generate-form select[name=scope_kind]", "agency")
        page.select_option("#generate-form select[name=agency]", str(people.agency_a.pk))
        page.click("#generate-form button[type=submit]")
        page.wait_for_selector("#report-body")
        assert "tháng 7 năm 2025" in page.inner_text("h1")

        page.click("#report-edit")
        proposal = page.locator("#edit-form textarea").last
        proposal.fill("Đề nghị bổ sung nhân lực trực ca đêm.")
        page.click("#edit-save")
        page.wait_for_selector("#report-body")
        assert "Đề nghị bổ sung nhân lực trực ca đêm." in page.inner_text("#report-body")

        page.click("#report-issue")
        page.wait_for_selector("#report-number")
        assert page.inner_text("#report-number").strip() == "1/BC-TTGSĐH"
        assert page.inner_text("#report-state").strip() == "Đã ban hành"
        assert page.locator("#report-edit").count() == 0

        with page.expect_download() as download:
            page.click("#download-docx")
        assert download.value.suggested_filename == "bao-cao-202507-v1.docx"

        page.goto(live_server.url + "/bao-cao/?q=bao+cao+thang+7")
        report = Report.objects.get()
        assert page.locator(f'[data-report="{report.pk}"]').count() == 1
    assert report.state == "issued" and report.scope_agency_id == people.agency_a.pk
    assert "Đề nghị bổ sung nhân lực trực ca đêm." in str(report.content)
    assert problems == [], problems
