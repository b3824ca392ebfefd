"""Fixtures of the information-security watch for other apps' tests and the crawl's world (`ioc/web/testing`):
a watched portal of agency A with a failed and a passed check, an expiring certificate, a source and a rule, an
event, a vulnerability notice forwarded for the portal and a month's malware report — built through the services."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from django.utils import timezone
from PIL import Image

from ioc.accounts.selectors import system_account
from ioc.cybersecurity import services
from ioc.cybersecurity.choices import AssetKind
from ioc.cybersecurity.models import Asset, CheckResult, EventRule, EventSource, Vulnerability
from ioc.cybersecurity.parsers import Draft
from ioc.cybersecurity.probes import Outcome

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency

CRAWL_ASSET = "crawl-cong-thong-tin"
CRAWL_VULNERABILITY = "CVE-2026-0001"
CRAWL_SOURCE = "192.0.2.10"
CRAWL_RULE = "ssh-brute"


def cyber_crawl_fixtures(*, actor: User, agency: Agency) -> Asset:
    """A demo portal (never checked live) with two recorded checks (the second found defacement, with its
    screenshot), a certificate expiring in 10 days and an event; `actor` must be allowed to configure the watch
    (the administrator)."""
    asset = services.asset_create(
        actor=actor,
        code=CRAWL_ASSET,
        name="Cổng thông tin điện tử (thử)",
        kind=AssetKind.PORTAL,
        agency=agency,
        level=3,
        url="https://portal.example.invalid/",
        deface_selectors=["#main"],
        is_demo=True,
    )
    now = timezone.now()
    for outcome in (
        Outcome(problems={"down": "HTTP 503"}, status_code=503, response_ms=120),
        Outcome(
            ok=True,
            status_code=200,
            response_ms=80,
            cert_days=10,
            cert_not_after=now + dt.timedelta(days=10),
            problems={"defacement": "Có từ ngữ cấm / Forbidden words: hacked"},
            screenshot=_sample_png(),
        ),
    ):
        lease = now + dt.timedelta(minutes=1)
        Asset.objects.filter(pk=asset.pk).update(lease_until=lease)
        services.check_record(asset=asset, lease=lease, outcome=outcome, actor=actor)
    services.event_source_set(actor=actor, name="Tường lửa (thử)", address=CRAWL_SOURCE, agency=agency)
    services.event_rule_set(actor=actor, code=CRAWL_RULE, name="Dò mật khẩu SSH", rule_prefix="syslog:sshd")
    draft = Draft(now, "syslog", CRAWL_SOURCE, "web01", "syslog:sshd", 2, "Failed password", agency.pk)
    services.events_store(actor=actor, drafts=[draft])
    services.vulnerability_create(
        actor=system_account(),
        code=CRAWL_VULNERABILITY,
        title="Lỗ hổng thực thi mã từ xa (thử)",
        severity=4,
        published_on=now.date(),
        assets=[asset],
        remedy="Cập nhật bản vá",
    )
    services.malware_dataset_ensure(actor=actor, owner=agency)
    month = timezone.localdate().replace(day=1)
    services.malware_report_submit(actor=actor, agency=agency, month=month, infected=3, cleaned=2, unprotected=5)
    return asset


def _sample_png() -> bytes:
    """A small screenshot-like PNG (what screenshots.take stores for a defaced page)."""
    out = io.BytesIO()
    Image.new("RGB", (64, 40), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def cyber_screenshot_pk(code: str) -> int:
    """The crawl asset's check result that has a screenshot."""
    return CheckResult.objects.filter(asset__code=code).exclude(screenshot="").get().pk


def cyber_asset_pk(code: str) -> int:
    return Asset.objects.get(code=code).pk


def cyber_source_pk() -> int:
    return EventSource.objects.get(address=CRAWL_SOURCE).pk


def cyber_rule_pk() -> int:
    return EventRule.objects.get(code=CRAWL_RULE).pk


def cyber_vulnerability_pk() -> int:
    return Vulnerability.objects.get(code=CRAWL_VULNERABILITY).pk
