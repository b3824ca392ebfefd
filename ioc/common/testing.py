"""Test helpers shared by every app."""

from __future__ import annotations

import datetime as dt
import os
import shutil
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
