"""The crawl (issue 19, R3.1–R3.4, R7.5): every page of the plan (`pages.py`) in Debian's chromium, as every
persona, at phone and desk size (the wall screen also at 1920×1080), with the faults a user would see.

Each visit fails on: a response ≥ 400 for the page or any sub-resource, a request that failed, a console error
or a CSP violation, an image that did not load, a document wider than the phone, text clipped by its box, a
page without `<html lang>` or `<title>`, no skip link to the main content as the first Tab stop, a control
without a visible focus ring, shell labels in
the other language (both languages on public pages), and axe-core's serious and critical rules. A fault that
truly does not apply is allowed in `crawl_allow.toml`, each entry with its reason.

    with Crawler(live_server.url, plan, world_language_catalogue()) as crawler:
        crawler.run(viewports=("phone", "desk"), screenshots=None)
"""

from __future__ import annotations

import contextlib
import fnmatch
import re
import time
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from ioc.common.testing import CHROMIUM
from ioc.common.testing import CHROMIUM_ARGS as COMMON_CHROMIUM_ARGS
from ioc.web.testing.pages import Plan, Target

CHROMIUM_ARGS = [*COMMON_CHROMIUM_ARGS, "--hide-scrollbars"]
VIEWPORTS: dict[str, tuple[int, int]] = {"phone": (360, 740), "desk": (1440, 900), "wall": (1920, 1080)}
WALL_PERSONAS = frozenset({"screen"})
ALLOW_FILE = Path(__file__).with_name("crawl_allow.toml")
AXE_FILE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
IDLE_TIMEOUT_S = 5.0
INIT_SCRIPT = """
window.__iocCsp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__iocCsp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""
CHECKS_JS = (Path(__file__).with_name("checks.js")).read_text(encoding="utf-8")
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => {
      const data = (n.any[0] || {}).data || {};
      const colours = data.contrastRatio ? ` (${data.fgColor} on ${data.bgColor}: ${data.contrastRatio}:1)` : "";
      return n.target.join(" ") + colours;
    }),
  }));
}"""
SKIP_LINK_JS = """() => {
  const focusable = "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex='-1'])";
  const first = Array.from(document.body.querySelectorAll(focusable)).find(
    el => !el.disabled && getComputedStyle(el).display !== "none" && getComputedStyle(el).visibility !== "hidden");
  if (!first) { return ""; }
  const href = first.getAttribute("href") || "";
  if (first.tagName !== "A" || !href.startsWith("#") || !document.getElementById(href.slice(1))) {
    return "the first Tab stop is not a skip link to the main content: " + first.outerHTML.slice(0, 120);
  }
  first.focus({focusVisible: true});
  const r = first.getBoundingClientRect();
  const style = getComputedStyle(first);
  const shown = r.width >= 2 && r.height >= 2;
  const ring = style.outlineStyle !== "none" || style.boxShadow !== "none";
  first.blur();
  if (!shown) { return "the skip link stays invisible when focused"; }
  if (!ring) { return "the focused skip link shows no focus ring"; }
  return "";
}"""


