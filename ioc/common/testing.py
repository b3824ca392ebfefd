"""Test helpers shared by every app."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

# Debian's browser, driven by Playwright in every browser test (never `playwright install`).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


DESK = {"width": 1280, "height": 900}  # a browser test's default window
WIDE = {"width": 1440, "height": 900}  # the map's pages
PHONE_360 = {"width": 360, "height": 740}  # the smallest phone a staff page must fit
# An init script (`page.add_init_script`) counting the tones a page starts in `window.__tones`; the real
# AudioContext still plays them (R4.2: a severe alert sounds).
COUNT_TONES = """
(() => {
  window.__tones = 0;
  const Real = window.AudioContext;
  window.AudioContext = class extends Real {
    createOscillator() { window.__tones += 1; return super.createOscillator(); }
  };
})();
"""


@contextmanager
def chromium(chromium_path: str) -> Iterator[Any]:
    """Debian's chromium (the root `chromium_path` fixture) launched through Playwright's sync API with
    `CHROMIUM_ARGS`, closed on the way out. Playwright's sync API runs an event loop in the test's thread, so the
    ORM calls the test makes meanwhile are allowed (`DJANGO_ALLOW_ASYNC_UNSAFE`) for the browser's lifetime."""
    from playwright.sync_api import sync_playwright

    with mock.patch.dict(os.environ, {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"}), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def page_open(
    browser: Any,
    *,
    url: str = "",
    session: str = "",
    problems: list[str] | None = None,
    console: bool = True,
    viewport: dict[str, int] | None = DESK,
    locale: str | None = "vi-VN",
    timeout_ms: int | None = 20_000,
    **options: Any,
) -> Any:
    """A page in a new browser context: `viewport` and `locale` (None: the browser's own for either);
    `session`, a session cookie's value (`ioc.accounts.testing.session_cookie`), sent to the live server at `url`;
    every action waits at most `timeout_ms` (None: Playwright's 30 s). The page's script errors, and with `console`
    its console errors (a CSP violation is one), are appended to `problems`. `options` go to `new_context`
    (`is_mobile`, `has_touch`…)."""
    from django.conf import settings

    if viewport is not None:
        options["viewport"] = viewport
    if locale is not None:
        options["locale"] = locale
    context = browser.new_context(**options)
    if session:
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
    if timeout_ms is not None:
        context.set_default_timeout(timeout_ms)
    page = context.new_page()
    if problems is not None:
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        if console:
            page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    return page


def require_component(executable: str, *, install: str) -> str:
    """The path of a system component a test needs (chromium, redis-server, mosquitto…).

    With `CI` set, a missing component FAILS the test with the install command; it never skips there.
    On a developer's machine it skips with the same hint.
    """
    found = executable if os.path.isabs(executable) and os.access(executable, os.X_OK) else shutil.which(executable)
    if found:
        return found
    message = f"{executable} is missing: {install}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def page_queries(client: Any, url: str) -> int:
    """How many queries one GET of `url` takes (it must answer 200): list pages lock this against their rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    assert status == 200, f"GET {url} answered {status}"
    return len(queries)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An Asia/Ho_Chi_Minh moment for tests on a frozen clock: local(2026, 4, 24, 15, 0)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@contextmanager
def frozen(moment: dt.datetime) -> Iterator[None]:
    """`django.utils.timezone.now()` answers `moment` everywhere inside the block."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def settle_deferred_constraints() -> None:
    """Fire the deferred foreign-key checks of a big `setUpTestData` once, in the class's transaction.

    On PostgreSQL Django's TestCase ends every test with `SET CONSTRAINTS ALL IMMEDIATE` inside the test's savepoint;
    the checks still pending from the class's data then run for every test and are rolled back with it (a demo load's
    half-million rows cost ~9 s per test). Fired here once, they are no longer pending. SQLite checks immediately.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        connection.check_constraints()


def demo_load(*only: str, profile: str = "hung-yen", module: str = "") -> tuple[str, dict[str, Any]]:
    """Run `demo_load --profile <profile> --no-units` (all generators, or the foundation then `only`); return its
    output and, when `module` is given (e.g. "ioc.datahub.demo"), that generator's figures from its line
    `demo_load: <module> (<s> s) key=value …`, with `seconds` — the figures a demo test checks."""
    import io
    import re

    from django.core.management import call_command

    args = ["--profile", profile, "--no-units"]
    for name in ("demo", *only) if only else ():
        args += ["--only", name]
    out = io.StringIO()
    call_command("demo_load", *args, stdout=out)
    output = out.getvalue()
    if not module:
        return output, {}
    line = re.search(rf"^demo_load: {re.escape(module)} \(([\d.]+) s\) (.*)$", output, re.M)
    assert line is not None, output
    figures: dict[str, Any] = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line.group(2))}
    return output, {**figures, "seconds": float(line.group(1))}


class DemoLoadTestCase:
    """A mixin for a `TestCase` whose class data is one demo load (issue 10 item 10 and each domain's demo item):
    the demo's files in a temporary VAR_DIR/MEDIA_ROOT, `output` and `result` as `demo_load(...)` returns them,
    the deferred constraint checks settled once. Set `demo_only` (generator names after the foundation; empty: all)
    and `demo_module` (whose figures go in `result`)."""

    demo_only: tuple[str, ...] = ()
    demo_module = ""
    demo_profile = "hung-yen"
    output: str
    result: dict[str, Any]
    _demo_var: tempfile.TemporaryDirectory[str]
    _demo_settings: Any

    @classmethod
    def setUpTestData(cls) -> None:
        from django.test import override_settings

        cls._demo_var = tempfile.TemporaryDirectory()
        cls._demo_settings = override_settings(VAR_DIR=cls._demo_var.name, MEDIA_ROOT=cls._demo_var.name + "/media")
        cls._demo_settings.enable()
        cls.output, cls.result = demo_load(*cls.demo_only, profile=cls.demo_profile, module=cls.demo_module)
        settle_deferred_constraints()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()  # type: ignore[misc]  # the TestCase beside it in the bases
        cls._demo_settings.disable()
        cls._demo_var.cleanup()
