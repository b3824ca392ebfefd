"""Collectors as durable work (R5.7, issue 22 item 1; DESIGN "Durable work"). A source row is claimed when due by
a conditional UPDATE of its lease, fetched through `ioc.common.http` (address guard, size limit) with a
conditional GET (ETag, Last-Modified), never more often than its `min_gap_seconds` (the per-source rate limit),
read by `parsers`, stored by `items_ingest`, and released with its next due time in the transaction that records
the run. A run is recorded whatever happened; a lost lease rolls the run back (another worker has it). A platform
refusing its key (HTTP 401/403, or a sealed key that no longer opens) marks the source failing and tells the system
administrators (issue 22 "Bad input"), once a day per source while it lasts."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.choices import Role
from ioc.accounts.models import RoleAssignment, User
from ioc.accounts.selectors import system_account
from ioc.audit.services import audit_record
from ioc.common import http
from ioc.common.roles import actor_require_role
from ioc.media_watch import parsers, secrets
from ioc.media_watch.choices import (
    ERROR_MAX,
    LEASE_SECONDS,
    MAX_ARTICLES_PER_RUN,
    MAX_FEED_BYTES,
    MAX_ITEMS_PER_RUN,
    PLATFORM_SHAPES,
    RETRY_BASE_SECONDS,
    RunStatus,
    SourceKind,
    SourceStatus,
)
from ioc.media_watch.models import CollectorRun, Item, Source
from ioc.media_watch.parsers import ItemDraft, ParseError
from ioc.media_watch.services._base import CONFIG_ROLES
from ioc.media_watch.services._base import now as clock
from ioc.media_watch.services.ingest import IngestResult, items_ingest, url_key
from ioc.notifications.services import notification_enqueue

logger = logging.getLogger(__name__)
COLLECTED_KINDS = (SourceKind.FEED, SourceKind.SITEMAP, *PLATFORM_SHAPES)


class SourceLost(Exception):
    """The lease expired and another worker took the source: this run's writes roll back."""


class _RunFailed(Exception):
    """The source was down, refused us or answered something unreadable."""


class _KeyRefused(_RunFailed):
    """A platform refused the source's API key, or the sealed key no longer opens: only an administrator can fix it."""


KEY_REFUSED_TEMPLATE = "media_watch.key_refused"


@dataclass
class _Attempt:
    source: Source
    lease: dt.datetime
    started_at: dt.datetime
    clock: float
    http_status: int | None = None
    etag: str = ""
    last_modified: str = ""
    notes: list[str] = field(default_factory=list)

    def duration_ms(self) -> int:
        return int((time.monotonic() - self.clock) * 1000)


def _claimable(now: dt.datetime) -> Q:
    due = Q(is_active=True, kind__in=COLLECTED_KINDS, next_run_at__lte=now)
    return due & (Q(lease_until=None) | Q(lease_until__lt=now))


def source_claim(*, pk: int) -> dt.datetime | None:
    """Claim a due source (conditional UPDATE); the lease is the claimer's token, None when not due or taken."""
    now = clock()
    lease = now + dt.timedelta(seconds=LEASE_SECONDS)
    return lease if Source.objects.filter(_claimable(now), pk=pk).update(lease_until=lease) == 1 else None


def sources_collect_due(*, limit: int = 10) -> int:
    """R5.7: collect up to `limit` due sources (and those whose lease expired); returns the runs recorded.
    Safe to run twice and to kill anywhere."""
    due = Source.objects.filter(_claimable(clock())).order_by("next_run_at", "pk")
    recorded = 0
    for pk in list(due.values_list("pk", flat=True)[:limit]):
        lease = source_claim(pk=pk)
        if lease is not None:
            recorded += int(_run(Source.objects.get(pk=pk), lease))
    return recorded