@contextlib.contextmanager
def serial_live_server(port: int = 0) -> Iterator[str]:
    """A live server answering one request at a time (its URL). The test database is SQLite in memory, one
    connection shared with the server thread: a threaded server would run a page's parallel image requests on
    that one connection at once and answer 400 when a session write collides (not a fault of the pages).
    `port` 0 picks a free port; a given port restarts a server where a stopped one listened (the reconnect
    test). Both set SO_REUSEADDR: the stopped server's closed connections linger in TIME_WAIT, and Linux lets a
    new listener bind past them only when they had the flag too (on Linux it never lets two listeners share)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import WSGIServer
    from django.db import connections
    from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

    class SerialThread(LiveServerThread):
        def _create_server(self, connections_override: Any = None) -> WSGIServer:
            # The thread itself already uses the shared connections (LiveServerThread.run).
            return WSGIServer((self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=True)

    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}  # type: ignore[attr-defined]
    for connection in shared.values():
        connection.inc_thread_sharing()
    thread = SerialThread("localhost", StaticFilesHandler, shared, port=port)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://localhost:{thread.port}"
    finally:
        thread.terminate()
        for connection in shared.values():
            connection.dec_thread_sharing()


FOCUS_JS = """() => {
  const focusable = "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex='-1'])";
  const missing = [];
  const ring = (style) => (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== "none";
  for (const el of Array.from(document.body.querySelectorAll(focusable)).slice(0, 120)) {
    const r = el.getBoundingClientRect();
    if (el.disabled || r.width === 0 || r.height === 0 || el.closest(".leaflet-container")) { continue; }
    const before = getComputedStyle(el).boxShadow;
    el.focus({focusVisible: true, preventScroll: true});
    if (document.activeElement !== el) { continue; }
    const style = getComputedStyle(el);
    if (!ring(style) || (style.outlineStyle === "none" && style.boxShadow === before)) {
      missing.push(el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
        ? "." + el.className.trim().split(/\\s+/).slice(0, 3).join(".") : ""));
    }
    el.blur();
  }
  return missing.slice(0, 5);
}"""


def _screenshot(page: Any, path: Path) -> None:
    """A full-page PNG with a 128-colour palette: a tenth of the size, enough to review a page."""
    from PIL import Image

    page.screenshot(path=str(path), full_page=True)
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=128)
    small.save(path, optimize=True)


@dataclass(frozen=True)
class Allowance:
    """One reviewed exception: a fault kind (`axe:<rule>`, `clipped`…) on some pages, with why."""

    kind: str
    pages: tuple[str, ...]
    reason: str

    def covers(self, kind: str, page: str) -> bool:
        return kind == self.kind and any(fnmatch.fnmatch(page, glob) for glob in self.pages)


def allow_list(path: Path = ALLOW_FILE) -> list[Allowance]:
    """The allow-list; an entry without a reason (or without pages) is an error."""
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("allow", [])
    allowed = []
    for number, entry in enumerate(entries, 1):
        reason = str(entry.get("reason", "")).strip()
        if not reason or not entry.get("kind") or not entry.get("pages"):
            raise ValueError(f"{path.name} entry {number} ({entry.get('kind', '?')}): needs kind, pages and a reason")
        allowed.append(Allowance(str(entry["kind"]), tuple(entry["pages"]), reason))
    return allowed


def language_catalogue() -> dict[str, set[str]]:
    """Shell labels by language: Vietnamese msgids that have an English translation, and those translations."""
    from django.utils.translation import trans_real

    catalog: Any = trans_real.translation("en")._catalog  # type: ignore[attr-defined]
    pairs = [(k, v) for k, v in catalog.items() if isinstance(k, str) and isinstance(v, str) and k != v and v]
    return {"vi": {k.strip() for k, _v in pairs}, "en": {v.strip() for _k, v in pairs}}


@dataclass
class Fault:
    page: str
    persona: str
    viewport: str
    language: str
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.page} as {self.persona} at {self.viewport} ({self.language}): {self.kind}: {self.detail}"


@dataclass
class Result:
    visits: int = 0
    faults: list[Fault] = field(default_factory=list)
    allowed: int = 0
    seconds: float = 0.0
    pages: set[str] = field(default_factory=set)
    personas: set[str] = field(default_factory=set)
    viewports: set[str] = field(default_factory=set)
    timings: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def summary(self) -> str:
        spent = ", ".join(f"{phase} {seconds:.0f} s" for phase, seconds in self.timings.items())
        return (
            f"crawl: {self.visits} visits ({len(self.pages)} pages × {len(self.personas)} personas × "
            f"{len(self.viewports)} viewports × languages) in {self.seconds:.0f} s ({spent}); "
            f"faults found: {len(self.faults)} ({self.allowed} allowed by {ALLOW_FILE.name})"
        )


def _background_aborted(request: Any) -> bool:
    """A background poll (X-IOC-Background) aborted: a poll timer can fire between the crawl's snapshot of the
    requests in flight and its next navigation, which then aborts it. Its errors still count: a status ≥ 400 is
    seen by `_response`, a refused connection is not an abort."""
    background = (request.headers or {}).get("x-ioc-background") == "1"
    return background and "ERR_ABORTED" in str(request.failure or "")


class _Collector:
    """The events of one visit: responses ≥ 400, failed requests, console errors, requests in flight."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []
        self.inflight: set[Any] = set()
        # Requests of the previous page still in flight when the crawl navigates away (a wall screen's poll): the
        # crawl's own navigation aborts them, which is no fault of the next page.
        self.left_behind: set[Any] = set()

    def attach(self, page: Any) -> None:
        page.on("request", lambda request: self.inflight.add(request))
        page.on("requestfinished", lambda request: self.inflight.discard(request))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(("console", f"page error: {error}")))

    def _failed(self, request: Any) -> None:
        self.inflight.discard(request)
        if request in self.left_behind:
            self.left_behind.discard(request)
            return
        if _background_aborted(request):
            return
        self.problems.append(("request", f"{request.method} {request.url} failed: {request.failure}"))

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(("status", f"{response.status} for {response.request.resource_type} {response.url}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            kind = "csp" if "Content Security Policy" in message.text else "console"
            self.problems.append((kind, message.text[:300]))

    def wait_idle(self, page: Any) -> None:
        deadline = time.monotonic() + IDLE_TIMEOUT_S
        quiet = 0
        while time.monotonic() < deadline and quiet < 2:
            page.wait_for_timeout(40)
            quiet = quiet + 1 if not self.inflight else 0
        if self.inflight:
            self.problems.append(("request", f"still loading after {IDLE_TIMEOUT_S} s: {len(self.inflight)} requests"))


class Crawler:
    """One browser for the whole crawl; one signed-in context per persona and language, reused for every page."""

    def __init__(self, base_url: str, plan: Plan, *, chromium: str = CHROMIUM, axe: bool = True) -> None:
        self.base_url = base_url.rstrip("/")
        self.plan = plan
        self.chromium = chromium
        if axe and not AXE_FILE.exists():
            raise RuntimeError(f"{AXE_FILE} is missing: run `npm ci --ignore-scripts` (make assets installs it)")
        self.axe_source = AXE_FILE.read_text(encoding="utf-8") if axe else ""
        self.allowances = allow_list()
        self.catalogue = language_catalogue()
        self.result = Result()

    def __enter__(self) -> Crawler:
        from playwright.sync_api import sync_playwright

        self._playwright_cm = sync_playwright()
        self.playwright = self._playwright_cm.__enter__()
        self.browser = self.playwright.chromium.launch(executable_path=self.chromium, args=CHROMIUM_ARGS)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.browser.close()
        self._playwright_cm.__exit__(*exc)

    def _groups(self) -> Iterator[tuple[str, str, list[Target]]]:
        seen: dict[tuple[str, str], list[Target]] = {}
        for target in self.plan.targets:
            for language in target.languages:
                seen.setdefault((target.persona, language), []).append(target)
        for (persona, language), targets in seen.items():
            yield persona, language, targets

    def run(self, *, viewports: tuple[str, ...] = ("phone", "desk"), screenshots: Path | None = None) -> Result:
        started = time.monotonic()
        for persona, language, targets in self._groups():
            context = self.browser.new_context(locale="vi-VN" if language == "vi" else "en-US")
            cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": self.base_url}]
            if persona in self.plan.sessions:
                session = self.plan.sessions[persona]
                cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": self.base_url})
            context.add_cookies(cookies)  # type: ignore[arg-type]
            context.add_init_script(INIT_SCRIPT)
            context.set_default_timeout(20_000)
            page = context.new_page()
            collector = _Collector()
            collector.attach(page)
            wall = persona in WALL_PERSONAS and "desk" in viewports and "wall" not in viewports
            sizes = viewports + (("wall",) if wall else ())
            try:
                for viewport in sizes:
                    width, height = VIEWPORTS[viewport]
                    page.set_viewport_size({"width": width, "height": height})
                    for target in targets:
                        self._visit(page, collector, target, viewport, language, screenshots)
            finally:
                context.close()
        self.result.seconds = time.monotonic() - started
        return self.result

    def _visit(
        self, page: Any, collector: _Collector, target: Target, viewport: str, language: str, shots: Path | None
    ) -> None:
        collector.problems = []
        collector.left_behind = set(collector.inflight)
        collector.inflight.clear()
        found: list[tuple[str, str]] = []
        clock = time.monotonic()
        try:
            response = page.goto(self.base_url + target.path, wait_until="load")
            if response is None or response.status != 200:
                found.append(("status", f"the page answers {response.status if response else 'nothing'}"))
            collector.wait_idle(page)
            clock = self._tick("load", clock)
            found.extend(self._checks(page, viewport, language))
            if shots is not None:
                folder = shots / target.persona
                folder.mkdir(parents=True, exist_ok=True)
                suffix = "" if language == "vi" else f"-{language}"
                name = re.sub(r"[^A-Za-z0-9_]+", "-", target.label).strip("-")
                _screenshot(page, folder / f"{name}-{viewport}{suffix}.png")
        except Exception as error:  # a timeout or a crashed page is a fault of this visit, not of the crawl
            found.append(("visit", f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"))
        found.extend(collector.problems)
        self.result.visits += 1
        self.result.pages.add(target.label)
        self.result.personas.add(target.persona)
        self.result.viewports.add(viewport)
        for kind, detail in found:
            if any(a.covers(kind, target.label) for a in self.allowances):
                self.result.allowed += 1
                continue
            self.result.faults.append(Fault(target.label, target.persona, viewport, language, kind, detail))

    def _tick(self, phase: str, since: float) -> float:
        now = time.monotonic()
        self.result.timings[phase] += now - since
        return now

    def _checks(self, page: Any, viewport: str, language: str) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        clock = time.monotonic()
        data = page.evaluate(CHECKS_JS, {"phone": viewport == "phone"})
        found.extend((kind, detail) for kind, detail in data["faults"])
        other = self.catalogue["en" if language == "vi" else "vi"] - self.catalogue[language]
        wrong = sorted({text for text in data["shell"] if text in other})
        if wrong:
            found.append(("language", f"shell labels not in {language}: {wrong[:5]}"))
        csp = page.evaluate("() => window.__iocCsp || []")
        found.extend(("csp", text) for text in csp)
        problem = page.evaluate(SKIP_LINK_JS)
        if problem:
            found.append(("skip-link", problem))
        unseen = page.evaluate(FOCUS_JS)
        if unseen:
            found.append(("focus", f"no visible focus on {unseen}"))
        clock = self._tick("checks", clock)
        if self.axe_source:
            page.evaluate(self.axe_source)
            for violation in page.evaluate(AXE_RUN):
                found.append(
                    (f"axe:{violation['id']}", f"{violation['impact']}: {violation['help']} at {violation['nodes']}")
                )
            self._tick("axe", clock)
        return found
