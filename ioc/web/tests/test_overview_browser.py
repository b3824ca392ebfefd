"""Issue 20 in a real browser: the overview draws the communes and the reports, incidents and sensors points with
no request leaving localhost; a citizen report (Open311) and an alert (the alerts API) made over HTTP appear on the
open overview within 5 s — the report on the map too, asked again alone, in compact rows, its details on a click —,
without a page reload; after a server restart the overview
says "mất kết nối", then reconnects and swaps its panels without a reload; the leaders' home works at 360 px.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`); see ioc/accounts/tests/test_browser_login.py.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest

from ioc.common.testing import PHONE_360, chromium, page_open

SWAP_MS = 5000


def _post(url: str, *, data: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


def _world() -> Any:
    from ioc.accounts.testing import personas_create, system_actor
    from ioc.citizen_reports import services as report_services
    from ioc.citizen_reports.tests.test_core_support import territory_ensure

    people = personas_create()
    territory_ensure()
    report_services.category_create(
        actor=system_actor(), code="live-road", name="Đường hư hỏng", default_agency=people.agency_a
    )
    return people


def _point_in(code: str) -> tuple[float, float]:
    """A point inside the commune `code` (its boundary's representative point), as (lat, lon)."""
    import shapely

    from ioc.geo.models import AdminUnit

    p = shapely.from_geojson(AdminUnit.objects.get(hierarchy="2025", code=code).geometry).representative_point()
    return float(p.y), float(p.x)


def _stat(page: Any, name: str) -> str:
    return str(page.inner_text(f'#ioc-display-panels [data-stat="{name}"]')).strip()


def _watch_outside(page: Any, url: str) -> list[str]:
    """Requests leaving the live server's host (none may: no tile server, no CDN), as test_browser_map does."""
    host = urlparse(url).hostname
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if urlparse(r.url).hostname != host and not r.url.startswith("data:") else None,
    )
    return outside


def _overview(browser: Any, url: str, cookie: str) -> Any:
    return page_open(browser, url=url, session=cookie, viewport={"width": 1920, "height": 1080}, timeout_ms=None)


@pytest.mark.browser
def test_a_report_and_an_alert_appear_on_the_open_overview(chromium_path, transactional_db):
    from playwright.sync_api import expect

    from ioc.accounts.testing import session_cookie
    from ioc.citizen_reports.models import Report
    from ioc.geo.testing import HUNG_YEN_COMMUNES
    from ioc.web.testing.crawl import serial_live_server

    people = _world()
    cookie = session_cookie(people.screen_user)
    with serial_live_server() as url, chromium(chromium_path) as browser:
        page = _overview(browser, url, cookie)
        outside = _watch_outside(page, url)
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url) if "/api/v1/maps/layers/" in r.url else None)
        page.goto(url + "/man-hinh/")
        page.wait_for_selector("[data-ioc-map][data-feature-count]")
        assert int(page.get_attribute("[data-ioc-map]", "data-feature-count") or 0) > 0  # the communes
        for layer in ("citizen_reports", "incidents", "sensors"):  # each point layer answered (none yet)
            page.wait_for_selector(f"[data-ioc-map-page][data-layer-{layer}='0']")
        assert _stat(page, "reports-today") == "0"
        assert _stat(page, "alerts") == "0"
        page.evaluate("window.__sameDocument = true")  # a reload would drop it

        lat, lon = _point_in(HUNG_YEN_COMMUNES[0])
        report = urlencode({
            "api_key": people.system_token, "service_code": "live-road", "lat": f"{lat:.6f}", "long": f"{lon:.6f}",
            "description": "Ổ gà lớn giữa đường trước chợ",
        }).encode()  # fmt: skip
        assert _post(url + "/open311/v2/requests.json", data=report, headers={}) in (200, 201)
        expect(page.locator('#ioc-display-panels [data-stat="reports-today"]')).to_have_text("1", timeout=SWAP_MS)
        map_page = page.locator("[data-ioc-map-page]")
        expect(map_page).to_have_attribute("data-layer-citizen_reports", "1", timeout=SWAP_MS)  # its point
        expect(page.locator("[data-layer-count=citizen_reports]")).to_have_text("1")
        assert page.locator(".leaflet-overlay-pane canvas").count() >= 1
        # Issue 20: compact rows; only the layer whose version moved was asked again.
        assert asked and all("compact=1" in a for a in asked), asked
        assert len([a for a in asked if "/layers/incidents/" in a]) == 1, asked
        assert len([a for a in asked if "/layers/sensors/" in a]) == 1, asked
        assert len([a for a in asked if "/layers/citizen_reports/" in a]) >= 2, asked
        # A click on the compact point asks for its details and shows its tracking code.
        filed = Report.objects.get()
        x, y = page.evaluate(
            """(id) => {
              const mp = document.querySelector("[data-ioc-map-page]").iocMapPage;
              const p = mp.map.latLngToContainerPoint(mp.markers.citizen_reports[String(id)].getLatLng());
              const box = mp.map.getContainer().getBoundingClientRect();
              return [box.left + p.x, box.top + p.y];
            }""",
            filed.pk,
        )
        page.mouse.click(x, y)
        details = page.locator(f"[data-point-details='citizen_reports:{filed.pk}']")
        expect(details).to_contain_text(filed.tracking_code, timeout=SWAP_MS)

        alert = json.dumps({
            "source": "sensors", "dedup_key": "tram-7", "kind": "env.flood_level", "severity": 5,
            "title": "Mực nước trạm 7 vượt báo động 3",
        }).encode()  # fmt: skip
        headers = {"Authorization": f"Bearer {people.system_token}", "Content-Type": "application/json"}
        assert _post(url + "/api/v1/incidents/alerts/", data=alert, headers=headers) in (200, 201)
        expect(page.locator('#ioc-display-panels [data-stat="alerts-severe"]')).to_have_text("1", timeout=SWAP_MS)
        assert page.evaluate("window.__sameDocument === true")
        assert page.locator("[data-ioc-map]").count() == 1  # the map slot stays
    assert not outside, outside


