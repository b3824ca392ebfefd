"""R4.6 in a real browser: an administrator draws a scenario's watched area as a polygon on the editor's map
(Leaflet + Geoman); the drawing lands in the definition's JSON (still the keyboard users' way in) and is saved as
a new version with `{"type": "polygon", "geojson": …}`. No script error, no CSP violation.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). With CI set a missing chromium fails
the test with the install command; elsewhere it skips.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from ioc.common.testing import WIDE, chromium, page_open


@pytest.mark.browser
def test_an_administrator_draws_the_watched_area_as_a_polygon(
    chromium_path: str, live_server: Any, transactional_db: Any
) -> None:
    from ioc.accounts.testing import personas_create, session_cookie
    from ioc.geo.selectors import area_from_geojson
    from ioc.scenarios import services
    from ioc.scenarios.models import Scenario
    from ioc.scenarios.tests.support import flood_definition, territory

    people = personas_create()
    territory()
    scenario = services.scenario_create(
        actor=people.admin, code="lu-lut", name="Ứng phó ngập lụt", definition=flood_definition(people.agency_b.code)
    )
    cookie = session_cookie(people.admin)
    problems: list[str] = []
    with chromium(chromium_path) as browser:
        page = page_open(
            browser, url=live_server.url, session=cookie, problems=problems, viewport=WIDE, timeout_ms=None
        )
        page.goto(live_server.url + f"/kich-ban/{scenario.pk}/sua/")
        page.wait_for_selector("#area-map[data-ready='1']")
        assert page.get_attribute("#area-map", "data-area-type") == "unit"
        page.wait_for_selector("#area-map[data-territory]")  # the territory's communes, drawn under it
        assert int(page.get_attribute("#area-map", "data-territory") or 0) > 0
        page.click("#area-draw [data-area-draw=Polygon]")
        box = page.locator("#area-map").bounding_box()
        assert box is not None
        corners = [(120, 90), (300, 110), (260, 250), (140, 230)]
        for x, y in [*corners, corners[0]]:  # clicking the first vertex again closes the ring
            page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_selector("#area-map[data-area-type='polygon']")
        area = json.loads(page.input_value("#id_definition"))["area"]
        assert area["type"] == "polygon" and area["geojson"]["type"] == "Polygon", area
        page.click("#scenario-form button[type=submit]:not([name])")
        page.wait_for_url(f"**/kich-ban/{scenario.pk}/")
        assert problems == [], problems
    scenario = Scenario.objects.get(pk=scenario.pk)
    assert scenario.version == 2
    saved = scenario.definition["area"]
    assert saved["type"] == "polygon"
    assert len(saved["geojson"]["coordinates"][0]) == 5  # four corners and the closing point
    assert area_from_geojson(saved["geojson"]).geometry.area > 0
