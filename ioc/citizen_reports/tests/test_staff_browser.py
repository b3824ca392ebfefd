"""The operators' pages in a real browser (R3.3, R3.5): the statistics charts draw from the JSON API and the
report map lets the operator drop a pin, with no script error and no CSP violation (scripts are static files).

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). With CI set a missing chromium fails
the test with the install command; elsewhere it skips.
"""

from __future__ import annotations

from typing import Any

import pytest

from ioc.accounts.testing import system_actor
from ioc.common.testing import chromium, page_open


@pytest.mark.browser
def test_it_draws_the_charts_and_lets_the_operator_pin_a_report(
    chromium_path: str, live_server: Any, transactional_db: Any
) -> None:
    from ioc.accounts.testing import personas_create, session_cookie
    from ioc.citizen_reports import services
    from ioc.citizen_reports.tests.test_core_support import territory_ensure

    territory_ensure()
    people = personas_create()
    category = services.category_create(actor=system_actor(), code="browser-road", name="Đường hư hỏng")
    report = services.report_receive(
        channel="hotline", category=category, description="Ổ gà", address="Thôn Đông", actor=people.operator
    ).report
    session = session_cookie(people.operator)
    problems: list[str] = []
    with chromium(chromium_path) as browser:
        page = page_open(browser, url=live_server.url, session=session, problems=problems)
        page.goto(live_server.url + "/phan-anh/quan-ly/thong-ke/?group_by=channel")
        page.wait_for_selector("[data-ioc-chart=counts][data-rows]")
        page.wait_for_selector("[data-ioc-chart=quality][data-rows] canvas")
        assert page.get_attribute("[data-ioc-chart=counts]", "data-rows") == "1"

        page.goto(live_server.url + f"/phan-anh/quan-ly/{report.pk}/")
        page.wait_for_selector("[data-report-map].leaflet-container")
        page.locator("[data-report-map]").click(position={"x": 200, "y": 150})
        lat = page.input_value("#action-locate input[name=lat]")
        lon = page.input_value("#action-locate input[name=lon]")
        assert lat and lon, (lat, lon)
        assert page.locator("[data-report-map] .leaflet-marker-icon").count() == 1
    assert problems == [], problems
