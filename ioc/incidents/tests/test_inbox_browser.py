"""R4.2 in a real browser: a severe alert not yet acknowledged plays a short sound (Web Audio API, from a static
script: CSP allows no inline script) once the operator interacts with the page, and stays highlighted until
acknowledged; after acknowledging, nothing sounds. No script error, no CSP violation.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). With CI set a missing chromium fails
the test with the install command; elsewhere it skips.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ioc.common.testing import CHROMIUM_ARGS

# Counts the tones the page starts (the real AudioContext still plays them).
COUNT_TONES = """
(() => {
  window.__tones = 0;
  const Real = window.AudioContext;
  window.AudioContext = class extends Real {
    createOscillator() { window.__tones += 1; return super.createOscillator(); }
  };
})();
"""


def _signed_in_cookie(user: Any) -> str:
    from ioc.accounts.testing import sign_in

    client = Client()
    sign_in(client, user)
    return str(client.cookies["sessionid"].value)


@pytest.mark.browser
def test_a_severe_alert_sounds_until_acknowledged(
    chromium_path: str, live_server: Any, transactional_db: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    from django.utils import timezone
    from playwright.sync_api import sync_playwright

    from ioc.accounts.testing import personas_create
    from ioc.incidents import services

    people = personas_create()
    alert = services.alert_raise(
        source="people",
        dedup_key="browser-fire",
        kind="fire",
        severity=5,
        title="Cháy kho hàng",
        occurred_at=timezone.now(),
        payload={},
        actor=people.operator,
    )
    cookie = _signed_in_cookie(people.operator)
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
            context.add_init_script(COUNT_TONES)
            page = context.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(live_server.url + "/canh-bao/")
            card = page.locator(f"#alert-{alert.pk}")
            assert card.get_attribute("data-loud") is not None
            assert "border-danger" in (card.get_attribute("class") or "")
            page.mouse.click(5, 400)  # the first interaction lets the page play sound
            page.wait_for_function("window.__tones >= 3")
            page.click(f"#alert-{alert.pk} form[action$='/acknowledge/'] button")
            page.wait_for_load_state()
            assert page.locator(f"#alert-{alert.pk}").get_attribute("data-loud") is None
            page.mouse.click(5, 400)
            page.wait_for_timeout(300)
            assert page.evaluate("window.__tones") == 0
        finally:
            browser.close()
    assert problems == []