def _rate_limited_until(source: Source, now: dt.datetime) -> dt.datetime | None:
    if source.last_request_at is None:
        return None
    earliest = source.last_request_at + dt.timedelta(seconds=source.min_gap_seconds)
    return earliest if earliest > now else None


def _run(source: Source, lease: dt.datetime) -> bool:
    attempt = _Attempt(source, lease, clock(), time.monotonic())
    wait = _rate_limited_until(source, attempt.started_at)
    if wait is not None:  # too soon for this source: not a run, only the due time moves
        Source.objects.filter(pk=source.pk, lease_until=lease).update(lease_until=None, next_run_at=wait)
        return False
    try:
        drafts = _fetch(attempt)
        with transaction.atomic():
            result = None if drafts is None else items_ingest(actor=system_account(), source=source, drafts=drafts)
            _record(attempt, status=RunStatus.NOT_MODIFIED if drafts is None else RunStatus.SUCCESS, result=result)
    except SourceLost:
        return False
    except (_RunFailed, ParseError) as exc:
        return _record_failure(attempt, str(exc), key_refused=isinstance(exc, _KeyRefused))
    except Exception as exc:  # recorded, then retried with back-off like any failure
        logger.exception("media source %s failed", source.pk)
        return _record_failure(attempt, repr(exc))
    return True


# --- fetching ----------------------------------------------------------------------------------------------
def _get(attempt: _Attempt, url: str, *, conditional: bool, headers: dict[str, str] | None = None) -> http.Response:
    send = dict(headers or {})
    if conditional and attempt.source.etag:
        send["If-None-Match"] = attempt.source.etag
    if conditional and attempt.source.last_modified:
        send["If-Modified-Since"] = attempt.source.last_modified
    try:
        response = http.get(url, headers=send, max_bytes=MAX_FEED_BYTES)
    except http.OutboundError as exc:
        raise _RunFailed(str(exc)) from exc
    if conditional:
        attempt.http_status = response.status
        attempt.etag = response.headers.get("etag", "")[:300]
        attempt.last_modified = response.headers.get("last-modified", "")[:100]
    return response


def _require_ok(response: http.Response, *, platform: bool = False) -> None:
    if response.status in (401, 403):
        raise (_KeyRefused if platform else _RunFailed)(
            _("Nền tảng từ chối khoá API (HTTP %(status)d): quản trị viên cần nhập lại khoá.")
            % {"status": response.status}
        )
    if not response.ok:
        raise _RunFailed(_("Máy chủ trả về mã HTTP %(status)d.") % {"status": response.status})


def _fetch(attempt: _Attempt) -> list[ItemDraft] | None:
    """The drafts of this run, or None when the source answered 304 Not Modified."""
    source = attempt.source
    if source.kind in PLATFORM_SHAPES:
        return _fetch_platform(attempt)
    response = _get(attempt, source.url, conditional=True)
    if response.status == 304:
        return None
    _require_ok(response)
    if source.kind == SourceKind.FEED:
        content_type = response.headers.get("content-type", "")
        return parsers.parse_feed(response.body, content_type=content_type)[:MAX_ITEMS_PER_RUN]
    return _fetch_articles(attempt, parsers.parse_sitemap(response.body, base_url=source.url))


def _platform_key(source: Source) -> str:
    """The key an administrator entered (sealed in the row), else the deployment's token from the environment
    (`MEDIA_WATCH_YOUTUBE_API_KEY`, `MEDIA_WATCH_X_BEARER_TOKEN`); never written to a run, a log or a page."""
    try:
        key = secrets.unseal(source.api_key_sealed)
    except secrets.SecretUnreadable as exc:
        raise _KeyRefused(_("Không giải mã được khoá API: quản trị viên cần nhập lại khoá.")) from exc
    if key:
        return key
    # The deployment's token goes only to the platform's own API host: an administrator who may set a source's
    # address may not read the server's settings, and a source pointed elsewhere would hand the token over.
    hosts = getattr(settings, "MEDIA_WATCH_PLATFORM_HOSTS", PLATFORM_HOSTS).get(source.kind, ())
    if (urlsplit(source.url).hostname or "").lower() not in hosts:
        return ""
    return str(getattr(settings, _PLATFORM_SETTINGS.get(source.kind, ""), "") or "")


