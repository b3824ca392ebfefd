"""Issue 19: the crawl can fail. Each fault kind is planted on a throwaway page (crawl_fault_urls.py) and the
crawl must report it (a 404 image, a console error, an overflowing element, clipped text, an unlabeled input, no
lang, a link without a focus ring, a Vietnamese shell label in English), naming the page, the persona, the
viewport and the fault; a page whose parameter has no fixture value fails with the line to add; an allow-list
entry without a reason is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

URLCONF = "ioc.web.tests.crawl_fault_urls"
EXPECTED = {
    "broken_image": {"status", "image", "console"},
    "console_error": {"console"},
    "overflow": {"overflow"},
    "clipped": {"clipped"},
    "unlabeled_input": {"axe:label"},
    "no_lang": {"lang", "axe:html-has-lang"},
    "wrong_language": {"language"},
    "no_focus_ring": {"focus"},
}


@pytest.mark.browser
def test_the_crawl_reports_each_planted_fault(chromium_path: str, db: Any, settings: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.ROOT_URLCONF = URLCONF
    from ioc.web.testing.crawl import Crawler, serial_live_server
    from ioc.web.testing.pages import plan_crawl

    plan = plan_crawl(None, urlconf=URLCONF)
    assert plan.faults == [
        "needs_param (/thieu-tham-so/<int:mystery_pk>/): no fixture value for `mystery_pk`: add `mystery_pk` for "
        "`needs_param` to FIXTURE_PARAMS in ioc/web/testing/world.py"
    ]
    assert "console_error_script as anonymous: not HTML (text/javascript)" in plan.not_pages
    with serial_live_server() as url, Crawler(url, plan, chromium=chromium_path) as crawler:
        result = crawler.run(viewports=("phone",))
    found: dict[str, set[str]] = {}
    for fault in result.faults:
        assert fault.persona == "anonymous" and fault.viewport == "phone", fault
        found.setdefault(fault.page, set()).add(fault.kind)
        if fault.kind == "language":  # a Vietnamese shell label is a fault in English only
            assert fault.language == "en" and "Đăng nhập" in fault.detail, fault
    assert "clean" not in found, found.get("clean")
    for page, kinds in EXPECTED.items():
        assert kinds <= found.get(page, set()), (page, found.get(page))
    overflow = next(f for f in result.faults if f.page == "overflow" and f.kind == "overflow")
    assert str(overflow).startswith("overflow as anonymous at phone (vi): overflow: document ")
    assert "div" in overflow.detail


def test_an_allow_list_entry_without_a_reason_is_refused(tmp_path: Path) -> None:
    from ioc.web.testing.crawl import allow_list

    good = tmp_path / "good.toml"
    good.write_text('[[allow]]\nkind = "axe:region"\npages = ["web:display"]\nreason = "a wall screen"\n')
    assert allow_list(good)[0].covers("axe:region", "web:display")
    bad = tmp_path / "bad.toml"
    bad.write_text('[[allow]]\nkind = "axe:region"\npages = ["web:display"]\nreason = " "\n')
    with pytest.raises(ValueError, match="entry 1 \\(axe:region\\): needs kind, pages and a reason"):
        allow_list(bad)


def test_the_allow_list_in_the_repository_gives_every_entry_a_reason() -> None:
    from ioc.web.testing.crawl import allow_list

    assert all(entry.reason for entry in allow_list())
