"""Issue 17 in a real browser: an operator selects a radius on the digital map (typed coordinates, no drawing),
follows "Lập báo cáo cho vùng này", picks the template and the month, and gets a draft whose area figures equal the
map's own count; the header names the area. Debian's chromium (marker `browser`); no script error."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ioc.accounts.testing import system_actor
from ioc.common.testing import WIDE, chromium, page_open


@pytest.mark.browser
def test_from_a_map_selection_to_a_draft_for_the_area(
    chromium_path: str, live_server: Any, transactional_db: Any
) -> None:
    import shapely
    from django.conf import settings
    from django.utils import timezone

    from ioc.accounts.testing import personas_create, session_cookie
    from ioc.citizen_reports import services as cr_services
    from ioc.geo.models import AdminUnit
    from ioc.geo.testing import HUNG_YEN_COMMUNES, territory_ensure
    from ioc.reporting.models import Report
    from ioc.reporting.services import report_templates_ensure

    territory_ensure(actor=system_actor())
    report_templates_ensure()
    people = personas_create()
    category = cr_services.category_create(actor=system_actor(), code="area-browser", name="Đường hư hỏng")
    commune = AdminUnit.objects.get(hierarchy="2025", code=HUNG_YEN_COMMUNES[0])
    centre = shapely.from_geojson(commune.geometry).representative_point()
    lat, lon = float(centre.y), float(centre.x)
    for i in range(4):  # 0, 111, 222 and 333 m north of the centre: three inside a 250 m radius
        cr_services.report_receive(channel="web", category=category, description="Ổ gà", lat=lat + i * 0.001, lon=lon)
    client = Client()
    cookie = session_cookie(people.operator)
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    expected = client.post(
        "/api/v1/maps/selection/", {"point": [lat, lon], "radius_m": 250}, content_type="application/json"
    ).json()
    assert expected["groups"]["citizen_reports"]["total"] == 3
    month = timezone.localtime().strftime("%Y%m")
    problems: list[str] = []
    with chromium(chromium_path) as browser:
        page = page_open(browser, url=live_server.url, session=cookie, problems=problems, viewport=WIDE)
        page.goto(live_server.url + "/ban-do/")
        page.wait_for_selector("[data-ioc-map][data-feature-count]")
        page.click("[data-select-mode=circle]")
        page.fill("#sel-lat", f"{lat:.6f}")
        page.fill("#sel-lon", f"{lon:.6f}")
        page.fill("#sel-radius", "250")
        page.click("[data-select-circle] button[type=submit]")
        page.wait_for_selector("[data-ioc-map-page][data-selection-done]")
        page.click("[data-selection-report]")

        page.wait_for_selector("#generate-from-map")
        assert page.input_value("#generate-form select[name=scope_kind]") == "area"
        page.select_option("#generate-form select[name=template]", "operations-monthly")
        page.fill("#generate-form input[name=period]", month)
        page.click("#generate-form button[type=submit]")
        page.wait_for_selector("#report-body")
        assert "250 m" in page.inner_text("#report-scope-area")
        assert "chưa tách được theo vùng" in page.inner_text("#report-body")
    report = Report.objects.get()
    assert report.scope_kind == "area"
    assert report.figures["citizen_reports.area_received"]["value"] == 3
    assert problems == [], problems
