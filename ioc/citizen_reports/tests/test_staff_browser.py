"""The operators' pages in a real browser (R3.3, R3.5): the statistics charts draw from the JSON API and the
report map lets the operator drop a pin, with no script error and no CSP violation (scripts are static files).

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). With CI set a missing chromium fails
the test with the install command; elsewhere it skips.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from ioc.accounts.testing import system_actor
from ioc.common.testing import CHROMIUM_ARGS


def _signed_in_cookie(user: Any) -> str:
    from ioc.accounts.testing import sign_in

    client = Client()
    sign_in(client, user)
    return str(client.cookies["sessionid"].value)


@pytest.mark.browser
def test_it_draws_the_charts_and_lets_the_operator_pin_a_report(
    chromium_path: str, live_server: Any, transactional_db: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    from ioc.accounts.testing import personas_create
    from ioc.citizen_reports import services
    from ioc.geo.services import territory_set

    territory_set(
        actor=system_actor(),
        profile=settings.IOC_PROFILE,
        name="Tỉnh Hưng Yên",
        root_code="33",
        act_date=dt.date(2025, 7, 1),
    )
    people = personas_create()
    category = services.category_create(actor=system_actor(), code="browser-road", name="Đường hư hỏng")
    report = services.report_receive(
        channel="hotline", category=category, description="Ổ gà", address="Thôn Đông", actor=people.operator
    ).report
    cookie = _signed_in_cookie(people.operator)
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
            context.set_default_timeout(20_000)
            page = context.new_page()
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

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
        finally:
            browser.close()
    assert problems == [], problems