# The deployment's own token of a platform, when the source row holds none, and the hosts it may be sent to.
_PLATFORM_SETTINGS: dict[str, str] = {
    SourceKind.YOUTUBE: "MEDIA_WATCH_YOUTUBE_API_KEY",
    SourceKind.X: "MEDIA_WATCH_X_BEARER_TOKEN",
}
PLATFORM_HOSTS: dict[str, tuple[str, ...]] = {
    SourceKind.YOUTUBE: ("www.googleapis.com", "youtube.googleapis.com"),
    SourceKind.X: ("api.x.com", "api.twitter.com"),
}


def _fetch_platform(attempt: _Attempt) -> list[ItemDraft] | None:
    """YouTube takes its API key in the `X-Goog-Api-Key` header (never the URL's `key=`: URLs reach run records
    and logs); the Graph API and X API v2 a bearer token."""
    source = attempt.source
    key = _platform_key(source)
    headers = {"Accept": "application/json"}
    if key and source.kind == SourceKind.YOUTUBE:
        headers["X-Goog-Api-Key"] = key
    elif key:
        headers["Authorization"] = f"Bearer {key}"
    response = _get(attempt, source.url, conditional=True, headers=headers)
    if response.status == 304:
        return None
    _require_ok(response, platform=True)
    return parsers.parse_platform(response.body, shape=PLATFORM_SHAPES[source.kind])[:MAX_ITEMS_PER_RUN]


def _fetch_articles(attempt: _Attempt, found: list[tuple[str, dt.datetime | None]]) -> list[ItemDraft]:
    """The article pages of a sitemap not collected yet (at most MAX_ARTICLES_PER_RUN a run; the rest next run)."""
    keys = {url: url_key(url) for url, _lastmod in found}
    known = set(Item.objects.filter(url_key__in=list(keys.values())).values_list("url_key", flat=True))
    drafts: list[ItemDraft] = []
    for url, lastmod in [pair for pair in found if keys[pair[0]] not in known][:MAX_ARTICLES_PER_RUN]:
        try:
            response = _get(attempt, url, conditional=False)
            _require_ok(response)
            draft = parsers.parse_article(
                response.body,
                url=url,
                selectors=attempt.source.selectors,
                content_type=response.headers.get("content-type", ""),
            )
        except (_RunFailed, ParseError) as exc:
            attempt.notes.append(f"{url}: {exc}")
            continue
        drafts.append(draft if draft.published_at or lastmod is None else _with_time(draft, lastmod))
    return drafts


def _with_time(draft: ItemDraft, when: dt.datetime) -> ItemDraft:
    return ItemDraft(draft.title, draft.body, draft.url, draft.guid, draft.author, when)


# --- recording ---------------------------------------------------------------------------------------------
def next_delay(*, interval_minutes: int, failures: int) -> dt.timedelta:
    """The interval after a success; after the n-th failure in a row RETRY_BASE × 2^(n−1), at most the interval."""
    interval = dt.timedelta(minutes=interval_minutes)
    if not failures:
        return interval
    return min(dt.timedelta(seconds=RETRY_BASE_SECONDS * 2 ** min(failures - 1, 16)), interval)


@transaction.atomic
def _record_failure(attempt: _Attempt, error: str, *, key_refused: bool = False) -> bool:
    try:
        _record(attempt, status=RunStatus.FAILED, result=None, error=error)
    except SourceLost:
        transaction.set_rollback(True)
        return False
    if key_refused:
        _key_refused_tell(attempt)
    return True


