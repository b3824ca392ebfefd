"""Issue 20 part 5, R5.8: the sector dashboards in a real browser on a phone (360 px) and a tablet (768 px) — the
index and a domain's page (cards, chart, ranking) fit the screen without horizontal scrolling, with no script error.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from ioc.common.testing import CHROMIUM_ARGS

KINH_TE = "kinh-te-xa-hoi"


def _signed_in_cookie(user: Any) -> str:
    from ioc.accounts.testing import sign_in

    client = Client()
    sign_in(client, user)
    return str(client.cookies["sessionid"].value)


def _world() -> Any:
    from ioc.accounts.testing import personas_create, system_actor
    from ioc.geo.models import AdminUnit
    from ioc.geo.services import territory_set
    from ioc.geo.testing import HUNG_YEN_COMMUNES
    from ioc.indicators.testing import sample_catalogue
    from ioc.regulation import services as regulation_services
    from ioc.regulation.testing import sample_regulation_load

    people = personas_create()
    actor = system_actor()
    territory_set(
        actor=actor, profile=settings.IOC_PROFILE, name="Tỉnh Hưng Yên", root_code="33", act_date=dt.date(2025, 7, 1)
    )
    act = sample_regulation_load(actor=actor, profile=settings.IOC_PROFILE)
    regulation_services.monitored_domains_set(
        actor=actor, act=act, items=[{"code": KINH_TE, "name": "Chỉ tiêu kinh tế - xã hội", "source": "999:2.2"}]
    )
    communes = list(AdminUnit.objects.filter(hierarchy="2025", code__in=HUNG_YEN_COMMUNES[:3]).order_by("code"))
    sample_catalogue(actor=actor, agency=people.agency_a, communes=communes)
    return people


@pytest.mark.browser
def test_the_sector_pages_fit_a_phone_and_a_tablet(
    chromium_path: str, live_server: Any, transactional_db: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    from playwright.sync_api import sync_playwright

    people = _world()
    cookie = _signed_in_cookie(people.leader)
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            for width, height in ((360, 740), (768, 1024)):
                context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
                context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
                page = context.new_page()
                page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e: problems.append(str(e)))
                for path in ("/linh-vuc/", f"/linh-vuc/{KINH_TE}/?start=2024-01-01&end=2025-12-31"):
                    response = page.goto(live_server.url + path)
                    assert response is not None and response.status == 200, (path, width)
                    page.wait_for_load_state("networkidle")
                    scroll = page.evaluate("document.documentElement.scrollWidth")
                    assert scroll <= width, (path, width, scroll)
                # the domain's trend chart was drawn (ECharts fills its element), so the width above includes it
                assert page.locator("[data-sector-chart] canvas, [data-sector-chart] svg").count() > 0, width
                context.close()
        finally:
            browser.close()
    assert problems == []
