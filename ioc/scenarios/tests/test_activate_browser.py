"""R4.6, R4.4 in a real browser on a phone-sized screen (360 × 740): the IOC leader opens a ready scenario,
activates it with a reason, lands on the command view (map, each agency's checklist) and ticks an item. No script
error, no CSP violation, nothing wider than the phone.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). With CI set a missing chromium fails
the test with the install command; elsewhere it skips.
"""

from __future__ import annotations

from typing import Any

import pytest

from ioc.common.testing import PHONE_360, chromium, page_open


@pytest.mark.browser
def test_a_leader_activates_a_scenario_on_a_phone(chromium_path: str, live_server: Any, transactional_db: Any) -> None:
    from ioc.accounts.testing import personas_create, session_cookie
    from ioc.scenarios import services
    from ioc.scenarios.models import Activation, ChecklistItem
    from ioc.scenarios.tests.support import flood_definition

    people = personas_create()
    scenario = services.scenario_create(
        actor=people.admin, code="lu-lut", name="Ứng phó ngập lụt", definition=flood_definition(people.agency_b.code)
    )
    cookie = session_cookie(people.leader)
    problems: list[str] = []
    with chromium(chromium_path) as browser:
        page = page_open(
            browser,
            url=live_server.url,
            session=cookie,
            problems=problems,
            viewport=PHONE_360,
            timeout_ms=None,
            is_mobile=True,
        )
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
