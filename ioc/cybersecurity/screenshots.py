"""R5.6 (issue 21 "Screenshots: Playwright with Debian's chromium, every browser request routed through the guarded
client"): a PNG of a page whose check found defacement, kept with the check's result and served only by a scoped view.

- Debian's chromium (`CYBER_SCREENSHOT_CHROMIUM`, blank: no screenshots) driven by Playwright, headless.
- Every request the page makes goes through `page.route` to `ioc.common.http.request`: the same address guard as the
  checks (no private, loopback or link-local address unless `OUTBOUND_ALLOWED_CIDRS` lists it), the same size limit
  per response; a refused one is aborted and listed. The browser is also pointed at a proxy that does not exist, so
  anything the route would not see (a WebSocket, a prefetch) fails instead of leaving on its own.
- Bounded: at most `CYBER_SCREENSHOT_CONCURRENCY` browsers at once in a process (the checks run 64 probes in threads),
  `CYBER_SCREENSHOT_SECONDS` for the whole page, `MAX_REQUESTS` requests each.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from ioc.common import http

MAX_REQUESTS = 100
REQUEST_BYTES = 2 * 1024 * 1024
WIDTH, HEIGHT = 1280, 900
MAX_HEIGHT = 5000  # a page longer than this is cut: the top is what the province's visitors see first
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",  # the worker runs unprivileged, without user namespaces (as the browser tests do)
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dns-prefetch",
    "--no-first-run",
    "--no-pings",
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DEAD_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens, nothing leaves unrouted
# Headers the guarded client sets itself, or that would describe the browser's transfer rather than the body.
_DROP_REQUEST = frozenset({"host", "accept-encoding", "connection", "content-length", "upgrade-insecure-requests"})
_DROP_RESPONSE = frozenset({"content-encoding", "content-length", "transfer-encoding", "connection"})

_slots_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None


class ScreenshotError(Exception):
    """The screenshot could not be taken (the reason is the message)."""


@dataclass
class Shot:
    png: bytes
    blocked: list[str] = field(default_factory=list)  # URLs the guard refused
    requests: int = 0  # what the page asked for (through the route)


def enabled() -> bool:
    return bool(settings.CYBER_SCREENSHOT_CHROMIUM)


def _semaphore() -> threading.BoundedSemaphore:
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(max(1, settings.CYBER_SCREENSHOT_CONCURRENCY))
        return _slots


class _Router:
    """The page's requests, each through the guarded client (in Playwright's thread: no database here)."""

    def __init__(self, deadline: float) -> None:
        self.deadline, self.count = deadline, 0
        self.blocked: list[str] = []

    def __call__(self, route: Any) -> None:
        request = route.request
        url = request.url
        self.count += 1
        if urlsplit(url).scheme not in ("http", "https") or self.count > MAX_REQUESTS:
            route.abort("blockedbyclient")
            return
        timeout = max(1.0, min(float(settings.OUTBOUND_TIMEOUT_SECONDS), self.deadline - time.monotonic()))
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _DROP_REQUEST}
        try:
            answer = http.request(
                request.method, url, headers=headers, body=request.post_data_buffer, timeout=timeout,
                max_bytes=REQUEST_BYTES,
            )  # fmt: skip
        except http.OutboundBlocked:
            self.blocked.append(url[:300])
            route.abort("blockedbyclient")
            return
        except http.OutboundError:
            route.abort("failed")
            return
        kept = {k: v for k, v in answer.headers.items() if k not in _DROP_RESPONSE}
        route.fulfill(status=answer.status, headers=kept, body=answer.body)


def take(url: str) -> Shot:
    """A full-page PNG of `url` as a browser shows it, every request through the guard; raises ScreenshotError.
    One deadline (CYBER_SCREENSHOT_SECONDS) covers the wait for a slot, the browser's start, the page and the
    picture, so a slow site cannot hold the check past its lease."""
    if not enabled():
        raise ScreenshotError("Chụp màn hình đang tắt / Screenshots are off (CYBER_SCREENSHOT_CHROMIUM)")
    deadline = time.monotonic() + float(settings.CYBER_SCREENSHOT_SECONDS)
    slots = _semaphore()
    if not slots.acquire(timeout=_left(deadline)):
        raise ScreenshotError("Đang chụp quá nhiều trang / Too many screenshots at once")
    try:
        return _take(url, deadline)
    finally:
        slots.release()


def _left(deadline: float) -> float:
    """Seconds left before `deadline` (at least a little, so a last call fails by its own timeout)."""
    return max(0.5, deadline - time.monotonic())


def _take(url: str, deadline: float) -> Shot:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    router = _Router(deadline)
    try:
        with sync_playwright() as playwright:
            # Every request the route does not see (a WebSocket, a worker's) goes to the dead proxy, loopback
            # included: Chromium bypasses proxies for 127.0.0.1 and localhost unless told "<-loopback>".
            browser = playwright.chromium.launch(
                executable_path=settings.CYBER_SCREENSHOT_CHROMIUM,
                args=BROWSER_ARGS,
                proxy={"server": DEAD_PROXY, "bypass": "<-loopback>"},
                timeout=_left(deadline) * 1000,
            )
            try:
                context = browser.new_context(
                    viewport={"width": WIDTH, "height": HEIGHT}, service_workers="block", accept_downloads=False
                )
                context.route("**/*", router)  # the context's: popups and frames of the page too
                page = context.new_page()
                page.goto(url, wait_until="load", timeout=_left(deadline) * 1000)
                height = min(MAX_HEIGHT, int(page.evaluate("document.documentElement.scrollHeight") or 0))
                png = page.screenshot(
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": WIDTH, "height": max(HEIGHT, height)},
                    timeout=_left(deadline) * 1000,
                )
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise ScreenshotError(f"Không chụp được trang / Screenshot failed: {str(exc).splitlines()[0][:300]}") from exc
    if not png.startswith(PNG_SIGNATURE):
        raise ScreenshotError("Trình duyệt không trả ảnh PNG / The browser returned no PNG")
    return Shot(png=png, blocked=router.blocked, requests=router.count)
