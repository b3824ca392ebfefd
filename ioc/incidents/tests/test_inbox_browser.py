"""R4.2 in a real browser: a severe alert not yet acknowledged plays a short sound (Web Audio API, from a static
script: CSP allows no inline script) once the operator interacts with the page, and stays highlighted until
acknowledged; after acknowledging, nothing sounds. No script error, no CSP violation.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). With CI set a missing chromium fails
the test with the install command; elsewhere it skips.
"""

from __future__ import annotations

from typing import Any

import pytest

from ioc.common.testing import COUNT_TONES, chromium, page_open


@pytest.mark.browser
def test_a_severe_alert_sounds_until_acknowledged(chromium_path: str, live_server: Any, transactional_db: Any) -> None:
    from django.utils import timezone

    from ioc.accounts.testing import personas_create, session_cookie
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
    session = session_cookie(people.operator)
    problems: list[str] = []
    with chromium(chromium_path) as browser:
        page = page_open(browser, url=live_server.url, session=session, problems=problems, timeout_ms=None)
        page.add_init_script(COUNT_TONES)
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
    assert problems == []
