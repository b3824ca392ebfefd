"""R6.1, R6.2 in Debian's chromium: the map draws the communes and the report points with no request beyond
localhost, a radius selection made on the page shows the same figures as the API's answer, and a camera's popup
links its snapshot and stream (R5.2; another host's image is a link, never fetched); the map fits the territory's
box and asks for its first layer without waiting for the communes' shapes (issue 20, as the wall screen does)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest
from django.test import Client

from ioc.common.testing import WIDE, chromium, page_open


@pytest.mark.browser
def test_the_map_draws_points_and_a_radius_selection_equals_the_api(
    chromium_path: str, live_server: Any, transactional_db: Any
) -> None:
    from ioc.accounts.testing import personas_create, session_cookie, sign_in, system_actor
    from ioc.citizen_reports import services
    from ioc.maps.tests.support import OTHER_COMMUNE, point_in, territory_ensure
    from ioc.sensors.services import camera_create

    territory_ensure()
    people = personas_create()
    category = services.category_create(actor=system_actor(), code="map-browser", name="Đường hư hỏng")
    lat, lon = point_in()
    for i in range(4):
        services.report_receive(channel="web", category=category, description="Ổ gà", lat=lat + i * 0.001, lon=lon)
    far_lat, far_lon = point_in(OTHER_COMMUNE)
    camera_create(
        actor=people.operator, code="cam-browser", agency=people.agency_a, name="Ngã tư chợ", lat=far_lat, lon=far_lon,
        stream_url="rtsp://cam.example.invalid/7", snapshot_url="https://cam.example.invalid/7.jpg",
    )  # fmt: skip
    client = Client()
    sign_in(client, people.operator)
    expected = client.post(
        "/api/v1/maps/selection/", {"point": [lat, lon], "radius_m": 250}, content_type="application/json"
    ).json()
    assert expected["groups"]["citizen_reports"]["total"] == 3  # 0, 111 and 222 m north; 333 m is outside

    host = urlparse(live_server.url).hostname
    outside: list[str] = []
    problems: list[str] = []
    session = session_cookie(people.operator)
    with chromium(chromium_path) as browser:
        page = page_open(browser, url=live_server.url, session=session, problems=problems, viewport=WIDE)
        page.on(
            "request",
            lambda r: (
                outside.append(r.url)
                if urlparse(r.url).hostname not in (host,) and not r.url.startswith("data:")
                else None
            ),
        )
        page.goto(live_server.url + "/ban-do/")
        page.wait_for_selector("[data-ioc-map][data-feature-count]")
        assert int(page.get_attribute("[data-ioc-map]", "data-feature-count") or 0) == 20
        page.wait_for_selector("[data-ioc-map-page][data-layer-citizen_reports]")
        assert page.locator(".leaflet-overlay-pane path.leaflet-interactive, canvas").count() >= 1
        drawn = page.get_attribute("[data-ioc-map-page]", "data-layer-citizen_reports")
        assert drawn == "4", drawn

        page.click("[data-select-mode=circle]")
        page.fill("#sel-lat", f"{lat:.6f}")
        page.fill("#sel-lon", f"{lon:.6f}")
        page.fill("#sel-radius", "250")
        page.click("[data-select-circle] button[type=submit]")
        page.wait_for_selector("[data-ioc-map-page][data-selection-done]")
        shown = page.inner_text("[data-selection-total=citizen_reports]")
        assert int(shown) == expected["groups"]["citizen_reports"]["total"]
        for status, n in expected["groups"]["citizen_reports"]["by_status"].items():
            cell = f"[data-selection-count='citizen_reports.by_status.{status}']"
            assert int(page.inner_text(cell)) == n
        for group in ("incidents", "sensors", "facilities"):
            assert int(page.inner_text(f"[data-selection-total={group}]")) == expected["groups"][group]["total"]

        page.fill("#sel-radius", "0")
        page.click("[data-select-circle] button[type=submit]")
        page.wait_for_selector("[data-selection-error]")
        assert "radius_m" in page.inner_text("[data-selection-error]")

        page.check("[data-map-layer=cameras]")
        page.wait_for_selector("[data-ioc-map-page][data-layer-cameras='1']")
        page.evaluate("Object.values(document.querySelector('[data-ioc-map-page]').iocMapPage.markers.cameras)"
                      "[0].openPopup()")  # fmt: skip
        popup = page.locator(".leaflet-popup [data-camera-popup=cam-browser]")
        assert popup.locator("a[data-camera-link=snapshot]").get_attribute("href") == (
            "https://cam.example.invalid/7.jpg"
        )
        assert popup.locator("a[data-camera-link=stream]").get_attribute("href") == "rtsp://cam.example.invalid/7"
        assert popup.locator("img").count() == 0  # another host's snapshot: a link only (CSP img-src 'self')
    assert not outside, outside
    assert not [p for p in problems if "400" not in p], problems  # the refused radius logs its 400 only


@pytest.mark.browser
def test_the_map_fits_the_territory_and_draws_its_layer_before_the_communes_come(
    chromium_path: str, live_server: Any, transactional_db: Any
) -> None:
    """The communes' answer is held back (refused): /ban-do/ is already fitted to the territory's box from the page
    (`data-bounds`) and has drawn its first layer; the map is never left at the whole country's default view."""
    from django.conf import settings

    from ioc.accounts.testing import personas_create, session_cookie, system_actor
    from ioc.citizen_reports import services
    from ioc.geo.selectors import territory_bounds
    from ioc.maps.tests.support import point_in, territory_ensure

    territory_ensure()
    people = personas_create()
    category = services.category_create(actor=system_actor(), code="map-early", name="Đường hư hỏng")
    lat, lon = point_in()
    services.report_receive(channel="web", category=category, description="Ổ gà", lat=lat, lon=lon)
    box = territory_bounds(profile=settings.IOC_PROFILE)
    assert box is not None
    west, south, east, north = box
    session = session_cookie(people.operator)

    with chromium(chromium_path) as browser:
        page = page_open(browser, url=live_server.url, session=session, viewport=WIDE)
        page.route("**/api/v1/geo/territory/boundaries/**", lambda route: route.abort())
        page.goto(live_server.url + "/ban-do/")
        page.wait_for_selector("[data-ioc-map-page][data-layer-citizen_reports='1']")
        page.wait_for_function(  # the refused communes are said so; the map stays usable
            "() => /Không tải được/.test(document.querySelector('[data-ioc-map-status]').textContent)"
        )
        view = page.evaluate(
            """() => { const map = document.querySelector("[data-ioc-map]").iocMap, c = map.getCenter();
                       return {lat: c.lat, lon: c.lng, zoom: map.getZoom()}; }"""
        )
        assert south < view["lat"] < north and west < view["lon"] < east, view
        assert view["zoom"] >= 8, view  # fitted to the province, not the country's default zoom 6
        assert page.get_attribute("[data-ioc-map]", "data-feature-count") is None  # no communes were drawn
