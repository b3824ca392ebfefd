"""R5.6: checks as durable work (DESIGN "Durable work"). An asset row is due at `next_check_at`; a worker claims it
by a conditional UPDATE of `lease_until`, runs the network part (`probes.probe`, outside any transaction, several
at once), then records the result only while its lease holds: a CheckResult, the asset's status, and for each rule
an alert raised (`cyber.<rule>`, dedup key `<asset>:<rule>`) or resolved when it clears (R4.1)."""

from __future__ import annotations

import datetime as dt
import secrets
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.selectors import system_account
from ioc.audit.services import audit_record
from ioc.common.choices import Severity
from ioc.cybersecurity import probes
from ioc.cybersecurity.choices import CHECK_LEASE_SECONDS, AssetStatus, Rule
from ioc.cybersecurity.models import Asset, CheckResult
from ioc.incidents.choices import KINDS, AlertSource
from ioc.incidents.services import alert_raise, alert_resolve

if TYPE_CHECKING:
    from ioc.accounts.models import User

SOURCE = AlertSource.CYBERSECURITY
# Probes wait on the network, not the CPU: a site that never answers holds its thread for the whole timeout (15 s),
# so 50 silent sites of 500 at 16 threads took the round past its 60 s (issue 21 "Speed", docs/benchmarks.md).
WORKERS = 64
# Rules judged only when the page answered (a down site says nothing about its headers or its content).
NEEDS_PAGE = frozenset({Rule.SLOW, Rule.HEADERS, Rule.DEFACEMENT})


def _claimable(now: dt.datetime) -> Q:
    return Q(is_active=True, is_demo=False, next_check_at__lte=now) & (Q(lease_until=None) | Q(lease_until__lt=now))


def asset_claim(*, pk: int, now: dt.datetime | None = None) -> dt.datetime | None:
    """Claim a due asset; the lease is the claimer's token (None: not due or taken)."""
    now = now or timezone.now()
    lease = now + dt.timedelta(seconds=CHECK_LEASE_SECONDS)
    return lease if Asset.objects.filter(_claimable(now), pk=pk).update(lease_until=lease) == 1 else None


def _target(asset: Asset) -> probes.Target:
    return probes.Target(
        url=asset.url,
        dns_expected=tuple(asset.dns_expected),
        selectors=tuple(asset.deface_selectors),
        forbidden_words=tuple(asset.forbidden_words),
        baseline=asset.deface_baseline,
        fingerprint=asset.deface_fingerprint,
        image_baseline=None if asset.deface_images is None else tuple(sorted(asset.deface_images.items())),
        forbidden_images=tuple(asset.forbidden_images),
    )


def checks_run_due(*, limit: int = 500, now: dt.datetime | None = None) -> int:
    """R5.6: check every due asset (up to `limit`), `WORKERS` at a time; returns how many results were recorded.
    Safe to run twice and to kill anywhere: a result is recorded only while its lease holds."""
    now = now or timezone.now()
    due = list(Asset.objects.filter(_claimable(now)).order_by("next_check_at").values_list("pk", flat=True)[:limit])
    leases: dict[int, dt.datetime] = {}
    with transaction.atomic():  # every claim in one commit (one per claim was 500 commits a round on SQLite)
        for pk in due:
            lease = asset_claim(pk=pk, now=now)
            if lease is not None:
                leases[pk] = lease
    claimed = Asset.objects.select_related("agency").filter(pk__in=list(leases)).order_by("next_check_at")
    actor, recorded = system_account(), 0
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        running = {pool.submit(probes.probe, _target(asset)): asset for asset in claimed}
        for done in as_completed(running):  # recorded here, in this thread, while the slower probes still run
            asset = running[done]
            recorded += check_record(asset=asset, lease=leases[asset.pk], outcome=done.result(), actor=actor)
    return recorded


@dataclass(frozen=True)
class _Judged:
    raised: dict[str, str]
    cleared: set[str]