def _key_refused_tell(attempt: _Attempt) -> None:
    """Issue 22 "Bad input": the system administrators (people, not the system account) are told that a platform
    refused the source's key; the outbox's dedup key (source, local day) keeps the retries from repeating it."""
    holders = RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN, revoked_at__isnull=True).values("user_id")
    recipients = list(
        User.objects.filter(pk__in=holders, is_active=True).exclude(pk=system_account().pk).order_by("pk")
    )
    if not recipients:
        return
    source = attempt.source
    notification_enqueue(
        event=KEY_REFUSED_TEMPLATE,
        recipients=recipients,
        template=KEY_REFUSED_TEMPLATE,
        context={
            "source": source.name,
            "status": str(attempt.http_status or ""),
            "path": reverse("media_watch:source_edit", kwargs={"pk": source.pk}),
        },
        dedup_key=f"{KEY_REFUSED_TEMPLATE}:{source.pk}:{timezone.localdate(attempt.started_at).isoformat()}",
    )


def _record(attempt: _Attempt, *, status: str, result: IngestResult | None, error: str = "") -> CollectorRun:
    source, now = attempt.source, clock()
    failed = status == RunStatus.FAILED
    failures = source.failures + 1 if failed else 0
    error = "; ".join([error, *attempt.notes] if error else attempt.notes)[:ERROR_MAX]
    changes = {
        "lease_until": None,
        "next_run_at": now + next_delay(interval_minutes=source.interval_minutes, failures=failures),
        "failures": failures,
        "status": SourceStatus.FAILING if failed else SourceStatus.OK,
        "last_error": error if failed else "",
        "last_request_at": attempt.started_at,
    }
    if status == RunStatus.SUCCESS:
        changes.update(etag=attempt.etag, last_modified=attempt.last_modified)
    if not Source.objects.filter(pk=source.pk, lease_until=attempt.lease).update(**changes):
        raise SourceLost(source.pk)
    run = _run_row(attempt, status, result, error)
    audit_record(
        actor=system_account(),
        action="media_source.collect",
        obj=source,
        changes={"status": status, "run": run.pk, "new": run.items_new, "merged": run.items_merged},
    )
    return run


def _run_row(attempt: _Attempt, status: str, result: IngestResult | None, error: str) -> CollectorRun:
    return CollectorRun.objects.create(
        source=attempt.source,
        started_at=attempt.started_at,
        duration_ms=attempt.duration_ms(),
        status=status,
        http_status=attempt.http_status,
        items_new=len(result.new) if result else 0,
        items_merged=len(result.merged) if result else 0,
        items_rejected=(len(result.rejected) if result else 0) + len(attempt.notes),
        error=error,
    )


@transaction.atomic
def export_upload(*, actor: User, source: Source, content: bytes, file_name: str) -> CollectorRun:
    """R5.7: an administrator uploads a platform export (CSV or JSON) for an export source: read whole, stored
    through `items_ingest`, recorded as a run; a file that cannot be read is a ValidationError, nothing stored."""
    actor_require_role(actor, CONFIG_ROLES, _("Chỉ quản trị hệ thống được tải tệp xuất lên."))
    if source.kind != SourceKind.EXPORT:
        raise ValidationError({"source": [_("Chỉ nguồn loại “tệp xuất tải lên” nhận tệp.")]})
    if len(content) > MAX_FEED_BYTES:
        raise ValidationError({"file": [_("Tệp lớn quá %(mb)d MB.") % {"mb": MAX_FEED_BYTES // 2**20}]})
    try:
        drafts = parsers.parse_export(content, file_name=file_name)
    except ParseError as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    if not drafts:
        raise ValidationError({"file": [_("Tệp không có dòng tin nào.")]})
    started = clock()
    result = items_ingest(actor=actor, source=source, drafts=drafts)
    attempt = _Attempt(source, started, started, time.monotonic())
    return _run_row(attempt, RunStatus.SUCCESS, result, "")
