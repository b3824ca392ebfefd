"""R5.3 (004:6.4) in a real browser on a 360 px screen: a citizen types the dossier code and the phone given at
receipt and reads the steps and the expected date; the page fits the screen. Debian's chromium (marker browser)."""

from __future__ import annotations

import datetime as dt

import pytest

from ioc.common.testing import PHONE_360, chromium, page_open

CONTACT = "0900000444"


def _setup() -> None:
    from django.utils import timezone

    from ioc.accounts.testing import personas_create
    from ioc.dossiers.services import dossier_event_receive
    from ioc.dossiers.tests.helpers import event, procedure_create, receipt

    people = personas_create()
    procedure_create(people.admin)
    start = timezone.now() - dt.timedelta(hours=3)
    rows = [
        receipt("MOT-CUA-2026-000123", start, phone=CONTACT),
        event("MOT-CUA-2026-000123", "step_done", start + dt.timedelta(hours=1), "b-1", step="tiep-nhan"),
    ]
    dossier_event_receive(agency=people.agency_a, rows=rows, actor=people.system_user)


@pytest.mark.browser
def test_a_citizen_looks_a_dossier_up_on_a_small_phone(chromium_path, live_server, transactional_db):
    _setup()
    problems: list[str] = []
    with chromium(chromium_path) as browser:
        page = page_open(browser, problems=problems, console=False, viewport=PHONE_360, is_mobile=True, has_touch=True)
        page.goto(f"{live_server.url}/ho-so/tra-cuu/")
        page.fill("input[name=code]", "MOT-CUA-2026-000123")
        page.fill("input[name=contact]", "0900 000 444")
        page.locator("#lookup-form button[type=submit]").tap()
        page.wait_for_selector("#lookup-result")
        text = page.inner_text("#lookup-result")
        assert "Cấp giấy phép thử nghiệm" in text, text
        assert "Tiếp nhận" in text and "Chưa xong" in text, text
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_360["width"], f"the page is {width}px wide"
        page.fill("input[name=code]", "MOT-CUA-2026-000123")
        page.fill("input[name=contact]", "0911111111")
        page.locator("#lookup-form button[type=submit]").tap()
        page.wait_for_selector("#lookup-not-found")
    assert not problems, problems