@pytest.mark.browser
def test_the_overview_reconnects_after_a_server_restart(chromium_path, transactional_db):
    """Issue 20 part 2: stop the server under the open overview, see "mất kết nối"; start it again on the same
    port, and the change made meanwhile shows in the panels without a reload."""
    from django.utils import timezone
    from playwright.sync_api import expect

    from ioc.accounts.testing import session_cookie, system_actor
    from ioc.incidents.services import alert_raise
    from ioc.web.testing.crawl import serial_live_server

    people = _world()
    cookie = session_cookie(people.screen_user)
    with chromium(chromium_path) as browser:
        connection = None
        with serial_live_server() as url:
            page = _overview(browser, url, cookie)
            page.goto(url + "/man-hinh/?poll=0.5")
            assert _stat(page, "alerts-severe") == "0"
            page.evaluate("window.__sameDocument = true")  # a reload would drop it
            connection = page.locator("[data-ioc-display-connection]")
            expect(connection).to_have_text("Đang kết nối")
        # The server is stopped: the next poll fails.
        expect(connection).to_have_text("Mất kết nối, đang thử lại…", timeout=SWAP_MS)
        expect(connection).to_have_class("ioc-overview-connection ioc-lost")
        alert_raise(
            source="sensors", dedup_key="tram-9", kind="env.flood_level", severity=5,
            title="Mực nước trạm 9 vượt báo động 3", occurred_at=timezone.now(), actor=system_actor(),
        )  # fmt: skip
        with serial_live_server(port=int(urlparse(url).port or 0)):
            # Back-off from 0.5 s doubles while down: the first poll after the restart comes within seconds.
            expect(connection).to_have_text("Đang kết nối", timeout=4 * SWAP_MS)
            stat = page.locator('#ioc-display-panels [data-stat="alerts-severe"]')
            expect(stat).to_have_text("1", timeout=SWAP_MS)
            assert page.evaluate("window.__sameDocument === true")


@pytest.mark.browser
def test_the_leaders_home_fits_a_360_px_phone(chromium_path, transactional_db):
    from ioc.accounts.testing import session_cookie
    from ioc.web.testing.crawl import serial_live_server

    people = _world()
    cookie = session_cookie(people.leader)
    with serial_live_server() as url, chromium(chromium_path) as browser:
        page = page_open(browser, url=url, session=cookie, viewport=PHONE_360, locale=None, timeout_ms=None)
        page.goto(url + "/")
        assert page.locator("#panel-leader [data-stat='reports-today']").is_visible()
        assert page.locator("#panel-leader [data-stat='incidents-open']").is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, width
