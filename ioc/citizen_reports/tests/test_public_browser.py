"""R3.1, R3.4 in a real browser at phone size: a citizen files a report with a photo on the phone form (location
from the browser's geolocation), reads the tracking code, and finds the report by it.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). With CI set a missing chromium fails
the test with the install command; elsewhere it skips.
"""

from __future__ import annotations

import pytest

from ioc.accounts.testing import system_actor
from ioc.common.testing import chromium, page_open

PHONE = {"width": 390, "height": 844}
# The photo input's files after the page resized them (createImageBitmap reads the JPEG the form will send).
PHOTO_PROBE = """async () => {
  const file = document.querySelector("input[name=photos]").files[0];
  const bitmap = await createImageBitmap(file);
  return {count: document.querySelector("input[name=photos]").files.length, type: file.type,
          name: file.name, width: bitmap.width, height: bitmap.height};
}"""


def _setup():
    from ioc.citizen_reports import services
    from ioc.citizen_reports.tests.test_public_support import COMMUNE_CODE, point_in, territory_ensure

    territory_ensure()
    category = services.category_create(actor=system_actor(), code="chieu-sang", name="Chiếu sáng công cộng")
    lat, lon = point_in(COMMUNE_CODE)
    return category, lat, lon


def _fill_and_send(page, category, tmp_path):
    from ioc.citizen_reports.tests.test_public_support import jpeg_bytes

    photo = tmp_path / "IMG_2001.jpg"
    photo.write_bytes(jpeg_bytes(3000, 2000))
    page.wait_for_function("document.querySelector('input[name=lat]').value !== ''")
    page.select_option("select[name=category]", category.code)
    page.fill("textarea[name=description]", "Đèn đường tắt cả tuần ở đầu thôn.")
    page.fill("input[name=address]", "Đầu thôn Đông")
    page.set_input_files("input[name=photos]", str(photo))
    page.wait_for_selector("[data-report-form][data-photos-ready='1']")
    probe = page.evaluate(PHOTO_PROBE)
    assert probe["count"] == 1 and probe["type"] == "image/jpeg", probe
    assert max(probe["width"], probe["height"]) <= 1600, probe
    assert (probe["width"], probe["height"]) == (1600, 1067), probe
    page.locator("[data-submit]").tap()
    page.wait_for_selector("#tracking-code")
    return page.inner_text("#tracking-code").strip()


@pytest.mark.browser
def test_it_files_a_report_with_a_photo_on_a_phone_and_finds_it_by_its_code(
    chromium_path, live_server, transactional_db, tmp_path
):
    from ioc.citizen_reports.models import Report, ReportPhoto

    category, lat, lon = _setup()
    problems: list[str] = []
    with chromium(chromium_path) as browser:
        page = page_open(
            browser,
            problems=problems,
            viewport=PHONE,
            device_scale_factor=3,
            is_mobile=True,
            has_touch=True,
            geolocation={"latitude": lat, "longitude": lon},
            permissions=["geolocation"],
        )
        page.goto(live_server.url + "/phan-anh/gui/")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        code = _fill_and_send(page, category, tmp_path)

        report = Report.objects.get(tracking_code=code)
        assert report.channel == "web" and report.unit is not None and report.lat is not None
        assert ReportPhoto.objects.filter(report=report).count() == 1

        page.goto(live_server.url + "/phan-anh/tra-cuu/")
        page.fill("input[name=code]", code.lower())
        page.locator("#track-form button[type=submit]").tap()
        page.wait_for_selector("[data-status]")
        assert f"/phan-anh/tra-cuu/{code}/" in page.url
        assert code in page.inner_text("h1")
        assert page.inner_text("[data-status]").strip() == "Đã tiếp nhận"
        assert "Đèn đường tắt cả tuần" in page.inner_text("[data-description]")
    assert problems == [], problems


@pytest.mark.browser
def test_it_draws_a_published_report_on_the_public_map_and_lists_it(chromium_path, live_server, transactional_db):
    from ioc.accounts.testing import personas_create
    from ioc.citizen_reports import services
    from ioc.citizen_reports.tests.test_public_support import publish_report

    category, lat, lon = _setup()
    people = personas_create()
    received = services.report_receive(
        channel="web", category=category, description="Cột đèn nghiêng", lat=lat, lon=lon
    )
    report = publish_report(
        received.report, operator=people.operator, officer=people.officer_a, result="Đã dựng lại cột đèn."
    )
    problems: list[str] = []
    with chromium(chromium_path) as browser:
        page = page_open(browser, problems=problems, viewport=PHONE, locale=None, is_mobile=True, has_touch=True)
        page.goto(live_server.url + "/phan-anh/ban-do/")
        page.wait_for_selector("[data-public-map][data-feature-count='1']")
        page.locator(".leaflet-marker-icon").first.tap()
        page.wait_for_selector(".ioc-map-popup")
        assert report.tracking_code in page.inner_text(".ioc-map-popup")
        page.goto(live_server.url + "/phan-anh/cong-khai/")
        assert "Đã dựng lại cột đèn." in page.inner_text(f"[data-report='{report.tracking_code}']")
    assert problems == [], problems
