"""R5.6 (issue 21 "a changed page raises cyber.defacement with diff and screenshot", marker browser): a local site
is defaced; the check takes its screenshot in Debian's chromium with every request routed through the guarded client
(a request to a link-local address is refused and listed), stores the PNG with the result and serves it only to the
watch's operators who may see the asset."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from ioc.cybersecurity.tests.servers import GOOD_HEADERS, Page
from ioc.cybersecurity.tests.test_checks import CheckTestBase

PNG = b"\x89PNG\r\n\x1a\n"
# the page lets the browser ask for any image, so the guard (not the page's own policy) is what refuses it
HEADERS = {**GOOD_HEADERS, "Content-Security-Policy": "default-src 'self'; img-src *"}


@pytest.mark.browser
@pytest.mark.usefixtures("chromium_path")
@override_settings(CYBER_SCREENSHOT_CHROMIUM="/usr/bin/chromium", CYBER_SCREENSHOT_SECONDS=30)
class ScreenshotTest(CheckTestBase):
    def test_a_defaced_page_is_screenshot_through_the_guard_and_served_to_operators_only(self):
        server = self.web()
        page = "<html><body><div id='main'>{}</div><img src='http://169.254.169.254/latest/meta-data'></body></html>"
        server.pages["/"] = Page(body=page.format("Tin tuc tinh").encode(), headers=HEADERS)
        asset = self.check(self.asset(server.url(host="127.0.0.1"), deface_selectors=["#main"]))
        self.assertFalse(self.last(asset).screenshot)  # not defaced: no browser started

        server.pages["/"] = Page(body=page.format("HACKED BY X").encode(), headers=HEADERS)
        asset = self.check(asset)
        result = self.last(asset)
        self.assertIn("defacement", asset.problems)
        self.assertTrue(result.screenshot, result.detail.get("screenshot_error"))
        blocked = result.detail.get("screenshot_blocked")
        self.assertEqual(blocked, ["http://169.254.169.254/latest/meta-data"], result.detail)
        with result.screenshot.open("rb") as stored:
            self.assertTrue(stored.read().startswith(PNG))

        url = reverse("cybersecurity:result_screenshot", args=[asset.pk, result.pk])
        self.sign_in(self.client, self.operator)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/png")
        self.assertTrue(b"".join(response.streaming_content).startswith(PNG))
        detail = self.client.get(reverse("cybersecurity:asset_detail", args=[asset.pk]))
        self.assertContains(detail, url)
        for persona in (self.officer_a, self.officer_b):  # an agency's officer, even the asset's own: not the watch's
            self.sign_in(self.client, persona)
            self.assertIn(self.client.get(url).status_code, (403, 404))
