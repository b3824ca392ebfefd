"""Issue 20 part 5, R5.8: the sector dashboards in a real browser on a phone (360 px) and a tablet (768 px) — the
index and a domain's page (cards, chart, ranking) fit the screen without horizontal scrolling, with no script error.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from ioc.common.testing import chromium, page_open

KINH_TE = "kinh-te-xa-hoi"


def _world() -> Any:
    from ioc.accounts.testing import personas_create, system_actor
    from ioc.geo.models import AdminUnit
    from ioc.geo.testing import HUNG_YEN_COMMUNES, territory_ensure
    from ioc.indicators.testing import sample_catalogue
    from ioc.regulation import services as regulation_services
    from ioc.regulation.testing import sample_regulation_load

    people = personas_create()
    actor = system_actor()
    territory_ensure(actor=actor)
    act = sample_regulation_load(actor=actor, profile=settings.IOC_PROFILE)
    regulation_services.monitored_domains_set(
        actor=actor, act=act, items=[{"code": KINH_TE, "name": "Chỉ tiêu kinh tế - xã hội", "source": "999:2.2"}]
    )
    communes = list(AdminUnit.objects.filter(hierarchy="2025", code__in=HUNG_YEN_COMMUNES[:3]).order_by("code"))
    sample_catalogue(actor=actor, agency=people.agency_a, communes=communes)
    return people


@pytest.mark.browser
def test_the_sector_pages_fit_a_phone_and_a_tablet(chromium_path: str, live_server: Any, transactional_db: Any) -> None:
    from ioc.accounts.testing import session_cookie

    people = _world()
    cookie = session_cookie(people.leader)
    problems: list[str] = []
    with chromium(chromium_path) as browser:
        for width, height in ((360, 740), (768, 1024)):
            screen = {"width": width, "height": height}
            page = page_open(
                browser, url=live_server.url, session=cookie, problems=problems, viewport=screen, timeout_ms=None
            )
            for path in ("/linh-vuc/", f"/linh-vuc/{KINH_TE}/?start=2024-01-01&end=2025-12-31"):
                response = page.goto(live_server.url + path)
                assert response is not None and response.status == 200, (path, width)
                page.wait_for_load_state("networkidle")
                scroll = page.evaluate("document.documentElement.scrollWidth")
                assert scroll <= width, (path, width, scroll)
            # the domain's trend chart was drawn (ECharts fills its element), so the width above includes it
            assert page.locator("[data-sector-chart] canvas, [data-sector-chart] svg").count() > 0, width
            page.context.close()
    assert problems == []