def _judge(asset: Asset, outcome: probes.Outcome) -> _Judged:
    judged = set(Rule.values) if outcome.ok else set(Rule.values) - NEEDS_PAGE
    if not asset.dns_expected:
        judged.discard(Rule.DNS)
    raised = {rule: why for rule, why in outcome.problems.items() if rule in judged}
    return _Judged(raised, (judged - raised.keys()) & set(asset.problems))


def _status(outcome: probes.Outcome, problems: list[str]) -> str:
    if not outcome.ok:
        return AssetStatus.DOWN
    return AssetStatus.DEGRADED if problems else AssetStatus.UP


@transaction.atomic
def check_record(*, asset: Asset, lease: dt.datetime, outcome: probes.Outcome, actor: User) -> bool:
    """R5.6, R4.1: record one check while the lease holds (False: the lease was lost, nothing written)."""
    now = timezone.now()
    judged = _judge(asset, outcome)
    kept = [p for p in asset.problems if p not in judged.cleared and p not in judged.raised]
    problems = sorted({*kept, *judged.raised})
    status = _status(outcome, problems)
    fields: dict[str, Any] = {
        "lease_until": None,
        "status": status,
        "problems": problems,
        "last_checked_at": now,
        "last_response_ms": outcome.response_ms,
        "next_check_at": now + dt.timedelta(minutes=asset.interval_minutes),
    }
    if outcome.cert_not_after is not None:
        fields["cert_expires_at"] = outcome.cert_not_after
    if outcome.fingerprint and not asset.deface_fingerprint:
        fields["deface_fingerprint"], fields["deface_baseline"] = outcome.fingerprint, outcome.region_text
    # The images' record is taken from a check that fetched every image: one refused or failed once would
    # otherwise be "new" at every later check.
    complete = "images_refused" not in outcome.detail
    if outcome.images is not None and asset.deface_images is None and complete:
        fields["deface_images"] = outcome.images
    if not Asset.objects.filter(pk=asset.pk, lease_until=lease).update(**fields):
        return False
    result = CheckResult(
        asset=asset,
        checked_at=now,
        ok=outcome.ok,
        status_code=outcome.status_code,
        response_ms=outcome.response_ms,
        cert_days=outcome.cert_days,
        problems=sorted(outcome.problems),
        reason=outcome.reason[:4000],
        detail=outcome.detail,
    )
    if outcome.screenshot:
        result.screenshot.save(f"{asset.code}-{secrets.token_hex(8)}.png", ContentFile(outcome.screenshot), save=False)
    result.save()
    if status != asset.status:
        audit_record(actor=actor, action="cyber_asset.status", obj=asset, changes={"status": [asset.status, status]})
    _alerts(asset, judged, outcome, actor, now)
    return True


def _severity(rule: str, outcome: probes.Outcome, asset: Asset) -> int:
    if rule == Rule.CERT_EXPIRY and outcome.cert_days is not None:
        return Severity.HIGH if outcome.cert_days <= 7 else Severity.MEDIUM if outcome.cert_days <= 14 else Severity.LOW
    base = KINDS[f"cyber.{rule}"].default_severity
    return min(Severity.EMERGENCY, base + 1) if asset.level >= 4 and base >= Severity.MEDIUM else base


def _alerts(asset: Asset, judged: _Judged, outcome: probes.Outcome, actor: User, now: dt.datetime) -> None:
    for rule, why in judged.raised.items():
        payload = {"asset": asset.code, "url": asset.url, "reason": why[:1000], "agency": asset.agency.code}
        if rule == Rule.DEFACEMENT:
            payload["diff"] = str(outcome.detail.get("diff", ""))[:8000]
        alert_raise(
            source=SOURCE,
            dedup_key=f"{asset.code}:{rule}",
            kind=f"cyber.{rule}",
            severity=_severity(rule, outcome, asset),
            title=_("%(asset)s: %(rule)s") % {"asset": asset.name[:150], "rule": Rule(rule).label},
            occurred_at=now,
            unit=asset.agency.unit,
            payload=payload,
            actor=actor,
        )
    for rule in judged.cleared:
        alert_resolve(source=SOURCE, dedup_key=f"{asset.code}:{rule}", resolved_at=now, actor=actor)
