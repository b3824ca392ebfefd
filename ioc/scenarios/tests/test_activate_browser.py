"""R4.6, R4.4 in a real browser on a phone-sized screen (360 × 740): the IOC leader opens a ready scenario,
activates it with a reason, lands on the command view (map, each agency's checklist) and ticks an item. No script
error, no CSP violation, nothing wider than the phone.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). With CI set a missing chromium fails
the test with the install command; elsewhere it skips.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ioc.common.testing import CHROMIUM_ARGS


def _signed_in_cookie(user: Any) -> str:
    from ioc.accounts.testing import sign_in

    client = Client()
    sign_in(client, user)
    return str(client.cookies["sessionid"].value)


@pytest.mark.browser
def test_a_leader_activates_a_scenario_on_a_phone(
    chromium_path: str, live_server: Any, transactional_db: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    from playwright.sync_api import sync_playwright

    from ioc.accounts.testing import personas_create
    from ioc.scenarios import services
    from ioc.scenarios.models import Activation, ChecklistItem
    from ioc.scenarios.tests.support import flood_definition

    people = personas_create()
    scenario = services.scenario_create(
        actor=people.admin, code="lu-lut", name="Ứng phó ngập lụt", definition=flood_definition(people.agency_b.code)
    )
    cookie = _signed_in_cookie(people.leader)
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", is_mobile=True)
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
            page = context.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(live_server.url + "/kich-ban/")
            page.click(f"#scenario-list a[href$='/kich-ban/{scenario.pk}/']")
            page.wait_for_selector("#activate-form")
            page.fill("#activate-form textarea[name=reason], #activate-form input[name=reason]", "Mưa lớn kéo dài")
            page.click("#activate-form button[type=submit]")
            page.wait_for_selector("#command-view")
            activation = Activation.objects.get(scenario=scenario)
            assert page.url.endswith(f"/kich-ban/chi-huy/{activation.pk}/"), page.url
            page.wait_for_selector("#command-map.leaflet-container")
            assert page.locator("#command-map path").count() >= 1  # the watched area (and the incident's point)
            assert page.locator("#checklist [data-progress]").inner_text().strip() == "0/3"
            page.locator("#checklist form button").first.click()
            page.wait_for_selector("#command-view")
            assert page.locator("#checklist [data-progress]").inner_text().strip() == "1/3"
            assert ChecklistItem.objects.filter(activation=activation, done_at__isnull=False).count() == 1
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"the command view is {width}px wide on a 360px phone"
            assert problems == [], problems
        finally:
            browser.close()
