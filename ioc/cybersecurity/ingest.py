"""R5.6: security events in, in batches. `BatchWriter` takes raw syslog lines with their sender's address, parses
them, refuses unregistered senders and bad lines (counted per reason, a sample kept), and stores the rest through
`services.events_store`; `api_ingest` does the same for one API request (Wazuh, EVE or CEF items) and answers the
shared import summary naming row, field and reason."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from ioc.common.imports import ImportConflict, ImportSummary, import_summary
from ioc.cybersecurity import parsers, selectors, services
from ioc.cybersecurity.choices import MAX_EVENT_BYTES, RejectReason

if TYPE_CHECKING:
    from ioc.accounts.models import User

SOURCES_REFRESH_SECONDS = 30.0
API_MAX_ITEMS = 5000


@dataclass
class BatchResult:
    received: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0


class SourceMap:
    """Registered syslog senders (address → agency), re-read every 30 s (a new source needs no restart).

    `agency` re-reads when stale; the listener's network threads call `known` (no database: the map is swapped
    whole, never changed in place) and its writer thread calls `refresh`."""

    def __init__(self) -> None:
        self._known: dict[str, int | None] = {}
        self._read_at = -SOURCES_REFRESH_SECONDS

    def refresh(self, *, force: bool = False) -> None:
        if force or time.monotonic() - self._read_at > SOURCES_REFRESH_SECONDS:
            self._known = {s.address: s.agency_id for s in selectors.event_sources() if s.is_active}
            self._read_at = time.monotonic()

    def agency(self, address: str) -> int | bool | None:
        self.refresh()
        return self.known(address)

    def known(self, address: str) -> int | bool | None:
        """The sender's agency id, None (a source of no agency) or False (unregistered), as last read."""
        return self._known.get(address, False)


@dataclass(frozen=True)
class Refusal:
    """A syslog line refused while parsing: its reason (RejectReason) and a sample for /metrics."""

    reason: str
    sample: str


Parsed = parsers.Draft | Refusal


def _parse_line(raw: bytes, agency: int | bool | None, address: str, now: dt.datetime) -> parsers.Draft:
    if agency is False:
        raise parsers.Refused(RejectReason.UNREGISTERED, "source", f"Nguồn chưa đăng ký / Unregistered {address}")
    text = parsers.decode_line(raw)
    if text.startswith("CEF:"):
        draft = parsers.parse_cef(text, source=address, host=address, received_at=now)
    else:
        draft = parsers.parse_syslog(text, source=address, received_at=now)
    return replace(draft, agency_id=agency if isinstance(agency, int) else None)


def syslog_parse(lines: Sequence[tuple[bytes, str]], *, sources: SourceMap) -> list[Parsed]:
    """Parse raw lines (the listener's network threads do it, beside the writer): a Draft or a Refusal each.
    Reads no database: the senders are looked up in `sources` as last read."""
    now = timezone.now()
    parsed: list[Parsed] = []
    for raw, address in lines:
        try:
            parsed.append(_parse_line(raw, sources.known(address), address, now))
        except parsers.Refused as exc:
            parsed.append(Refusal(exc.reason, f"{address}: {raw[:300]!r} ({exc.message})"))
    return parsed


def syslog_store(*, items: Sequence[Parsed], actor: User) -> BatchResult:
    """Store one batch of parsed lines; refusals counted per reason (channel `syslog`), the last sample kept."""
    drafts = [item for item in items if isinstance(item, parsers.Draft)]
    refused: Counter[str] = Counter()
    samples: dict[str, str] = {}
    for item in items:
        if isinstance(item, Refusal):
            refused[item.reason] += 1
            samples[item.reason] = item.sample
    for reason, n in refused.items():
        services.rejection_count(reason=reason, channel="syslog", sample=samples[reason], n=n)
    stored = services.events_store(actor=actor, drafts=drafts) if drafts else 0
    return BatchResult(len(items), stored, len(drafts) - stored, sum(refused.values()))


def syslog_batch(*, lines: Sequence[tuple[bytes, str]], sources: SourceMap, actor: User) -> BatchResult:
    """Parse and store one batch of syslog lines (the senders re-read when stale)."""
    sources.refresh()
    return syslog_store(items=syslog_parse(lines, sources=sources), actor=actor)


def _api_item(item: Any, source: str, agency_id: int | None, now: dt.datetime) -> parsers.Draft:
    if isinstance(item, str):
        raw = item.encode("utf-8", errors="surrogatepass")
        text = parsers.decode_line(raw)
        if text.startswith("<"):
            draft = parsers.parse_syslog(text, source=source, received_at=now)
        else:
            draft = parsers.parse_cef(text, source=source, received_at=now)
    else:
        if len(repr(item)) > MAX_EVENT_BYTES:
            raise parsers.Refused(RejectReason.OVERSIZED, "event", "Sự kiện quá lớn / Event larger than 64 KiB")
        draft = parsers.parse_json_event(item, source=source)
    return replace(draft, agency_id=agency_id)


def api_ingest(*, items: Iterable[Any], source: str, agency_id: int | None, actor: User) -> ImportSummary:
    """R5.6: one API request's events; each refusal a conflict `{row, field, value, reason}` (rows from 1)."""
    now = timezone.now()
    drafts: list[parsers.Draft] = []
    conflicts: list[ImportConflict] = []
    refused: Counter[str] = Counter()
    for row, item in enumerate(items, start=1):
        try:
            drafts.append(_api_item(item, source, agency_id, now))
        except parsers.Refused as exc:
            refused[exc.reason] += 1
            value = item if isinstance(item, str) else repr(item)
            conflicts.append(ImportConflict(row=row, field=exc.field, value=value[:200], reason=exc.message))
    for reason, n in refused.items():
        services.rejection_count(reason=reason, channel="api", sample=conflicts[-1]["value"], n=n)
    stored = services.events_store(actor=actor, drafts=drafts) if drafts else 0
    return import_summary(imported=stored, ignored=len(drafts) - stored, conflicts=conflicts)
