"""R1.2c in a real browser: an agency officer opens a dataset, follows "type into a form", types two rows
(a code chosen from its list, a number, a date), first with a mistake shown on its cell, then corrected, and
lands on the stored submission (channel "form").

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). With CI set a missing chromium fails
the test with the install command; elsewhere it skips.
"""

from __future__ import annotations

from typing import Any

import pytest

from ioc.common.testing import chromium, page_open


def _type_row(page: Any, index: int, code: str, beds: str) -> None:
    page.fill(f"input[name=dong-{index}-ma_co_so]", code)
    page.fill(f"input[name=dong-{index}-ten_co_so]", f"Trạm y tế {code}")
    page.select_option(f"select[name=dong-{index}-loai]", "tram_y_te")
    page.fill(f"input[name=dong-{index}-so_giuong]", beds)
    page.fill(f"input[name=dong-{index}-ngay_cap_nhat]", "2025-07-01")


@pytest.mark.browser
def test_an_officer_types_two_rows_into_the_generated_form(
    chromium_path: str, live_server: Any, transactional_db: Any
) -> None:
    from ioc.accounts.selectors import system_account
    from ioc.accounts.testing import personas_create, session_cookie
    from ioc.datahub.models import Record, Submission
    from ioc.datahub.testing import dataset_make

    people = personas_create()
    dataset = dataset_make(actor=system_account(), owner=people.agency_a)
    base = live_server.url
    problems: list[str] = []
    with chromium(chromium_path) as browser:
        page = page_open(browser, url=base, session=session_cookie(people.officer_a), problems=problems, console=False)
        page.goto(f"{base}/kho-du-lieu/bo-du-lieu/{dataset.code}/")
        page.click("#entry-link")
        page.wait_for_selector("#entry-form")
        page.fill("input[name=period]", "202507")
        _type_row(page, 0, "CS01", "12")
        _type_row(page, 1, "CS02", "-3")
        page.click("#entry-submit")
        page.wait_for_selector("#entry-errors")
        error = page.locator("[data-field='dong-1-so_giuong']")
        assert "tối thiểu" in error.inner_text(), error.inner_text()
        assert not Submission.objects.exists()
        assert page.input_value("input[name=dong-0-ma_co_so]") == "CS01"  # typed rows are kept
        page.fill("input[name=dong-1-so_giuong]", "8")
        page.click("#entry-submit")
        page.wait_for_url(f"{base}/kho-du-lieu/lan-gui/*/")
        submission = Submission.objects.get()
        assert (submission.channel, submission.rows_imported, submission.submitter) == ("form", 2, people.officer_a)
        beds = dict(Record.objects.values_list("data__ma_co_so", "data__so_giuong"))
        assert beds == {"CS01": 12, "CS02": 8}
    assert problems == [], problems
