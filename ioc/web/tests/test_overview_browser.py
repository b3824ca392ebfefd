"""Issue 20 in a real browser: a citizen report (Open311) and an alert (the alerts API) made over HTTP appear on the
open overview within 5 s, without a page reload; the leaders' home works at 360 px.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`); see ioc/accounts/tests/test_browser_login.py.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings

from ioc.common.testing import CHROMIUM_ARGS

SWAP_MS = 5000


def _post(url: str, *, data: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


def _world() -> Any:
    from ioc.accounts.testing import personas_create, system_actor
    from ioc.citizen_reports import services as report_services
    from ioc.geo.services import territory_set

    people = personas_create()
    territory_set(
        actor=system_actor(),
        profile=settings.IOC_PROFILE,
        name="Tỉnh Hưng Yên",
        root_code="33",
        act_date=dt.date(2025, 7, 1),
    )
    report_services.category_create(
        actor=system_actor(), code="live-road", name="Đường hư hỏng", default_agency=people.agency_a
    )
    return people


def _session(user: Any) -> str:
    from django.test import Client

    from ioc.accounts.testing import sign_in

    client = Client()
    sign_in(client, user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _stat(page: Any, name: str) -> str:
    return str(page.inner_text(f'#ioc-display-panels [data-stat="{name}"]')).strip()


@pytest.mark.browser
def test_a_report_and_an_alert_appear_on_the_open_overview(chromium_path, transactional_db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from ioc.geo.testing import HUNG_YEN_COMMUNES
    from ioc.web.testing.crawl import serial_live_server

    people = _world()
    cookie = _session(people.screen_user)
    with serial_live_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1920, "height": 1080})
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": url}])
            page = context.new_page()
            page.goto(url + "/man-hinh/")
            assert _stat(page, "reports-today") == "0"
            assert _stat(page, "alerts") == "0"
            page.evaluate("window.__sameDocument = true")  # a reload would drop it

            report = urlencode({
                "api_key": people.system_token, "service_code": "live-road", "address_id": HUNG_YEN_COMMUNES[0],
                "description": "Ổ gà lớn giữa đường trước chợ",
            }).encode()  # fmt: skip
            assert _post(url + "/open311/v2/requests.json", data=report, headers={}) in (200, 201)
            expect(page.locator('#ioc-display-panels [data-stat="reports-today"]')).to_have_text("1", timeout=SWAP_MS)

            alert = json.dumps({
                "source": "sensors", "dedup_key": "tram-7", "kind": "env.flood_level", "severity": 5,
                "title": "Mực nước trạm 7 vượt báo động 3",
            }).encode()  # fmt: skip
            headers = {"Authorization": f"Bearer {people.system_token}", "Content-Type": "application/json"}
            assert _post(url + "/api/v1/incidents/alerts/", data=alert, headers=headers) in (200, 201)
            expect(page.locator('#ioc-display-panels [data-stat="alerts-severe"]')).to_have_text("1", timeout=SWAP_MS)
            assert page.evaluate("window.__sameDocument === true")
            assert page.locator("[data-ioc-map]").count() == 1  # the map slot stays
        finally:
            browser.close()


@pytest.mark.browser
def test_the_leaders_home_fits_a_360_px_phone(chromium_path, transactional_db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    from ioc.web.testing.crawl import serial_live_server

    people = _world()
    cookie = _session(people.leader)
    with serial_live_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 360, "height": 740})
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": url}])
            page = context.new_page()
            page.goto(url + "/")
            assert page.locator("#panel-leader [data-stat='reports-today']").is_visible()
            assert page.locator("#panel-leader [data-stat='incidents-open']").is_visible()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, width
        finally:
            browser.close()
