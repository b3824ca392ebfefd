"""R7.1, R4.2 (issue 20) in a real browser: the operator's home orders the queue (overdue work first, then the
new severe alert), a kind chip swaps the list with htmx, the severe alert sounds; the operator writes the shift
handover and the next operator sees it first on the home until acknowledging it. No script error, no CSP
violation.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). With CI set a missing chromium fails
the test with the install command; elsewhere it skips.
"""

from __future__ import annotations

from typing import Any

import pytest

from ioc.common.testing import COUNT_TONES, chromium, page_open


def _wait_until(page: Any, expression: str, timeout_ms: int = 10_000) -> None:
    """Poll `expression` with page.evaluate (CDP, outside the page's CSP; wait_for_function would eval in it)."""
    for _step in range(timeout_ms // 100):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still false after {timeout_ms} ms: {expression}")


ONLY_INCIDENTS = (
    "[...document.querySelectorAll('[data-queue-item]')].every(e => e.dataset.queueItem.startsWith('incidents:'))"
)


def _world() -> tuple[Any, Any, Any]:
    """The personas, an overdue part of an incident forwarded to agency B, a new severity-5 alert and a mild one."""
    from django.utils import timezone

    from ioc.accounts.choices import Role
    from ioc.accounts.testing import personas_create
    from ioc.common.testing import frozen, local
    from ioc.incidents import services
    from ioc.incidents.tests.support import point_in
    from ioc.web.tests.people import person

    people = personas_create()
    with frozen(local(2026, 4, 20, 8, 0)):
        old = services.alert_raise(
            source="people", dedup_key="old-flood", kind="env.flood_level", severity=3, title="Ngập sâu",
            occurred_at=timezone.now(), point=point_in(), payload={}, actor=people.operator,
        )  # fmt: skip
        incident = services.alert_verify(alert=old, actor=people.operator)
        services.incident_forward(incident=incident, agencies=[people.agency_b], actor=people.operator)
    severe = services.alert_raise(
        source="people", dedup_key="fire", kind="fire", severity=5, title="Cháy kho hàng",
        occurred_at=timezone.now(), payload={}, actor=people.operator,
    )  # fmt: skip
    services.alert_raise(
        source="people", dedup_key="dust", kind="env.air_quality", severity=2, title="Bụi mịn tăng",
        occurred_at=timezone.now(), payload={}, actor=people.operator,
    )  # fmt: skip
    return people, severe, person(people.admin, Role.IOC_OPERATOR)


@pytest.mark.browser
def test_the_queue_orders_its_items_and_the_handover_reaches_the_next_shift(
    chromium_path: str, live_server: Any, transactional_db: Any
) -> None:
    from ioc.accounts.testing import session_cookie

    people, severe, next_operator = _world()
    problems: list[str] = []
    with chromium(chromium_path) as browser:
        page = page_open(
            browser, url=live_server.url, session=session_cookie(people.operator), problems=problems, timeout_ms=None
        )
        page.add_init_script(COUNT_TONES)
        page.goto(live_server.url + "/")
        items = page.locator("[data-queue-item]").evaluate_all("els => els.map(e => e.dataset.queueItem)")
        assert items[0].startswith("assignments:"), items
        assert items[1] == f"incidents:verify:{severe.pk}", items
        assert "Bụi mịn" in page.locator("[data-queue-item]").nth(len(items) - 1).inner_text()
        page.mouse.click(5, 400)  # the first interaction lets the page play sound
        _wait_until(page, "window.__tones >= 3")
        page.click("[data-queue-kinds] a[data-kind='incidents']")
        _wait_until(page, ONLY_INCIDENTS)
        assert page.url.rstrip("/") == live_server.url  # swapped by htmx, not a new page

        page.goto(live_server.url + "/truc-ban/ban-giao/")
        happened = "Cháy kho hàng lúc 23:10, đã báo PCCC; ngập sâu chưa xử lý xong."
        page.fill("#handover-form textarea[name=happened]", happened)
        page.click("#handover-form button[type=submit]")
        page.wait_for_url("**/truc-ban/")
        page.context.close()

        page = page_open(
            browser, url=live_server.url, session=session_cookie(next_operator), problems=problems, timeout_ms=None
        )
        page.goto(live_server.url + "/")
        note = page.locator("#handover-pending")
        assert "Cháy kho hàng lúc 23:10" in note.inner_text()
        first = page.evaluate(
            "document.querySelector('#handover-pending').compareDocumentPosition(document.querySelector('#work-queue'))"
        )
        assert first & 4  # the handover comes before the queue
        note.locator("form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("#handover-pending").count() == 0
    assert problems == []
