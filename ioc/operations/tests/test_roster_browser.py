"""R10.4 in a real browser: the month's 24/7 roster across Tết on a 360 px phone — no horizontal overflow, the
holiday shifts marked, the gaps shown before publishing, the week view; and the leader publishes knowingly.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ioc.common.testing import PHONE_360, chromium, page_open


@pytest.mark.browser
def test_the_roster_on_a_phone(chromium_path: str, live_server: Any, transactional_db: Any) -> None:
    from ioc.accounts.testing import personas_create, session_cookie
    from ioc.agencies.models import Agency
    from ioc.operations import services
    from ioc.operations.models import RosterShift
    from ioc.operations.testing import staff_make

    people = personas_create()
    Agency.objects.filter(pk=people.agency_a.pk).update(works_24x7=True)
    people.agency_a.refresh_from_db()
    chief = staff_make(
        leader=people.leader, agency=people.agency_a, name="Trưởng ca Nguyễn", start=dt.date(2025, 1, 1), is_leader=True
    )
    roster = services.roster_create(actor=people.leader, agency=people.agency_a, month=dt.date(2026, 2, 1))
    for shift in RosterShift.objects.filter(roster=roster, is_holiday=False):
        services.roster_duty_add(actor=people.leader, shift=shift, staff=chief, as_leader=True)
    cookie = session_cookie(people.leader)
    problems: list[str] = []
    with chromium(chromium_path) as browser:
        page = page_open(
            browser, url=live_server.url, session=cookie, problems=problems, viewport=PHONE_360, timeout_ms=None
        )
        url = f"{live_server.url}/van-hanh/lich-truc/{roster.pk}/"
        page.goto(url)
        assert page.get_attribute("[data-gaps]", "data-gaps") == "15"  # Tết: 5 days × 3 shifts uncovered
        assert page.locator("tr.table-warning").count() == 15
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, width
        page.goto(url + "?xem=tuan&ngay=2026-02-16")
        assert page.locator("tr[data-shift]").count() == 22  # 7 days × 3, and Sunday's night shift ending Monday
        page.goto(url)
        page.check("input[name=accept_gaps]")
        page.click("form:has(input[value=publish]) button[type=submit]")
        page.wait_for_load_state()
        assert page.get_attribute("[data-state]", "data-state") == "published"
    assert problems == []
