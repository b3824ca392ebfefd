"""R7.4 in a real browser: an operator follows the portal's staff sign-in link, signs in, enrols TOTP from the
page's secret, and reaches the home page.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). With CI set a missing chromium fails
the test with the install command; elsewhere it skips.
"""

from __future__ import annotations

import base64

import pytest

from ioc.common.testing import chromium


@pytest.mark.browser
def test_it_signs_in_an_operator_with_totp_enrolment(chromium_path, live_server, transactional_db):
    from django_otp.oath import TOTP

    from ioc.accounts.testing import PASSWORD, personas_create

    people = personas_create()
    with chromium(chromium_path) as browser:
        page = browser.new_page()  # the browser's own defaults: no session, no window or language set
        page.goto(live_server.url + "/")  # the public portal; staff sign in from its link
        page.click("#staff-sign-in")
        page.wait_for_selector("#login-form")
        assert "/tai-khoan/dang-nhap/" in page.url
        page.fill("#login-form input[name=username]", people.operator.username)
        page.fill("#login-form input[name=password]", PASSWORD)
        page.click("#login-form button[type=submit]")

        page.wait_for_selector("#totp-secret")
        assert "/tai-khoan/xac-thuc/dang-ky/" in page.url
        assert page.locator("#totp-qr svg").count() == 1
        secret = page.inner_text("#totp-secret").replace(" ", "").strip()
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        page.fill("#totp-form input[name=code]", str(TOTP(key).token()).zfill(6))
        page.click("#totp-form button[type=submit]")

        page.wait_for_selector("#backup-codes")
        assert page.locator("#backup-codes li").count() == 10
        page.click("#continue")
        page.wait_for_load_state()
        assert page.url.rstrip("/") == live_server.url, page.url
        assert "/tai-khoan/" not in page.url
        assert page.locator("#portal-actions").count() == 0  # signed in: the home, not the portal
