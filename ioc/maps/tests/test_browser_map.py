"""R6.1, R6.2 in Debian's chromium: the map draws the communes and the report points with no request beyond
localhost, a radius selection made on the page shows the same figures as the API's answer, and a camera's popup
links its snapshot and stream (R5.2; another host's image is a link, never fetched); the map fits the territory's
box and asks for its first layer without waiting for the communes' shapes (issue 20, as the wall screen does)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlparse

import pytest
from django.test import Client

from ioc.common.testing import CHROMIUM_ARGS


def _signed_in_client(user: Any) -> Client:
    from ioc.accounts.testing import sign_in

    client = Client()
    sign_in(client, user)
    return client


@pytest.mark.browser
def test_the_map_draws_points_and_a_radius_selection_equals_the_api(
    chromium_path: str, live_server: Any, transactional_db: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    import shapely
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    from ioc.accounts.testing import personas_create, system_actor
    from ioc.citizen_reports import services
    from ioc.geo.models import AdminUnit
    from ioc.geo.services import territory_set
    from ioc.geo.testing import HUNG_YEN_COMMUNES
    from ioc.sensors.services import camera_create

    territory_set(
        actor=system_actor(),
        profile=settings.IOC_PROFILE,
        name="Tỉnh Hưng Yên",
        root_code="33",
        act_date=dt.date(2025, 7, 1),
    )
    people = personas_create()
    category = services.category_create(actor=system_actor(), code="map-browser", name="Đường hư hỏng")
    commune = AdminUnit.objects.get(hierarchy="2025", code=HUNG_YEN_COMMUNES[0])
    centre = shapely.from_geojson(commune.geometry).representative_point()
    lat, lon = float(centre.y), float(centre.x)
    for i in range(4):
        services.report_receive(channel="web", category=category, description="Ổ gà", lat=lat + i * 0.001, lon=lon)
    far = shapely.from_geojson(AdminUnit.objects.get(hierarchy="2025", code=HUNG_YEN_COMMUNES[9]).geometry)
    camera_create(
        actor=people.operator, code="cam-browser", agency=people.agency_a, name="Ngã tư chợ",
        lat=float(far.representative_point().y), lon=float(far.representative_point().x),
        stream_url="rtsp://cam.example.invalid/7", snapshot_url="https://cam.example.invalid/7.jpg",
    )  # fmt: skip
    client = _signed_in_client(people.operator)
    expected = client.post(
        "/api/v1/maps/selection/", {"point": [lat, lon], "radius_m": 250}, content_type="application/json"
    ).json()
    assert expected["groups"]["citizen_reports"]["total"] == 3  # 0, 111 and 222 m north; 333 m is outside

    host = urlparse(live_server.url).hostname
    outside: list[str] = []
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="vi-VN")
            context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
            )
            context.set_default_timeout(20_000)
            page = context.new_page()
            page.on(
                "request",
                lambda r: (
                    outside.append(r.url)
                    if urlparse(r.url).hostname not in (host,) and not r.url.startswith("data:")
                    else None
                ),
            )
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

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
        finally:
            browser.close()
    assert not outside, outside
    assert not [p for p in problems if "400" not in p], problems  # the refused radius logs its 400 only


@pytest.mark.browser
def test_the_map_fits_the_territory_and_draws_its_layer_before_the_communes_come(
    chromium_path: str, live_server: Any, transactional_db: Any, monkeypatch: Any
) -> None:
    """The communes' answer is held back (refused): /ban-do/ is already fitted to the territory's box from the page
    (`data-bounds`) and has drawn its first layer; the map is never left at the whole country's default view."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    from ioc.accounts.testing import personas_create, system_actor
    from ioc.citizen_reports import services
    from ioc.geo.selectors import territory_bounds
    from ioc.geo.services import territory_set
    from ioc.maps.tests.support import point_in

    territory_set(
        actor=system_actor(),
        profile=settings.IOC_PROFILE,
        name="Tỉnh Hưng Yên",
        root_code="33",
        act_date=dt.date(2025, 7, 1),
    )
    people = personas_create()
    category = services.category_create(actor=system_actor(), code="map-early", name="Đường hư hỏng")
    lat, lon = point_in()
    services.report_receive(channel="web", category=category, description="Ổ gà", lat=lat, lon=lon)
    box = territory_bounds(profile=settings.IOC_PROFILE)
    assert box is not None
    west, south, east, north = box
    client = _signed_in_client(people.operator)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="vi-VN")
            context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
            )
            context.set_default_timeout(20_000)
            page = context.new_page()
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
        finally:
            browser.close()
